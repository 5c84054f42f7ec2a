"""Profile: the client edits the selected record's name, mobile, time zone,
language and email notification choices; downloads their data; asks to
close the account. (The browser's time zone is read once, on the dashboard:
see DashboardState; "Use my device's zone" reads it again here.)

The record is always the one the session has selected: no handler takes a
client id from the browser.
"""

from zoneinfo import ZoneInfo

import reflex as rx

from models import NotificationKind
from portal_app.i18n import formats
from portal_app.services import notifications, profile, timezones
from portal_app.services.booking_notices import client_zone
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.profile import OPTIONAL_EMAILS, ProfileErrors
from portal_app.settings import get_settings
from state.client_pages import BROWSER_ZONE_JS
from state.console_zones import ZoneChoiceVars
from state.guards import client_event
from state.session import ClientState

# What the page shows, from the services (pages import state, not services).
__all__ = ["NotificationKind", "ProfileState"]
FIELD_ERRORS = ("full_name", "mobile", "timezone", "language")


class ProfileState(ZoneChoiceVars, ClientState):
    # `zone_options` (ZoneChoiceVars) is sent when the zone field is first focused
    # (`show_zones`), then worded again with each change of language.
    full_name: str = ""
    mobile: str = ""
    timezone: str = ""
    language: str = ""
    full_name_error: str = ""
    mobile_error: str = ""
    timezone_error: str = ""
    language_error: str = ""
    email_kinds: dict[str, bool] = {}
    closure_requested_on: str = ""
    closure_reason: str = ""
    closure_error: str = ""
    closure_open: bool = False
    form_key: int = 0

    def _clear_errors(self) -> None:
        for name in FIELD_ERRORS:
            setattr(self, f"{name}_error", "")

    def _fill(self, session, ctx) -> None:
        """The saved values; the forms are drawn anew from them (so old field errors go)."""
        self._clear_errors()
        client = profile.get_profile(session, client_id=ctx.client_id)
        business = ctx.business or get_business(session)
        self.full_name = client.full_name
        self.mobile = client.mobile
        # An old alias ("Asia/Calcutta") shows as the zone it names.
        saved_zone = client_zone(client, business)
        self.timezone = timezones.canonical_zone(saved_zone) or saved_zone
        self.language = self._lang  # the record's choice, else what the pages show
        if self.zone_options:  # shown already: worded again in the language now
            self._fill_zones()
        chosen = notifications.email_preferences(client)
        self.email_kinds = {k: k in chosen for k in NotificationKind.ALL}
        self.closure_reason = client.closure_reason
        self.closure_requested_on = (
            formats.date_text(client.closure_requested_at.astimezone(ZoneInfo(self.timezone)),
                              self.language)
            if client.closure_requested_at else "")
        self.form_key += 1

    @client_event(page=True)
    def load(self, session, ctx):
        self._clear_errors()
        self.closure_error = ""
        self._fill(session, ctx)

    @client_event
    def show_zones(self, session, ctx):
        """The zone list, when the field is first focused: ~420 rows that a phone
        would otherwise receive and draw with every opening of the page."""
        self._fill_zones()

    def _profile_refused(self, exc: ServiceError):
        """Bad fields are shown beside each field; anything else as a toast."""
        if isinstance(exc, ProfileErrors):
            for name, message in exc.errors.items():
                setattr(self, f"{name}_error", self._tr(message))
            return None
        return rx.toast.error(self._tr(exc.message))

    @client_event(on_error="_profile_refused")
    def save_profile(self, session, ctx, form: dict):
        """Name, mobile, time zone and language of the selected record. The
        interface switches to the saved language at once."""
        self._clear_errors()
        form = form if isinstance(form, dict) else {}
        profile.update_profile(session, account_id=ctx.account_id, client_id=ctx.client_id,
                               form=form, ip=self._ip())
        # Answer in the new language, and redo the shell's texts in it at once.
        relabel = self._relabel(session, ctx, form.get("language"))
        self._fill(session, ctx)
        # The header and the account switcher show the new name.
        self.client_name = self.full_name
        self.record_options = [{**r, "name": self.full_name} if r["id"] == self.selected_record
                               else r for r in self.record_options]
        return [relabel, rx.toast.success(self._tr("Profile saved."))]

    @client_event
    def use_device_zone(self, session, ctx):
        """"Use my device's zone": ask the browser for its zone (as the dashboard
        does at the first sign-in); the answer fills the field, not yet saved."""
        return rx.call_script(BROWSER_ZONE_JS, callback=ProfileState.fill_device_zone)

    @client_event
    def fill_device_zone(self, session, ctx, zone: str):
        """The browser's answer, as the canonical zone in the list (or a note beside
        the field when the device reports no zone of the list)."""
        found = timezones.canonical_zone(zone)
        if not found:
            self.timezone_error = self._tr(timezones.BAD_ZONE)
            return None
        self.timezone_error = ""
        return rx.set_value("field-timezone", found)

    @client_event
    def save_notifications(self, session, ctx, form: dict):
        """Which notifications of the selected record also arrive by email."""
        form = form if isinstance(form, dict) else {}
        saved = profile.save_email_choices(
            session, client_id=ctx.client_id,
            chosen=[k for k in OPTIONAL_EMAILS if form.get(f"email_{k}")])
        self.email_kinds = {k: k in saved for k in NotificationKind.ALL}
        return rx.toast.success(self._tr("Notification choices saved."))

    @rx.event
    def set_closure_open(self, value: bool):
        """The "Close my account" dialog (display only)."""
        self.closure_open = bool(value)
        self.closure_error = ""

    def _closure_refused(self, exc: ServiceError) -> None:
        self.closure_error = self._tr(exc.message)

    @client_event(on_error="_closure_refused")
    def request_closure(self, session, ctx, form: dict):
        """Ask the business to close this record's account (nothing is deleted)."""
        self.closure_error = ""
        form = form if isinstance(form, dict) else {}
        profile.request_closure(session, account_id=ctx.account_id, client_id=ctx.client_id,
                                reason=form.get("reason", ""), base_url=get_settings().base_url,
                                ip=self._ip())
        self._fill(session, ctx)
        self.closure_open = False
        return rx.toast.success(self._tr("Your request was sent. We will be in touch."))
