"""Console → Referrals → Program (/console/referrals/program): who may join, the
commission, which payments earn it, the attribution window and rule, the hold, the
minimum payout, coupons and terms; and the rates of single offers or services.

Every field's problem is shown beside it, all at once, and nothing is saved.
Opening the program to every client (or closing it) changes every client's app
switcher: it is pushed to their open tabs after the commit."""

import reflex as rx

from models import RateKind
from portal_app import apps
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.hub.entitlements import enabled_apps
from portal_app.services.money import decimal_text, format_money, rate_text
from portal_app.services.referrals import program_settings
from portal_app.services.referrals.program import get_program
from portal_app.services.referrals.program_settings import ProgramErrors
from state.guards import staff_event
from state.staff_session import StaffState

FIELDS = program_settings.FIELDS
RATE_FIELDS = ("target", "rate_kind", "rate", "fixed_amount")


class ConsoleProgramState(StaffState):
    values: dict[str, str] = {}
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")
    currency: str = ""
    app_on: bool = True  # the business turned the Referrals app on (Portal settings)
    form_key: int = 0
    rates: list[dict[str, str]] = []  # id, name, kind_label, rate
    targets: list[dict[str, str]] = []  # value "offer:<id>", label
    rate_errors: dict[str, str] = dict.fromkeys(RATE_FIELDS, "")
    rate_form_key: int = 0

    def _fill(self, session) -> None:
        p = get_program(session)
        self.currency = p.currency
        self.app_on = apps.REFERRALS in enabled_apps(get_business(session))
        self.values = {
            "join_rule": p.join_rule, "rate_kind": p.rate_kind, "rate": rate_text(p.rate_bp),
            "fixed_amount": decimal_text(p.fixed_minor, p.currency) if p.fixed_minor else "",
            "duration": p.duration, "duration_months": str(p.duration_months),
            "window_days": str(p.window_days), "attribution_rule": p.attribution_rule,
            "hold_days": str(p.hold_days),
            "min_payout": decimal_text(p.min_payout_minor, p.currency),
            "coupons": "yes" if p.coupons else "", "terms": p.terms,
        }
        self.form_key += 1
        self._fill_rates(session)

    def _fill_rates(self, session) -> None:
        currency = get_program(session).currency
        self.rates = [{
            "id": str(r.id), "name": r.name or "—",
            "kind_label": self._tr("Offer" if r.kind_of_target == "offer" else "Service"),
            "rate": (rate_text(r.rate_bp) + " %" if r.rate_kind == RateKind.PERCENT
                     else format_money(r.fixed_minor, currency, self._lang)),
        } for r in program_settings.list_rates(session)]
        self.targets = [{"value": value, "label": self._tr(
            "Offer" if kind == "offer" else "Service") + ": " + name}
            for value, kind, name in program_settings.rate_targets(session)]

    @staff_event
    def load(self, session, ctx):
        self.errors = dict.fromkeys(FIELDS, "")
        self.rate_errors = dict.fromkeys(RATE_FIELDS, "")
        self._fill(session)

    def _program_refused(self, exc: ServiceError):
        """Each bad field's message beside it; nothing was saved."""
        if isinstance(exc, ProgramErrors):
            self.errors = {**dict.fromkeys(FIELDS, ""),
                           **{k: self._tr(v) for k, v in exc.errors.items()}}
            return rx.toast.error(self._tr("Check the fields marked."))
        return rx.toast.error(self._tr(exc.message))

    @staff_event(on_error="_program_refused")
    def save_program(self, session, ctx, form: dict):
        """Save the program's settings (all fields together)."""
        self.errors = dict.fromkeys(FIELDS, "")
        form = form if isinstance(form, dict) else {}
        _program, app_changed = program_settings.save_program(
            session, staff_id=ctx.staff_id, form={k: str(form.get(k, "") or "")[:5000]
                                                  for k in FIELDS})
        if app_changed:
            self._everyone_changed()  # every client's app switcher shows or hides it
        self._fill(session)
        return rx.toast.success(self._tr("Program saved."))

    def _rate_refused(self, exc: ServiceError):
        if isinstance(exc, ProgramErrors):
            self.rate_errors = {**dict.fromkeys(RATE_FIELDS, ""),
                                **{k: self._tr(v) for k, v in exc.errors.items()}}
            return None
        return rx.toast.error(self._tr(exc.message))

    @staff_event(on_error="_rate_refused")
    def save_rate(self, session, ctx, form: dict):
        """Set the rate of one offer or service (replacing its earlier one)."""
        self.rate_errors = dict.fromkeys(RATE_FIELDS, "")
        form = form if isinstance(form, dict) else {}
        program_settings.save_rate(session, staff_id=ctx.staff_id,
                                   form={k: str(form.get(k, "") or "")[:100]
                                         for k in RATE_FIELDS})
        self.rate_form_key += 1
        self._fill_rates(session)
        return rx.toast.success(self._tr("Rate saved."))

    @staff_event
    def delete_rate(self, session, ctx, rate_id: str):
        """That offer's or service's payments earn the program's rate again."""
        program_settings.delete_rate(session, staff_id=ctx.staff_id, rate_id=rate_id)
        self._fill_rates(session)
        return rx.toast.success(self._tr("Rate removed."))
