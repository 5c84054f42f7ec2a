"""Console → Community → one group → Members: the list (search, status, paged),
remove / mute / ban with a confirm dialog (a reason for remove and ban; a period or
a last day for a mute), unmute, unban, and "Add a client" (found by name or email;
a staff grant to the group makes them a member at once).

Each change reaches the group's open tabs and the member's own tabs after the
commit, so a banned member's open page loses access at their next action."""

import reflex as rx

from portal_app import i18n
from portal_app.services.clients import list_clients
from portal_app.services.community import groups_admin, members_admin
from portal_app.services.errors import ServiceError
from state.console_community.common import MEMBER_LABELS, CommunityConsoleState, group_id_param
from state.console_format import console_zone, when
from state.guards import staff_event

ACTION_FIELDS = ("reason", "period", "until")
ACTIONS = ("remove", "mute", "ban")
ACTION_TITLES = {"remove": "Remove {name} from the group", "mute": "Mute {name}",
                 "ban": "Ban {name}"}
NO_GROUP = "Open a group first."


class ConsoleGroupMembersState(CommunityConsoleState):
    rows: list[dict[str, str]] = []
    search: str = ""
    status: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    action: str = ""  # the open dialog: remove, mute or ban
    action_title: str = ""
    action_member: str = ""
    action_errors: dict[str, str] = dict.fromkeys(ACTION_FIELDS, "")
    client_hits: list[dict[str, str]] = []
    add_error: str = ""
    _group_id: int = 0

    def _fill(self, session) -> None:
        zone = console_zone(session)
        found = members_admin.list_members(session, group_id=self._group_id,
                                           search=self.search, status=self.status,
                                           page=self.page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [{
            "id": str(r.id), "client_id": str(r.client_id), "name": r.name,
            "display_name": r.display_name, "status": r.status,
            "status_label": self._tr(MEMBER_LABELS.get(r.status, r.status)),
            "muted_until": when(r.muted_until, zone) if r.muted_until
            and r.status == "active" else "",
            "joined": when(r.joined_at, zone), "reason": r.reason,
        } for r in found.rows]

    def _require_group(self) -> int:
        if not self._group_id:
            raise ServiceError(NO_GROUP)
        return self._group_id

    def _live_refresh(self) -> None:
        if self._group_id:
            self._as_staff(lambda s, c: self._fill(s))

    @staff_event
    def load(self, session, ctx):
        self.search, self.status, self.page = "", "", 1
        self.action, self.client_hits, self.add_error = "", [], ""
        try:
            group = groups_admin.get_group(session, group_id=group_id_param(self))
        except ServiceError:
            self._group_id = 0
            self.rows = []
            return None
        self._group_id = group.id
        self._fill(session)
        return None

    @staff_event
    def search_members(self, session, ctx, form: dict):
        self._require_group()
        form = form if isinstance(form, dict) else {}
        self.search = str(form.get("search", "") or "").strip()[:100]
        status = str(form.get("status", "") or "")
        self.status = status if status in MEMBER_LABELS else ""
        self.page = 1
        self._fill(session)

    @staff_event
    def go_to_page(self, session, ctx, page: int):
        self._require_group()
        try:
            self.page = max(1, int(page))
        except (TypeError, ValueError):
            self.page = 1
        self._fill(session)

    @rx.event
    def ask(self, action: str, member_id: str):
        """Open the confirm dialog of `action` for one of the rows shown (the member is
        checked again on the server when confirmed)."""
        row = next((r for r in self.rows if r["id"] == str(member_id or "")), None)
        if row is None or action not in ACTIONS:
            self.action = ""
            return
        self.action, self.action_member = action, row["id"]
        self.action_title = i18n.gettext(self._lang, ACTION_TITLES[action], name=row["name"])
        self.action_errors = dict.fromkeys(ACTION_FIELDS, "")

    @rx.event
    def set_action_open(self, is_open: bool):
        if not is_open:
            self.action = self.action_member = ""

    def _action_refused(self, exc: ServiceError):
        self.action_errors = self._errors_of(exc, ACTION_FIELDS)
        if not any(self.action_errors.values()):
            return rx.toast.error(self._tr(exc.message))
        return None

    @staff_event(on_error="_action_refused")
    def confirm_action(self, session, ctx, form: dict):
        """Remove, mute or ban the member the dialog was opened for."""
        group_id = self._require_group()
        form = form if isinstance(form, dict) else {}
        reason = str(form.get("reason", "") or "")[:1000]
        common = {"staff_id": ctx.staff_id, "group_id": group_id,
                  "member_id": self.action_member}
        if self.action == "remove":
            member = members_admin.remove_member(session, reason=reason, **common)
            done = "Member removed."
        elif self.action == "ban":
            member = members_admin.ban_member(session, reason=reason, **common)
            done = "Member banned."
        elif self.action == "mute":
            member = members_admin.mute_member(
                session, period=str(form.get("period", ""))[:10],
                until_day=str(form.get("until", ""))[:20], zone=console_zone(session),
                reason=reason, **common)
            done = "Member muted."
        else:
            raise ServiceError("Choose what to do.")
        self.action = self.action_member = ""
        self._group_changed(group_id, member.client_id)
        self._fill(session)
        return rx.toast.success(self._tr(done))

    @staff_event
    def unmute(self, session, ctx, member_id: str):
        group_id = self._require_group()
        member = members_admin.unmute_member(session, staff_id=ctx.staff_id, group_id=group_id,
                                             member_id=member_id)
        self._group_changed(group_id, member.client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Member unmuted."))

    @staff_event
    def unban(self, session, ctx, member_id: str):
        """The ban is lifted; the client may join (or be added) again."""
        group_id = self._require_group()
        member = members_admin.unban_member(session, staff_id=ctx.staff_id, group_id=group_id,
                                            member_id=member_id)
        self._group_changed(group_id, member.client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Ban lifted."))

    @staff_event
    def find_clients(self, session, ctx, form: dict):
        """Clients by name or email, to add to the group."""
        self._require_group()
        form = form if isinstance(form, dict) else {}
        term = str(form.get("query", "") or "").strip()[:100]
        self.add_error = ""
        if not term:
            self.client_hits = []
            return None
        page = list_clients(session, search=term, per_page=8)
        self.client_hits = [{"id": str(c.id), "name": c.full_name, "email": c.email or ""}
                            for c in page.rows]
        return None

    def _add_refused(self, exc: ServiceError):
        self.add_error = self._tr(exc.message)

    @staff_event(on_error="_add_refused")
    def add_client(self, session, ctx, client_id: str):
        """Make the client a member at once (a staff grant to the group)."""
        group_id = self._require_group()
        self.add_error = ""
        member = members_admin.add_member(session, staff_id=ctx.staff_id, group_id=group_id,
                                          client_id=client_id)
        self.client_hits = []
        self._group_changed(group_id, member.client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Client added to the group."))
