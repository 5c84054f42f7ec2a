"""The console's session check: `StaffState`, the base of every console page
(`_staff()` resolves the staff session from our HttpOnly cookie on each event,
`_as_staff` runs a handler in one checked transaction and pushes what it changed
to clients' open tabs after the commit)."""

import reflex as rx
from sqlmodel import Session

from portal_app import live, routes
from portal_app.db import session_scope
from portal_app.services import access_generation, messaging, session_cache, staff_prefs
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.sessions import StaffContext, revoke_token
from portal_app.timeouts import session_timeouts
from state import console_format
from state.brand import BrandState
from state.guards import staff_event
from state.session import AuthBase, end_session_script


class StaffState(AuthBase):
    """Base of every console page. `_staff()` is the session check."""

    staff_name: str = ""
    staff_role: str = ""
    staff_unread: int = 0
    # (client, topics) this event changed (client 0: every client; no topics: anything)
    _live_clients: list[tuple[int, tuple[str, ...]]] = []
    _lang_shown: str = ""  # the saved language this page's texts were switched to
    _lang_push: str = ""  # a switch of the page's language to send with this event

    def _client_changed(self, *client_ids: int | None, about: str | tuple[str, ...] = ()) -> None:
        """Note that this event changes what these clients' pages show; `_as_staff`
        pushes it to their open tabs (live.py) once the transaction has committed.
        `about`: what changed (portal_app/live_topics.py; a tab whose page shows none of
        it reloads its shell only); none for anything (access, details, permissions)."""
        topics = (about,) if isinstance(about, str) else tuple(about)
        self._live_clients = [*self._live_clients,
                              *((int(c), topics) for c in client_ids if c is not None)]

    def _everyone_changed(self) -> None:
        """Note that this event changes what every client sees (branding, features,
        buttons, the portal switched off); pushed after the commit like `_client_changed`."""
        self._live_clients = [*self._live_clients, (0, ())]

    def _push_changes(self) -> None:
        pushed, self._live_clients = self._live_clients, []
        if any(client_id == 0 for client_id, _ in pushed):
            live.everyone_changed()
            return
        about: dict[int, tuple[str, ...] | None] = {}
        for client_id, topics in pushed:
            have = about.get(client_id, ())
            # no topics (anything) wins over any list of topics
            about[client_id] = None if not topics or have is None else (*have, *topics)
        for client_id, topics in about.items():
            live.client_changed(client_id, about=topics)

    def _staff(self, session: Session) -> StaffContext | None:
        ctx = session_cache.staff(session, raw_token=self._token(), timeouts=session_timeouts(),
                                  generation=access_generation.current(session))
        if ctx is None:
            self._set("staff_name", "")
            self._set("staff_role", "")
            return None
        live.watch(*live.STAFF, self.router.session.client_token)
        self._set("staff_unread", messaging.unread_for_staff(session))
        self._set("staff_name", ctx.full_name)
        self._set("staff_role", ctx.role)
        business = get_business(session)
        # The staff member's own language, else what the page shows (the picker's
        # cookie, the browser's), else the business's; their zone, else the business's.
        self._pick_lang(ctx.language, fallback=business.language)
        self._tz = ctx.timezone or business.timezone or "UTC"
        if ctx.language and self._lang_shown != ctx.language:
            self._lang_shown = ctx.language
            self._lang_push = ctx.language
        return ctx

    def _with_language(self, result):
        """`result` plus, once per page after sign-in or a change, the switch of the
        page's texts to the staff member's saved language."""
        code, self._lang_push = self._lang_push, ""
        if not code:
            return result
        switch = BrandState.choose_language(code)
        if result is None:
            return switch
        return [*(result if isinstance(result, list) else [result]), switch]

    def _as_staff(self, action, *, refresh=None):
        """The console's one staff check. In one transaction: resolve the staff
        session, run `action(session, ctx)`, then `refresh(session)`; after the
        commit, push what the action noted with `_client_changed` to open tabs.

        Returns (event, result): `event` is the sign-in redirect when the caller
        is not signed-in staff, else None; a refusal (ServiceError) comes back
        as `result` instead of being raised, and nothing of it is committed.
        """
        self._live_clients = []
        try:
            with session_scope() as session:
                ctx = self._staff(session)
                if ctx is None:
                    return rx.redirect(routes.CONSOLE_LOGIN), None
                # console_format's helpers word this event for this staff member.
                console_format.use(self._lang, ctx.timezone)
                result = action(session, ctx)
                if refresh is not None:
                    refresh(session)
        except ServiceError as exc:
            self._live_clients = []  # nothing was committed: nothing to push
            return None, exc
        finally:
            console_format.use(None, None)
        self._push_changes()  # committed: the clients' open tabs reload
        return None, result

    def _live_refresh(self):
        """Pushed from outside about something this page does not show (live_pages.py
        `shell_for`): the shell only, i.e. the unread count. Returns the sign-in page
        when the staff session ended meanwhile."""
        event, _ = self._as_staff(lambda session, ctx: None)
        return event

    @staff_event
    def staff_guard(self, session, ctx):
        """on_load of a console page: the sign-in page for anyone but signed-in staff."""

    @staff_event(on_error="_language_refused")
    def choose_console_language(self, session, ctx, code: str):
        """The console's language picker: saved on the staff member, the page's texts
        follow at once; times and sentences made on the server on the next load."""
        saved = staff_prefs.set_staff_language(session, staff_id=ctx.staff_id, language=code)
        self._lang = self._lang_shown = saved
        self._lang_push = ""
        return BrandState.choose_language(saved)

    def _language_refused(self, exc: ServiceError):
        return rx.toast.error(self._tr(exc.message))

    @rx.event
    def staff_logout(self):
        with session_scope() as session:
            revoke_token(session, raw_token=self._token())
        self.staff_name = ""
        self.staff_role = ""
        return rx.call_script(end_session_script(routes.CONSOLE_LOGIN))
