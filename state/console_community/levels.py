"""Console → Community → one group → Gamification (/console/community/levels?id=):
on or off, the points each action earns, and the levels (name, points needed,
an optional reward offer chosen from the active offers), sorted by points.
Every bad field is shown beside it; the group is a backend var set by `load`."""

import reflex as rx

from portal_app import routes
from portal_app.services.community import groups_admin, levels_admin
from portal_app.services.errors import ServiceError
from state.console_community.common import CommunityConsoleState, group_id_param
from state.guards import staff_event

POINT_FIELDS = levels_admin.POINT_FIELDS
LEVEL_FIELDS = levels_admin.LEVEL_FIELDS
NO_GROUP = "Open a group first."
EMPTY_LEVEL = {"name": "", "threshold": "", "reward_offer_id": ""}


class ConsoleLevelsState(CommunityConsoleState):
    found: bool = False
    group_name: str = ""
    group_href: str = ""
    values: dict[str, str] = {}
    errors: dict[str, str] = dict.fromkeys(POINT_FIELDS, "")
    form_key: int = 0
    levels: list[dict[str, str]] = []
    rewards: list[dict[str, str]] = []  # id, name: active offers
    level_values: dict[str, str] = dict(EMPTY_LEVEL)
    level_errors: dict[str, str] = dict.fromkeys(LEVEL_FIELDS, "")
    level_form_key: int = 0
    editing: str = ""  # the level being edited ("" = a new one)
    _group_id: int = 0

    def _fill(self, session) -> None:
        g = groups_admin.get_group(session, group_id=self._group_id)
        self.found = True
        self.group_name = g.name
        self.group_href = routes.console_community_group(g.id)
        self.values = {"gamification": "yes" if g.gamification else "",
                       **{f: str(getattr(g, f)) for f in POINT_FIELDS}}
        self.form_key += 1
        self._fill_levels(session)

    def _fill_levels(self, session) -> None:
        self.levels = [{
            "id": str(lv.id), "name": lv.name, "threshold": str(lv.threshold),
            "reward": lv.reward_name, "reward_offer_id": str(lv.reward_offer_id or ""),
        } for lv in levels_admin.list_levels(session, group_id=self._group_id)]
        self.rewards = [{"id": str(i), "name": n}
                        for i, n in levels_admin.reward_choices(session)]

    def _require_group(self) -> int:
        if not self._group_id:
            raise ServiceError(NO_GROUP)
        return self._group_id

    @staff_event
    def load(self, session, ctx):
        self.errors = dict.fromkeys(POINT_FIELDS, "")
        self._reset_level()
        try:
            group = groups_admin.get_group(session, group_id=group_id_param(self))
        except ServiceError:
            self._group_id = 0
            self.found = False
            self.levels = []
            return None
        self._group_id = group.id
        self._fill(session)
        return None

    def _reset_level(self) -> None:
        self.editing = ""
        self.level_values = dict(EMPTY_LEVEL)
        self.level_errors = dict.fromkeys(LEVEL_FIELDS, "")
        self.level_form_key += 1

    def _points_refused(self, exc: ServiceError):
        self.errors = self._errors_of(exc, POINT_FIELDS)
        if any(self.errors.values()):
            return rx.toast.error(self._tr("Check the fields marked."))
        return rx.toast.error(self._tr(exc.message))

    @staff_event(on_error="_points_refused")
    def save_points(self, session, ctx, form: dict):
        """Gamification on or off, and the points per action."""
        group_id = self._require_group()
        self.errors = dict.fromkeys(POINT_FIELDS, "")
        form = form if isinstance(form, dict) else {}
        levels_admin.save_gamification(
            session, staff_id=ctx.staff_id, group_id=group_id,
            form={k: str(form.get(k, "") or "")[:20] for k in ("gamification", *POINT_FIELDS)})
        self._group_changed(group_id)
        self._fill(session)
        return rx.toast.success(self._tr("Gamification saved."))

    @rx.event
    def edit_level(self, level_id: str):
        """Fill the level form with one of the levels shown (checked again on save)."""
        row = next((lv for lv in self.levels if lv["id"] == str(level_id or "")), None)
        if row is None:
            return
        self.editing = row["id"]
        self.level_values = {"name": row["name"], "threshold": row["threshold"],
                             "reward_offer_id": row["reward_offer_id"]}
        self.level_errors = dict.fromkeys(LEVEL_FIELDS, "")
        self.level_form_key += 1

    @rx.event
    def new_level(self):
        self._reset_level()

    def _level_refused(self, exc: ServiceError):
        self.level_errors = self._errors_of(exc, LEVEL_FIELDS)
        if not any(self.level_errors.values()):
            return rx.toast.error(self._tr(exc.message))
        return None

    @staff_event(on_error="_level_refused")
    def save_level(self, session, ctx, form: dict):
        """Add a level, or save the one being edited."""
        group_id = self._require_group()
        form = form if isinstance(form, dict) else {}
        levels_admin.save_level(session, staff_id=ctx.staff_id, group_id=group_id,
                                level_id=self.editing or None,
                                form={k: str(form.get(k, "") or "")[:100] for k in LEVEL_FIELDS})
        self._reset_level()
        self._fill_levels(session)
        return rx.toast.success(self._tr("Level saved."))

    @staff_event
    def delete_level(self, session, ctx, level_id: str):
        """Delete a level (rewards already granted stay)."""
        group_id = self._require_group()
        levels_admin.delete_level(session, staff_id=ctx.staff_id, group_id=group_id,
                                  level_id=level_id)
        self._reset_level()
        self._fill_levels(session)
        return rx.toast.success(self._tr("Level deleted."))
