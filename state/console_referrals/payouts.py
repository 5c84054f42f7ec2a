"""Console → Referrals → Payouts (/console/referrals/payouts).

Who is due what (per referrer and currency) → choose one → tick their approved
commissions (all ticked at first) → "Pay out…" shows the plan (commissions, the open
adjustments it deducts, the net) with the method (the referrer's own choice first),
a reference and a note → "Record payout" pays (services/referrals/payouts.pay_out:
the statement email, account credit applied). Below, the history, one payout's
lines, and the CSV for the bank (a date range, or the ticked payouts).

The chosen referrer and the confirmed commissions are backend vars; every id the
browser sends is checked again by the services (a commission of another referrer
is NotFound)."""

import reflex as rx

from portal_app import i18n, live, routes
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.services.referrals import payout_admin, payouts
from portal_app.settings import get_settings
from state.console_format import console_zone, when
from state.guards import beside_field, staff_event
from state.selection import toggled
from state.staff_session import StaffState

FIELDS = ("method", "reference", "note", "date_from", "date_to")
DETAIL_KEYS = ("number", "referrer", "date", "method", "amount", "reference", "note")
CHOOSE_FIRST = "Choose a referrer first."
CHANGED = "What is due changed since you opened this payout: check it again."
PAID = "Payout {number} recorded: {amount}."
COMMISSION_LINE = "Commission #{number} · {invoice} · {customer}"


class ReferralPayoutsState(StaffState):
    due_rows: list[dict[str, str]] = []
    # The chosen referrer (one due row) and their approved commissions.
    payee_key: str = ""
    payee_name: str = ""
    payee_details: str = ""
    commission_rows: list[dict[str, str]] = []
    selected: list[str] = []
    # The confirm dialog.
    plan_open: bool = False
    plan_lines: list[dict[str, str]] = []  # key, label, amount
    plan_total: str = ""
    method: str = ""
    form_key: int = 0
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")
    # The history, one payout's lines, the CSV links.
    history_rows: list[dict[str, str]] = []
    history_page: int = 1
    history_pages: int = 1
    detail_open: bool = False
    detail: dict[str, str] = dict.fromkeys(DETAIL_KEYS, "")
    detail_lines: list[dict[str, str]] = []
    chosen_payouts: list[str] = []
    range_csv_url: str = ""
    all_csv_url: str = routes.CONSOLE_REFERRAL_PAYOUTS_CSV
    _referrer_id: int = 0
    _client_id: int = 0
    _currency: str = ""
    _own_method: str = ""
    _plan_ids: list[int] = []
    _plan_amount: int = 0

    # --- reading -----------------------------------------------------------------------------

    def _money(self, minor: int, currency: str) -> str:
        return format_money(minor, currency, self._lang)

    def _method(self, method: str) -> str:
        return self._tr(payouts.METHOD_LABELS.get(method, method))

    def _fill_due(self, session) -> None:
        self.due_rows = [{
            "key": f"{r.referrer_id}-{r.currency}", "referrer_id": str(r.referrer_id),
            "name": r.name, "currency": r.currency,
            "approved": self._money(r.approved_minor, r.currency),
            "count": str(r.approved_count),
            "adjustments": self._money(r.adjustments_minor, r.currency)
            if r.adjustment_count else "—",
            "net": self._money(r.net_minor, r.currency),
            "minimum": self._money(r.minimum_minor, r.currency) if r.minimum_minor else "",
            "reaches": "yes" if r.reaches_minimum else "",
            "can_pay": "yes" if r.approved_count else "",
            "method": self._method(r.method),
        } for r in payout_admin.list_due(session)]

    def _fill_history(self, session, page: object = 1) -> None:
        found = payout_admin.list_payouts(session, page=page)
        zone = console_zone(session)
        self.history_page, self.history_pages = found.page, found.pages
        self.history_rows = [{
            "id": str(r.payout_id), "number": r.number, "date": when(r.created_at, zone),
            "referrer": r.referrer_name, "method": self._method(r.method),
            "amount": self._money(r.amount_minor, r.currency), "reference": r.reference,
            "credit": "yes" if r.method == "account_credit" else "",
            "applied": self._money(r.credit_applied_minor, r.currency),
            "left": self._money(r.credit_left_minor, r.currency),
        } for r in found.rows]

    def _clear_payee(self) -> None:
        self.payee_key = self.payee_name = self.payee_details = ""
        self.commission_rows, self.selected = [], []
        self._referrer_id = self._client_id = 0
        self._currency = self._own_method = ""
        self._close_plan()

    @staff_event
    def load(self, session, ctx):
        self._clear_payee()
        self.detail_open, self.detail_lines = False, []
        self.detail = dict.fromkeys(DETAIL_KEYS, "")
        self.chosen_payouts, self.range_csv_url = [], ""
        self._fill_due(session)
        self._fill_history(session)

    @staff_event
    def choose(self, session, ctx, referrer_id: str, currency: str = ""):
        """A due row's "Choose": its referrer's approved commissions, all ticked."""
        payee = payout_admin.approved_for_payout(session, referrer_id=referrer_id,
                                                 currency=currency)
        self._clear_payee()
        self._referrer_id, self._client_id = payee.referrer_id, payee.client_id
        self._own_method = payee.method
        self._currency = str(currency or "").strip().upper()[:3]
        self.payee_key = f"{payee.referrer_id}-{self._currency}"
        self.payee_name, self.payee_details = payee.name, payee.payout_details
        zone = console_zone(session)
        self.commission_rows = [{
            "id": str(c.commission_id), "label": f"#{c.commission_id}",
            "earned": when(c.earned_at, zone), "invoice": c.invoice_number,
            "customer": c.customer_name, "amount": self._money(c.amount_minor, c.currency),
        } for c in payee.commissions]
        self.selected = [row["id"] for row in self.commission_rows]

    @rx.event
    def close_payee(self):
        self._clear_payee()

    # --- ticking (display only; the services check every id) -----------------------------

    @rx.event
    def toggle(self, commission_id: str, on: bool):
        key = str(commission_id)
        if key not in {row["id"] for row in self.commission_rows}:
            return
        self.selected = toggled(self.selected, key, on is True)

    @rx.event
    def toggle_all(self, on: bool):
        self.selected = [row["id"] for row in self.commission_rows] if on is True else []

    # --- paying -----------------------------------------------------------------------------

    @staff_event
    def open_plan(self, session, ctx):
        """"Pay out…": what the ticked commissions would pay, less the open adjustments."""
        if not self._referrer_id:
            raise ServiceError(CHOOSE_FIRST)
        plan = payouts.plan_payout(session, referrer_id=self._referrer_id,
                                   commission_ids=list(self.selected))
        by_id = {row["id"]: row for row in self.commission_rows}
        lines = []
        for c in plan.commissions:
            row = by_id.get(str(c.id), {})
            lines.append({"key": f"c{c.id}", "amount": self._money(c.amount_minor, c.currency),
                          "label": i18n.gettext(self._lang, COMMISSION_LINE, number=c.id,
                                                invoice=row.get("invoice", ""),
                                                customer=row.get("customer", ""))})
        for a in plan.adjustments:
            lines.append({"key": f"a{a.id}", "label": self._tr(a.reason),
                          "amount": self._money(a.amount_minor, a.currency)})
        self._close_plan()
        self._plan_ids = [c.id for c in plan.commissions]
        self._plan_amount = plan.amount_minor
        self.plan_lines = lines
        self.plan_total = self._money(plan.amount_minor, plan.currency)
        self.method = self._own_method
        self.form_key += 1
        self.plan_open = True

    @staff_event(on_error="_field_error")
    def pay(self, session, ctx, form: dict):
        """"Record payout": pays the confirmed commissions (the email and the account
        credit follow); refused if what is due changed since the dialog opened."""
        form = form if isinstance(form, dict) else {}
        if not self._referrer_id or not self._plan_ids:
            raise ServiceError(CHOOSE_FIRST)
        payout = payouts.pay_out(session, staff_id=ctx.staff_id, referrer_id=self._referrer_id,
                                 commission_ids=list(self._plan_ids), method=form.get("method"),
                                 reference=form.get("reference"), note=form.get("note"),
                                 base_url=get_settings().base_url)
        if payout.amount_minor != self._plan_amount:
            raise ServiceError(CHANGED)  # rolled back: nothing paid
        client_id = self._client_id
        self._clear_payee()
        self._fill_due(session)
        self._fill_history(session)
        self._client_changed(client_id, about=live.REFERRALS)
        return rx.toast.success(i18n.gettext(
            self._lang, PAID, number=payout.number,
            amount=self._money(payout.amount_minor, payout.currency)))

    def _close_plan(self) -> None:
        self.plan_open = False
        self.plan_lines, self.plan_total, self.method = [], "", ""
        self.errors = dict.fromkeys(FIELDS, "")
        self._plan_ids, self._plan_amount = [], 0

    def _field_error(self, exc: ServiceError):
        return beside_field(self, exc, FIELDS)

    @rx.event
    def set_plan_open(self, value: bool):
        """Closing the confirm dialog (Escape, Cancel)."""
        if value is not True:
            self._close_plan()

    # --- history, one payout, the CSV ---------------------------------------------------------

    @staff_event
    def go_to_page(self, session, ctx, page: int):
        self._fill_history(session, page)

    @staff_event
    def show_payout(self, session, ctx, payout_id: str):
        """One payout's lines: each commission (invoice, customer), each adjustment."""
        found = payout_admin.get_payout_detail(session, payout_id=payout_id)
        p = found.payout
        self.detail = {"number": p.number, "referrer": p.referrer_name,
                       "date": when(p.created_at, console_zone(session)),
                       "method": self._method(p.method),
                       "amount": self._money(p.amount_minor, p.currency),
                       "reference": p.reference, "note": found.note}
        self.detail_lines = [{
            "key": str(line.item_id),
            "label": (f"#{line.commission_id}" if line.kind == "commission"
                      else self._tr(line.reason)),
            "invoice": line.invoice_number, "customer": line.customer_name,
            "amount": self._money(line.amount_minor, p.currency),
        } for line in found.lines]
        self.detail_open = True

    @rx.event
    def close_detail(self, value: bool = False):
        if value is not True:
            self.detail_open, self.detail_lines = False, []
            self.detail = dict.fromkeys(DETAIL_KEYS, "")

    @rx.event
    def toggle_payout(self, payout_id: str, on: bool):
        """Tick a payout of the shown page for the "ticked payouts" CSV."""
        key = str(payout_id)
        if key not in {row["id"] for row in self.history_rows}:
            return
        self.chosen_payouts = toggled(self.chosen_payouts, key, on is True)

    @rx.var
    def chosen_csv_url(self) -> str:
        ids = ",".join(i for i in self.chosen_payouts if i.isdigit())
        return f"{routes.CONSOLE_REFERRAL_PAYOUTS_CSV}?ids={ids}" if ids else ""

    @staff_event(on_error="_field_error")
    def prepare_range(self, session, ctx, form: dict):
        """The CSV link of the payouts made between two days (either may be empty)."""
        form = form if isinstance(form, dict) else {}
        self.errors = dict.fromkeys(FIELDS, "")
        start, end = payout_admin.parse_range(form.get("date_from"), form.get("date_to"))
        query = "&".join(f"{key}={day.isoformat()}"
                         for key, day in (("from", start), ("to", end)) if day)
        self.range_csv_url = routes.CONSOLE_REFERRAL_PAYOUTS_CSV + (f"?{query}" if query else "")
