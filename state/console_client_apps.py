"""Console → client → "Apps & access": the record's grants (what, source, start,
end, active / ended / revoked, in the staff member's zone), "Give access" (Courses
or Community as a whole, one course or one community group, optional last day), "End access" (optional reason) and
"Restore". The client is a backend var set by `load` from the page's `id`; a grant
id from the browser must be one of that client's (the same NotFound otherwise).
Open tabs of the client follow at once (live push), and every app check refuses
an ended grant from the client's next event."""

import reflex as rx

from models import GrantSource
from portal_app import apps, i18n
from portal_app.services import clients
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.hub import entitlements, staff_grants
from portal_app.services.hub.entitlements import enabled_apps
from state.console_format import console_zone, when
from state.guards import staff_event
from state.staff_session import StaffState

NO_CLIENT = "Open a client first."
SOURCE_LABELS = {GrantSource.PURCHASE: "Purchase", GrantSource.OFFER: "Free offer",
                 GrantSource.BOOKING: "Booking", GrantSource.STAFF: "Given by staff",
                 GrantSource.INVITATION: "Invitation"}
STATE_LABELS = {"active": "Active", "scheduled": "Starts later", "ended": "Ended",
                "revoked": "Revoked"}
WHOLE_APP_LABEL = "{app} (everything)"
FIELDS = ("target", "ends")


class ClientAppsState(StaffState):
    grant_rows: list[dict[str, str]] = []
    # value, label: "Courses (everything)", each course, "Community (everything)", each group
    targets: list[dict[str, str]] = []
    courses_on: bool = True  # the business has the Courses app on
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")
    ending: str = ""  # the grant whose "End access" dialog is open
    ending_what: str = ""  # what it gives access to (the dialog's title)
    _client_id: int = 0

    def _fill(self, session) -> None:
        zone = console_zone(session)
        self.courses_on = apps.COURSES in enabled_apps(get_business(session))
        self.grant_rows = [{
            "id": str(r.id), "what": r.what or self._whole(r.app_key),
            "source": self._tr(SOURCE_LABELS.get(r.source, r.source)),
            "start": when(r.starts_at, zone), "end": when(r.ends_at, zone),
            "revoked": when(r.revoked_at, zone), "reason": r.reason,
            "state": r.state, "state_label": self._tr(STATE_LABELS[r.state]),
        } for r in staff_grants.list_grant_rows(session, client_id=self._client_id)]
        self.targets = [
            {"value": staff_grants.WHOLE_APP,
             "label": self._whole(apps.COURSES)},
            *({"value": str(cid), "label": title} for cid, title, _status
              in staff_grants.list_course_choices(session)),
            {"value": staff_grants.WHOLE_COMMUNITY, "label": self._whole(apps.COMMUNITY)},
            *({"value": f"{staff_grants.GROUP_PREFIX}{gid}",
               "label": self._tr("Group: ") + name}
              for gid, name in staff_grants.list_group_choices(session))]

    def _whole(self, app_key: str) -> str:
        """"Courses (everything)" in the reader's language."""
        spec = apps.get_app(app_key)
        return i18n.gettext(self._lang, WHOLE_APP_LABEL,
                            app=self._tr(spec.label) if spec else app_key)

    def _field_error(self, exc: ServiceError) -> None:
        field = exc.field if exc.field in FIELDS else "target"
        self.errors = {**dict.fromkeys(FIELDS, ""), field: self._tr(exc.message)}

    def _require_client(self):
        if not self._client_id:
            raise ServiceError(NO_CLIENT)
        return self._client_id

    @staff_event
    def load(self, session, ctx):
        self.errors = dict.fromkeys(FIELDS, "")
        self.ending = self.ending_what = ""
        try:
            client = clients.get_client(
                session, client_id=self.router.url.query_parameters.get("id", ""))
        except ServiceError:
            self._client_id = 0
            self.grant_rows = []
            return None
        self._client_id = client.id
        self._fill(session)
        return None

    @staff_event(on_error="_field_error")
    def give_access(self, session, ctx, form: dict):
        """Give this client Courses or Community as a whole, one course or one group
        (a member at once), from now."""
        client_id = self._require_client()
        self.errors = dict.fromkeys(FIELDS, "")
        form = form if isinstance(form, dict) else {}
        staff_grants.give_access(session, staff_id=ctx.staff_id, client_id=client_id,
                                 target=form.get("target", ""), last_day=form.get("ends", ""),
                                 zone=console_zone(session))
        self._client_changed(client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Access given."))

    @rx.event
    def ask_end(self, grant_id: str):
        """Open the "End access" dialog for one of the rows shown (nothing changes yet;
        `end_access` checks the grant on the server)."""
        row = next((r for r in self.grant_rows if r["id"] == str(grant_id or "")), None)
        self.ending, self.ending_what = (row["id"], row["what"]) if row else ("", "")

    @rx.event
    def set_end_open(self, is_open: bool):
        """The dialog closed (Cancel, Escape, outside click): forget the grant."""
        if not is_open:
            self.ending = self.ending_what = ""

    @staff_event
    def end_access(self, session, ctx, form: dict):
        """End (revoke) the grant the dialog was opened for, now, with an optional
        reason; it must be one of this client's (NotFound otherwise)."""
        client_id = self._require_client()
        reason = str(form.get("reason", "") if isinstance(form, dict) else "")
        entitlements.revoke_grant(session, grant_id=self.ending, staff_id=ctx.staff_id,
                                  reason=reason, client_id=client_id)
        self.ending = self.ending_what = ""
        self._client_changed(client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Access ended. The client's progress is kept."))

    @staff_event
    def restore_access(self, session, ctx, grant_id: str):
        """Undo an "End access" on one of this client's grants; progress is where it was."""
        client_id = self._require_client()
        entitlements.restore_grant(session, grant_id=grant_id, staff_id=ctx.staff_id,
                                   client_id=client_id)
        self._client_changed(client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Access restored."))
