"""The referral link's visit (`/r/<code>`) and the thin attribution hooks that
sign-up, booking and checkout call.

`visit_link` is the whole work of one click, kept to a handful of statements:
the business (is the Referrals app on?), the referrer, the per-IP limit, the
program (window and rule) and the click; an unknown code costs the first two. Whatever it finds, the HTTP answer is
the same redirect (api/referral_link_routes.py): only the cookie it returns
differs, and only the visitor's own browser sees that.

`attribute_visit` binds a customer at sign-up, booking or purchase from the
referral cookie the browser carries (and a code typed at sign-up, which wins),
in the caller's transaction; nothing happens while the app is off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from models import AttributionRule, ReferralAttribution
from models.base import utcnow
from portal_app import apps
from portal_app.services import ratelimit
from portal_app.services.business import get_business
from portal_app.services.errors import RateLimited
from portal_app.services.hub.entitlements import enabled_apps
from portal_app.services.referrals.attribution import (
    attribute,
    make_cookie,
    read_cookie,
    record_click,
)
from portal_app.services.referrals.program import get_program
from portal_app.services.referrals.referrers import active_referrer_by

CLICKS_PER_IP = 60
CLICK_WINDOW = timedelta(minutes=1)
CODES_PER_IP = 20  # referral codes typed at sign-up, per hour
CODE_WINDOW = timedelta(hours=1)
UNKNOWN_CODE = "We don't know that referral code."


@dataclass(frozen=True)
class ReferralCookie:
    """The referral cookie as the browser sent it, and the key that signed it."""

    raw: str
    secret_key: str


@dataclass(frozen=True)
class LinkVisit:
    """What a click leaves in the browser: a new ref cookie (None: keep or set none)
    and its life in seconds."""

    cookie: str | None = None
    max_age: int = 0


def referrals_on(session: Session) -> bool:
    """The business has the Referrals app turned on."""
    return apps.REFERRALS in enabled_apps(get_business(session))


def visit_link(session: Session, *, code: object, visitor: str, ip: str, secret_key: str,
               current_cookie: str | None = None, new_visitor: bool = False,
               now: datetime | None = None) -> LinkVisit:
    """One visit through `/r/<code>`: while the app is on, count it against the visitor's
    IP (CLICKS_PER_IP a minute, whether the code is good or not); for an active referrer
    record the click and say which
    cookie to set (with "first click wins" a valid cookie already there is kept). An
    unknown, disabled or malformed code, the app off or the IP over its limit: nothing
    recorded, `LinkVisit()` — the caller answers exactly the same. `new_visitor`: the
    visitor id was made for this visit (no earlier click of theirs to look for)."""
    now = now or utcnow()
    text = str(code or "")
    if not (0 < len(text) <= 16 and text.isalnum()):
        return LinkVisit()  # not even a code: no statement at all
    if not referrals_on(session):
        return LinkVisit()
    try:  # every try counts, a good code or not: guessing codes is limited too
        ratelimit.hit(session, bucket="referral_click", key=ip or "?", limit=CLICKS_PER_IP,
                      window=CLICK_WINDOW, now=now, message="")
    except RateLimited:
        return LinkVisit()
    referrer = active_referrer_by(session, code=text)
    if referrer is None:
        return LinkVisit()
    program = get_program(session)
    click = record_click(session, referrer=referrer, visitor=visitor, new_visitor=new_visitor,
                         now=now)
    if (program.attribution_rule == AttributionRule.FIRST_CLICK and current_cookie
            and read_cookie(secret_key, current_cookie, window_days=program.window_days,
                            now=now) is not None):
        return LinkVisit()  # the first referrer's cookie stays
    return LinkVisit(cookie=make_cookie(secret_key, click_id=click.id, code=referrer.code,
                                        now=now),
                     max_age=program.window_days * 24 * 3600)


def _typed_referrer(session: Session, typed: str):
    """The active referrer of a code typed at sign-up: their coupon code (when the
    program uses coupons) or their link code."""
    if get_program(session).coupons:
        found = active_referrer_by(session, coupon=typed)
        if found is not None:
            return found
    return active_referrer_by(session, code=typed)


def typed_referral_code(session: Session, *, code: object, ip: str = "",
                        now: datetime | None = None) -> str | None:
    """A referral code typed at sign-up: "" when empty (or the app is off), the code
    when an active referrer has it, None otherwise — for a code that never existed,
    a disabled referrer's and an IP past its limit alike (one message, UNKNOWN_CODE).
    Every typed code counts against the IP's limit, so the field cannot try codes in
    bulk; it does not raise, so the caller's transaction keeps the count."""
    typed = "".join(str(code or "").split()).upper()[:40]
    if not typed or not referrals_on(session):
        return ""
    try:
        ratelimit.hit(session, bucket="referral_code", key=ip or "?", limit=CODES_PER_IP,
                      window=CODE_WINDOW, now=now or utcnow(), message="")
    except RateLimited:
        return None
    return typed if _typed_referrer(session, typed) is not None else None


def attribute_visit(session: Session, *, client_id: int, event: str,
                    cookie: ReferralCookie | None, coupon: str = "",
                    now: datetime | None = None) -> ReferralAttribution | None:
    """Bind `client_id` at this sign-up / booking / purchase to the referrer of the
    typed `coupon` (which wins) or of the referral cookie, once (see
    attribution.attribute). No cookie and no code: no statement at all."""
    raw = cookie.raw if cookie is not None else ""
    if not raw and not coupon:
        return None
    if not referrals_on(session):
        return None
    now = now or utcnow()
    touch = None
    if raw:
        touch = read_cookie(cookie.secret_key, raw, window_days=get_program(session).window_days,
                            now=now)
    referrer = _typed_referrer(session, coupon) if coupon else None
    if touch is None and referrer is None:
        return None
    return attribute(session, client_id=client_id, event=event, touch=touch, typed=referrer,
                     now=now)
