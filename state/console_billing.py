"""Console billing: the invoice list (/console/invoices) and one invoice or
estimate (/console/invoice): drafting with line items, sending, voiding,
offline payments and refunds.

Every handler goes through `_as_staff`. The invoice, the payment being
refunded and the refund in flight are backend vars set by the server (at load
or when a dialog opens), never ids taken from the browser at the moment of
the write; the services check every id again. Money in public vars is
display text; amounts are parsed and computed on the server.
"""

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from models import InvoiceKind, InvoiceStatus, PaymentMethod
from portal_app import routes
from portal_app.db import session_scope
from portal_app.providers.payments import PaymentProviderError, select_gateway
from portal_app.services import clients
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing import payments as payment_service
from portal_app.services.billing import refunds as refund_service
from portal_app.services.billing.lines import MAX_LINES
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.money import (
    decimal_text,
    format_money,
    line_amount,
    parse_amount,
    parse_quantity,
    parse_rate,
    quantity_text,
    rate_text,
    totals,
)
from portal_app.settings import get_settings
from state.guards import staff_event
from state.session import StaffState

log = logging.getLogger("portal.console.billing")

PER_PAGE = 50
CLIENT_CHOICES = 200
FILTERS = [("all", "All"), ("draft", "Drafts"), ("open", "Open"), ("paid", "Paid"),
           ("void", "Void"), ("estimates", "Estimates")]
METHOD_OPTIONS = [(m, PaymentMethod.LABELS[m]) for m in PaymentMethod.OFFLINE]
DRAFT_FIELDS = ("client_id", "issue_date", "due_date", "tax_rate", "discount", "notes")
LINE_FIELDS = ("description", "quantity", "unit_price")
ERROR_KEYS = (*DRAFT_FIELDS, "lines", "message")
FIELD_LIMITS = {"notes": 6000, "description": 400}
ONLINE_PROVIDERS = ("stripe", "test")
STAFF_STATUS_LABELS = {**invoice_service.STATUS_LABELS, InvoiceStatus.SENT: "Open"}


def staff_status_label(invoice) -> str:
    """Like the client's label, in the business's words ("Sent", not "Awaiting your answer")."""
    if invoice.kind == InvoiceKind.ESTIMATE and invoice.status == InvoiceStatus.SENT:
        return "Sent"
    return STAFF_STATUS_LABELS.get(invoice.status, invoice.status)


def _title(kind: str) -> str:
    return "Estimate" if kind == InvoiceKind.ESTIMATE else "Invoice"


def _no_errors() -> dict[str, str]:
    return {key: "" for key in ERROR_KEYS}


def _clip(field: str, value: object) -> str:
    return str(value if value is not None else "")[:FIELD_LIMITS.get(field, 64)]


def _refusal(event, result):
    """The sign-in redirect, or the refusal as a toast; None when it succeeded."""
    if event is not None:
        return event
    if isinstance(result, ServiceError):
        return rx.toast.error(result.message)
    return None


class InvoiceListState(StaffState):
    """/console/invoices[?client=<id>]: filter tabs, search, paging."""

    status: str = "all"
    search: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    client_id: str = ""
    client_name: str = ""
    new_invoice_url: str = f"{routes.CONSOLE_INVOICE}?new=invoice"
    new_estimate_url: str = f"{routes.CONSOLE_INVOICE}?new=estimate"
    _client_id: int = 0

    def _fill(self, session) -> None:
        result, total = self._page_of(session)
        pages = max(1, -(-total // PER_PAGE))
        if self.page > pages:
            self.page = pages
            result, total = self._page_of(session)
        self.total, self.pages = total, pages
        flagged = invoice_service.flagged_invoice_ids(session, [inv.id for inv, _ in result])
        self.rows = [
            {"id": str(inv.id), "number": inv.number, "kind": _title(inv.kind),
             "url": routes.console_invoice(inv.id), "client": name,
             "client_url": routes.console_client(inv.client_id),
             "issue": inv.issue_date.isoformat(),
             "due": inv.due_date.isoformat() if inv.due_date else "",
             "total": format_money(inv.total_minor, inv.currency),
             "balance": (format_money(inv.balance_minor, inv.currency)
                         if inv.kind == InvoiceKind.INVOICE and inv.status not in (
                             InvoiceStatus.DRAFT, InvoiceStatus.VOID) else ""),
             "status": inv.status, "status_label": staff_status_label(inv),
             "flagged": "yes" if inv.id in flagged else ""}
            for inv, name in result
        ]

    def _page_of(self, session):
        return invoice_service.list_invoices(
            session, status=self.status, search=self.search,
            client_id=self._client_id or None, page=self.page, per_page=PER_PAGE)

    def _fill_page(self, session) -> None:
        """On load: the client filter comes from the URL (?client=<id>)."""
        self._client_id = 0
        self.client_id = self.client_name = ""
        raw = self.router.url.query_parameters.get("client", "")
        if raw:
            try:
                client = clients.get_client(session, client_id=raw)
            except ServiceError:
                client = None
            if client is not None:
                self._client_id = client.id
                self.client_id, self.client_name = str(client.id), client.full_name
        suffix = f"&client={self._client_id}" if self._client_id else ""
        self.new_invoice_url = f"{routes.CONSOLE_INVOICE}?new=invoice{suffix}"
        self.new_estimate_url = f"{routes.CONSOLE_INVOICE}?new=estimate{suffix}"
        self._fill(session)

    @rx.event
    def load(self):
        """on_load: the first page of the current filter, for the client in the URL."""
        self.page = 1
        event, result = self._as_staff(lambda s, c: self._fill_page(s))
        return _refusal(event, result)

    @staff_event
    def show(self, session, ctx, status: str):
        """A filter tab: all, draft, open, paid, void or estimates."""
        self.status = str(status) if status in invoice_service.STAFF_FILTERS else "all"
        self.page = 1
        self._fill(session)

    @rx.event
    def apply_search(self, form: dict):
        """Search by client name or document number."""
        def action(s, c):
            self.search = " ".join(str(form.get("search", "") or "").split())[:100]
            self.page = 1
            self._fill(s)

        return _refusal(*self._as_staff(action))

    @rx.event
    def go_to_page(self, page: int):
        def action(s, c):
            try:
                self.page = min(max(1, int(page)), self.pages)
            except (TypeError, ValueError):
                self.page = 1
            self._fill(s)

        return _refusal(*self._as_staff(action))


class InvoiceEditorState(StaffState):
    """/console/invoice?id=<id> (or ?number=<number>), or ?new=invoice|estimate[&client=<id>].

    A draft is a form (nothing is written until Save); anything else is the
    document with its payments and the staff actions that fit its status.
    """

    found: bool = False
    editable: bool = False
    is_new: bool = False
    version: int = 0  # bumped on every (re)load so the uncontrolled inputs re-render
    inv: dict[str, str] = {}
    draft: dict[str, str] = {name: "" for name in DRAFT_FIELDS}
    lines: list[dict[str, str]] = []
    preview: dict[str, str] = {"subtotal": "", "discount": "", "tax_label": "", "tax": "",
                               "total": ""}
    client_options: list[dict[str, str]] = []
    errors: dict[str, str] = _no_errors()
    payments: list[dict[str, str]] = []
    send_open: bool = False
    payment_open: bool = False
    payment_defaults: dict[str, str] = {"amount": "", "method": PaymentMethod.CASH,
                                        "paid_on": "", "note": ""}
    payment_error: str = ""
    refund_open: bool = False
    refund_info: dict[str, str] = {}
    refund_error: str = ""
    _invoice_id: int = 0
    _kind: str = InvoiceKind.INVOICE
    _currency: str = "USD"
    _refund_payment_id: int = 0
    _next_key: int = 0

    # --- loading ---------------------------------------------------------------------

    def _reset(self) -> None:
        self.found = self.editable = self.is_new = False
        self.version += 1
        self.inv, self.lines, self.payments, self.client_options = {}, [], [], []
        self.draft = {name: "" for name in DRAFT_FIELDS}
        self.errors = _no_errors()
        self.send_open = self.payment_open = self.refund_open = False
        self.payment_error = self.refund_error = ""
        self.refund_info = {}
        self._invoice_id = self._refund_payment_id = 0
        self._kind = InvoiceKind.INVOICE

    def _line(self, description: str = "", quantity: str = "1", unit_price: str = ""
              ) -> dict[str, str]:
        self._next_key += 1
        return {"key": str(self._next_key), "n": "", "description": description,
                "quantity": quantity, "unit_price": unit_price, "amount": "", "error": ""}

    def _today(self, session):
        zone = get_business(session).timezone or "UTC"
        try:
            return datetime.now(ZoneInfo(zone)).date()
        except (KeyError, ValueError):
            return datetime.now(UTC).date()

    def _load_clients(self, session, search: str = "") -> None:
        """The client picker's choices: the first 200 by name (matching `search`),
        plus the chosen client."""
        page = clients.list_clients(session, search=search, page=1, per_page=CLIENT_CHOICES)
        options = [{"id": str(r.id), "name": r.full_name} for r in page.rows]
        chosen = self.draft.get("client_id", "")
        if chosen and all(o["id"] != chosen for o in options):
            client = clients.get_client(session, client_id=chosen)
            options.insert(0, {"id": str(client.id), "name": client.full_name})
        self.client_options = options

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
        self.inv = {"heading": f"New {kind}", "title": _title(kind), "number": "",
                    "status": InvoiceStatus.DRAFT, "status_label": "Not saved yet"}
        self.is_new = self.editable = self.found = True
        self._load_clients(session)
        self._recompute()

    def _fill(self, session) -> None:
        """The saved document (draft form or read-only view) of `_invoice_id`."""
        invoice = invoice_service.get_invoice(session, invoice_id=self._invoice_id)
        client = clients.get_client(session, client_id=invoice.client_id)
        money = lambda minor: format_money(minor, invoice.currency)  # noqa: E731
        self._kind, self._currency = invoice.kind, invoice.currency
        self.is_new = False
        self.editable = invoice.status == InvoiceStatus.DRAFT
        estimate = invoice.kind == InvoiceKind.ESTIMATE
        can_pay = (not estimate and invoice.status in InvoiceStatus.OPEN
                   and invoice.balance_minor > 0)
        self.inv = {
            "id": str(invoice.id), "heading": f"{_title(invoice.kind)} {invoice.number}",
            "title": _title(invoice.kind), "number": invoice.number, "kind": invoice.kind,
            "status": invoice.status, "status_label": staff_status_label(invoice),
            "client": client.full_name, "client_url": routes.console_client(client.id),
            "issue": invoice.issue_date.isoformat(),
            "due": invoice.due_date.isoformat() if invoice.due_date else "",
            "sent": invoice.sent_at.date().isoformat() if invoice.sent_at else "",
            "subtotal": money(invoice.subtotal_minor),
            "discount": f"-{money(invoice.discount_minor)}" if invoice.discount_minor else "",
            "tax_label": (f"Tax ({rate_text(invoice.tax_rate_bp)}%)" if invoice.tax_rate_bp
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
            self.payments = [self._payment_row(p) for p in payment_service.invoice_payments(
                session, invoice_id=invoice.id)]
        self.found = True

    @staticmethod
    def _payment_row(p) -> dict[str, str]:
        money = lambda minor: format_money(minor, p.currency)  # noqa: E731
        return {
            "id": str(p.id), "number": p.receipt_number, "date": p.paid_at.date().isoformat(),
            "amount": money(p.amount_minor),
            "method": PaymentMethod.LABELS.get(p.method, p.method),
            "provider": p.provider,
            "refunded": money(p.refunded_minor) if p.refunded_minor else "",
            "flag": p.flag, "note": p.note,
            "can_refund": "yes" if p.amount_minor > p.refunded_minor else "",
            "refund_label": "Record refund" if p.provider == "offline" else "Refund",
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

    @rx.event
    def load(self):
        """on_load: ?id=<id> opens a document; ?new=invoice|estimate starts a draft."""
        self._reset()
        event, result = self._as_staff(lambda s, c: self._open(s))
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            self._reset()
            return [rx.redirect(routes.CONSOLE_INVOICES), rx.toast.error(result.message)]
        return None

    def _checked(self, action=None):
        """The staff check for handlers that only change this tab's form."""
        event, result = self._as_staff(action or (lambda s, c: None))
        return _refusal(event, result)

    # --- the draft form ---------------------------------------------------------------

    def _line_amount(self, line: dict[str, str]) -> tuple[int | None, str]:
        if not line["description"].strip() and not line["unit_price"].strip():
            return None, ""
        try:
            quantity = parse_quantity(line["quantity"])
            price = parse_amount(line["unit_price"], self._currency, what="a unit price")
        except ServiceError as exc:
            return None, exc.message
        return line_amount(quantity, price), ""

    def _recompute(self) -> None:
        """Line amounts and the totals preview, from the form as typed (no database)."""
        amounts, lines = [], []
        for n, line in enumerate(self.lines, start=1):
            amount, error = self._line_amount(line)
            if amount is not None:
                amounts.append(amount)
            lines.append({**line, "n": str(n), "error": error,
                          "amount": "" if amount is None else format_money(amount,
                                                                           self._currency)})
        self.lines = lines
        money = lambda minor: format_money(minor, self._currency)  # noqa: E731
        try:
            rate = parse_rate(self.draft.get("tax_rate"))
            discount = parse_amount(self.draft.get("discount"), self._currency,
                                    field="discount", what="a discount")
        except ServiceError:
            self.preview = {"subtotal": money(sum(amounts)), "discount": "", "tax_label": "Tax",
                            "tax": "—", "total": "—"}
            return
        subtotal, tax, total = totals(amounts, tax_rate_bp=rate, discount_minor=discount)
        self.preview = {"subtotal": money(subtotal),
                        "discount": f"-{money(discount)}" if discount else "",
                        "tax_label": f"Tax ({rate_text(rate)}%)" if rate else "Tax",
                        "tax": money(tax), "total": money(total)}

    @rx.event
    def set_field(self, field: str, value: str):
        """A draft field changed (client, dates, tax rate, discount, notes)."""
        def action(s, c):
            if not self.editable or field not in DRAFT_FIELDS:
                return
            self.draft = {**self.draft, field: _clip(field, value)}
            self.errors = {**self.errors, field: ""}
            if field in ("tax_rate", "discount"):
                self._recompute()

        return self._checked(action)

    @rx.event
    def set_line(self, key: str, field: str, value: str):
        """A line's description, quantity or unit price changed: recompute the preview."""
        def action(s, c):
            if not self.editable or field not in LINE_FIELDS:
                return
            self.lines = [{**ln, field: _clip(field, value)} if ln["key"] == str(key) else ln
                          for ln in self.lines]
            self.errors = {**self.errors, "lines": ""}
            self._recompute()

        return self._checked(action)

    @rx.event
    def find_clients(self, form: dict):
        """Narrow the client picker to names or emails matching the search."""
        def action(s, c):
            if self.editable:
                self._load_clients(s, " ".join(str(form.get("client_search", "") or "")
                                                   .split())[:100])

        return self._checked(action)

    @rx.event
    def add_line(self):
        def action(s, c):
            if self.editable and len(self.lines) < MAX_LINES:
                self.lines = [*self.lines, self._line()]
                self._recompute()

        return self._checked(action)

    @rx.event
    def remove_line(self, key: str):
        def action(s, c):
            if not self.editable:
                return
            self.lines = [ln for ln in self.lines if ln["key"] != str(key)] or [self._line()]
            self._recompute()

        return self._checked(action)

    def _save(self, session, ctx):
        form = {**{name: self.draft.get(name, "") for name in DRAFT_FIELDS}, "kind": self._kind}
        lines = [{name: ln[name] for name in LINE_FIELDS} for ln in self.lines]
        if not self.is_new:
            form.pop("kind")
        return invoice_service.save_draft(session, staff_id=ctx.staff_id,
                                          invoice_id=None if self.is_new else self._invoice_id,
                                          form=form, lines=lines)

    def _show_refusal(self, exc: ServiceError):
        """A field's refusal goes next to the field; any other as a toast."""
        if exc.field in ERROR_KEYS:
            self.errors = {**self.errors, exc.field: exc.message}
            return None
        return rx.toast.error(exc.message)

    def _precheck(self) -> bool:
        """What the page can say before the database is asked (the service checks again)."""
        self.errors = _no_errors()
        if not self.draft.get("client_id"):
            self.errors = {**self.errors, "client_id": "Choose a client."}
            return False
        return True

    @rx.event
    def save(self):
        """Save draft: create it (a new one gets its number and its own URL) or change it."""
        def action(s, c):
            if not self.editable:
                raise ServiceError("Only drafts can be changed.")
            if not self._precheck():
                return None
            invoice = self._save(s, c)
            self._after_write(s, invoice)
            return invoice

        event, result = self._as_staff(action)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            return self._show_refusal(result)
        if result is None:
            return None
        if self.is_new:
            self._saved_new(result)
            return [rx.redirect(routes.console_invoice(result.id)),
                    rx.toast.success(f"Draft {result.number} saved.")]
        return rx.toast.success("Draft saved.")

    def _saved_new(self, invoice) -> None:
        """A new document now exists: a second click before the redirect lands must
        change it, not create another one."""
        self._invoice_id = invoice.id
        self.is_new = False
        self.editable = invoice.status == InvoiceStatus.DRAFT

    def _after_write(self, session, invoice) -> None:
        """Show what was stored (a new document is shown after the redirect to its URL)."""
        if not self.is_new:
            self.version += 1
            self._fill(session)

    @rx.event
    def set_send_open(self, value: bool):
        def action(s, c):
            self.send_open = bool(value) and self.found
            self.errors = {**self.errors, "message": ""}

        return self._checked(action)

    @rx.event
    def send(self, form: dict):
        """Send to client (a draft is saved first, in the same transaction) or send again."""
        message = str(form.get("message", "") or "")[:2100]
        sending_draft = self.editable

        def action(s, c):
            if not self.found:
                raise ServiceError(invoice_service.NO_INVOICE)
            if sending_draft:
                if not self._precheck():
                    return None
                invoice = self._save(s, c)
            else:
                invoice = invoice_service.get_invoice(s, invoice_id=self._invoice_id)
            invoice = invoice_service.send_invoice(s, staff_id=c.staff_id, invoice_id=invoice.id,
                                                   base_url=get_settings().base_url,
                                                   message=message)
            self._after_write(s, invoice)
            return invoice

        event, result = self._as_staff(action)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            if result.field != "message":
                self.send_open = False
            return self._show_refusal(result)
        self.send_open = False
        if result is None:
            return None
        what = _title(result.kind).lower()
        done = rx.toast.success(f"The {what} was sent to the client." if sending_draft
                                else f"The {what} was sent again.")
        if self.is_new:
            self._saved_new(result)
            return [rx.redirect(routes.console_invoice(result.id)), done]
        return done

    @rx.event
    def delete_draft(self):
        """Delete draft (a new, unsaved one is simply dropped)."""
        def action(s, c):
            if self.is_new or not self._invoice_id:
                return None
            return invoice_service.delete_draft(s, staff_id=c.staff_id,
                                                invoice_id=self._invoice_id)

        event, result = self._as_staff(action)
        refused = _refusal(event, result)
        if refused is not None:
            return refused
        self._reset()
        return [rx.redirect(routes.CONSOLE_INVOICES), rx.toast.success("Draft deleted.")]

    # --- a sent document --------------------------------------------------------------

    @rx.event
    def void(self):
        def action(s, c):
            if not self._invoice_id:
                return None
            return invoice_service.void_invoice(s, staff_id=c.staff_id,
                                                invoice_id=self._invoice_id)

        event, result = self._as_staff(action, refresh=self._refresh_view)
        refused = _refusal(event, result)
        if refused is not None or result is None:
            return refused
        return rx.toast.success(f"{result.number} is void.")

    def _refresh_view(self, session) -> None:
        if self._invoice_id:
            self._fill(session)

    @rx.event
    def open_payment(self):
        """Record payment: the dialog, with the current balance as the amount."""
        def action(s, c):
            self._refresh_view(s)
            if self.inv.get("can_pay") != "yes":
                raise ServiceError("Payments can be recorded only on a sent invoice "
                                   "with a balance.")
            invoice = invoice_service.get_invoice(s, invoice_id=self._invoice_id)
            self.payment_defaults = {
                "amount": decimal_text(invoice.balance_minor, invoice.currency),
                "method": PaymentMethod.CASH, "paid_on": self._today(s).isoformat(), "note": ""}
            self.payment_error = ""
            self.payment_open = True

        return self._checked(action)

    @rx.event
    def set_payment_open(self, value: bool):
        def action(s, c):
            self.payment_open = bool(value) and self.inv.get("can_pay") == "yes"
            self.payment_error = ""

        return self._checked(action)

    @rx.event
    def record_payment(self, form: dict):
        """Cash, bank transfer, check or other: at most the balance; a receipt is emailed."""
        self.payment_error = ""
        data = {key: str(form.get(key, "") or "")[:600]
                for key in ("amount", "method", "paid_on", "note")}

        def action(s, c):
            if not self._invoice_id:
                return None
            return payment_service.record_offline_payment(
                s, staff_id=c.staff_id, invoice_id=self._invoice_id, form=data,
                base_url=get_settings().base_url)

        event, result = self._as_staff(action, refresh=self._refresh_view)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            if result.field:
                self.payment_error = result.message
                return None
            self.payment_open = False
            return rx.toast.error(result.message)
        if result is None:
            return None
        self.payment_open = False
        return rx.toast.success(f"Payment recorded: receipt {result.receipt_number}.")

    def _invoice_payment(self, session, payment_id: object):
        """A payment of the invoice on this page; any other id is refused."""
        for payment in payment_service.invoice_payments(session, invoice_id=self._invoice_id):
            if str(payment.id) == str(payment_id):
                return payment
        raise ServiceError(payment_service.NO_PAYMENT)

    @rx.event
    def open_refund(self, payment_id: str):
        """The refund dialog for one payment of this invoice: at most what is refundable."""
        def action(s, c):
            if not self._invoice_id:
                raise ServiceError(payment_service.NO_PAYMENT)
            payment = self._invoice_payment(s, payment_id)
            left = refund_service.refundable(s, payment)
            if left <= 0:
                raise ServiceError("This payment is already fully refunded.")
            offline = payment.provider == "offline"
            self._refund_payment_id = payment.id
            self.refund_info = {
                "receipt": payment.receipt_number, "amount": decimal_text(left, payment.currency),
                "left": format_money(left, payment.currency), "currency": payment.currency,
                "offline": "yes" if offline else "",
                "button": "Record refund" if offline else "Refund",
            }
            self.refund_error = ""
            self.refund_open = True

        return self._checked(action)

    @rx.event
    def set_refund_open(self, value: bool):
        def action(s, c):
            self.refund_open = bool(value) and self._refund_payment_id != 0
            self.refund_error = ""

        return self._checked(action)

    @rx.event
    async def refund(self, form: dict):
        """Refund: reserve the amount (committed), ask the provider (Stripe or test
        mode) outside any transaction, then apply it; offline payments are only
        recorded (staff returned the money themselves)."""
        self.refund_error = ""
        data = {"amount": str(form.get("amount", "") or "")[:40],
                "reason": str(form.get("reason", "") or "")[:300]}
        gateway = None

        def prepare(s, c):
            nonlocal gateway
            if not self._invoice_id or not self._refund_payment_id:
                raise ServiceError(payment_service.NO_PAYMENT)
            payment = self._invoice_payment(s, self._refund_payment_id)
            online = payment.provider in ONLINE_PROVIDERS
            if online:
                gateway = select_gateway(get_settings())
            if online and (gateway is None or gateway.name != payment.provider):
                raise ServiceError("Refunds of this payment need its payment provider "
                                   f"({payment.provider}), which is not set up now.")
            refund = refund_service.prepare_refund(s, staff_id=c.staff_id,
                                                    payment_id=payment.id, form=data)
            return {"refund_id": refund.id, "amount": refund.amount_minor, "online": online,
                    "intent": payment.payment_intent_id, "staff_id": c.staff_id}

        event, result = self._as_staff(prepare)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            if result.field:
                self.refund_error = result.message
                return None
            self.refund_open = False
            return rx.toast.error(result.message)
        provider_refund_id = None
        if result["online"]:
            try:
                provider_refund_id = await asyncio.to_thread(
                    gateway.refund, payment_intent_id=result["intent"],
                    amount_minor=result["amount"], idempotency_key=f"refund-{result['refund_id']}",
                    metadata={"portal_refund_id": str(result["refund_id"])})
            except Exception as exc:  # noqa: BLE001 - any failure must release the reservation
                if isinstance(exc, PaymentProviderError):
                    message = exc.message
                else:
                    log.exception("refund %s failed", result["refund_id"])
                    message = "The refund could not be made. Please try again later."
                self._end_refund(result, None, abandon=True)
                self.refund_error = message
                return rx.toast.error(message)
        # The money has moved (or was returned by hand): record it even if the staff
        # session ended in between, or the amount would stay reserved.
        self._end_refund(result, provider_refund_id, abandon=False)
        self.refund_open = False
        self._refund_payment_id = 0
        return rx.toast.success("Refund recorded." if not result["online"] else "Refunded.")

    def _end_refund(self, prepared: dict, provider_refund_id, *, abandon: bool) -> None:
        """Step 2 of a refund the staff member started in `refund` (checked there)."""
        with session_scope() as session:
            if abandon:
                refund_service.abandon_refund(session, refund_id=prepared["refund_id"])
            else:
                refund_service.finish_refund(session, refund_id=prepared["refund_id"],
                                              provider_refund_id=provider_refund_id,
                                              staff_id=prepared["staff_id"])
            self._refresh_view(session)
