"""Console → Forms → Outstanding: every open form across clients (sent, opened,
in progress with its last activity, overdue), filterable by state and by form;
each row links to its client's page."""

from models.base import utcnow
from portal_app import routes
from portal_app.services.errors import ServiceError, parse_id
from portal_app.services.forms.requests import list_outstanding
from portal_app.services.forms.templates import list_templates
from state.console_format import console_zone, when
from state.console_forms.labels import OVERDUE, STATE_FILTERS, STATE_LABELS
from state.guards import staff_event
from state.staff_session import StaffState

STATES = {value for value, _ in STATE_FILTERS}


class FormsOutstandingState(StaffState):
    rows: list[dict[str, str]] = []
    form_options: list[dict[str, str]] = []  # id, title of every template (the form filter)
    state_filter: str = ""
    form_filter: str = ""

    def _fill(self, session) -> None:
        zone = console_zone(session)
        now = utcnow()
        status = self.state_filter if self.state_filter not in ("", OVERDUE) else None
        template_id = parse_id(self.form_filter, "") if self.form_filter else None
        found = list_outstanding(session, now=now, status=status,
                                 overdue_only=self.state_filter == OVERDUE,
                                 template_id=template_id)
        self.rows = [{
            "id": str(r.request.id), "client": r.client_name, "form": r.title,
            "url": routes.console_client(r.request.client_id),
            "sent": when(r.request.sent_at, zone),
            "state": OVERDUE if r.overdue else r.request.status,
            "state_label": self._tr(STATE_LABELS[OVERDUE if r.overdue else r.request.status]),
            "activity": when(r.request.last_activity_at, zone),
            "due": when(r.request.due_at, zone),
        } for r in found]
        self.form_options = [{"id": str(t.id), "title": t.title}
                             for t in list_templates(session, include_archived=True)]

    @staff_event
    def load(self, session, ctx):
        self._fill(session)

    def _live_refresh(self) -> None:
        """Pushed from outside (a client opened or submitted a form): reload."""
        self._as_staff(lambda s, c: self._fill(s))

    @staff_event
    def filter_state(self, session, ctx, value: str):
        self.state_filter = value if value in STATES else ""
        self._fill(session)

    @staff_event
    def filter_form(self, session, ctx, value: str):
        try:
            self.form_filter = str(parse_id(value, "")) if value else ""
        except ServiceError:
            self.form_filter = ""
        self._fill(session)
