"""Staff's view of the referrers (console → Referrals): the list with each one's
clicks, sign-ups, customers and commission sums; inviting a client; disabling or
enabling a referrer; moving a customer to another referrer.

The list costs the same handful of grouped queries whatever the number of
referrers (one per figure, keyed by referrer), never one query per row.

Figures: sign-ups are the clients bound to the referrer (ReferralAttribution);
customers are those of them whose payments earned a commission; the sums are
per state and currency: pending, approved and paid are what those commissions
come to now; reversed is what refunds took back (before payout, from the
commission; after, as adjustments).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func
from sqlmodel import Session, select

from models import (
    Client,
    Commission,
    CommissionAdjustment,
    CommissionState,
    GrantKind,
    GrantSource,
    JoinRule,
    ReferralAttribution,
    ReferralClick,
    Referrer,
)
from portal_app import apps, routes
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.crypto import new_token
from portal_app.services.emails import client_language
from portal_app.services.errors import ServiceError, get_by_id
from portal_app.services.hub import entitlements
from portal_app.services.outbox import enqueue_email
from portal_app.services.referrals import attribution, referrers
from portal_app.services.referrals.program import get_program

NO_CLIENT = "That client does not exist."
LIST_LIMIT = 200
SUM_STATES = (CommissionState.PENDING, CommissionState.APPROVED, CommissionState.PAID,
              CommissionState.REVERSED)


@dataclass
class ReferrerFigures:
    id: int
    client_id: int
    name: str
    code: str
    coupon: str
    status: str
    joined_at: object
    clicks: int = 0
    signups: int = 0
    customers: int = 0
    # state -> currency -> minor units (pending, approved, paid, reversed)
    sums: dict[str, dict[str, int]] = field(default_factory=dict)


def _like(term: str) -> str:
    return f"%{term.replace('%', '').replace('_', '')}%"


def list_referrers(session: Session, *, search: object = "",
                   limit: int = LIST_LIMIT) -> list[ReferrerFigures]:
    """The referrers (by name, optionally those whose name holds `search`) with their
    figures: six queries whatever their number."""
    term = " ".join(str(search or "").split()).lower()[:100]
    query = select(Referrer, Client.full_name).join(Client, Client.id == Referrer.client_id)
    if term:
        query = query.where(func.lower(Client.full_name).like(_like(term)))
    rows = session.exec(query.order_by(func.lower(Client.full_name), Referrer.id)
                        .limit(max(1, min(int(limit), LIST_LIMIT)))).all()
    out = {r.id: ReferrerFigures(id=r.id, client_id=r.client_id, name=name, code=r.code,
                                 coupon=r.coupon_code or "", status=r.status,
                                 joined_at=r.joined_at,
                                 sums={s: {} for s in SUM_STATES})
           for r, name in rows}
    if not out:
        return []
    ids = list(out)
    for rid, n in session.exec(select(ReferralClick.referrer_id, func.count(ReferralClick.id))
                               .where(ReferralClick.referrer_id.in_(ids))
                               .group_by(ReferralClick.referrer_id)):
        out[rid].clicks = int(n)
    for rid, n in session.exec(select(ReferralAttribution.referrer_id,
                                      func.count(ReferralAttribution.id))
                               .where(ReferralAttribution.referrer_id.in_(ids))
                               .group_by(ReferralAttribution.referrer_id)):
        out[rid].signups = int(n)
    for rid, n in session.exec(select(Commission.referrer_id,
                                      func.count(distinct(Commission.attribution_id)))
                               .where(Commission.referrer_id.in_(ids))
                               .group_by(Commission.referrer_id)):
        out[rid].customers = int(n)
    for rid, state, currency, amount, taken in session.exec(
            select(Commission.referrer_id, Commission.state, Commission.currency,
                   func.sum(Commission.amount_minor),
                   func.sum(Commission.earned_minor - Commission.amount_minor))
            .where(Commission.referrer_id.in_(ids))
            .group_by(Commission.referrer_id, Commission.state, Commission.currency)):
        sums = out[rid].sums
        if state in (CommissionState.PENDING, CommissionState.APPROVED, CommissionState.PAID):
            _add(sums[state], currency, int(amount or 0))
        if state != CommissionState.REJECTED:
            _add(sums[CommissionState.REVERSED], currency, int(taken or 0))
    for rid, currency, amount in session.exec(
            select(CommissionAdjustment.referrer_id, CommissionAdjustment.currency,
                   func.sum(CommissionAdjustment.amount_minor))
            .where(CommissionAdjustment.referrer_id.in_(ids))
            .group_by(CommissionAdjustment.referrer_id, CommissionAdjustment.currency)):
        if amount and amount < 0:
            _add(out[rid].sums[CommissionState.REVERSED], currency, -int(amount))
    return list(out.values())


def _add(bucket: dict[str, int], currency: str, amount: int) -> None:
    if amount:
        bucket[currency] = bucket.get(currency, 0) + amount


def referrer_choices(session: Session) -> list[tuple[int, str]]:
    """(referrer id, client name) of every referrer: the commission list's filter."""
    return [(i, n) for i, n in session.exec(
        select(Referrer.id, Client.full_name).join(Client, Client.id == Referrer.client_id)
        .order_by(func.lower(Client.full_name), Referrer.id)).all()]


def invite_client(session: Session, *, staff_id: int, client_id: object,
                  base_url: str = "") -> bool:
    """Invite a client to the program: a grant of the Referrals app (source
    invitation) and an email that tells them (in their language; held back like any
    email when they have not agreed to email). Returns False when they already hold an
    active grant to it. When every client may join, no invitation is needed (refused
    with a clear message)."""
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    if get_program(session).join_rule == JoinRule.ANY:
        raise ServiceError("Every client may join already: no invitation is needed.")
    if _granted(session, client.id):
        return False
    entitlements.grant(session, client_id=client.id, kind=GrantKind.APP,
                       app_key=apps.REFERRALS, source=GrantSource.INVITATION,
                       staff_id=staff_id)
    to = portal_email_of(session, client) or client.email
    if to:
        business = get_business(session)
        enqueue_email(session, to=to, template="referral_invitation", business=business,
                      idempotency_key=f"referral-invite-{client.id}-{new_token()[:12]}",
                      lang=client_language(client, business), client_name=client.full_name,
                      url=f"{base_url}{routes.REFERRALS}")
    return True


def _granted(session: Session, client_id: int) -> bool:
    whole, _ = entitlements.granted_content_ids(session, client_id=client_id,
                                                kind=GrantKind.APP, app_key=apps.REFERRALS)
    return whole


def set_status(session: Session, *, staff_id: int, referrer_id: object,
               active: bool) -> Referrer:
    """Disable a referrer (their link and coupon stop attributing) or enable them."""
    return referrers.set_referrer_status(session, staff_id=staff_id, referrer_id=referrer_id,
                                         active=bool(active))


def reassign_customer(session: Session, *, staff_id: int, client_id: object,
                      referrer_id: object, reason: object) -> ReferralAttribution:
    """Bind a customer to a referrer, or move them (with the reason, audited). The
    customer must exist; only later payments follow the change."""
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    return attribution.assign_referrer(session, staff_id=staff_id, client_id=client.id,
                                       referrer_id=referrer_id, reason=reason)
