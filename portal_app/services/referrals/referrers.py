"""Referrers: a client joins the program (the app's guard has checked they may),
gets a link code and may choose a personal coupon code and how to be paid; staff
disable or re-enable a referrer.

Codes: the link code is 8 random characters from an alphabet without look-alikes
(no 0/O, 1/I/L); a coupon code is the referrer's choice, 4–20 letters, digits or
dashes, stored in upper case and unique. A disabled referrer's link and coupon
stop attributing, and look to a visitor exactly like a code that never existed.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import Client, PayoutMethod, Referrer, ReferrerStatus
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.errors import NotFound, ServiceError, get_by_id
from portal_app.services.hub.profile_completion import clean_payout_details
from portal_app.services.referrals.program import get_program

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
COUPON_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,18}[A-Z0-9]$")
NO_REFERRER = "That referrer does not exist."
NOT_JOINED = "Join the referral program first."


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def get_referrer_of(session: Session, *, client_id: int) -> Referrer | None:
    """The client's referrer row (None before they join)."""
    return session.exec(select(Referrer).where(Referrer.client_id == client_id)).first()


def require_referrer(session: Session, *, client_id: int) -> Referrer:
    referrer = get_referrer_of(session, client_id=client_id)
    if referrer is None:
        raise ServiceError(NOT_JOINED)
    return referrer


def join_program(session: Session, *, client_id: int, account_id: int | None = None
                 ) -> Referrer:
    """Join (once): a referrer row with a fresh link code. Joining again returns the row."""
    existing = get_referrer_of(session, client_id=client_id)
    if existing is not None:
        return existing
    for _ in range(5):  # a clash of 8 characters from 31 is rare; try again
        code = new_code()
        if session.exec(select(Referrer.id).where(Referrer.code == code)).first() is None:
            break
    referrer = Referrer(client_id=client_id, code=code)
    try:
        with session.begin_nested():
            session.add(referrer)
            session.flush()
    except IntegrityError:  # a second tab joined at the same moment
        return require_referrer(session, client_id=client_id)
    record_audit(session, actor_kind="client", actor_id=account_id, client_id=client_id,
                 action="referrals.joined", code=referrer.code)
    return referrer


def clean_coupon(raw: object) -> str:
    code = "".join(str(raw or "").split()).upper()
    if not COUPON_RE.match(code):
        raise ServiceError("Use 4 to 20 letters, digits or dashes (not at the start or end).",
                           field="coupon")
    return code


def set_coupon(session: Session, *, client_id: int, coupon: object,
               account_id: int | None = None) -> Referrer:
    """The referrer's personal coupon code (when the program has coupons on)."""
    if not get_program(session).coupons:
        raise ServiceError("Coupon codes are not used in this program.", field="coupon")
    referrer = require_referrer(session, client_id=client_id)
    code = clean_coupon(coupon)
    taken = session.exec(select(Referrer.id).where(Referrer.coupon_code == code,
                                                   Referrer.id != referrer.id)).first()
    if taken is not None or code == referrer.code:
        raise ServiceError("That code is taken. Choose another.", field="coupon")
    referrer.coupon_code = code
    session.add(referrer)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise ServiceError("That code is taken. Choose another.", field="coupon") from None
    record_audit(session, actor_kind="client", actor_id=account_id, client_id=client_id,
                 action="referrals.coupon_set", coupon=code)
    return referrer


def set_payout_method(session: Session, *, client_id: int, method: object) -> Referrer:
    """How the referrer wants to be paid (staff pick the method of each payout)."""
    referrer = require_referrer(session, client_id=client_id)
    if method not in PayoutMethod.ALL:
        raise ServiceError("Choose how you would like to be paid.", field="payout_method")
    referrer.payout_method = str(method)
    session.add(referrer)
    session.flush()
    return referrer


def set_payout_details(session: Session, *, client_id: int, details: object,
                       account_id: int | None = None) -> Client:
    """The referrer's payout details (bank account, or "account credit"), kept on their
    client record where profile completion first asked for them."""
    require_referrer(session, client_id=client_id)
    client = session.get(Client, client_id)
    client.payout_details = clean_payout_details(details)
    session.add(client)
    session.flush()
    record_audit(session, actor_kind="client", actor_id=account_id, client_id=client_id,
                 action="referrals.payout_details_changed")
    return client


def set_referrer_status(session: Session, *, staff_id: int, referrer_id: object,
                        active: bool) -> Referrer:
    """Staff disable a referrer (their link and coupon stop attributing; commissions
    already earned stay) or enable them again."""
    referrer = get_by_id(session, Referrer, referrer_id, NO_REFERRER)
    referrer.status = ReferrerStatus.ACTIVE if active else ReferrerStatus.DISABLED
    referrer.disabled_at = None if active else utcnow()
    session.add(referrer)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=referrer.client_id,
                 action="referrals.referrer_enabled" if active else "referrals.referrer_disabled")
    return referrer


def active_referrer_by(session: Session, *, code: str | None = None,
                       coupon: str | None = None) -> Referrer | None:
    """The active referrer of a link code or coupon code; None for an unknown or
    disabled one (callers answer both the same way)."""
    if code is not None:
        text = str(code).strip().upper()
        if not (0 < len(text) <= 16 and text.isalnum()):
            return None
        row = session.exec(select(Referrer).where(Referrer.code == text)).first()
    elif coupon is not None:
        try:
            text = clean_coupon(coupon)
        except ServiceError:
            return None
        row = session.exec(select(Referrer).where(Referrer.coupon_code == text)).first()
    else:
        return None
    return row if row is not None and row.status == ReferrerStatus.ACTIVE else None


def get_referrer(session: Session, *, referrer_id: object) -> Referrer:
    """A referrer by id (staff)."""
    row = get_by_id(session, Referrer, referrer_id, NO_REFERRER)
    if row is None:
        raise NotFound(NO_REFERRER)
    return row
