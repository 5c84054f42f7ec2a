"""The one session check every private handler goes through.

Identity never lives in public vars (any client can set those with
`setvar`); it is resolved on each event from our HttpOnly cookie, read from
the websocket handshake headers, against the sessions table — or, while the
access generation stands, from the answer this process kept for that cookie
(portal_app/services/session_cache.py: the generation read per event, in one
statement with the shell's counts, and any revocation moves the generation). Public vars below are for display only.
"""


import functools
import json
from http.cookies import CookieError, SimpleCookie

import reflex as rx
from sqlmodel import Session

from portal_app import apps, i18n, live, routes
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.services import notifications, session_cache
from portal_app.services.billing.invoices import total_due
from portal_app.services.business import get_business
from portal_app.services.hub.entitlements import enabled_apps, grant_needing
from portal_app.services.hub.profile_completion import asked_fields
from portal_app.services.hub.settings import landing_path
from portal_app.services.money import format_money
from portal_app.services.permissions import Access, visible_actions
from portal_app.services.sessions import (
    COOKIE_NAME,
    ClientContext,
    revoke_token,
    select_client,
)
from portal_app.timeouts import session_timeouts
from state.assign import assign_if_changed
from state.brand import BrandState, browser_language
from state.guards import UNAVAILABLE, client_event, client_refusal, profile_refusal
from state.upcoming import upcoming_cards


@functools.lru_cache(maxsize=4096)
def cookie_value(cookie_header: str, name: str) -> str | None:
    """One cookie of a Cookie header (parsed once per distinct header: a tab sends
    the same header with every event)."""
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def cookie_token(cookie_header: str) -> str | None:
    return cookie_value(cookie_header, COOKIE_NAME)


def start_session_script(ticket: str, next_path: str) -> str:
    """JS that trades a sign-in ticket for the cookie, then loads the next page."""
    return (
        f"fetch({json.dumps(routes.API_SESSION_START)},{{method:'POST',credentials:'same-origin',"
        f"headers:{{'Content-Type':'application/json'}},body:JSON.stringify({{ticket:"
        f"{json.dumps(ticket)}}})}}).then(function(r){{window.location.assign(r.ok?"
        f"{json.dumps(next_path)}:{json.dumps(routes.LOGIN)});}})"
    )


def end_session_script(next_path: str) -> str:
    return (
        f"fetch({json.dumps(routes.API_SESSION_END)},{{method:'POST',credentials:'same-origin'}})"
        f".finally(function(){{window.location.assign({json.dumps(next_path)});}})"
    )


class AuthBase(rx.State):
    """Shared helpers; no public vars, no public handlers.

    `_lang` is the reader's language for text made on the server (toasts,
    errors, dates): the selected record's choice when signed in, else what the
    page shows (sent with each form), the language cookie or the browser's."""

    _lang: str = i18n.DEFAULT
    _tz: str = "UTC"

    def _pick_lang(self, *preferred: object, fallback: str = "", headers=None) -> str:
        headers = headers if headers is not None else self.rx_router_headers
        lang = i18n.pick(*preferred, cookie_value(headers.cookie, i18n.COOKIE),
                         browser_language(headers.accept_language), fallback)
        self._set("_lang", lang)
        return lang

    def _when(self, moment) -> str:
        """A moment in the reader's zone and language, with the zone named."""
        return formats.when_short(moment, self._tz, self._lang) if moment else ""

    def _tr(self, text: object) -> str:
        """Server text (a literal or a service's formatted message) in the reader's language."""
        return i18n.translate(self._lang, str(text))

    def _set(self, name: str, value) -> None:
        """Assign a var only when its value changed (no delta otherwise; state/assign.py)."""
        assign_if_changed(self, name, value)

    # The connection's headers and session data are read from Reflex's own router vars
    # (`rx_router_headers`, `rx_router_session`): `self.router` composes all five of
    # them (with the page, URL and route) into a new RouterData at every read, which
    # cost more than the rest of a trivial event, on every private event.
    def _token(self) -> str | None:
        return cookie_token(self.rx_router_headers.cookie)

    def _ip(self) -> str:
        return self.rx_router_session.client_ip or ""

    def _user_agent(self) -> str:
        return self.rx_router_headers.user_agent or ""


NO_ACCESS = {name: False for name in Access().as_dict()}


def app_links(keys, tr) -> list[dict[str, str]]:
    """The app switcher's entries for the apps `keys` (registry order), labels via `tr`;
    none when the portal is the only one (the switcher is hidden then)."""
    links = [{"key": a.key, "label": tr(a.label), "icon": a.icon, "route": a.route}
             for a in apps.APPS if a.key in keys]
    return links if len(links) > 1 else []


class ClientShellVars(rx.State, mixin=True):
    """What the client shell shows (components/client_shell.py): the header, the
    bell and the panels. Shared by ClientState and the console's read-only
    "View as client" preview (state/console_client.py), which sets `preview`."""

    client_name: str = ""
    record_options: list[dict[str, str]] = []
    selected_record: str = ""
    access: dict[str, bool] = NO_ACCESS
    actions: list[dict[str, str]] = []
    upcoming: list[dict[str, str]] = []
    total_due: str = ""
    new_documents: int = 0
    bell_count: int = 0
    bell_items: list[dict[str, str]] = []
    unread_messages: int = 0
    forms_count: int = 0  # forms sent to the record ("Forms" shows in the nav when > 0)
    forms_open: int = 0  # of those, still to complete
    offers_listed: bool = False  # an offer is listed ("Offers" shows in the nav)
    # The app switcher (key, label, icon, route): the apps this client may use now;
    # shown when there is more than the portal.
    app_links: list[dict[str, str]] = []
    preview: bool = False


class ClientState(ClientShellVars, AuthBase):
    """Base of every client page. `_client()` is the session check.

    It runs on every private event, so a permission change or a disabled
    record takes effect on the client's next action, whatever page is open;
    and on a live push (`_live_refresh`), so open tabs follow staff changes at once.
    """

    signed_in: bool = False
    email: str = ""
    _closed: bool = False
    # (access generation, session id, language) the shell's identity vars were last
    # set at: while it stands they are not set again.
    _shell_key: tuple = ()
    # (the apps, the language) the switcher was last made for.
    _apps_key: tuple = ()
    # The hub apps this client may use, derived by `_client` in this event (the
    # `app=` guard reads it; see state/guards.py).
    _client_apps: tuple[str, ...] = ()
    # (record, the profile fields it has filled in of those the business's apps ask
    # for), read by `_client` with the shell's counts (the hub pages' profile check).
    _profile_filled: tuple = ()

    def _client(self, session: Session) -> ClientContext | None:
        """The signed-in client for this event, or None. Refreshes the shell vars
        (each assigned only when it changed: an assigned var travels in the delta)."""
        headers = self.rx_router_headers  # not `self.router` (see `_token`)
        token = cookie_token(headers.cookie)
        start = session_cache.start_client_event(session, raw_token=token)
        generation, business = start.generation, start.business
        # Backend vars too are assigned only when they change (state/assign.py).
        closed = not business.portal_enabled
        self._set("_closed", closed)
        if closed and token:
            revoke_token(session, raw_token=token)
        ctx = session_cache.client(session, raw_token=token, timeouts=session_timeouts(),
                                   portal_enabled=business.portal_enabled, business=business,
                                   generation=generation)
        if ctx is None:
            self._pick_lang(fallback=business.language, headers=headers)
            self._forget()
            return None
        lang = self._pick_lang(ctx.language, fallback=business.language, headers=headers)
        self._set("_tz", ctx.timezone or business.timezone or "UTC")
        shell_key = (generation, ctx.session_id, ctx.client_id, lang)
        if self._shell_key != shell_key or generation is None:
            self._shell_key = shell_key
            self._set("signed_in", True)
            self._set("email", ctx.email)
            self._set("client_name", ctx.client_name)
            self._set("record_options",
                      [{"id": str(r.id), "name": r.full_name} for r in ctx.records])
            self._set("selected_record", str(ctx.client_id or ""))
            self._set("access", ctx.access.as_dict())
            self._label_actions(business, ctx)
        bell = messages = forms = forms_open = 0
        offers = False
        client_apps: tuple[str, ...] = ()
        if ctx.client_id is not None:
            needing, on = grant_needing(business), enabled_apps(business)
            facts = start.shell_facts(session, client_id=ctx.client_id,
                                      messaging=ctx.access.messaging, apps=needing,
                                      fields=asked_fields(on))
            bell, messages = facts.bell, facts.messages
            forms, forms_open, offers = facts.forms, facts.forms_open, facts.offers
            client_apps = tuple(k for k in on if k not in needing or k in facts.granted)
            self._set("_profile_filled", (ctx.client_id, tuple(sorted(facts.filled))))
            live.watch("client", ctx.client_id, self.rx_router_session.client_token)
        self._set("bell_count", bell)
        self._set("unread_messages", messages)
        self._set("forms_count", forms)
        self._set("forms_open", forms_open)
        self._set("offers_listed", offers)
        if (client_apps, lang) != self._apps_key:
            self._apps_key = (client_apps, lang)
            self._client_apps = client_apps
            self._set_app_links()
        return ctx

    def _set_app_links(self) -> None:
        links = app_links(self._client_apps, self._tr)
        if links != self.app_links:  # unchanged: no delta to send
            self.app_links = links

    def _label_actions(self, business, ctx: ClientContext) -> None:
        # The business may rename the buttons; the default labels are translated.
        self._set("actions", [{**a, "label": self._tr(a["label"])}
                              for a in visible_actions(business.cta_config, ctx.access)])

    def _bell_lines(self, session, client_id: int) -> list[dict[str, str]]:
        """The bell's lines, worded now in the reader's language and zone."""
        return [
            {"id": str(n.id), "when": self._when(n.created_at),
             "title": notifications.title_of(n, lang=self._lang, zone=self._tz),
             "unread": "" if n.read_at else "yes"}
            for n in notifications.list_notifications(session, client_id=client_id)]

    def _relabel(self, session, ctx: ClientContext, lang: str):
        """A change of language: every text of the shell made on the server (the
        quick actions, the bell's lines, the dashboard's cards) is made again in
        `lang` in this same event, and the page's own texts follow BrandState."""
        self._lang = i18n.pick(lang, self._lang)
        business = ctx.business or get_business(session)
        self._label_actions(business, ctx)
        self._set_app_links()
        if ctx.client_id is not None:
            if self.bell_items:
                self.bell_items = self._bell_lines(session, ctx.client_id)
            if self.upcoming:
                self.upcoming = upcoming_cards(session, client_id=ctx.client_id, zone=self._tz,
                                               lang=self._lang)
            if self.total_due:
                self.total_due = format_money(total_due(session, client_id=ctx.client_id),
                                              business.currency, self._lang)
        return BrandState.choose_language(self._lang)

    def _forget(self) -> None:
        self._shell_key = self._apps_key = ()
        self.signed_in = False
        self.email = ""
        self.client_name = ""
        self.record_options = []
        self.selected_record = ""
        self.access = dict(NO_ACCESS)
        self.actions = []
        self.bell_count = 0
        self.bell_items = []
        self.unread_messages = 0
        self.forms_count = self.forms_open = 0
        self.offers_listed = False
        self._client_apps = ()
        self.app_links = []

    def _bounce(self):
        """Where a refused event sends the browser."""
        return rx.redirect(routes.CLOSED if self._closed else routes.LOGIN)

    def _require_record(self, ctx: ClientContext):
        """None when a record is selected, else the redirect to pick one."""
        if ctx.client_id is None:
            return rx.redirect(routes.SELECT_ACCOUNT)
        return None

    @client_event
    def guard_feature(self, session, ctx, feature: str):
        """on_load of a feature page: refused when this client may not use it."""
        if not ctx.access.as_dict().get(str(feature), False):
            return [rx.redirect(routes.DASHBOARD), rx.toast.info(self._tr(UNAVAILABLE))]
        return None

    @client_event
    def guard_app(self, session, ctx, app: str):
        """A hub app's page check as a handler of its own: refused, to the dashboard
        with a notice, when this client may not use the app now; sent to the
        profile-completion page first when the record lacks a field the app asks for
        (then back to this page). The app pages' own loads do the same in their event
        (`client_event(app=..., page=True)`), so their on_load chains need no guard."""
        return client_refusal(self, ctx, app=str(app)) or profile_refusal(self, session, ctx,
                                                                          str(app))

    def _live_refresh(self):
        """Pushed from outside (live.py): refresh the shell (bell, access, buttons).
        Returns where the tab goes when its client was signed out meanwhile."""
        with session_scope() as session:
            _ctx, leave = self._live_client(session)
        return leave

    def _live_client(self, session: Session, feature: str | None = None,
                     unavailable: str = UNAVAILABLE, app: str | None = None):
        """For a `_live_refresh`: the shell refreshed, then (ctx, None) when the tab may
        stay on its page, else (None, where it goes): the sign-in or "closed" page
        when the client was signed out meanwhile (record disabled, portal switched
        off), the dashboard with a notice when `feature` (or the hub `app`) was taken away."""
        was_signed_in = self.signed_in
        ctx = self._client(session)
        if ctx is None:
            return None, (self._bounce() if was_signed_in else None)
        refused = client_refusal(self, ctx, feature=feature, app=app,
                                 record=feature is not None or app is not None,
                                 unavailable=unavailable)
        return (None, refused) if refused is not None else (ctx, None)

    @rx.event
    def open_bell(self):
        """The bell: the newest notifications of the selected record."""
        with session_scope() as session:
            ctx = self._client(session)
            if ctx is None or ctx.client_id is None:
                self.bell_items = []
                return None
            self.bell_items = self._bell_lines(session, ctx.client_id)
        return None

    @client_event
    def open_notification(self, session, ctx, notification_id: str):
        """Mark one read and go where it points (a path we stored, not the browser's)."""
        note = notifications.mark_read(session, client_id=ctx.client_id,
                                       notification_id=notification_id)
        self.bell_count = notifications.unread_count(session, client_id=ctx.client_id)
        return rx.redirect(note.link or routes.DASHBOARD)

    @client_event
    def mark_all_read(self, session, ctx):
        notifications.mark_all_read(session, client_id=ctx.client_id)
        self.bell_count = 0
        self.bell_items = [{**item, "unread": ""} for item in self.bell_items]

    @client_event(record=False)
    def switch_record(self, session, ctx, client_id: str):
        """Act for another record of the same email (the header dropdown)."""
        try:
            wanted = int(client_id)
        except (TypeError, ValueError):
            return rx.toast.error(self._tr("That account is not available."))
        record = select_client(session, ctx=ctx, client_id=wanted)
        self.client_name = record.full_name
        self.selected_record = str(record.id)
        # Where this record lands (the business's landing app when it may use it).
        go = rx.redirect(landing_path(session, business=ctx.business, client_id=record.id))
        if record.language:  # each record may have its own language
            return [go, BrandState.choose_language(record.language)]
        return go

    @rx.event
    def logout(self):
        """Revoke this session on the server, then clear the cookie."""
        with session_scope() as session:
            revoke_token(session, raw_token=self._token())
        self._forget()
        return rx.call_script(end_session_script(routes.LOGIN))
