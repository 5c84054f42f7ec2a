"""Console → Community → one group (/console/community/group?id=): its settings and
moderation rules (every bad field beside it), archive / restore, its channels
(add, rename, move, approve-before-publish, archive), its join requests (approve,
decline with a reason) and the offers that include it.

The group is a backend var set by `load` from the page's `id`; every channel or
request id from the browser must belong to it (the services answer NotFound
otherwise). Changes reach the group's open tabs after the commit."""

import reflex as rx

from models import ChannelKind, GrantKind
from portal_app import live, routes
from portal_app.services.community import channels_admin, groups_admin, requests
from portal_app.services.errors import ServiceError
from portal_app.services.hub import offers as catalogue
from portal_app.settings import get_settings
from state.console_community.common import (
    KIND_LABELS,
    VISIBILITY_LABELS,
    CommunityConsoleState,
    group_id_param,
)
from state.console_format import console_zone, when
from state.guards import staff_event

FIELDS = groups_admin.GROUP_FIELDS + groups_admin.MODERATION_FIELDS
CHANNEL_FIELDS = ("channel_name", "channel_kind")
NO_GROUP = "Open a group first."
OFFER_STATUS = {"draft": "Draft", "active": "Active", "archived": "Archived"}


class ConsoleGroupState(CommunityConsoleState):
    found: bool = False
    group: dict[str, str] = {}
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")
    form_key: int = 0
    channels: list[dict[str, str]] = []
    channel_errors: dict[str, str] = dict.fromkeys(CHANNEL_FIELDS, "")
    channel_form_key: int = 0
    renaming: str = ""  # the channel whose rename dialog is open
    renaming_name: str = ""
    join_requests: list[dict[str, str]] = []
    declining: str = ""  # the request whose decline dialog is open
    declining_name: str = ""
    offers: list[dict[str, str]] = []
    _group_id: int = 0

    def _fill(self, session) -> None:
        g = groups_admin.get_group(session, group_id=self._group_id)
        self.found = True
        self.group = {
            "id": str(g.id), "name": g.name, "description": g.description,
            "visibility": g.visibility, "archived": "yes" if g.archived else "",
            "visibility_label": self._tr(VISIBILITY_LABELS.get(g.visibility, g.visibility)),
            "hold_first_posts": str(g.hold_first_posts),
            "report_threshold": str(g.report_threshold),
            "held_words": ", ".join(g.held_words or []), "link_rule": g.link_rule,
            "levels_href": f"{routes.CONSOLE_COMMUNITY_LEVELS}?id={g.id}",
        }
        self.form_key += 1
        self._fill_channels(session)
        self._fill_requests(session)
        self.offers = [{
            "id": str(o.id), "name": o.name,
            "status": self._tr(OFFER_STATUS.get(o.status, o.status)),
            "service": "yes" if o.service_id else "",
        } for o in catalogue.offers_including(session, kind=GrantKind.GROUP,
                                              target_id=g.id)]

    def _fill_channels(self, session) -> None:
        self.channels = [{
            "id": str(c.id), "name": c.name, "kind": c.kind,
            "kind_label": self._tr(KIND_LABELS.get(c.kind, c.kind)),
            "approve": "yes" if c.approve_posts else "",
            "archived": "yes" if c.archived else "",
            "staff_only": "yes" if c.kind == ChannelKind.ANNOUNCEMENTS else "",
            # Staff's view of the channel: read, post as the business, pin, moderate.
            "href": routes.console_community_feed(self._group_id, c.id),
        } for c in channels_admin.list_channels(session, group_id=self._group_id)]

    def _fill_requests(self, session) -> None:
        zone = console_zone(session)
        self.join_requests = [{
            "id": str(r.id), "client": r.client_name, "note": r.note,
            "client_href": f"{routes.CONSOLE_CLIENT}?id={r.client_id}",
            "date": when(r.requested_at, zone),
        } for r in requests.list_requests(session, group_id=self._group_id)]

    def _require_group(self) -> int:
        if not self._group_id:
            raise ServiceError(NO_GROUP)
        return self._group_id

    def _live_refresh(self) -> None:
        """Pushed from outside (a join request, a post held): reload the page."""
        if self._group_id:
            self._as_staff(lambda s, c: self._fill(s))

    @staff_event
    def load(self, session, ctx):
        self.errors = dict.fromkeys(FIELDS, "")
        self.channel_errors = dict.fromkeys(CHANNEL_FIELDS, "")
        self.renaming = self.declining = ""
        try:
            group = groups_admin.get_group(session, group_id=group_id_param(self))
        except ServiceError:
            self._group_id = 0
            self.found = False
            self.group, self.channels, self.join_requests, self.offers = {}, [], [], []
            return None
        self._group_id = group.id
        live.watch("group", group.id, self.router.session.client_token)
        self._fill(session)
        return None

    def _settings_refused(self, exc: ServiceError):
        self.errors = self._errors_of(exc, FIELDS)
        if any(self.errors.values()):
            return rx.toast.error(self._tr("Check the fields marked."))
        return rx.toast.error(self._tr(exc.message))

    @staff_event(on_error="_settings_refused")
    def save_settings(self, session, ctx, form: dict):
        """Name, description, visibility and moderation rules, together."""
        group_id = self._require_group()
        self.errors = dict.fromkeys(FIELDS, "")
        form = form if isinstance(form, dict) else {}
        groups_admin.update_group(session, staff_id=ctx.staff_id, group_id=group_id,
                                  form={k: str(form.get(k, "") or "")[:6000] for k in FIELDS})
        self._group_changed(group_id)
        self._fill(session)
        return rx.toast.success(self._tr("Group saved."))

    @staff_event
    def archive_group(self, session, ctx):
        """Archived: no client sees the group; nothing is deleted."""
        group_id = self._require_group()
        groups_admin.set_archived(session, staff_id=ctx.staff_id, group_id=group_id,
                                  archived=True)
        self._group_changed(group_id)
        self._fill(session)
        return rx.toast.success(self._tr("Group archived."))

    @staff_event
    def restore_group(self, session, ctx):
        group_id = self._require_group()
        groups_admin.set_archived(session, staff_id=ctx.staff_id, group_id=group_id,
                                  archived=False)
        self._group_changed(group_id)
        self._fill(session)
        return rx.toast.success(self._tr("Group restored."))

    # --- channels ---------------------------------------------------------------------------

    def _channel_refused(self, exc: ServiceError):
        self.channel_errors = self._errors_of(exc, CHANNEL_FIELDS)
        if not any(self.channel_errors.values()):
            return rx.toast.error(self._tr(exc.message))
        return None

    @staff_event(on_error="_channel_refused")
    def add_channel(self, session, ctx, form: dict):
        group_id = self._require_group()
        self.channel_errors = dict.fromkeys(CHANNEL_FIELDS, "")
        form = form if isinstance(form, dict) else {}
        channels_admin.add_channel(session, staff_id=ctx.staff_id, group_id=group_id,
                                   name=str(form.get("channel_name", ""))[:200],
                                   kind=str(form.get("channel_kind", ""))[:20])
        self.channel_form_key += 1
        self._group_changed(group_id)
        self._fill_channels(session)
        return rx.toast.success(self._tr("Channel added."))

    @staff_event
    def move_channel(self, session, ctx, channel_id: str, direction: str):
        group_id = self._require_group()
        channels_admin.move_channel(session, staff_id=ctx.staff_id, group_id=group_id,
                                    channel_id=channel_id, direction=str(direction))
        self._group_changed(group_id)
        self._fill_channels(session)

    @staff_event
    def toggle_approval(self, session, ctx, channel_id: str):
        """Approve every post and comment in the channel before it is published (or not)."""
        group_id = self._require_group()
        channel = channels_admin.get_channel(session, group_id=group_id, channel_id=channel_id)
        channels_admin.set_approve_posts(session, staff_id=ctx.staff_id, group_id=group_id,
                                         channel_id=channel.id, on=not channel.approve_posts)
        self._group_changed(group_id)
        self._fill_channels(session)

    @staff_event
    def archive_channel(self, session, ctx, channel_id: str):
        group_id = self._require_group()
        channels_admin.set_channel_archived(session, staff_id=ctx.staff_id, group_id=group_id,
                                            channel_id=channel_id, archived=True)
        self._group_changed(group_id)
        self._fill_channels(session)
        return rx.toast.success(self._tr("Channel archived."))

    @staff_event
    def restore_channel(self, session, ctx, channel_id: str):
        group_id = self._require_group()
        channels_admin.set_channel_archived(session, staff_id=ctx.staff_id, group_id=group_id,
                                            channel_id=channel_id, archived=False)
        self._group_changed(group_id)
        self._fill_channels(session)
        return rx.toast.success(self._tr("Channel restored."))

    @rx.event
    def ask_rename(self, channel_id: str):
        """Open the rename dialog for one of the channels shown (checked on save)."""
        row = next((c for c in self.channels if c["id"] == str(channel_id or "")), None)
        self.renaming, self.renaming_name = (row["id"], row["name"]) if row else ("", "")
        self.channel_errors = dict.fromkeys(CHANNEL_FIELDS, "")

    @rx.event
    def set_rename_open(self, is_open: bool):
        if not is_open:
            self.renaming = self.renaming_name = ""

    @staff_event(on_error="_channel_refused")
    def rename_channel(self, session, ctx, form: dict):
        group_id = self._require_group()
        form = form if isinstance(form, dict) else {}
        channels_admin.rename_channel(session, staff_id=ctx.staff_id, group_id=group_id,
                                      channel_id=self.renaming,
                                      name=str(form.get("channel_name", ""))[:200])
        self.renaming = self.renaming_name = ""
        self._group_changed(group_id)
        self._fill_channels(session)
        return rx.toast.success(self._tr("Channel renamed."))

    # --- join requests ----------------------------------------------------------------------

    @staff_event
    def approve_request(self, session, ctx, member_id: str):
        """The client becomes a member and is told so on the bell."""
        group_id = self._require_group()
        member = requests.approve_request(session, staff_id=ctx.staff_id, member_id=member_id,
                                          group_id=group_id, base_url=get_settings().base_url)
        self._group_changed(group_id, member.client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Request approved."))

    @rx.event
    def ask_decline(self, member_id: str):
        row = next((r for r in self.join_requests if r["id"] == str(member_id or "")), None)
        self.declining, self.declining_name = (row["id"], row["client"]) if row else ("", "")

    @rx.event
    def set_decline_open(self, is_open: bool):
        if not is_open:
            self.declining = self.declining_name = ""

    @staff_event
    def decline_request(self, session, ctx, form: dict):
        """Decline the request the dialog was opened for (an optional reason)."""
        group_id = self._require_group()
        form = form if isinstance(form, dict) else {}
        member = requests.decline_request(session, staff_id=ctx.staff_id,
                                          member_id=self.declining, group_id=group_id,
                                          reason=str(form.get("reason", ""))[:1000])
        self.declining = self.declining_name = ""
        self._group_changed(group_id, member.client_id)
        self._fill_requests(session)
        return rx.toast.success(self._tr("Request declined."))
