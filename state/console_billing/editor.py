"""/console/invoice: one invoice or estimate. InvoiceEditorState loads the
document and voids it; the draft form and each dialog are mixins beside it
(`draft_form`, `send_dialog`, `payment_dialog`, `refund_dialog`), so the page
keeps one state whose handlers and vars they share.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from models import InvoiceKind, InvoiceStatus, PaymentMethod
from portal_app import live, routes
from portal_app.i18n import formats
from portal_app.services import clients
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing import payments as payment_service
from portal_app.services.billing.dates import business_zone, paid_on_text
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.money import decimal_text, format_money, quantity_text, rate_text
from state.console_billing.common import DRAFT_FIELDS, no_errors, staff_status_label, title
from state.console_billing.draft_form import DraftForm
from state.console_billing.payment_dialog import PaymentDialog
from state.console_billing.refund_dialog import RefundDialog
from state.console_billing.send_dialog import SendDialog
from state.console_format import tr
from state.guards import staff_event
from state.staff_session import StaffState


class InvoiceEditorState(DraftForm, SendDialog, PaymentDialog, RefundDialog, StaffState):
    """/console/invoice?id=<id> (or ?number=<number>), or ?new=invoice|estimate[&client=<id>].

    A draft is a form (nothing is written until Save); anything else is the
    document with its payments and the staff actions that fit its status.
    """

    found: bool = False
    editable: bool = False
    is_new: bool = False
    version: int = 0  # bumped on every (re)load so the uncontrolled inputs re-render
    inv: dict[str, str] = {}
    payments: list[dict[str, str]] = []
    _invoice_id: int = 0
    _kind: str = InvoiceKind.INVOICE
    _currency: str = "USD"

    # --- loading ---------------------------------------------------------------------

    def _reset(self) -> None:
        self.found = self.editable = self.is_new = False
        self.version += 1
        self.inv, self.lines, self.payments, self.client_options = {}, [], [], []
        self.draft = {name: "" for name in DRAFT_FIELDS}
        self.errors = no_errors()
        self.send_open = self.payment_open = self.refund_open = False
        self.payment_error = self.refund_error = ""
        self.refund_info = {}
        self._invoice_id = self._refund_payment_id = 0
        self._kind = InvoiceKind.INVOICE

    def _today(self, session):
        zone = get_business(session).timezone or "UTC"
        try:
            return datetime.now(ZoneInfo(zone)).date()
        except (KeyError, ValueError):
            return datetime.now(UTC).date()

    def _start_new(self, session, kind: str, client_raw: str) -> None:
        business = get_business(session)
        self._kind = kind
        self._currency = business.currency
        client_id = ""
        if client_raw:
            try:
                client_id = str(clients.get_client(session, client_id=client_raw).id)
            except ServiceError:
                client_id = ""
        today = self._today(session)
        due = (today + timedelta(days=invoice_service.DEFAULT_DUE_DAYS)
               if kind == InvoiceKind.INVOICE else None)
        self.draft = {"client_id": client_id, "issue_date": today.isoformat(),
                      "due_date": due.isoformat() if due else "", "tax_rate": "0",
                      "discount": decimal_text(0, self._currency), "notes": ""}
        self.lines = [self._line()]
        self.inv = {"heading": self._tr("New estimate" if kind == InvoiceKind.ESTIMATE
                                           else "New invoice"), "title": title(kind), "number": "",
                    "status": InvoiceStatus.DRAFT, "status_label": self._tr("Not saved yet")}
        self.is_new = self.editable = self.found = True
        self._load_clients(session)
        self._recompute()

    def _fill(self, session) -> None:
        """The saved document (draft form or read-only view) of `_invoice_id`."""
        invoice = invoice_service.get_invoice(session, invoice_id=self._invoice_id)
        client = clients.get_client(session, client_id=invoice.client_id)
        self._invoice_client = client.id
        money = lambda minor: format_money(minor, invoice.currency)  # noqa: E731
        zone = business_zone(get_business(session))  # staff read the business's clock
        self._kind, self._currency = invoice.kind, invoice.currency
        self.is_new = False
        self.editable = invoice.status == InvoiceStatus.DRAFT
        estimate = invoice.kind == InvoiceKind.ESTIMATE
        can_pay = (not estimate and invoice.status in InvoiceStatus.OPEN
                   and invoice.balance_minor > 0)
        self.inv = {
            "id": str(invoice.id), "heading": f"{title(invoice.kind)} {invoice.number}",
            "title": title(invoice.kind), "number": invoice.number, "kind": invoice.kind,
            "status": invoice.status, "status_label": staff_status_label(invoice),
            "client": client.full_name, "client_url": routes.console_client(client.id),
            "issue": invoice.issue_date.isoformat(),
            "due": invoice.due_date.isoformat() if invoice.due_date else "",
            "sent": (formats.when_medium(invoice.sent_at, zone, self._lang)
                     if invoice.sent_at else ""),
            "subtotal": money(invoice.subtotal_minor),
            "discount": f"-{money(invoice.discount_minor)}" if invoice.discount_minor else "",
            "tax_label": (self._tr(f"Tax ({rate_text(invoice.tax_rate_bp)}%)")
                          if invoice.tax_rate_bp
                          else ""),
            "tax": money(invoice.tax_minor), "total": money(invoice.total_minor),
            "paid": "" if estimate else money(invoice.paid_minor),
            "balance": "" if estimate else money(invoice.balance_minor),
            "notes": invoice.notes,
            "pdf_url": f"{routes.API_CONSOLE_INVOICE_PDF}?id={invoice.id}",
            "can_pay": "yes" if can_pay else "",
            "can_send": "yes" if invoice.status in InvoiceStatus.OPEN else "",
            "can_void": "yes" if invoice.status != InvoiceStatus.VOID else "",
        }
        lines = invoice_service.invoice_lines(session, invoice_id=invoice.id)
        if self.editable:
            self.draft = {
                "client_id": str(invoice.client_id), "issue_date": invoice.issue_date.isoformat(),
                "due_date": invoice.due_date.isoformat() if invoice.due_date else "",
                "tax_rate": rate_text(invoice.tax_rate_bp),
                "discount": decimal_text(invoice.discount_minor, invoice.currency),
                "notes": invoice.notes}
            self.lines = [self._line(ln.description, quantity_text(ln.quantity_hundredths),
                                     decimal_text(ln.unit_price_minor, invoice.currency))
                          for ln in lines] or [self._line()]
            self.payments = []
            self._load_clients(session)
            self._recompute()
        else:
            self.lines = [{"key": str(ln.id), "n": str(i + 1), "description": ln.description,
                           "quantity": quantity_text(ln.quantity_hundredths),
                           "unit_price": money(ln.unit_price_minor),
                           "amount": money(ln.amount_minor), "error": ""}
                          for i, ln in enumerate(lines)]
            self.payments = [self._payment_row(p, zone) for p in payment_service.invoice_payments(
                session, invoice_id=invoice.id)]
        self.found = True

    @staticmethod
    def _payment_row(p, zone: str) -> dict[str, str]:
        money = lambda minor: format_money(minor, p.currency)  # noqa: E731
        return {
            "id": str(p.id), "number": p.receipt_number, "date": paid_on_text(p, zone),
            "amount": money(p.amount_minor),
            "method": tr(PaymentMethod.LABELS.get(p.method, p.method)),
            "provider": p.provider,
            "refunded": money(p.refunded_minor) if p.refunded_minor else "",
            "flag": p.flag, "note": p.note,
            "can_refund": "yes" if p.amount_minor > p.refunded_minor else "",
            "refund_label": tr("Record refund" if p.provider == "offline" else "Refund"),
        }

    def _open(self, session) -> None:
        query = self.router.url.query_parameters
        new_kind = query.get("new", "")
        if new_kind in InvoiceKind.ALL:
            self._start_new(session, new_kind, query.get("client", ""))
            return
        number = query.get("number", "")
        if number:  # ?number=INV-0001: the link from a booking that is already invoiced
            self._invoice_id = self._by_number(session, number)
        else:
            self._invoice_id = invoice_service.get_invoice(
                session, invoice_id=query.get("id", "")).id
        self._fill(session)

    @staticmethod
    def _by_number(session, number: str) -> int:
        rows, _ = invoice_service.list_invoices(session, search=number[:30], per_page=50)
        for invoice, _name in rows:
            if invoice.number == number:
                return invoice.id
        raise ServiceError(invoice_service.NO_INVOICE)

    def _not_found(self, exc: ServiceError):
        """No such document: back to the list, saying so."""
        self._reset()
        return [rx.redirect(routes.CONSOLE_INVOICES), rx.toast.error(self._tr(exc.message))]

    @staff_event(on_error="_not_found")
    def load(self, session, ctx):
        """on_load: ?id=<id> opens a document; ?new=invoice|estimate starts a draft."""
        self._reset()
        self._open(session)

    def _refresh_view(self, session) -> None:
        if self._invoice_id:
            self._fill(session)

    # --- a sent document --------------------------------------------------------------

    @staff_event
    def void(self, session, ctx):
        """Void: the document stays on record, no longer owed or shown to the client."""
        if not self._invoice_id:
            return None
        invoice = invoice_service.void_invoice(session, staff_id=ctx.staff_id,
                                               invoice_id=self._invoice_id)
        self._client_changed(invoice.client_id, about=live.BILLING)
        self._refresh_view(session)
        return rx.toast.success(self._tr(f"{invoice.number} is void."))
