"""What the console's moderation pages share: pushing a decision to the group's open
tabs (members' and staff's) after the commit, and the author / time texts of a row."""

from portal_app import live
from portal_app.services.errors import ServiceError
from state.staff_session import StaffState


def author_text(display: str, legal: str, is_staff: bool, staff_label: str) -> str:
    """"Ana (Ana López)": the chosen name with the legal one, which staff may see."""
    if is_staff:
        return f"{legal} · {staff_label}"
    if display and display != legal:
        return f"{display} ({legal})"
    return legal or display


class CommunityStaffState(StaffState):
    """Base of the moderation pages: `_group_changed(id)` notes a group whose tabs
    reload once this event's transaction has committed (and the other console tabs,
    whose queue may have changed)."""

    _live_groups: list[int] = []

    def _group_changed(self, *group_ids: int) -> None:
        self._live_groups = [*self._live_groups, *(int(g) for g in group_ids)]

    def _as_staff(self, action, *, refresh=None):
        self._live_groups = []
        event, result = super()._as_staff(action, refresh=refresh)
        groups, self._live_groups = self._live_groups, []
        if event is None and not isinstance(result, ServiceError) and groups:
            token = self.router.session.client_token
            for group_id in dict.fromkeys(groups):
                live.group_changed(group_id, exclude=token)
            live.staff_changed(exclude=token, about=live.COMMUNITY)
        return event, result
