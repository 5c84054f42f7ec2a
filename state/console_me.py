"""The staff member's own console settings (a card on Portal settings): the zone the
console shows times in. The language is chosen in the console header."""

import reflex as rx

from portal_app.services import staff_prefs
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from state.console_zones import ZoneChoiceVars
from state.guards import staff_event
from state.staff_session import StaffState


class ConsoleMeState(ZoneChoiceVars, StaffState):
    my_timezone: str = ""
    business_timezone: str = ""
    my_zone_error: str = ""

    @staff_event
    def load(self, session, ctx):
        self.my_timezone = ctx.timezone
        self.business_timezone = get_business(session).timezone or "UTC"
        self.my_zone_error = ""
        self._fill_zones()

    def _zone_refused(self, exc: ServiceError) -> None:
        self.my_zone_error = self._tr(exc.message)

    @staff_event(on_error="_zone_refused")
    def save_my_zone(self, session, ctx, form: dict):
        """Save this staff member's own zone ("" = the business's); every console time
        follows it from the next page load."""
        self.my_zone_error = ""
        self.my_timezone = staff_prefs.set_staff_timezone(
            session, staff_id=ctx.staff_id, timezone=form.get("timezone", ""))
        return rx.toast.success(self._tr("Your time zone is saved."))
