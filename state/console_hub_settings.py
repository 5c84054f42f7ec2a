"""Console → Portal settings → "Apps": which optional hub apps are on, the landing
app after sign-in, and "Allow several client records per email"
(services/hub/settings.py). Turning an app off hides it from every open tab at
once (a live push), and every app handler refuses it from the next event."""

import reflex as rx

from portal_app import apps
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.hub import settings as hub_settings
from state.guards import staff_event
from state.staff_session import StaffState

# (key, English label) for the page: the optional apps, and every app as a landing.
OPTIONAL_APPS = [(a.key, a.label) for a in apps.APPS if a.key in apps.OPTIONAL_APP_KEYS]
LANDING_CHOICES = [(a.key, "Portal (dashboard)" if a.key == apps.PORTAL else a.label)
                   for a in apps.APPS]

__all__ = ["LANDING_CHOICES", "OPTIONAL_APPS", "HubSettingsState"]


class HubSettingsState(StaffState):
    apps_on: dict[str, bool] = {key: False for key, _ in OPTIONAL_APPS}
    landing_app: str = apps.PORTAL
    several_records: bool = False
    hub_error: str = ""

    def _fill(self, session) -> None:
        b = get_business(session)
        on = set(b.apps_enabled or [])
        self.apps_on = {key: key in on for key, _ in OPTIONAL_APPS}
        self.landing_app = b.landing_app or apps.PORTAL
        self.several_records = bool(b.allow_several_records_per_email)

    def _hub_refused(self, exc: ServiceError) -> None:
        self.hub_error = self._tr(exc.message)

    @staff_event
    def load(self, session, ctx):
        self.hub_error = ""
        self._fill(session)

    @staff_event(on_error="_hub_refused")
    def save_hub(self, session, ctx, form: dict):
        """Save the apps, the landing app and the several-records setting together."""
        self.hub_error = ""
        hub_settings.update_hub_settings(session, staff_id=ctx.staff_id,
                                         form=form if isinstance(form, dict) else {})
        self._everyone_changed()
        self._fill(session)
        return rx.toast.success(self._tr("Apps saved."))
