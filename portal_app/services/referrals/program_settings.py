"""Staff save the referral program (console → Referrals → Program) and its per-offer /
per-service rate overrides.

Every field of the program form is checked and all problems come back together
(`ProgramErrors`, one message per field); nothing is saved while one is wrong.
A percentage ("10", "12.5") is kept in basis points, a fixed amount in minor units
of the program's currency. The join rule "any client may join" opens the Referrals
app to every client without a grant (`Business.apps_open`); the other rules close
it again (a grant opens it: an invitation from staff, or a granted offer). The
caller pushes that change to every open client tab after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from models import (
    AttributionRule,
    JoinRule,
    Offer,
    RateDuration,
    RateKind,
    ReferralProgram,
    ReferralRate,
    Service,
)
from models.base import utcnow
from portal_app import apps
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.errors import NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.money import parse_amount
from portal_app.services.referrals.program import get_program

TERMS_MAX = 4000
NO_RATE = "That rate does not exist."
NO_OFFER = "That offer does not exist."
NO_SERVICE = "That service does not exist."
FIELDS = ("join_rule", "rate_kind", "rate", "fixed_amount", "duration", "duration_months",
          "window_days", "attribution_rule", "hold_days", "min_payout", "coupons", "terms")


class ProgramErrors(ServiceError):
    """Several fields were refused at once; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = dict(errors)


def _flag(raw: object) -> bool:
    return str(raw or "").strip().lower() in ("on", "true", "yes", "1")


def _choice(raw: object, allowed: tuple[str, ...], message: str, field: str) -> str:
    value = str(raw or "").strip()
    if value not in allowed:
        raise ServiceError(message, field=field)
    return value


def _whole(raw: object, low: int, high: int, message: str, field: str) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise ServiceError(message, field=field)
    return int(text)


def parse_percent(raw: object, *, field: str = "rate") -> int:
    """"10" -> 1000, "12.5" -> 1250 basis points: above 0, at most 100, 2 decimals."""
    text = str(raw if raw is not None else "").strip().rstrip("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "e" in text.lower():
        raise ServiceError("Enter a percentage such as 10 or 12.5.", field=field)
    if value <= 0 or value > 100:
        raise ServiceError("The percentage must be above 0 and at most 100.", field=field)
    if -value.as_tuple().exponent > 2:
        raise ServiceError("Use at most 2 decimal places in the percentage.", field=field)
    return int(value.scaleb(2))


@dataclass(frozen=True)
class RateValue:
    kind: str
    rate_bp: int | None  # None: keep what was saved (the other kind was chosen)
    fixed_minor: int | None


def clean_rate(form: dict, currency: str, errors: dict[str, str]) -> RateValue | None:
    """The commission of a form (the program's, or an override's): a percentage or a
    fixed amount; problems go into `errors`."""
    try:
        kind = _choice(form.get("rate_kind"), RateKind.ALL,
                       "Choose a percentage or a fixed amount.", "rate_kind")
    except ServiceError as exc:
        errors[exc.field] = exc.message
        return None
    try:
        if kind == RateKind.PERCENT:
            return RateValue(kind, parse_percent(form.get("rate")), None)
        return RateValue(kind, None, parse_amount(
            form.get("fixed_amount"), currency, field="fixed_amount",
            what="the amount per payment", allow_zero=False))
    except ServiceError as exc:
        errors[exc.field or "rate"] = exc.message
        return None


def clean_program(form: dict, currency: str) -> dict:
    """Every field of the program form, checked; all problems at once (ProgramErrors)."""
    form = form if isinstance(form, dict) else {}
    errors: dict[str, str] = {}
    values: dict = {}
    checks = {
        "join_rule": lambda: _choice(form.get("join_rule"), JoinRule.ALL,
                                     "Choose who may join.", "join_rule"),
        "duration": lambda: _choice(form.get("duration"), RateDuration.ALL,
                                    "Choose which payments earn a commission.", "duration"),
        "window_days": lambda: _whole(form.get("window_days"), 1, 365,
                                      "Enter a number of days from 1 to 365.", "window_days"),
        "attribution_rule": lambda: _choice(form.get("attribution_rule"), AttributionRule.ALL,
                                            "Choose which click wins.", "attribution_rule"),
        "hold_days": lambda: _whole(form.get("hold_days"), 0, 365,
                                    "Enter a number of days from 0 to 365.", "hold_days"),
        "min_payout_minor": lambda: parse_amount(form.get("min_payout"), currency,
                                                 field="min_payout",
                                                 what="the minimum payout"),
        "terms": lambda: _terms(form.get("terms")),
    }
    for name, check in checks.items():
        try:
            values[name] = check()
        except ServiceError as exc:
            errors[exc.field or name] = exc.message
    if values.get("duration") == RateDuration.MONTHS:
        try:
            values["duration_months"] = _whole(
                form.get("duration_months"), 1, 120, "Enter a number of months from 1 to 120.",
                "duration_months")
        except ServiceError as exc:
            errors[exc.field] = exc.message
    rate = clean_rate(form, currency, errors)
    if errors:
        raise ProgramErrors({k: errors[k] for k in sorted(errors, key=_field_order)})
    values["coupons"] = _flag(form.get("coupons"))
    values["rate_kind"] = rate.kind
    if rate.rate_bp is not None:
        values["rate_bp"] = rate.rate_bp
    if rate.fixed_minor is not None:
        values["fixed_minor"] = rate.fixed_minor
    return values


def _field_order(name: str) -> int:
    return FIELDS.index(name) if name in FIELDS else len(FIELDS)


def _terms(raw: object) -> str:
    text = str(raw or "").replace("\r\n", "\n").strip()
    if len(text) > TERMS_MAX:
        raise ServiceError(f"Keep the terms under {TERMS_MAX} characters.", field="terms")
    return text


def save_program(session: Session, *, staff_id: int, form: dict
                 ) -> tuple[ReferralProgram, bool]:
    """Save the program's settings (bad fields: ProgramErrors, nothing changed). "Any
    client may join" opens the Referrals app to every client (`Business.apps_open`);
    another rule closes it to those without a grant. Both are audited. Returns the
    program and whether the app was opened or closed (every client's app switcher
    changes: the caller pushes that after the commit)."""
    program = get_program(session)
    values = clean_program(form, program.currency)
    changed = sorted(k for k, v in values.items() if getattr(program, k) != v)
    for key, value in values.items():
        setattr(program, key, value)
    if changed:
        program.updated_at = utcnow()
    session.add(program)
    business = get_business(session)
    opened = list(business.apps_open or [])
    want_open = program.join_rule == JoinRule.ANY
    app_changed = want_open != (apps.REFERRALS in opened)
    if app_changed:
        # A new list (not changed in place), so the JSON column is written.
        business.apps_open = ([*opened, apps.REFERRALS] if want_open
                              else [k for k in opened if k != apps.REFERRALS])
        session.add(business)
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="referrals.app_opened" if want_open else "referrals.app_closed")
    session.flush()
    if changed:
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="referrals.program_saved", fields=changed)
    return program, app_changed


# --- per-offer / per-service overrides ------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    id: int
    target: str  # "offer:<id>" / "service:<id>"
    kind_of_target: str  # "offer" / "service"
    name: str
    rate_kind: str
    rate_bp: int
    fixed_minor: int


def list_rates(session: Session) -> list[RateRow]:
    """The overrides with the name of their offer or service (two queries)."""
    rows = session.exec(select(ReferralRate).order_by(ReferralRate.id)).all()
    offer_ids = [r.offer_id for r in rows if r.offer_id is not None]
    service_ids = [r.service_id for r in rows if r.service_id is not None]
    names: dict[tuple[str, int], str] = {}
    if offer_ids:
        names.update({("offer", i): n for i, n in session.exec(
            select(Offer.id, Offer.name).where(Offer.id.in_(offer_ids)))})
    if service_ids:
        names.update({("service", i): n for i, n in session.exec(
            select(Service.id, Service.name).where(Service.id.in_(service_ids)))})
    out = []
    for r in rows:
        kind, target_id = ("offer", r.offer_id) if r.offer_id is not None else (
            "service", r.service_id)
        out.append(RateRow(id=r.id, target=f"{kind}:{target_id}", kind_of_target=kind,
                           name=names.get((kind, target_id), ""), rate_kind=r.rate_kind,
                           rate_bp=r.rate_bp, fixed_minor=r.fixed_minor))
    out.sort(key=lambda r: (r.kind_of_target, r.name.lower(), r.id))
    return out


def rate_targets(session: Session) -> list[tuple[str, str, str]]:
    """(target, kind, name) of every offer and service a rate may be set for."""
    offers = session.exec(select(Offer.id, Offer.name).order_by(Offer.name, Offer.id)).all()
    services = session.exec(select(Service.id, Service.name)
                            .order_by(Service.name, Service.id)).all()
    return ([(f"offer:{i}", "offer", n) for i, n in offers]
            + [(f"service:{i}", "service", n) for i, n in services])


def _target(session: Session, raw: object) -> tuple[str, int]:
    kind, _, raw_id = str(raw or "").partition(":")
    if kind == "offer":
        return kind, get_by_id(session, Offer, raw_id, NO_OFFER).id
    if kind == "service":
        return kind, get_by_id(session, Service, raw_id, NO_SERVICE).id
    raise ServiceError("Choose an offer or a service.", field="target")


def save_rate(session: Session, *, staff_id: int, form: dict) -> ReferralRate:
    """Set the rate of one offer or service (a second save for it replaces the first).
    The offer or service must exist; bad fields: ProgramErrors."""
    form = form if isinstance(form, dict) else {}
    errors: dict[str, str] = {}
    target = None
    try:
        target = _target(session, form.get("target"))
    except NotFound as exc:
        errors["target"] = exc.message
    except ServiceError as exc:
        errors[exc.field or "target"] = exc.message
    rate = clean_rate(form, get_program(session).currency, errors)
    if errors:
        raise ProgramErrors(errors)
    kind, target_id = target
    column = ReferralRate.offer_id if kind == "offer" else ReferralRate.service_id
    row = session.exec(select(ReferralRate).where(column == target_id)).first()
    if row is None:
        row = ReferralRate(offer_id=target_id if kind == "offer" else None,
                           service_id=target_id if kind == "service" else None)
    row.rate_kind = rate.kind
    row.rate_bp = rate.rate_bp if rate.rate_bp is not None else 0
    row.fixed_minor = rate.fixed_minor if rate.fixed_minor is not None else 0
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="referrals.rate_saved",
                 target=f"{kind}:{target_id}", kind=row.rate_kind, rate_bp=row.rate_bp,
                 fixed_minor=row.fixed_minor)
    return row


def delete_rate(session: Session, *, staff_id: int, rate_id: object) -> None:
    """Remove an override: that offer's or service's payments earn the program's rate."""
    row = session.get(ReferralRate, parse_id(rate_id, NO_RATE))
    if row is None:
        raise NotFound(NO_RATE)
    target = f"offer:{row.offer_id}" if row.offer_id is not None else f"service:{row.service_id}"
    session.delete(row)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="referrals.rate_deleted", target=target)
