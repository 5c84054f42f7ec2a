"""Console settings, billing: the day of the month last month's statements are
e-mailed by themselves (0 = off; 1–28 in the business's zone; jobs.py sends them)."""

from __future__ import annotations

import reflex as rx

from portal_app.services.billing import statement_sends
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from state.guards import staff_event
from state.staff_session import StaffState

# (value, label) for the select: Off, then 1–28 (every month has them).
AUTO_DAY_CHOICES = [("0", "Off"), *[(str(d), str(d)) for d in statement_sends.AUTO_DAYS[1:]]]


class StatementSettingsState(StaffState):
    auto_day: str = "0"
    auto_day_error: str = ""
    zone: str = ""

    def _fill(self, session) -> None:
        business = get_business(session)
        self.auto_day = str(business.statement_auto_day or 0)
        self.zone = business.timezone or "UTC"

    def _auto_day_refused(self, exc: ServiceError) -> None:
        self.auto_day_error = self._tr(exc.message)

    @staff_event
    def load(self, session, ctx):
        self.auto_day_error = ""
        self._fill(session)

    @staff_event(on_error="_auto_day_refused")
    def save_auto_day(self, session, ctx, form: dict):
        """Save the monthly statements' day; a value not in the list is refused beside it."""
        self.auto_day_error = ""
        day = statement_sends.set_statement_auto_day(session, staff_id=ctx.staff_id,
                                                     day=form.get("statement_auto_day"))
        self._fill(session)
        return rx.toast.success(self._tr(
            "Monthly statements are off." if day == 0 else "Monthly statements saved."))
