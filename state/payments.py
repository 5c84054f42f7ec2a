"""Client payments (seed 001 "Online Payments"): Open / Paid tabs, invoice and
estimate details, receipts, Pay Now and the "+" payment of a chosen amount.

Every handler runs the session check and needs "access billing documents"
(`client_event`); paying also needs "pay outstanding balance". Every invoice
and payment id is checked for ownership by the services; amounts are computed
on the server. Pay itself is the checkout service's saga: the state keeps the
message and the redirect.
"""

import reflex as rx

from models import Invoice, InvoiceKind, InvoiceStatus, PaymentMethod
from portal_app import i18n, routes
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.providers import select as providers
from portal_app.services.billing import checkout as checkout_service
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing import payments as payment_service
from portal_app.services.billing.checkout import PAY_UNAVAILABLE
from portal_app.services.billing.dates import paid_on_text
from portal_app.services.billing.invoice_details import lines_and_payments
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.money import decimal_text, format_money, quantity_text, rate_text
from state.assign import assign_changed
from state.guards import client_event, client_refusal
from state.referral_cookie import referral_cookie
from state.session import ClientState

UNAVAILABLE = "Payments are not available to you. Please contact us."


def invoice_row(inv: Invoice, can_pay: bool, lang: str = i18n.DEFAULT,
                paid_on: str = "") -> dict[str, str]:
    """One invoice or estimate as the lists show it. `amount` is the figure beside it:
    the balance while one is owed, else the total (a paid invoice is not "$0.00");
    `paid_line` says what was paid, and when (`paid_on`, from the formatter)."""
    money = lambda minor: format_money(minor, inv.currency, lang)  # noqa: E731
    estimate = inv.kind == InvoiceKind.ESTIMATE
    owed = not estimate and inv.status in InvoiceStatus.OPEN
    paid_line = ""
    if not estimate and inv.paid_minor > 0:
        if owed:
            paid_line = i18n.gettext(lang, "Paid {amount} of {total}",
                                     amount=money(inv.paid_minor), total=money(inv.total_minor))
        elif paid_on:
            paid_line = i18n.gettext(lang, "Paid {amount} on {date}",
                                     amount=money(inv.paid_minor), date=paid_on)
        else:
            paid_line = i18n.gettext(lang, "Paid {amount}", amount=money(inv.paid_minor))
    return {
        "id": str(inv.id), "number": inv.number, "kind": inv.kind,
        "title": i18n.gettext(lang, "Estimate" if estimate else "Invoice"), "status": inv.status,
        "status_label": i18n.gettext(lang, invoice_service.status_label(inv)),
        "issue": formats.date_text(inv.issue_date, lang),
        "due": formats.date_text(inv.due_date, lang) if inv.due_date else "",
        "total": money(inv.total_minor), "paid": money(inv.paid_minor),
        "balance": "" if estimate else money(inv.balance_minor),
        "balance_text": "" if estimate else decimal_text(inv.balance_minor, inv.currency),
        "amount": money(inv.balance_minor) if owed else money(inv.total_minor),
        "paid_line": paid_line,
        "can_pay": "yes" if (can_pay and owed and inv.balance_minor > 0) else "",
    }


async def start_checkout(state: ClientState, invoice_id: object, amount_text: object | None):
    """Pay: the signed-in payer with a record and "pay outstanding balance", then the
    checkout service's saga (which checks the invoice and the amount). Returns
    (message to show, event): the checkout page to go to, or a refusal."""
    with session_scope() as session:
        ctx = state._client(session)
        refused = client_refusal(state, ctx)
        if refused is not None:
            return None, refused
        if not ctx.access.pay:
            return PAY_UNAVAILABLE, None
        client_id, email = ctx.client_id, ctx.email
    current = providers.current()
    try:
        opened = await checkout_service.start_checkout(
            current.gateway, client_id=client_id, customer_email=email,
            invoice_id=invoice_id, amount_text=amount_text,
            tab_token=state.router.session.client_token, base_url=current.settings.base_url,
            referral=referral_cookie(state))
    except ServiceError as exc:
        return exc.message, None
    return None, rx.redirect(opened.url)


class PaymentsState(ClientState):
    tab: str = "open"
    rows: list[dict[str, str]] = []
    receipts: list[dict[str, str]] = []
    total_due: str = ""
    currency: str = ""
    pay_open: bool = False
    pay_choices: list[dict[str, str]] = []
    pay_invoice: str = ""
    pay_amount: str = ""
    pay_error: str = ""
    busy: bool = False
    superbills: bool = False  # the "Superbills" tab (Business.superbills_enabled)

    def _fill(self, session, ctx) -> None:
        docs = invoice_service.client_documents(session, client_id=ctx.client_id, tab=self.tab)
        lang = self._lang
        zone = self._tz
        latest = (payment_service.last_payments(session, invoice_ids=[i.id for i in docs])
                  if self.tab == "paid" else {})
        self.rows = [invoice_row(inv, ctx.access.pay, lang,
                                 paid_on=paid_on_text(latest[inv.id], zone, lang)
                                 if inv.id in latest else "") for inv in docs]
        if self.tab == "paid":
            self.receipts = [{
                "id": str(r.payment.id), "number": r.payment.receipt_number,
                "date": paid_on_text(r.payment, zone, lang), "invoice": r.invoice_number,
                "amount": format_money(r.payment.amount_minor, r.payment.currency, lang),
                "method": self._tr(PaymentMethod.LABELS.get(r.payment.method, r.payment.method)),
                "refunded": (format_money(r.payment.refunded_minor, r.payment.currency, lang)
                             if r.payment.refunded_minor else ""),
            } for r in payment_service.client_payments(session, client_id=ctx.client_id)]
        else:
            self.receipts = []
        business = ctx.business or get_business(session)
        self.superbills = bool(business.superbills_enabled)
        self.currency = business.currency
        self.total_due = format_money(
            invoice_service.total_due(session, client_id=ctx.client_id), business.currency, lang)
        open_docs = docs if self.tab == "open" else invoice_service.client_documents(
            session, client_id=ctx.client_id, tab="open")
        self.pay_choices = [
            {"id": r["id"], "label": self._tr(f"{r['number']} — {r['balance']} due"),
             "balance": r["balance_text"]}
            for r in (invoice_row(i, ctx.access.pay, lang) for i in open_docs) if r["can_pay"]]

    @client_event(feature="billing", unavailable=UNAVAILABLE, page=True)
    def load(self, session, ctx):
        """on_load: the open or paid tab (?tab=paid from the Statements page's tab bar);
        ?pay=1 opens the "+" payment dialog."""
        self.pay_error = ""
        self.busy = False
        tab = self.router.url.query_parameters.get("tab")
        if tab in ("open", "paid"):
            self.tab = tab
        self._fill(session, ctx)
        if self.router.url.query_parameters.get("pay") == "1":
            return PaymentsState.open_payment
        return None

    def _live_refresh(self):
        """A payment arrived (webhook), staff sent, voided or refunded: reload the lists."""
        with session_scope() as session:
            ctx, leave = self._live_client(session, "billing", UNAVAILABLE)
            if ctx is not None:
                self._fill(session, ctx)
        return leave

    @client_event(feature="billing", unavailable=UNAVAILABLE)
    def show_tab(self, session, ctx, tab: str):
        """The Open / Paid tabs; Statements and Superbills are pages of their own."""
        if tab == "statements":
            return rx.redirect(routes.PAYMENTS_STATEMENTS)
        if tab == "superbills":
            return rx.redirect(routes.PAYMENTS_SUPERBILLS)
        self.tab = "paid" if tab == "paid" else "open"
        self._fill(session, ctx)

    @client_event(feature="billing", unavailable=UNAVAILABLE)
    def open_payment(self, session, ctx):
        """The "+" button: pay a chosen amount toward an open invoice."""
        if not ctx.access.pay:
            return rx.toast.info(self._tr(PAY_UNAVAILABLE))
        if not self.pay_choices:
            return rx.toast.info(self._tr("You have nothing to pay at the moment."))
        first = self.pay_choices[0]
        self.pay_invoice = first["id"]
        self.pay_amount = first["balance"]
        self.pay_error = ""
        self.pay_open = True
        return None

    @rx.event
    def set_pay_open(self, value: bool):
        self.pay_open = bool(value)

    @rx.event
    def choose_invoice(self, invoice_id: str):
        """The dialog's invoice: its balance becomes the amount."""
        for choice in self.pay_choices:
            if choice["id"] == str(invoice_id):
                self.pay_invoice = choice["id"]
                self.pay_amount = choice["balance"]

    @rx.event
    def set_pay_amount(self, value: str):
        self.pay_amount = str(value)[:32]

    @rx.event
    async def submit_payment(self, form: dict):
        """Continue to payment: the dialog's invoice and amount (checked by the service)."""
        self.busy = True
        error, event = await start_checkout(self, form.get("invoice_id", self.pay_invoice),
                                            form.get("amount"))
        self.busy = False
        if error:
            self.pay_error = self._tr(error)
            return None
        self.pay_open = False
        return event

    @rx.event
    async def pay_now(self, invoice_id: str):
        """Pay Now next to an open invoice: its whole balance."""
        self.busy = True
        error, event = await start_checkout(self, invoice_id, None)
        self.busy = False
        return rx.toast.error(self._tr(error)) if error else event


class InvoiceState(ClientState):
    """/payments/invoice?id=…: one invoice or estimate, Print, PDF, Pay, Accept/Decline."""

    inv: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    payments: list[dict[str, str]] = []
    notice: str = ""
    found: bool = False  # this client's invoice is loaded
    # Known not to be this client's (or gone): the page drops its frame, which is
    # painted before the invoice arrives (pages/payments.py, `invoice_frame`).
    missing: bool = False
    busy: bool = False
    _invoice_id: int = 0

    def _fill(self, session, ctx) -> None:
        invoice = invoice_service.get_invoice_for(session, client_id=ctx.client_id,
                                                  invoice_id=self._invoice_id)
        lang = self._lang
        money = lambda minor: format_money(minor, invoice.currency, lang)  # noqa: E731
        row = invoice_row(invoice, ctx.access.pay, lang)
        row.update({
            "subtotal": money(invoice.subtotal_minor),
            "discount": money(-invoice.discount_minor) if invoice.discount_minor else "",
            "tax_label": self._tr(f"Tax ({rate_text(invoice.tax_rate_bp)}%)")
            if invoice.tax_rate_bp else "",
            "tax": money(invoice.tax_minor), "notes": invoice.notes,
            "can_answer": "yes" if (invoice.kind == InvoiceKind.ESTIMATE
                                    and invoice.status == InvoiceStatus.SENT) else "",
            "pdf_url": f"{routes.API_INVOICE_PDF}?id={invoice.id}",
        })
        # Its lines and payments in one statement (the invoice is the client's: read above).
        line_rows, payment_rows = lines_and_payments(session, invoice_id=invoice.id)
        lines = [{"description": ln.description,
                  "quantity": quantity_text(ln.quantity_hundredths),
                  "unit_price": money(ln.unit_price_minor), "amount": money(ln.amount_minor)}
                 for ln in line_rows]
        payments = [{"id": str(p.id), "number": p.receipt_number,
                     "date": paid_on_text(p, self._tz, lang),
                     "amount": format_money(p.amount_minor, p.currency, lang),
                     "method": self._tr(PaymentMethod.LABELS.get(p.method, p.method))}
                    for p in payment_rows]
        # Only what changed travels (state/assign.py): the invoice opened again sends nothing.
        assign_changed(self, {"inv": row, "lines": lines, "payments": payments, "found": True,
                              "missing": False})

    def _not_found(self, exc: ServiceError) -> None:
        """Not this client's (or no such) invoice: nothing of it stays on the page."""
        self.found = False
        self.missing = True
        self.inv = {}
        self.lines = []
        self.payments = []
        self.notice = self._tr(exc.message)

    @client_event(feature="billing", unavailable=UNAVAILABLE, on_error="_not_found", page=True)
    def load(self, session, ctx):
        """on_load: ?id=<id>; ?paid=1 / ?cancelled=1 when back from the checkout."""
        query = self.router.url.query_parameters
        try:
            self._invoice_id = int(query.get("id", "0"))
        except ValueError:
            self._invoice_id = 0
        assign_changed(self, {"notice": "", "busy": False})
        self._fill(session, ctx)
        if query.get("paid") == "1":
            self.notice = (self._tr("Payment received. Thank you!" if self.inv.get("can_pay") != "yes"
                           or self.inv.get("status") == "partially_paid"
                           else "We are confirming your payment; this page updates by itself."))
        elif query.get("cancelled") == "1":
            self.notice = self._tr("The payment was cancelled. Nothing was charged.")
        return None

    def _live_refresh(self):
        """A payment arrived for this tab (webhook, or recorded by staff), or staff
        changed the invoice: show it without a reload."""
        if not self._invoice_id:
            return None
        with session_scope() as session:
            ctx, leave = self._live_client(session, "billing", UNAVAILABLE)
            if ctx is None:
                self.found = False
                self.missing = True
                return leave
            paid_before = len(self.payments)
            try:
                self._fill(session, ctx)
            except ServiceError as exc:
                self._not_found(exc)
                return None
        if len(self.payments) > paid_before:
            self.notice = self._tr("Payment received. Thank you!")
        return None

    @rx.event
    async def pay_now(self):
        """Pay Now on the invoice page: its whole balance."""
        self.busy = True
        error, event = await start_checkout(self, self._invoice_id, None)
        self.busy = False
        return rx.toast.error(self._tr(error)) if error else event

    @client_event(feature="billing", unavailable=UNAVAILABLE)
    def answer_estimate(self, session, ctx, accept: bool):
        """Accept or Decline an estimate (once)."""
        invoice_service.respond_to_estimate(session, client_id=ctx.client_id,
                                            invoice_id=self._invoice_id, accept=bool(accept))
        self._fill(session, ctx)
        return rx.toast.success(self._tr("Estimate accepted. Thank you!" if accept
                                else "Estimate declined."))


class ReceiptState(ClientState):
    """/payments/receipt?id=…: one payment's receipt, Print and PDF."""

    receipt: dict[str, str] = {}
    found: bool = False

    @client_event(feature="billing", unavailable=UNAVAILABLE, page=True)
    def load(self, session, ctx):
        """on_load: the receipt of ?id=<payment id>, if it is this client's."""
        try:
            payment_id = int(self.router.url.query_parameters.get("id", "0"))
        except ValueError:
            payment_id = 0
        try:
            payment, invoice = payment_service.get_receipt_for(
                session, client_id=ctx.client_id, payment_id=payment_id)
        except ServiceError:
            self.found = False
            self.receipt = {}
            return None
        lang = self._lang
        self.receipt = {
            "number": payment.receipt_number,
            "date": paid_on_text(payment, self._tz, lang),
            "amount": format_money(payment.amount_minor, payment.currency, lang),
            "method": self._tr(PaymentMethod.LABELS.get(payment.method, payment.method)),
            "refunded": (format_money(payment.refunded_minor, payment.currency, lang)
                         if payment.refunded_minor else ""),
            "invoice": invoice.number, "invoice_id": str(invoice.id),
            "balance": format_money(invoice.balance_minor, invoice.currency, lang),
            "pdf_url": f"{routes.API_RECEIPT_PDF}?id={payment.id}",
        }
        self.found = True
        return None
