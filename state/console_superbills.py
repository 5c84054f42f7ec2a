"""Console superbills: the section on a client's page (requests, held and issued
superbills, "Produce superbill" for a range in one action, the pre-flight's list of
what is missing with links to fix it) and the list of open requests in Billing.

The client is a backend var set by `load` from the page's `id`; a request id from
the browser must be one of that client's (NotFound otherwise)."""

import reflex as rx

from models import SuperbillStatus
from portal_app import routes
from portal_app.services import clients
from portal_app.services.billing.dates import client_zone
from portal_app.services.billing.superbills import ranges
from portal_app.services.billing.superbills import requests as superbills
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_format import console_zone, when
from state.guards import staff_event
from state.staff_session import StaffState
from state.superbills import STATUS_LABELS, days_text

NO_CLIENT = "Open a client first."
ISSUED = "Superbill issued. The client has been told."
MISSING = "The superbill was not issued: fix what is missing, then produce it again."
SOURCE_LABELS = {"client": "Asked by the client", "staff": "Produced by staff",
                 "monthly": "Monthly"}
STAFF_CHOICES = ("this_month", "last_month", "custom")
FIELDS = ("choice", "start", "end")


class ClientSuperbillsState(StaffState):
    enabled: bool = False
    superbill_rows: list[dict[str, str]] = []
    problems: list[dict[str, str]] = []  # text, link
    choice: str = "last_month"
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")
    _client_id: int = 0

    def _fill(self, session) -> None:
        zone = console_zone(session)
        self.enabled = superbills.superbills_on(get_business(session))
        self.superbill_rows = [{
            "id": str(r.id), "days": days_text(r.start_date, r.end_date, self._lang),
            "status": r.status, "status_label": self._tr(STATUS_LABELS.get(r.status, r.status)),
            "source": self._tr(SOURCE_LABELS.get(r.source, r.source)), "note": r.note,
            "at": when(r.issued_at or r.requested_at, zone),
            "pdf": routes.console_superbill_pdf(r.id) if r.status == SuperbillStatus.ISSUED else "",
            "open": "" if r.status == SuperbillStatus.ISSUED else "yes",
        } for r in superbills.client_superbills(session, client_id=self._client_id)]

    def _field_error(self, exc: ServiceError) -> None:
        field = exc.field if exc.field in FIELDS else "choice"
        self.errors = {**dict.fromkeys(FIELDS, ""), field: self._tr(exc.message)}

    def _outcome(self, session, produced: superbills.Produced):
        self._fill(session)
        if produced.superbill is None:
            self.problems = [{"text": p.text(self._lang), "link": p.link}
                             for p in produced.problems]
            return rx.toast.error(self._tr(MISSING))
        self.problems = []
        return rx.toast.success(self._tr(ISSUED))

    @staff_event
    def load(self, session, ctx):
        self.problems = []
        self.errors = dict.fromkeys(FIELDS, "")
        try:
            client = clients.get_client(
                session, client_id=self.router.url.query_parameters.get("id", ""))
        except ServiceError:
            self._client_id = 0
            self.superbill_rows = []
            return None
        self._client_id = client.id
        self._fill(session)
        return None

    @rx.event
    def choose(self, value: str):
        self.choice = value if value in STAFF_CHOICES else "last_month"
        self.errors = dict.fromkeys(FIELDS, "")

    @staff_event(on_error="_field_error")
    def produce(self, session, ctx, form: dict):
        """"Produce superbill" for a range: the pre-flight, then issue (or the list of
        what is missing, nothing changed)."""
        if not self._client_id:
            raise ServiceError(NO_CLIENT)
        self.errors = dict.fromkeys(FIELDS, "")
        client = clients.get_client(session, client_id=self._client_id)
        choice = form.get("choice")
        if choice not in STAFF_CHOICES:
            raise ServiceError("Choose a range.", field="choice")
        start, end = ranges.pick_range(
            session, client_id=client.id, zone=client_zone(client, get_business(session)),
            choice=choice, start=form.get("start", ""), end=form.get("end", ""))
        return self._outcome(session, superbills.produce_superbill(
            session, staff_id=ctx.staff_id, client_id=client.id, start=start, end=end,
            base_url=get_settings().base_url))

    @staff_event
    def produce_request(self, session, ctx, superbill_id: str):
        """"Produce" on one of this client's open requests (its range)."""
        if not self._client_id:
            raise ServiceError(NO_CLIENT)
        return self._outcome(session, superbills.produce_request(
            session, staff_id=ctx.staff_id, superbill_id=superbill_id,
            client_id=self._client_id, base_url=get_settings().base_url))


class SuperbillRequestsState(StaffState):
    """Billing: the superbills clients asked for and the monthly ones held."""

    request_rows: list[dict[str, str]] = []

    @staff_event
    def load(self, session, ctx):
        zone = console_zone(session)
        self.request_rows = [{
            "id": str(r.id), "client": name, "link": routes.console_client(r.client_id),
            "days": days_text(r.start_date, r.end_date, self._lang), "status": r.status,
            "status_label": self._tr(STATUS_LABELS.get(r.status, r.status)),
            "at": when(r.requested_at, zone), "note": r.note,
        } for r, name in superbills.open_requests(session)]
