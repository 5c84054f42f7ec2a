"""Console → Community (/console/community): the Community app switch ("on for the
business", "every client may use Community"), the groups with their members,
waiting requests and content waiting for review, and "New group".

Turning the app on or off, or opening it to every client, changes every client's
app switcher: it is pushed to their open tabs after the commit."""

import reflex as rx

from portal_app import routes
from portal_app.services.community import groups_admin
from portal_app.services.errors import ServiceError
from state.console_community.common import VISIBILITY_LABELS, CommunityConsoleState
from state.guards import staff_event

FIELDS = groups_admin.GROUP_FIELDS


def _flag(raw: object) -> bool:
    return raw is True or str(raw or "").lower() in ("on", "true", "yes", "1")


class ConsoleGroupsState(CommunityConsoleState):
    app_on: bool = False
    app_open: bool = False
    app_error: str = ""
    app_key: int = 0  # remounts the switch form with the saved values
    groups: list[dict[str, str]] = []
    new_open: bool = False
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")
    form_key: int = 0

    def _fill(self, session) -> None:
        self.app_on, self.app_open = groups_admin.app_switch(session)
        self.app_key += 1
        self.groups = [{
            "id": str(g.id), "name": g.name, "href": routes.console_community_group(g.id),
            "visibility": self._tr(VISIBILITY_LABELS.get(g.visibility, g.visibility)),
            "archived": "yes" if g.archived else "", "members": str(g.members),
            "requests": str(g.requests), "waiting": str(g.waiting),
        } for g in groups_admin.list_groups(session)]

    @staff_event
    def load(self, session, ctx):
        self.app_error = ""
        self.new_open = False
        self._fill(session)

    def _app_refused(self, exc: ServiceError):
        self.app_error = self._tr(exc.message)

    @staff_event(on_error="_app_refused")
    def save_app(self, session, ctx, form: dict):
        """Community on or off for the business, and open to every client or not."""
        self.app_error = ""
        form = form if isinstance(form, dict) else {}
        changed = groups_admin.set_app(session, staff_id=ctx.staff_id,
                                       on=_flag(form.get("app_on")),
                                       open_to_all=_flag(form.get("app_open")))
        if changed:
            self._everyone_changed()
        self._fill(session)
        return rx.toast.success(self._tr("Community settings saved."))

    @staff_event
    def open_new(self, session, ctx):
        self.errors = dict.fromkeys(FIELDS, "")
        self.form_key += 1
        self.new_open = True

    @rx.event
    def set_new_open(self, is_open: bool):
        """The dialog closed (Cancel, Escape, outside click)."""
        if not is_open:
            self.new_open = False

    def _new_refused(self, exc: ServiceError):
        self.errors = self._errors_of(exc, FIELDS)
        if not any(self.errors.values()):
            return rx.toast.error(self._tr(exc.message))
        return None

    @staff_event(on_error="_new_refused")
    def create_group(self, session, ctx, form: dict):
        """A new group (with its Feed and Announcements channels); opens its page."""
        form = form if isinstance(form, dict) else {}
        group = groups_admin.create_group(session, staff_id=ctx.staff_id, form={
            k: str(form.get(k, "") or "")[:4000] for k in FIELDS})
        self.new_open = False
        self._fill(session)
        return [rx.toast.success(self._tr("Group created.")),
                rx.redirect(routes.console_community_group(group.id))]
