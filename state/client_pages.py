"""State of the signed-in client pages: dashboard, account picker, account security."""

import asyncio
import functools

import reflex as rx

from portal_app import apps, routes
from portal_app.db import session_scope
from portal_app.services import client_auth, dashboard, profile
from portal_app.services.business import get_business
from portal_app.services.courses import my_courses
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.services.sessions import revoke_all_for_account
from state.assign import assign_changed
from state.courses.list_page import continue_item
from state.dashboard_texts import greeting_text, step_texts
from state.guards import client_event, client_refusal
from state.session import ClientState, end_session_script
from state.upcoming import upcoming_cards

BROWSER_ZONE_JS = "Intl.DateTimeFormat().resolvedOptions().timeZone"


@functools.cache
def ask_browser_zone():
    """The event asking the browser for its zone, answered to `store_browser_timezone`:
    made once (building a call_script with a callback costs about half a trivial event)."""
    return rx.call_script(BROWSER_ZONE_JS, callback=DashboardState.store_browser_timezone)


class DashboardState(ClientState):
    """Dashboard: a greeting, the one next step, and the cards (upcoming
    appointments, total due, new shared documents)."""

    greeting: str = ""
    # kind, title, detail, action (a button's text, or ""), href
    next_step: dict[str, str] = {}
    # Courses: "Continue where you left off" (course, lesson, href) or {}
    continue_course: dict[str, str] = {}
    # The page's data has arrived: until then the page shows its frame, painted
    # first (pages/dashboard.py, `next_step_card`).
    loaded: bool = False

    def _fill(self, session, ctx) -> dashboard.Cards | None:
        """The cards; returns their counts (None before a record is chosen). Only what
        changed is assigned (state/assign.py): the dashboard opened again sends nothing
        it already shows."""
        business = ctx.business or get_business(session)
        shown = {"upcoming": [], "total_due": "", "new_documents": 0, "greeting": "",
                 "next_step": {}, "continue_course": {}, "loaded": True}
        if ctx.client_id is None:
            assign_changed(self, shown)
            return None
        # The apps this record may open, as the session check of this event found them.
        if apps.COURSES in self._client_apps:
            shown["continue_course"] = continue_item(
                my_courses.continue_card(session, client_id=ctx.client_id))
        if ctx.access.bookings:
            shown["upcoming"] = upcoming_cards(session, client_id=ctx.client_id, zone=self._tz,
                                               lang=self._lang)
        now = dashboard.clock()
        # The counts and the money step's invoice, in one statement.
        cards = dashboard.cards(session, client_id=ctx.client_id,
                                today=dashboard.local_today(now, self._tz))
        if ctx.access.billing and cards.total_due > 0:
            shown["total_due"] = format_money(cards.total_due, business.currency, self._lang)
        if ctx.access.documents:
            shown["new_documents"] = cards.new_documents
        shown["greeting"] = greeting_text(
            self._lang, dashboard.part_of_day(now, self._tz, self._lang),
            dashboard.first_name(ctx.client_name))
        step = dashboard.next_step(session, client_id=ctx.client_id, access=ctx.access, now=now,
                                   zone=self._tz, unread_messages=self.unread_messages,
                                   new_documents=shown["new_documents"],
                                   forms_open=self.forms_open, urgent=cards.urgent)
        shown["next_step"] = step_texts(step, lang=self._lang, zone=self._tz, pay=ctx.access.pay)
        assign_changed(self, shown)
        return cards

    @client_event(record=False, page=True)
    def load(self, session, ctx):
        cards = self._fill(session, ctx)  # (empty cards until a record is chosen)
        if ctx.client_id is None:
            return self._require_record(ctx)
        if cards.needs_timezone:
            # First sign-in of this record: ask the browser for its zone, once.
            return ask_browser_zone()
        return None

    @client_event(record=False)
    def store_browser_timezone(self, session, ctx, zone: str):
        """The browser's answer: kept only if it is a real IANA zone and the
        selected record has none detected or chosen yet (the record comes from
        the session, so no other record can be touched)."""
        if ctx.client_id is not None:
            profile.store_detected_timezone(session, account_id=ctx.account_id,
                                            client_id=ctx.client_id, zone=zone, ip=self._ip())

    def _live_refresh(self):
        with session_scope() as session:
            ctx, leave = self._live_client(session)
            if ctx is not None:
                self._fill(session, ctx)
        return leave


class SelectAccountState(ClientState):
    @client_event(record=False, page=True)
    def load(self, session, ctx):
        """The session check only: the page lists the records the shell already has."""


class AccountState(ClientState):
    """Password and sign-in security for the signed-in email (email notification
    choices are on the Profile page)."""

    has_password: bool = False
    error: str = ""
    saved: bool = False

    @client_event(record=False, page=True)
    def load(self, session, ctx):
        self.error = ""
        self.saved = False
        self.has_password = client_auth.has_password(session, account_id=ctx.account_id)

    @rx.event
    async def save_password(self, form: dict):
        """Set or change the password; other devices are signed out."""
        self.error = ""
        self.saved = False
        with session_scope() as session:
            ctx = self._client(session)
        refused = client_refusal(self, ctx, record=False)
        if refused is not None:
            return refused
        ip = self._ip()

        def work():
            with session_scope() as session:
                client_auth.set_password(
                    session, account_id=ctx.account_id,
                    current_password=str(form.get("current_password", "")),
                    new_password=str(form.get("new_password", "")),
                    keep_session_id=ctx.session_id, ip=ip)

        try:
            await asyncio.to_thread(work)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            return None
        self.has_password = True
        self.saved = True
        return rx.toast.success(self._tr("Password saved. Other devices were signed out."))

    @client_event(record=False)
    def sign_out_everywhere(self, session, ctx):
        """Revoke every session of this email, this one included."""
        revoke_all_for_account(session, account_id=ctx.account_id)
        self._forget()
        return rx.call_script(end_session_script(routes.LOGIN))
