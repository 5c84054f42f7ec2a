"""Staff's list of commissions (console → Referrals → Commissions): filtered by
state and referrer, newest first, a page at a time; and the bulk decision.

One page costs two queries (the count and the page, every name joined in),
whatever its length. Staff may see the customer's name; the referrer never does
(their own page says "a customer").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from models import (
    Client,
    Commission,
    CommissionState,
    Invoice,
    Payment,
    ReferralAttribution,
    Referrer,
)
from portal_app.services.errors import NotFound, parse_id
from portal_app.services.referrals import commissions
from portal_app.services.referrals.referrers import NO_REFERRER

PER_PAGE = 50


@dataclass(frozen=True)
class CommissionRow:
    id: int
    referrer_id: int
    referrer_client_id: int
    referrer_name: str
    customer_name: str
    invoice_number: str
    paid_at: datetime | None
    currency: str
    amount_minor: int
    earned_minor: int
    state: str
    hold_until: datetime
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class CommissionPage:
    rows: list[CommissionRow]
    total: int
    page: int
    pages: int


def list_commissions(session: Session, *, state: object = "", referrer_id: object = "",
                     page: object = 1, per_page: int = PER_PAGE) -> CommissionPage:
    """One page of commissions, newest first; `state` one of CommissionState.ALL (else
    all), `referrer_id` a referrer (else all; an unknown one is NotFound)."""
    conditions = []
    if state in CommissionState.ALL:
        conditions.append(Commission.state == state)
    if referrer_id not in ("", None, 0, "0"):
        rid = parse_id(referrer_id, NO_REFERRER)
        if session.get(Referrer, rid) is None:
            raise NotFound(NO_REFERRER)
        conditions.append(Commission.referrer_id == rid)
    total = int(session.exec(select(func.count(Commission.id)).where(*conditions)).one())
    per_page = max(1, min(int(per_page), 200))
    pages = max(1, -(-total // per_page))
    try:
        number = int(page)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), pages)
    owner = aliased(Client)
    customer = aliased(Client)
    query = (select(Commission, owner.id, owner.full_name, customer.full_name, Invoice.number,
                    Payment.paid_at)
             .join(Referrer, Referrer.id == Commission.referrer_id)
             .join(owner, owner.id == Referrer.client_id)
             .join(ReferralAttribution, ReferralAttribution.id == Commission.attribution_id)
             .join(customer, customer.id == ReferralAttribution.client_id)
             .outerjoin(Invoice, Invoice.id == Commission.invoice_id)
             .outerjoin(Payment, Payment.id == Commission.payment_id)
             .where(*conditions)
             .order_by(Commission.created_at.desc(), Commission.id.desc())
             .offset((number - 1) * per_page).limit(per_page))
    rows = [CommissionRow(id=c.id, referrer_id=c.referrer_id, referrer_client_id=owner_id,
                          referrer_name=ref_name,
                          customer_name=cust_name, invoice_number=inv or "", paid_at=paid_at,
                          currency=c.currency, amount_minor=c.amount_minor,
                          earned_minor=c.earned_minor, state=c.state,
                          hold_until=c.hold_until, reason=c.reason, created_at=c.created_at)
            for c, owner_id, ref_name, cust_name, inv, paid_at in session.exec(query).all()]
    return CommissionPage(rows=rows, total=total, page=number, pages=pages)


def decide_commissions(session: Session, *, staff_id: int, commission_ids: list,
                       approve: bool, reason: object = "") -> tuple[int, list[str]]:
    """Approve or reject these commissions (see commissions.decide): how many changed,
    and why each other one was left as it was."""
    ids = commission_ids if isinstance(commission_ids, list) else []
    return commissions.decide(session, staff_id=staff_id, commission_ids=ids[:500],
                              approve=bool(approve), reason=reason)
