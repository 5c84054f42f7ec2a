"""Console → Referrals (/console/referrals): the referrers with their clicks,
sign-ups, customers and commission sums; search by name; invite a client (found by
name or email); disable or enable a referrer; move a customer to a referrer.

Every handler is a staff event; every id from the browser (client, referrer) is
checked by the services."""

import reflex as rx

from models import JoinRule
from portal_app import i18n
from portal_app.services.clients import list_clients
from portal_app.services.errors import ServiceError
from portal_app.services.referrals import referrer_admin
from portal_app.services.referrals.program import get_program
from portal_app.settings import get_settings
from state.console_referrals.common import REFERRER_LABELS, amounts_text
from state.guards import staff_event
from state.staff_session import StaffState

MOVE_FIELDS = ("client", "referrer", "reason")


class ConsoleReferrersState(StaffState):
    rows: list[dict[str, str]] = []
    search: str = ""
    client_hits: list[dict[str, str]] = []  # the invitation's client picker
    move_open: bool = False
    move_hits: list[dict[str, str]] = []  # the customer picker of "Move a customer"
    move_client: dict[str, str] = {}  # the customer chosen (id, name)
    move_errors: dict[str, str] = dict.fromkeys(MOVE_FIELDS, "")
    referrer_options: list[dict[str, str]] = []  # id, name
    by_invitation: bool = False  # the join rule is not "any client": invitations count

    def _fill(self, session) -> None:
        figures = referrer_admin.list_referrers(session, search=self.search)
        self.by_invitation = get_program(session).join_rule != JoinRule.ANY
        self.rows = [{
            "id": str(r.id), "client_id": str(r.client_id), "name": r.name, "code": r.code,
            "coupon": r.coupon or "—", "status": r.status,
            "status_label": self._tr(REFERRER_LABELS.get(r.status, r.status)),
            "clicks": str(r.clicks), "signups": str(r.signups),
            "customers": str(r.customers),
            **{state: amounts_text(r.sums[state], self._lang) for state in r.sums},
        } for r in figures]

    @staff_event
    def load(self, session, ctx):
        self.search = ""
        self.client_hits = []
        self.move_open = False
        self._fill(session)

    @staff_event
    def search_referrers(self, session, ctx, form: dict):
        """Referrers whose name holds the words typed."""
        form = form if isinstance(form, dict) else {}
        self.search = str(form.get("search", "") or "").strip()[:100]
        self._fill(session)

    @staff_event
    def find_clients(self, session, ctx, form: dict):
        """Clients by name or email, to invite to the program."""
        form = form if isinstance(form, dict) else {}
        self.client_hits = self._clients(session, form.get("query"))

    def _clients(self, session, raw) -> list[dict[str, str]]:
        term = str(raw or "").strip()[:100]
        if not term:
            return []
        return [{"id": str(c.id), "name": c.full_name, "email": c.email or ""}
                for c in list_clients(session, search=term, per_page=8).rows]

    @staff_event
    def invite(self, session, ctx, client_id: str):
        """Invite this client: a grant of the Referrals app (source: invitation)."""
        made = referrer_admin.invite_client(session, staff_id=ctx.staff_id,
                                            client_id=client_id,
                                            base_url=get_settings().base_url)
        name = next((c["name"] for c in self.client_hits if c["id"] == str(client_id)), "")
        self.client_hits = []
        self._client_changed(int(client_id))  # their app switcher shows Referrals
        if not made:
            return rx.toast.info(self._tr("That client is invited already."))
        return rx.toast.success(i18n.gettext(
            self._lang, "{name} is invited: Referrals opens in their portal.", name=name))

    @staff_event
    def disable_referrer(self, session, ctx, referrer_id: str):
        """Their link and coupon stop attributing; commissions earned stay."""
        row = referrer_admin.set_status(session, staff_id=ctx.staff_id,
                                        referrer_id=referrer_id, active=False)
        self._client_changed(row.client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Referrer disabled."))

    @staff_event
    def enable_referrer(self, session, ctx, referrer_id: str):
        row = referrer_admin.set_status(session, staff_id=ctx.staff_id,
                                        referrer_id=referrer_id, active=True)
        self._client_changed(row.client_id)
        self._fill(session)
        return rx.toast.success(self._tr("Referrer enabled."))

    # --- "Move a customer" -------------------------------------------------------------

    @staff_event
    def open_move(self, session, ctx):
        self.move_hits = []
        self.move_client = {}
        self.move_errors = dict.fromkeys(MOVE_FIELDS, "")
        self.referrer_options = [{"id": str(i), "name": n}
                                 for i, n in referrer_admin.referrer_choices(session)]
        self.move_open = True

    @rx.event
    def close_move(self, value: bool = False):
        """The dialog's own close (display only)."""
        self.move_open = bool(value) and self.move_open

    @staff_event
    def find_customers(self, session, ctx, form: dict):
        form = form if isinstance(form, dict) else {}
        self.move_hits = self._clients(session, form.get("query"))

    @rx.event
    def choose_customer(self, client_id: str):
        """Pick a customer from the hits shown (display only; the save checks the id)."""
        chosen = next((c for c in self.move_hits if c["id"] == str(client_id)), None)
        self.move_client = dict(chosen) if chosen else {}

    def _move_refused(self, exc: ServiceError):
        if exc.field not in MOVE_FIELDS:
            return rx.toast.error(self._tr(exc.message))
        self.move_errors = {**dict.fromkeys(MOVE_FIELDS, ""), exc.field: self._tr(exc.message)}
        return None

    @staff_event(on_error="_move_refused")
    def move_customer(self, session, ctx, form: dict):
        """Bind the chosen customer to the chosen referrer, with the reason (audited);
        later payments earn for that referrer."""
        self.move_errors = dict.fromkeys(MOVE_FIELDS, "")
        form = form if isinstance(form, dict) else {}
        if not self.move_client:
            raise ServiceError("Choose the customer.", field="client")
        referrer_admin.reassign_customer(
            session, staff_id=ctx.staff_id, client_id=self.move_client["id"],
            referrer_id=form.get("referrer_id"), reason=form.get("reason", ""))
        self.move_open = False
        self._fill(session)
        return rx.toast.success(self._tr("Customer moved."))
