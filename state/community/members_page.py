"""/community/members?id=: a group's member directory (display names, avatars or
initials, joined dates, points and level when the group has gamification on;
search by display name, more by cursor), this member's notification settings for
the group, and "Leave group".

The group id comes from the URL on load and is kept server-side (`_group_id`);
every handler is `client_event(app=apps.COMMUNITY)` and the services check the
record may read that group now (services/community/access.py), so another
household's group, a left or banned member's, is refused at the next action.
"""

from __future__ import annotations

import reflex as rx

from models import NotifyLevel
from portal_app import apps, routes
from portal_app.i18n import gettext
from portal_app.services.community import directory, membership, notify_settings
from portal_app.services.errors import ServiceError
from state.guards import client_event
from state.session import ClientState

MEMBER = "Member"
JOINED_ON = "Joined {when}"
POINTS = "{points} points"
SAVED = "Notification settings saved."
LEFT = "You left {name}."
PAGE = 50


class MembersState(ClientState):
    group_name: str = ""
    group_href: str = ""
    members: list[dict[str, str]] = []
    search: str = ""
    has_more: bool = False
    gamification: bool = False
    notify: str = NotifyLevel.MENTIONS
    notify_error: str = ""
    leave_open: bool = False
    missing: bool = False
    loaded: bool = False
    _group_id: int = 0
    _cursor: str = ""

    def _row(self, view: directory.MemberView) -> dict[str, str]:
        lang = self._lang
        points = "" if view.points is None else gettext(lang, POINTS, points=view.points)
        return {"id": str(view.client_id), "name": view.display_name or gettext(lang, MEMBER),
                "initials": view.initials, "avatar": view.avatar_url,
                "joined": gettext(lang, JOINED_ON, when=self._when(view.joined_at))
                if view.joined_at else "",
                "points": points, "level": view.level, "me": "yes" if view.is_me else ""}

    def _page(self, session, ctx, *, more: bool = False) -> None:
        page = directory.list_members(session, client_id=ctx.client_id,
                                      group_id=self._group_id, search=self.search,
                                      limit=PAGE, cursor=self._cursor if more else None)
        rows = [self._row(v) for v in page.members]
        self.members = [*self.members, *rows] if more else rows
        self._cursor, self.has_more = page.next_cursor, bool(page.next_cursor)
        self.group_name, self.gamification = page.group_name, page.gamification

    def _clear(self) -> None:
        self.group_name = self.group_href = self.search = self._cursor = ""
        self.members, self.has_more, self.gamification = [], False, False
        self.notify, self.notify_error, self.leave_open = NotifyLevel.MENTIONS, "", False

    @client_event(app=apps.COMMUNITY, page=True)
    def load(self, session, ctx):
        """on_load: the group in the URL (?id=): its members and this member's settings."""
        self._clear()
        self.missing, self.loaded, self._group_id = False, False, 0
        raw = self.router.url.query_parameters.get("id", "")
        try:
            self._group_id = int(str(raw)) if str(raw).isdigit() else 0
            self._page(session, ctx)
            self.notify = notify_settings.get_notify(session, client_id=ctx.client_id,
                                                     group_id=self._group_id)
        except ServiceError as exc:
            self._clear()
            self.missing, self._group_id = True, 0
            return rx.toast.error(self._tr(exc.message))
        self.group_href = routes.community_group(self._group_id)
        self.loaded = True
        return None

    @client_event(app=apps.COMMUNITY)
    def find(self, session, ctx, form: dict):
        """Search the directory by display name (the form's "search")."""
        self.search = " ".join(str((form or {}).get("search", "") or "").split())[:40]
        self._page(session, ctx)

    @client_event(app=apps.COMMUNITY)
    def more(self, session, ctx):
        """The next page of members."""
        if self._cursor:
            self._page(session, ctx, more=True)

    def _notify_refused(self, exc: ServiceError):
        if exc.field == "notify":
            self.notify_error = self._tr(exc.message)
            return None
        return rx.toast.error(self._tr(exc.message))

    @client_event(app=apps.COMMUNITY, on_error="_notify_refused")
    def set_notify(self, session, ctx, level: str):
        """Save how this member is notified about the group (all / mentions / muted)."""
        self.notify_error = ""
        row = notify_settings.set_notify(session, client_id=ctx.client_id,
                                         group_id=self._group_id, level=str(level or "")[:20],
                                         account_id=ctx.account_id)
        self.notify = row.notify
        return rx.toast.success(self._tr(SAVED))

    @rx.event
    def set_leave_open(self, value: bool):
        """Open or close the "Leave group" confirmation (it changes nothing itself)."""
        self.leave_open = bool(value) and bool(self._group_id)

    @client_event(app=apps.COMMUNITY)
    def leave(self, session, ctx):
        """Leave the group, then back to the list of groups."""
        self.leave_open = False
        name = self.group_name
        membership.leave_group(session, client_id=ctx.client_id, group_id=self._group_id,
                               account_id=ctx.account_id)
        self._clear()
        self._group_id = 0
        return [rx.redirect(routes.COMMUNITY),
                rx.toast.success(gettext(self._lang, LEFT, name=name))]
