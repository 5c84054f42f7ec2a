"""/community: the client's groups ("Your groups") and the groups they may join
(Join, Ask to join with an optional note, Request sent with Cancel, Declined).

Every handler is `client_event(app=apps.COMMUNITY)`: signed in, a selected record,
the Community app now. Each group id from the browser goes to the membership
service, which checks it against the access rule (services/community/access.py).
A request to join reaches the console's queue at once (`live.staff_changed()`: the
push is a task that runs once this handler, and so its commit, has returned). The
page reloads live when staff decide a request or change a grant (a "client" push,
state/live_pages.py).
"""

from __future__ import annotations

import reflex as rx

from models import GroupVisibility
from portal_app import apps, live, routes
from portal_app.db import session_scope
from portal_app.i18n import gettext
from portal_app.services.community import membership
from portal_app.services.community.access import NO_GROUP
from portal_app.services.errors import ServiceError
from state.guards import beside_field, client_event
from state.session import ClientState

JOINED = "You joined {name}."
REQUEST_SENT = "Request sent. The business will let you know."
REQUEST_CANCELLED = "Request cancelled."
ONE_CHANNEL = "1 channel"
CHANNELS = "{count} channels"
LATEST = "Latest activity {when}"
NO_ACTIVITY = "No posts yet"
VISIBILITY_LABELS = {GroupVisibility.OPEN: "Open group", GroupVisibility.PRIVATE: "Private group",
                     GroupVisibility.ENTITLED: "Members only"}
NOTE_FIELDS = ("note",)


class CommunityState(ClientState):
    loaded: bool = False
    my_groups: list[dict[str, str]] = []
    other_groups: list[dict[str, str]] = []
    ask_open: bool = False
    ask_name: str = ""
    errors: dict[str, str] = {"note": ""}
    _ask_group_id: int = 0

    def _card(self, view: membership.GroupView) -> dict[str, str]:
        lang = self._lang
        channels = (gettext(lang, ONE_CHANNEL) if view.channels == 1
                    else gettext(lang, CHANNELS, count=view.channels))
        latest = (gettext(lang, LATEST, when=self._when(view.latest_at)) if view.latest_at
                  else gettext(lang, NO_ACTIVITY))
        return {"id": str(view.id), "name": view.name, "description": view.description,
                "standing": view.standing, "channels": channels, "latest": latest,
                "kind": gettext(lang, VISIBILITY_LABELS.get(view.visibility, "Open group")),
                "href": routes.community_group(view.id),
                "members_href": routes.community_members(view.id)}

    def _fill(self, session, ctx) -> None:
        """Both lists from the service (a constant handful of statements)."""
        views = membership.list_groups_for(session, client_id=ctx.client_id)
        self.my_groups = [self._card(v) for v in views if v.standing == membership.MEMBER]
        self.other_groups = [self._card(v) for v in views if v.standing != membership.MEMBER]
        self.loaded = True

    @client_event(app=apps.COMMUNITY, page=True)
    def load(self, session, ctx):
        """on_load: the groups this record is in and those it may join."""
        self.ask_open, self._ask_group_id, self.ask_name = False, 0, ""
        self.errors = {"note": ""}
        self._fill(session, ctx)

    def _live_refresh(self):
        """Staff decided a request or changed a grant: reload the lists."""
        with session_scope() as session:
            ctx, leave = self._live_client(session, app=apps.COMMUNITY)
            if ctx is not None:
                self._fill(session, ctx)
        return leave

    @client_event(app=apps.COMMUNITY)
    def join(self, session, ctx, group_id: str):
        """Join an open group (or one the record holds a grant to) at once."""
        row = membership.join_group(session, client_id=ctx.client_id, group_id=group_id,
                                    account_id=ctx.account_id)
        self._fill(session, ctx)
        name = next((g["name"] for g in self.my_groups if g["id"] == str(row.group_id)), "")
        return rx.toast.success(gettext(self._lang, JOINED, name=name))

    @client_event(app=apps.COMMUNITY)
    def open_ask(self, session, ctx, group_id: str):
        """The "Ask to join" dialog for a private group listed for this record."""
        self._fill(session, ctx)
        group = next((g for g in self.other_groups if g["id"] == str(group_id)
                      and g["standing"] == membership.ASK), None)
        if group is None:
            return rx.toast.error(self._tr(NO_GROUP))
        self._ask_group_id, self.ask_name = int(group["id"]), group["name"]
        self.errors = {"note": ""}
        self.ask_open = True
        return None

    @rx.event
    def set_ask_open(self, value: bool):
        """Close the dialog (it opens only through open_ask)."""
        if not value:
            self.ask_open, self._ask_group_id, self.ask_name = False, 0, ""

    def _ask_refused(self, exc: ServiceError):
        """A note too long: said beside it; anything else as a toast."""
        return beside_field(self, exc, NOTE_FIELDS)

    @client_event(app=apps.COMMUNITY, on_error="_ask_refused")
    def ask(self, session, ctx, form: dict):
        """Send the request (the form's optional "note") for the group the dialog shows."""
        if not self._ask_group_id:
            return rx.toast.error(self._tr(NO_GROUP))
        note = str((form or {}).get("note", "") or "")[:2000]
        membership.request_to_join(session, client_id=ctx.client_id,
                                   group_id=self._ask_group_id, note=note,
                                   account_id=ctx.account_id)
        self.ask_open, self._ask_group_id, self.ask_name = False, 0, ""
        self.errors = {"note": ""}
        self._fill(session, ctx)
        live.staff_changed(about=live.COMMUNITY)  # the console's queue shows the request
        return rx.toast.success(self._tr(REQUEST_SENT))

    @client_event(app=apps.COMMUNITY)
    def cancel_request(self, session, ctx, group_id: str):
        """Take back a request staff have not decided yet."""
        membership.cancel_request(session, client_id=ctx.client_id, group_id=group_id,
                                  account_id=ctx.account_id)
        self._fill(session, ctx)
        live.staff_changed(about=live.COMMUNITY)
        return rx.toast.success(self._tr(REQUEST_CANCELLED))
