"""Console: the Statement section of a client's page (/console/client?id=<id>): this
month, last month or typed dates; the statement per currency (opening, lines with
the running balance and what each payment paid, closing, aging); "Download PDF"
and "Send statement".

The client is a backend var set by `load` from the page's `id` (checked to exist);
the range is kept on the server too, so "Send statement" e-mails exactly what is
shown. Every handler is a `staff_event`: any signed-in staff may see and send a
client's billing documents, as with invoices. Days are shown on the console's
calendar (the staff member's zone, else the business's), which the section names.
"""

from __future__ import annotations

from datetime import date

import reflex as rx

from portal_app.i18n import formats
from portal_app.services import clients
from portal_app.services.billing import statement_sends
from portal_app.services.billing.statements import (
    CurrencyStatement,
    LineKind,
    Statement,
    last_month,
    parse_range,
    statement,
    this_month,
)
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.settings import get_settings
from state.console_format import console_zone, lang, tr
from state.guards import staff_event
from state.staff_session import StaffState

THIS_MONTH, LAST_MONTH, CUSTOM = "this_month", "last_month", "custom"
RANGE_CHOICES = [(THIS_MONTH, "This month"), (LAST_MONTH, "Last month"), (CUSTOM, "Custom dates")]
PDF_ROUTE = "/api/console/statements/{client_id}.pdf?start={start}&end={end}"
NO_CLIENT = "Open a client first."
WITHHELD = ("Not sent: Email OK is off for this client, or for another client record at "
            "{to}. The statement is still in their portal.")


def pdf_url(client_id: int, start: date, end: date) -> str:
    return PDF_ROUTE.format(client_id=client_id, start=start.isoformat(), end=end.isoformat())


def _money(minor: int, currency: str) -> str:
    return format_money(minor, currency, lang())


def _day(day: date | None) -> str:
    return formats.date_text(day, lang()) if day else ""


def _row(kind: str, *, day: str = "", text: str = "", detail: str = "", amount: str = "",
         balance: str = "") -> dict[str, str]:
    return {"kind": kind, "day": day, "text": text, "detail": detail, "amount": amount,
            "balance": balance}


def _line_rows(part: CurrencyStatement) -> list[dict[str, str]]:
    code = part.currency
    rows = []
    for line in part.lines:
        if line.kind == LineKind.INVOICE:
            text = tr("Invoice {number}", number=line.invoice_number)
            detail = tr("Due {day}", day=_day(line.due_date)) if line.due_date else ""
        elif line.kind == LineKind.PAYMENT:
            text = tr("Payment {receipt}", receipt=line.receipt_number)
            paid = [tr("Paid {invoice}: {amount}", invoice=a.invoice_number,
                       amount=_money(a.amount_minor, code)) for a in line.allocations]
            if line.credit_minor:
                paid.append(tr("Credit: {amount}", amount=_money(line.credit_minor, code)))
            detail = "; ".join(paid)
        elif line.kind == LineKind.REFUND:
            text = tr("Refund of {receipt}", receipt=line.receipt_number)
            detail = tr("On {invoice}", invoice=line.invoice_number)
        else:
            text = tr("Invoice {number} voided", number=line.invoice_number)
            detail = ""
        rows.append(_row("line", day=_day(line.day), text=text, detail=detail,
                         amount=_money(line.amount_minor, code),
                         balance=_money(line.balance_minor, code)))
    return rows


def statement_rows(shown: Statement) -> list[dict[str, str]]:
    """One table: per currency a heading, the opening balance, the lines, the closing."""
    rows = []
    for part in shown.currencies:
        code = part.currency
        rows.append(_row("currency", text=code))
        rows.append(_row("total", day=_day(shown.start), text=tr("Opening balance"),
                         balance=_money(part.opening_minor, code)))
        rows.extend(_line_rows(part))
        rows.append(_row("total", day=_day(shown.end), text=tr("Closing balance"),
                         balance=_money(part.closing_minor, code)))
    for other in shown.unapplied:
        rows.append(_row(
            "unapplied", day=_day(other.day),
            text=tr("Payment {receipt} in {currency} on {invoice}", receipt=other.receipt_number,
                    currency=other.currency, invoice=other.invoice_number),
            detail=tr("Not counted toward the invoice (another currency)"),
            amount=_money(other.amount_minor, other.currency)))
    return rows


def aging_rows(shown: Statement) -> list[dict[str, str]]:
    return [{"currency": p.currency,
             "current": _money(p.aging.current_minor, p.currency),
             "d1_30": _money(p.aging.days_1_30_minor, p.currency),
             "d31_60": _money(p.aging.days_31_60_minor, p.currency),
             "d61_90": _money(p.aging.days_61_90_minor, p.currency),
             "over_90": _money(p.aging.over_90_minor, p.currency),
             "total": _money(p.aging.total_minor, p.currency),
             "credit": _money(p.credit_minor, p.currency) if p.credit_minor else ""}
            for p in shown.currencies]


class ClientStatementState(StaffState):
    """The Statement section of the client page; `load` reads the page's `?id=`."""

    range_kind: str = THIS_MONTH
    start_text: str = ""  # the custom fields' values (YYYY-MM-DD)
    end_text: str = ""
    start_error: str = ""
    end_error: str = ""
    period: str = ""
    zone: str = ""
    rows: list[dict[str, str]] = []
    aging: list[dict[str, str]] = []
    pdf_url: str = ""
    send_note: str = ""  # the outbox held the e-mail back (Email OK off)
    _client_id: int = 0
    _start: str = ""
    _end: str = ""

    def _clear(self) -> None:
        self._client_id = 0
        self._start = self._end = ""
        self.range_kind = THIS_MONTH
        self.start_text = self.end_text = self.start_error = self.end_error = ""
        self.period = self.zone = self.pdf_url = self.send_note = ""
        self.rows, self.aging = [], []

    def _show(self, session, start: date, end: date) -> None:
        """Compute and show the statement (refused beside the fields: nothing changes)."""
        zone = console_zone(session)
        shown = statement(session, client_id=self._client_id, start=start, end=end, zone=zone)
        self._start, self._end = start.isoformat(), end.isoformat()
        self.start_text, self.end_text = self._start, self._end
        self.start_error = self.end_error = self.send_note = ""
        self.zone = zone
        self.period = f"{_day(start)} – {_day(end)}"
        self.rows = statement_rows(shown)
        self.aging = aging_rows(shown)
        self.pdf_url = pdf_url(self._client_id, start, end)

    def _range(self, session) -> tuple[date, date]:
        if not self._client_id or not self._start:
            raise ServiceError(NO_CLIENT)
        return date.fromisoformat(self._start), date.fromisoformat(self._end)

    def _no_client(self, exc: ServiceError) -> None:
        """`load` for a client that does not exist: the client page itself says so."""
        self._clear()

    def _range_refused(self, exc: ServiceError) -> None:
        message = self._tr(exc.message)
        self.start_error = message if exc.field != "end" else ""
        self.end_error = message if exc.field == "end" else ""

    @staff_event(on_error="_no_client")
    def load(self, session, ctx):
        """on_load of the client page: this month's statement of the page's client."""
        self._clear()
        raw = self.router.url.query_parameters.get("id", "")
        self._client_id = clients.get_client(session, client_id=raw).id
        self._show(session, *this_month(console_zone(session)))

    @staff_event(on_error="_range_refused")
    def show_range(self, session, ctx, kind: str | list[str]):
        """This month or last month (in the console's zone); "custom" opens the fields."""
        self._range(session)
        kind = kind[0] if isinstance(kind, list) and kind else kind
        zone = console_zone(session)
        if kind == CUSTOM:
            self.range_kind = CUSTOM
            return None
        if kind not in (THIS_MONTH, LAST_MONTH):
            return None
        self.range_kind = kind
        self._show(session, *(this_month(zone) if kind == THIS_MONTH else last_month(zone)))
        return None

    @staff_event(on_error="_range_refused")
    def show_custom(self, session, ctx, form: dict):
        """Typed dates: a bad one is refused beside its field and nothing changes."""
        self._range(session)
        self.range_kind = CUSTOM
        start, end = parse_range(form.get("start"), form.get("end"))
        self._show(session, start, end)

    @staff_event
    def send_statement(self, session, ctx):
        """E-mail the client that the statement shown is ready (a link, no attachment)."""
        start, end = self._range(session)
        done = statement_sends.send_statement(
            session, staff_id=ctx.staff_id, client_id=self._client_id, start=start, end=end,
            base_url=get_settings().base_url)
        if not done.queued:
            self.send_note = tr(WITHHELD, to=done.to)
            return rx.toast.warning(self._tr("The statement e-mail was held back."))
        self.send_note = ""
        return rx.toast.success(tr("Statement e-mailed to {to}.", to=done.to))
