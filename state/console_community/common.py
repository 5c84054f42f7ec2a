"""What the console's Community pages share: the base state that pushes a group's
changes to its open tabs after the commit, and the labels of statuses and kinds."""

from models import ChannelKind, GroupVisibility, LinkRule, MemberStatus
from portal_app import live
from portal_app.services.community.groups_admin import FieldErrors
from portal_app.services.errors import ServiceError
from state.staff_session import StaffState

VISIBILITY_LABELS = {GroupVisibility.OPEN: "Open to all", GroupVisibility.PRIVATE: "Private",
                     GroupVisibility.ENTITLED: "Entitlement-only"}
KIND_LABELS = {ChannelKind.FEED: "Feed", ChannelKind.ANNOUNCEMENTS: "Announcements",
               ChannelKind.QUESTIONS: "Questions"}
LINK_LABELS = {LinkRule.ALLOW: "Allow links", LinkRule.HOLD: "Hold posts with links",
               LinkRule.BLOCK: "Refuse posts with links"}
MEMBER_LABELS = {MemberStatus.ACTIVE: "Active", MemberStatus.REQUESTED: "Requested",
                 MemberStatus.DECLINED: "Declined", MemberStatus.LEFT: "Left",
                 MemberStatus.REMOVED: "Removed", MemberStatus.BANNED: "Banned"}


def group_id_param(state) -> str:
    """The page's `id` query parameter (checked by the services)."""
    return str(state.router.url.query_parameters.get("id", "") or "")[:20]


class CommunityConsoleState(StaffState):
    """Base of the console's Community pages: `_group_changed` notes a group whose open
    tabs (and members' tabs) reload once the event's transaction has committed."""

    _live_groups: list[int] = []

    def _group_changed(self, group_id: int, *client_ids: int) -> None:
        self._live_groups = [*self._live_groups, int(group_id)]
        self._client_changed(*client_ids, about=live.COMMUNITY)

    def _push_changes(self) -> None:
        groups, self._live_groups = self._live_groups, []
        own = self.router.session.client_token  # this tab has reloaded already
        for group_id in dict.fromkeys(groups):
            live.group_changed(group_id, exclude=own)
        super()._push_changes()

    def _as_staff(self, action, *, refresh=None):
        self._live_groups = []
        event, result = super()._as_staff(action, refresh=refresh)
        if isinstance(result, ServiceError):
            self._live_groups = []  # nothing was committed: nothing to push
        return event, result

    def _errors_of(self, exc: ServiceError, fields) -> dict[str, str]:
        """Every bad field's message (translated) beside it; the others cleared."""
        errors = dict.fromkeys(fields, "")
        found = exc.errors if isinstance(exc, FieldErrors) else {exc.field: exc.message}
        for field, message in found.items():
            if field in errors:
                errors[field] = self._tr(message)
        return errors
