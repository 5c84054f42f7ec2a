"""/payments/statements: the selected client record's statement for this month, last
month or a custom range; Print, Download PDF, and Pay balance per currency.

Every handler runs the session check and needs "access billing documents"
(`client_event(feature="billing")`); the statement is always the selected record's
(`ctx.client_id`, never an id from the browser). Pay balance also needs "pay
outstanding balance"; the invoices and the amount are the server's
(services/billing/balance.py). The texts come formatted from
services/billing/statements/view.py, the same the PDF prints.
"""

from __future__ import annotations

from datetime import date

import reflex as rx

from portal_app import routes
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.billing import balance as balance_service
from portal_app.services.billing.checkout import PAY_UNAVAILABLE
from portal_app.services.billing.links import statement_pdf_url
from portal_app.services.billing.statements import (
    last_month,
    parse_range,
    statement,
    this_month,
)
from portal_app.services.billing.statements.view import statement_view
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from state.assign import assign_changed
from state.guards import client_event, client_refusal
from state.payments import UNAVAILABLE
from state.session import ClientState

MODES = ("this_month", "last_month", "custom")


def statement_rows(view) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The page's flat table rows (a heading per currency when there are several, the
    opening, each line, the closing) and one summary per currency."""
    rows: list[dict[str, str]] = []
    summaries: list[dict[str, str]] = []
    several = len(view.currencies) > 1
    blank = {"date": "", "description": "", "detail": "", "amount": "", "balance": "",
             "invoice_id": "", "kind": ""}
    for cur in view.currencies:
        if several:
            rows.append({**blank, "type": "heading", "description": cur.currency})
        rows.append({**blank, "type": "opening", "balance": cur.opening})
        rows += [{"type": "line", "date": ln.date, "description": ln.description,
                  "detail": ln.detail, "amount": ln.amount, "balance": ln.balance,
                  "invoice_id": str(ln.invoice_id), "kind": ln.kind} for ln in cur.lines]
        rows.append({**blank, "type": "closing", "balance": cur.closing})
        summary = {"currency": cur.currency, "opening": cur.opening, "closing": cur.closing,
                   "charges": cur.charges, "payments": cur.payments, "refunds": cur.refunds,
                   "voids": cur.voids, "credit": cur.credit, "aging_total": cur.aging_total,
                   "owed": "yes" if cur.closing_minor > 0 else ""}
        summary.update({f"aging_{n}": amount for n, (_label, amount) in enumerate(cur.aging)})
        summaries.append(summary)
    return rows, summaries


class StatementsState(ClientState):
    mode: str = "this_month"
    start_text: str = ""
    end_text: str = ""
    start_error: str = ""
    end_error: str = ""
    period: str = ""
    zone_note: str = ""
    rows: list[dict[str, str]] = []
    summaries: list[dict[str, str]] = []
    unapplied: list[str] = []
    pdf_url: str = ""
    can_pay: bool = False
    superbills: bool = False
    notice: str = ""
    busy: bool = False
    _start: str = ""
    _end: str = ""

    def _range_for(self, mode: str) -> tuple[date, date]:
        if mode == "last_month":
            return last_month(self._tz)
        if mode == "custom" and self._start and self._end:
            return date.fromisoformat(self._start), date.fromisoformat(self._end)
        return this_month(self._tz)

    def _fill(self, session, ctx, start: date, end: date) -> None:
        """The selected record's statement from `start` to `end` (raises ServiceError
        for a bad range before anything on the page changes)."""
        stmt = statement(session, client_id=ctx.client_id, start=start, end=end, zone=self._tz)
        view = statement_view(stmt, self._lang)
        rows, summaries = statement_rows(view)
        business = ctx.business or get_business(session)
        # Only what changed: the same statement opened again sends nothing again.
        assign_changed(self, {
            "_start": start.isoformat(), "_end": end.isoformat(),
            "start_text": start.isoformat(), "end_text": end.isoformat(),
            "start_error": "", "end_error": "", "period": view.period,
            "zone_note": view.zone_note, "rows": rows, "summaries": summaries,
            "unapplied": list(view.unapplied),
            "pdf_url": statement_pdf_url(ctx.client_id, start, end),
            "can_pay": ctx.access.pay, "superbills": bool(business.superbills_enabled)})

    def _range_error(self, exc: ServiceError) -> None:
        """A bad custom range: the message beside its field; the statement shown stays."""
        message = self._tr(exc.message)
        self.start_error = message if exc.field != "end" else ""
        self.end_error = message if exc.field == "end" else ""

    @client_event(feature="billing", unavailable=UNAVAILABLE, page=True)
    def load(self, session, ctx):
        """on_load: this month (or the range chosen before); ?paid=1 / ?cancelled=1 when
        back from Pay balance's checkout."""
        query = self.router.url.query_parameters
        if self.mode not in MODES:
            self.mode = "this_month"
        start, end = self._range_for(self.mode)
        self._fill(session, ctx, start, end)
        notice = ""
        if query.get("paid") == "1":
            notice = self._tr("Payment received. Thank you!")
        elif query.get("cancelled") == "1":
            notice = self._tr("The payment was cancelled. Nothing was charged.")
        assign_changed(self, {"busy": False, "notice": notice})

    def _live_refresh(self):
        """A payment arrived (webhook) or staff changed an invoice: show it at once."""
        if not self._start:
            return None
        with session_scope() as session:
            ctx, leave = self._live_client(session, "billing", UNAVAILABLE)
            if ctx is not None:
                self._fill(session, ctx, date.fromisoformat(self._start),
                           date.fromisoformat(self._end))
        return leave

    @client_event(feature="billing", unavailable=UNAVAILABLE)
    def choose_range(self, session, ctx, mode: str):
        """This month / Last month show at once; Custom shows the two date fields."""
        mode = str(mode)
        if mode not in MODES:
            return None
        self.mode = mode
        if mode == "custom":
            self.start_error = self.end_error = ""
            return None
        start, end = self._range_for(mode)
        self._fill(session, ctx, start, end)
        return None

    @client_event(feature="billing", unavailable=UNAVAILABLE, on_error="_range_error")
    def show_custom(self, session, ctx, form: dict):
        """Show a custom range: two dates (YYYY-MM-DD), refused beside the field."""
        form = form if isinstance(form, dict) else {}
        self.start_text = str(form.get("start") or "")[:32]
        self.end_text = str(form.get("end") or "")[:32]
        start, end = parse_range(self.start_text, self.end_text)
        self.mode = "custom"
        self._fill(session, ctx, start, end)

    @rx.event
    async def pay_balance(self, currency: str):
        """Pay balance: one checkout for every open invoice of the selected record in
        `currency`, oldest first; the amount is the server's sum of their balances."""
        with session_scope() as session:
            ctx = self._client(session)
            refused = client_refusal(self, ctx, feature="billing", unavailable=UNAVAILABLE)
            if refused is not None:
                return refused
            if not ctx.access.pay:
                return rx.toast.error(self._tr(PAY_UNAVAILABLE))
            client_id, email = ctx.client_id, ctx.email
        current = providers.current()
        self.busy = True
        try:
            opened = await balance_service.start_balance_checkout(
                current.gateway, client_id=client_id, customer_email=email,
                currency=str(currency or "")[:3], tab_token=self.router.session.client_token,
                base_url=current.settings.base_url)
        except ServiceError as exc:
            self.busy = False
            return rx.toast.error(self._tr(exc.message))
        self.busy = False
        return rx.redirect(opened.url)

    @rx.event
    def go_tab(self, tab: str):
        """The Payments tab bar from this page: Open, Paid, Superbills."""
        if tab == "superbills":
            return rx.redirect(routes.PAYMENTS_SUPERBILLS)
        return rx.redirect(f"{routes.PAYMENTS}?tab={'paid' if tab == 'paid' else 'open'}")
