"""Profile: the client edits the selected record's name, mobile, time zone,
language and email notification choices; downloads their data; asks to
close the account. (The browser's time zone is read once, on the dashboard:
see DashboardState.)

The record is always the one the session has selected: no handler takes a
client id from the browser.
"""

from zoneinfo import ZoneInfo

import reflex as rx

from models import Client, NotificationKind
from portal_app import i18n
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.services import notifications, profile
from portal_app.services.booking_notices import client_zone
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.profile import ProfileErrors
from portal_app.settings import get_settings
from state.brand import BrandState
from state.session import ClientState

# Only messages and documents are optional; booking, invoice and payment emails always go.
OPTIONAL_EMAILS = (NotificationKind.MESSAGE, NotificationKind.DOCUMENT)
FIELD_ERRORS = ("full_name", "mobile", "timezone", "language")


class ProfileState(ClientState):
    full_name: str = ""
    mobile: str = ""
    timezone: str = ""
    language: str = ""
    # The saved zone when it is valid but not in the grouped list (an alias such as "US/Eastern").
    zone_extra: list[str] = []
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
        client = session.get(Client, ctx.client_id)
        business = ctx.business or get_business(session)
        self.full_name = client.full_name
        self.mobile = client.mobile
        self.timezone = client_zone(client, business)
        self.zone_extra = ([] if self.timezone in profile.listed_timezones()
                           else [self.timezone])
        self.language = self._lang  # the record's choice, else what the pages show
        chosen = notifications.email_preferences(client)
        self.email_kinds = {k: k in chosen for k in NotificationKind.ALL}
        self.closure_reason = client.closure_reason
        self.closure_requested_on = (
            formats.date_text(client.closure_requested_at.astimezone(ZoneInfo(self.timezone)),
                              self.language)
            if client.closure_requested_at else "")
        self.form_key += 1

    @rx.event
    def load(self):
        self._clear_errors()
        self.closure_error = ""
        with session_scope() as session:
            ctx = self._client(session)
            if ctx is None:
                return self._bounce()
            if ctx.client_id is None:
                return self._require_record(ctx)
            self._fill(session, ctx)
        return None

    @rx.event
    def save_profile(self, form: dict):
        """Name, mobile, time zone and language of the selected record. The
        interface switches to the saved language at once."""
        self._clear_errors()
        form = form if isinstance(form, dict) else {}
        with session_scope() as session:
            ctx = self._client(session)
            if ctx is None:
                return self._bounce()
            if ctx.client_id is None:
                return self._require_record(ctx)
            try:
                profile.update_profile(session, account_id=ctx.account_id,
                                       client_id=ctx.client_id, form=form, ip=self._ip())
            except ProfileErrors as exc:
                for name, message in exc.errors.items():
                    setattr(self, f"{name}_error", self._tr(message))
                return None
            except ServiceError as exc:
                return rx.toast.error(self._tr(exc.message))
            self._lang = i18n.pick(form.get("language"), self._lang)  # answer in the new one
            self._fill(session, ctx)
        # The header and the account switcher show the new name.
        self.client_name = self.full_name
        self.record_options = [{**r, "name": self.full_name} if r["id"] == self.selected_record
                               else r for r in self.record_options]
        return [BrandState.choose_language(self.language),
                rx.toast.success(self._tr("Profile saved."))]

    @rx.event
    def save_notifications(self, form: dict):
        """Which notifications of the selected record also arrive by email."""
        form = form if isinstance(form, dict) else {}
        with session_scope() as session:
            ctx = self._client(session)
            if ctx is None:
                return self._bounce()
            if ctx.client_id is None:
                return self._require_record(ctx)
            kept = [k for k in notifications.email_preferences(session.get(Client, ctx.client_id))
                    if k not in OPTIONAL_EMAILS]
            kinds = kept + [k for k in OPTIONAL_EMAILS if form.get(f"email_{k}")]
            try:
                saved = notifications.set_email_preferences(session, client_id=ctx.client_id,
                                                            kinds=kinds)
            except ServiceError as exc:
                return rx.toast.error(self._tr(exc.message))
        self.email_kinds = {k: k in saved for k in NotificationKind.ALL}
        return rx.toast.success(self._tr("Notification choices saved."))

    @rx.event
    def set_closure_open(self, value: bool):
        """The "Close my account" dialog (display only)."""
        self.closure_open = bool(value)
        self.closure_error = ""

    @rx.event
    def request_closure(self, form: dict):
        """Ask the business to close this record's account (nothing is deleted)."""
        self.closure_error = ""
        form = form if isinstance(form, dict) else {}
        with session_scope() as session:
            ctx = self._client(session)
            if ctx is None:
                return self._bounce()
            if ctx.client_id is None:
                return self._require_record(ctx)
            try:
                profile.request_closure(session, account_id=ctx.account_id,
                                        client_id=ctx.client_id, reason=form.get("reason", ""),
                                        base_url=get_settings().base_url, ip=self._ip())
            except ServiceError as exc:
                self.closure_error = self._tr(exc.message)
                return None
            self._fill(session, ctx)
        self.closure_open = False
        return rx.toast.success(self._tr("Your request was sent. We will be in touch."))

