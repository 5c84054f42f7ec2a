"""Attribution: which referrer brought a customer, decided once.

A visit through `/r/<code>` records a click and leaves a first-party cookie
(`REF_COOKIE`, signed with the portal's secret key, lasting the program's
window) naming the click. With "first click wins" a valid cookie is kept; with
"last click wins" a later link replaces it. A coupon code typed at sign-up
overrides the link.

The customer's record is bound at its first sign-up, booking or purchase inside
the window (`attribute`), and never recomputed: the row is unique per client
record. Nobody refers themselves: not the referrer's own record, a record of the
same account (household) or with the same email; a payment with the referrer's
own card is caught when the commission is made (commissions.py). Someone who
was already a paying customer before the click is not "brought" by it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    AttributionEvent,
    AttributionVia,
    Client,
    Payment,
    ReferralAttribution,
    ReferralClick,
    Referrer,
)
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.errors import ServiceError, get_by_id
from portal_app.services.referrals.program import get_program
from portal_app.services.referrals.referrers import NO_REFERRER, active_referrer_by

REF_COOKIE = "portal_ref"
VISITOR_COOKIE = "portal_ref_visitor"
REPEAT_CLICK = timedelta(hours=24)  # a visitor's repeat visits in a day are one click


@dataclass(frozen=True)
class Touch:
    """What a referral cookie says: this click, of this referrer's code, at this moment."""

    click_id: int
    code: str
    at: datetime


def _sign(secret_key: str, payload: str) -> str:
    return hmac.new(secret_key.encode(), f"ref:{payload}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def make_cookie(secret_key: str, *, click_id: int, code: str, now: datetime) -> str:
    payload = f"{click_id}.{code}.{int(now.timestamp())}"
    return f"{payload}.{_sign(secret_key, payload)}"


def read_cookie(secret_key: str, raw: str | None, *, window_days: int,
                now: datetime | None = None) -> Touch | None:
    """The cookie's touch when it is ours, untampered and inside the window; else None."""
    parts = str(raw or "").split(".")
    if len(parts) != 4:
        return None
    payload, sig = ".".join(parts[:3]), parts[3]
    if not hmac.compare_digest(_sign(secret_key, payload), sig):
        return None
    try:
        click_id, at = int(parts[0]), datetime.fromtimestamp(int(parts[2]), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    now = now or utcnow()
    if at > now + timedelta(minutes=5) or now - at > timedelta(days=window_days):
        return None
    return Touch(click_id=click_id, code=parts[1], at=at)


def visitor_key(raw_visitor: str) -> str:
    return hashlib.sha256(f"visitor:{raw_visitor}".encode()).hexdigest()[:32]


def record_click(session: Session, *, referrer: Referrer, visitor: str,
                 new_visitor: bool = False, now: datetime | None = None) -> ReferralClick:
    """A visit through the referrer's link; the same visitor within a day is one click
    (`new_visitor`: an id made for this visit, which has no earlier click to find)."""
    now = now or utcnow()
    key = visitor_key(visitor) if visitor else ""
    if key and not new_visitor:
        recent = session.exec(select(ReferralClick).where(
            ReferralClick.referrer_id == referrer.id, ReferralClick.visitor == key,
            ReferralClick.created_at > now - REPEAT_CLICK)
            .order_by(ReferralClick.id.desc())).first()
        if recent is not None:
            return recent
    click = ReferralClick(referrer_id=referrer.id, visitor=key, created_at=now)
    session.add(click)
    session.flush()
    return click


def get_attribution(session: Session, *, client_id: int) -> ReferralAttribution | None:
    return session.exec(select(ReferralAttribution).where(
        ReferralAttribution.client_id == client_id)).first()


def same_household(session: Session, *, referrer: Referrer, client_id: int) -> bool:
    """The customer is the referrer, shares their account (household) or their email."""
    if referrer.client_id == client_id:
        return True
    mine = session.get(Client, referrer.client_id)
    theirs = session.get(Client, client_id)
    if mine is None or theirs is None:
        return True
    if mine.account_id is not None and mine.account_id == theirs.account_id:
        return True
    a, b = (mine.email or "").strip().lower(), (theirs.email or "").strip().lower()
    return bool(a) and a == b


def _paid_before(session: Session, *, client_id: int, moment: datetime) -> bool:
    return session.exec(select(Payment.id).where(Payment.client_id == client_id,
                                                 Payment.paid_at < moment).limit(1)
                        ).first() is not None


def attribute(session: Session, *, client_id: int, event: str, touch: Touch | None = None,
              coupon: str | None = None, typed: Referrer | None = None,
              now: datetime | None = None) -> ReferralAttribution | None:
    """Bind the customer's record to the referrer of `coupon` (which wins) or of the
    cookie's `touch`, at this sign-up / booking / purchase; None when there is nothing
    to bind (no valid touch, already bound, a self-referral, an earlier customer).
    `typed`: the active referrer of a code typed at sign-up, already looked up (it wins
    like a coupon). Never raises for a bad code: a visitor cannot learn anything from it."""
    if get_attribution(session, client_id=client_id) is not None:
        return None
    now = now or utcnow()
    referrer, via, click_id, moment = None, AttributionVia.COUPON, None, now
    if typed is not None:
        referrer = typed
    elif coupon:
        referrer = active_referrer_by(session, coupon=coupon)
    if referrer is None and touch is not None:
        program = get_program(session)
        if now - touch.at <= timedelta(days=program.window_days):
            referrer = active_referrer_by(session, code=touch.code)
            click = session.get(ReferralClick, touch.click_id)
            if referrer is not None and click is not None and click.referrer_id == referrer.id:
                via, click_id, moment = AttributionVia.LINK, click.id, touch.at
            else:
                referrer = None
    if referrer is None:
        return None
    if same_household(session, referrer=referrer, client_id=client_id):
        record_audit(session, actor_kind="system", actor_id=None, client_id=client_id,
                     action="referrals.self_referral_refused", referrer_id=referrer.id)
        return None
    if _paid_before(session, client_id=client_id, moment=moment):
        return None
    row = ReferralAttribution(client_id=client_id, referrer_id=referrer.id, via=via,
                              event=event, click_id=click_id, attributed_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # bound by a concurrent event a moment ago
        return None
    record_audit(session, actor_kind="system", actor_id=None, client_id=client_id,
                 action="referrals.attributed", referrer_id=referrer.id, via=via, event=event)
    return row


def assign_referrer(session: Session, *, staff_id: int, client_id: int, referrer_id: object,
                    reason: object) -> ReferralAttribution:
    """Staff bind a customer to a referrer, or move them to another, with a reason
    (audited). Only later payments follow the change; commissions made stay."""
    text = " ".join(str(reason or "").split())
    if len(text) < 3:
        raise ServiceError("Give the reason (it is kept in the audit log).", field="reason")
    referrer = get_by_id(session, Referrer, referrer_id, NO_REFERRER)
    if same_household(session, referrer=referrer, client_id=client_id):
        raise ServiceError("A client cannot be referred by their own household.",
                           field="referrer")
    row = get_attribution(session, client_id=client_id)
    before = row.referrer_id if row else None
    if row is None:
        row = ReferralAttribution(client_id=client_id, referrer_id=referrer.id,
                                  via=AttributionVia.STAFF, event=AttributionEvent.STAFF)
    row.referrer_id, row.via, row.staff_id, row.reason = (referrer.id, AttributionVia.STAFF,
                                                          staff_id, text[:300])
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=client_id,
                 action="referrals.attribution_set", referrer_id=referrer.id,
                 before=before, reason=text[:300])
    return row
