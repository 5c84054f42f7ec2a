"""/console/invoices: "Send statements for <month>": every client with activity in
the chosen month (on the business's calendar) is e-mailed that their statement is
ready, once: a double click or a second run finds the claims taken and sends
nothing more (services/billing/statement_sends.py).

The months offered are this one and the eleven before it; the month comes back
from the browser as text and is parsed and checked against that list on the server.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from portal_app.i18n import formats
from portal_app.services.billing import statement_sends
from portal_app.services.billing.dates import business_today
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_format import lang
from state.guards import refusal, staff_event
from state.staff_session import StaffState

MONTHS_OFFERED = 12
RESULT = "Sent {sent}, skipped {skipped} (no consent), {already} already sent."
NO_ADDRESS = "{count} with activity have no email address."
NOT_OFFERED = "Choose one of the months in the list."


class StatementSendState(StaffState):
    month: str = ""  # "2026-11"
    month_label: str = ""
    months: list[dict[str, str]] = []  # value, label
    month_error: str = ""
    result: str = ""
    result_note: str = ""

    def _fill(self, session) -> None:
        months = statement_sends.recent_months(business_today(get_business(session)),
                                               MONTHS_OFFERED)
        self.months = [{"value": statement_sends.month_key(m), "label": formats.month_text(m, lang())}
                       for m in months]
        if self.month not in {m["value"] for m in self.months}:
            self.month = self.months[1]["value"]  # last month: the usual one to send
        self.month_label = next(m["label"] for m in self.months if m["value"] == self.month)

    def _month_refused(self, exc: ServiceError) -> None:
        self.month_error = self._tr(exc.message)

    @staff_event
    def load(self, session, ctx):
        """on_load of the invoice list: the months staff may send statements for."""
        self.month_error = self.result = self.result_note = ""
        self._fill(session)

    @staff_event(on_error="_month_refused")
    def choose_month(self, session, ctx, value: str):
        self._pick(session, value)

    def _pick(self, session, value: object):
        self.month_error = ""
        period = statement_sends.parse_month(value)
        self._fill(session)
        if statement_sends.month_key(period) not in {m["value"] for m in self.months}:
            raise ServiceError(NOT_OFFERED, field="month")
        self.month = statement_sends.month_key(period)
        self._fill(session)
        return period

    @rx.event
    async def send(self):
        """Send the chosen month's statements; says how many went, and why others did not.
        The staff check and the month first; then the sends, one client per transaction,
        in a worker thread (a few hundred clients take seconds: the event loop must not
        wait for them)."""
        event, checked = self._as_staff(
            lambda session, ctx: (self._pick(session, self.month), ctx.staff_id))
        if event is not None:
            return event
        if isinstance(checked, ServiceError):
            return refusal(self, checked, "_month_refused")
        period, staff_id = checked
        report = await asyncio.to_thread(
            statement_sends.send_month_in_steps, period_start=period,
            trigger=statement_sends.BULK, base_url=get_settings().base_url, staff_id=staff_id)
        self.result = self._tr(RESULT.format(sent=report.sent, skipped=report.no_consent,
                                             already=report.already))
        self.result_note = (self._tr(NO_ADDRESS.format(count=report.no_email))
                            if report.no_email else "")
        return rx.toast.success(self.result)
