"""Console → Referrals → Commissions (/console/referrals/commissions): every
commission, newest first, filtered by state and referrer, a page at a time; approve
or reject one or the ticked ones (rejecting asks the reason, which the referrer
sees). The ones a decision left as they were are listed with why.

Every handler is a staff event; the ids ticked are checked by the service."""

import reflex as rx

from models import CommissionState
from portal_app import i18n, live
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.services.referrals import commissions_admin, referrer_admin
from state.console_format import console_zone, when
from state.console_referrals.common import STATE_LABELS
from state.guards import staff_event
from state.selection import toggled
from state.staff_session import StaffState

STATE_FILTERS = ("all", *CommissionState.ALL)


class ConsoleCommissionsState(StaffState):
    rows: list[dict[str, str]] = []
    state_filter: str = "all"
    referrer_filter: str = ""
    referrer_options: list[dict[str, str]] = []  # id, name
    page: int = 1
    pages: int = 1
    total: int = 0
    selected: list[str] = []
    skipped: list[str] = []  # why the last decision left some as they were
    reject_open: bool = False
    reject_error: str = ""

    def _fill(self, session) -> None:
        found = commissions_admin.list_commissions(
            session, state=self.state_filter, referrer_id=self.referrer_filter,
            page=self.page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        zone = console_zone(session)
        self.rows = [{
            "id": str(r.id), "referrer_client": str(r.referrer_client_id),
            "referrer": r.referrer_name, "customer": r.customer_name,
            "invoice": r.invoice_number, "paid": when(r.paid_at, zone),
            "amount": format_money(r.amount_minor, r.currency, self._lang),
            "earned": (format_money(r.earned_minor, r.currency, self._lang)
                       if r.earned_minor != r.amount_minor else ""),
            "state": r.state, "state_label": self._tr(STATE_LABELS.get(r.state, r.state)),
            "hold_until": when(r.hold_until, zone) if r.state == CommissionState.PENDING
            else "",
            "reason": self._tr(r.reason) if r.reason else "",
            "open": "yes" if r.state in (CommissionState.PENDING,
                                         CommissionState.APPROVED) else "",
        } for r in found.rows]
        shown = {r["id"] for r in self.rows}
        self.selected = [i for i in self.selected if i in shown]

    @staff_event
    def load(self, session, ctx):
        self.state_filter, self.referrer_filter, self.page = "all", "", 1
        self.selected, self.skipped = [], []
        self.reject_open = False
        self.referrer_options = [{"id": str(i), "name": n}
                                 for i, n in referrer_admin.referrer_choices(session)]
        self._fill(session)

    @staff_event
    def apply_filters(self, session, ctx, form: dict):
        form = form if isinstance(form, dict) else {}
        state = str(form.get("state", "all") or "all")
        self.state_filter = state if state in STATE_FILTERS else "all"
        before, self.referrer_filter = self.referrer_filter, str(
            form.get("referrer_id", "") or "")[:20]
        self.page = 1
        self.selected, self.skipped = [], []
        try:
            self._fill(session)
        except ServiceError:
            self.referrer_filter = before  # an unknown referrer: the next page still works
            raise

    @staff_event
    def go_to_page(self, session, ctx, page: int):
        try:
            self.page = int(page)
        except (TypeError, ValueError):
            self.page = 1
        self._fill(session)

    @rx.event
    def toggle_row(self, commission_id: str, checked: bool):
        """Tick or untick one commission (display only; the decision checks the ids)."""
        self.selected = toggled(self.selected, commission_id, checked)

    @rx.event
    def toggle_page(self, checked: bool):
        self.selected = [r["id"] for r in self.rows if r["open"]] if checked else []

    def _decided(self, done: int, skipped: list[str], approve: bool):
        """Say what the decision did; the referrers' open pages show it live."""
        chosen = set(self.selected)
        self._client_changed(*(int(r["referrer_client"]) for r in self.rows
                               if r["id"] in chosen), about=live.REFERRALS)
        self.skipped = [i18n.translate(self._lang, s) for s in skipped]
        self.selected = []
        text = ("Approved: {count}." if approve else "Rejected: {count}.")
        message = i18n.gettext(self._lang, text, count=done)
        if skipped:
            message += " " + i18n.gettext(self._lang, "Left as they were: {count}.",
                                          count=len(skipped))
            return rx.toast.warning(message)
        return rx.toast.success(message)

    @staff_event
    def approve_selected(self, session, ctx):
        """Approve the ticked commissions whose hold has ended."""
        done, skipped = commissions_admin.decide_commissions(
            session, staff_id=ctx.staff_id, commission_ids=list(self.selected), approve=True)
        result = self._decided(done, skipped, True)
        self._fill(session)
        return result

    @staff_event
    def approve_one(self, session, ctx, commission_id: str):
        done, skipped = commissions_admin.decide_commissions(
            session, staff_id=ctx.staff_id, commission_ids=[commission_id], approve=True)
        self.selected = [str(commission_id)]
        result = self._decided(done, skipped, True)
        self._fill(session)
        return result

    @rx.event
    def open_reject(self):
        """The reject dialog, for the ticked commissions (display only)."""
        if not self.selected:
            return rx.toast.error(self._tr("Select at least one commission."))
        self.reject_error = ""
        self.reject_open = True
        return None

    @rx.event
    def reject_one(self, commission_id: str):
        """The reject dialog for one commission (display only)."""
        self.selected = [str(commission_id)]
        self.reject_error = ""
        self.reject_open = True

    @rx.event
    def set_reject_open(self, value: bool):
        self.reject_open = bool(value)

    def _reject_refused(self, exc: ServiceError):
        if exc.field == "reason":
            self.reject_error = self._tr(exc.message)
            return None
        self.reject_open = False
        return rx.toast.error(self._tr(exc.message))

    @staff_event(on_error="_reject_refused")
    def reject_selected(self, session, ctx, form: dict):
        """Reject the chosen commissions with the reason the referrer will see."""
        form = form if isinstance(form, dict) else {}
        self.reject_error = ""
        done, skipped = commissions_admin.decide_commissions(
            session, staff_id=ctx.staff_id, commission_ids=list(self.selected),
            approve=False, reason=form.get("reason", ""))
        self.reject_open = False
        result = self._decided(done, skipped, False)
        self._fill(session)
        return result
