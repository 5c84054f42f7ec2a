"""What a referrer sees of their own referrals (the client's Referrals page).

Their link and coupon; their figures (clicks, sign-ups = attributions, customers =
attributed records with at least one commission); per currency what is pending,
approved, paid and reversed; every commission, newest first; the adjustments that
refunds after a payout made; their payouts; what is still needed before the first
payout. Texts come ready to show, in the reader's language and zone.

The customers behind the commissions are never named: a commission says only
"A customer, first payment on <date>" (no name, email or record id reaches the
page). The reads are a constant handful of statements however many commissions
there are (tests/unit/test_referral_summary.py counts them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import segno
from sqlalchemy import func
from sqlmodel import Session, select

from models import (
    Client,
    Commission,
    CommissionAdjustment,
    CommissionState,
    Payment,
    Payout,
    PayoutItem,
    ReferralAttribution,
    ReferralClick,
    ReferrerStatus,
)
from portal_app import i18n, routes
from portal_app.i18n import formats
from portal_app.services.money import format_money
from portal_app.services.referrals.payouts import METHOD_LABELS, get_payout_for
from portal_app.services.referrals.program import get_program
from portal_app.services.referrals.referrers import get_referrer_of

STATE_LABELS = {CommissionState.PENDING: "Pending", CommissionState.APPROVED: "Approved",
                CommissionState.PAID: "Paid", CommissionState.REVERSED: "Reversed",
                CommissionState.REJECTED: "Rejected"}
A_CUSTOMER = "A customer, first payment on {date}"
NEXT_PAYOUT = "Deducted from your next payout"
NEED_MINIMUM = "Approved commissions of at least {amount}"
NEED_DETAILS = "Your payout details in your profile"


@dataclass(frozen=True)
class Totals:
    """One currency's sums, in minor units (reversed: what refunds after payout took
    back, as a positive number)."""

    currency: str
    pending_minor: int = 0
    approved_minor: int = 0
    paid_minor: int = 0
    reversed_minor: int = 0

    def texts(self, lang: str) -> dict[str, str]:
        return {"currency": self.currency,
                "pending": format_money(self.pending_minor, self.currency, lang),
                "approved": format_money(self.approved_minor, self.currency, lang),
                "paid": format_money(self.paid_minor, self.currency, lang),
                "reversed": format_money(self.reversed_minor, self.currency, lang)}


@dataclass(frozen=True)
class Need:
    text: str
    done: bool


@dataclass(frozen=True)
class ReferrerSummary:
    link: str
    code: str
    coupon: str
    active: bool
    payout_method: str
    payout_details: str
    clicks: int
    signups: int
    customers: int
    totals: list[Totals]
    commissions: list[dict[str, str]]
    adjustments: list[dict[str, str]]
    payouts: list[dict[str, str]]
    needs: list[Need] = field(default_factory=list)  # empty once a payout was made


def referral_link(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}{routes.REFERRAL_LINK}/{code}"


def qr_data_uri(link: str) -> str:
    """The link as a QR code: an SVG data URI made here (no outside service sees it)."""
    return segno.make_qr(link).svg_data_uri(border=2, omitsize=True, light="#fff")


def _counts(session: Session, referrer_id: int) -> tuple[int, int]:
    clicks = select(func.count(ReferralClick.id)).where(
        ReferralClick.referrer_id == referrer_id).scalar_subquery()
    signups = select(func.count(ReferralAttribution.id)).where(
        ReferralAttribution.referrer_id == referrer_id).scalar_subquery()
    row = session.exec(select(clicks, signups)).one()
    return int(row[0] or 0), int(row[1] or 0)


def _first_payments(session: Session, referrer_id: int) -> dict[int, object]:
    """attribution id -> when its customer first paid (one grouped statement)."""
    rows = session.exec(select(ReferralAttribution.id, func.min(Payment.paid_at)).join(
        Payment, Payment.client_id == ReferralAttribution.client_id).where(
        ReferralAttribution.referrer_id == referrer_id, Payment.amount_minor > 0)
        .group_by(ReferralAttribution.id)).all()
    return {aid: first for aid, first in rows}


def _commission_rows(session: Session, referrer_id: int):
    return session.exec(select(Commission, Payout.number).outerjoin(
        PayoutItem, PayoutItem.commission_id == Commission.id).outerjoin(
        Payout, Payout.id == PayoutItem.payout_id).where(
        Commission.referrer_id == referrer_id)
        .order_by(Commission.created_at.desc(), Commission.id.desc())).all()


def _adjustment_rows(session: Session, referrer_id: int):
    return session.exec(select(CommissionAdjustment, Payout.number).outerjoin(
        PayoutItem, PayoutItem.adjustment_id == CommissionAdjustment.id).outerjoin(
        Payout, Payout.id == PayoutItem.payout_id).where(
        CommissionAdjustment.referrer_id == referrer_id)
        .order_by(CommissionAdjustment.created_at.desc(),
                  CommissionAdjustment.id.desc())).all()


def totals_of(commissions: list[Commission], adjustments: list[CommissionAdjustment]
              ) -> list[Totals]:
    """Per currency: pending / approved / paid = the commissions' amounts in those
    states; reversed = minus the sum of the negative adjustments."""
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in commissions:
        if row.state in (CommissionState.PENDING, CommissionState.APPROVED,
                         CommissionState.PAID):
            sums[row.currency][row.state] += row.amount_minor
        else:
            sums[row.currency]  # noqa: B018 (the currency shows, with zeros)
    for adj in adjustments:
        if adj.amount_minor < 0:
            sums[adj.currency]["reversed"] -= adj.amount_minor
    return [Totals(currency=cur, pending_minor=s[CommissionState.PENDING],
                   approved_minor=s[CommissionState.APPROVED],
                   paid_minor=s[CommissionState.PAID], reversed_minor=s["reversed"])
            for cur, s in sorted(sums.items())]


def get_summary(session: Session, *, client_id: int, base_url: str, lang: str,
                zone: str) -> ReferrerSummary | None:
    """The referrer's page, or None when this client has not joined the program."""
    referrer = get_referrer_of(session, client_id=client_id)
    if referrer is None:
        return None
    program = get_program(session)
    clicks, signups = _counts(session, referrer.id)
    first_paid = _first_payments(session, referrer.id)
    commission_rows = _commission_rows(session, referrer.id)
    adjustment_rows = _adjustment_rows(session, referrer.id)
    payouts = list(session.exec(select(Payout).where(Payout.referrer_id == referrer.id)
                                .order_by(Payout.created_at.desc(), Payout.id.desc())).all())
    client = session.get(Client, client_id)

    def customer(attribution_id: int) -> str:
        first = first_paid.get(attribution_id)
        day = formats.local_date_text(first, zone, lang) if first is not None else "—"
        return i18n.gettext(lang, A_CUSTOMER, date=day)

    commissions = [{
        "id": str(c.id), "earned": formats.when_medium(c.created_at, zone, lang),
        "customer": customer(c.attribution_id),
        "amount": format_money(c.amount_minor, c.currency, lang),
        "state": c.state, "state_label": i18n.gettext(lang, STATE_LABELS.get(c.state, c.state)),
        "reason": i18n.translate(lang, c.reason), "payout": number or ""}
        for c, number in commission_rows]
    adjustments = [{
        "id": str(a.id), "date": formats.when_medium(a.created_at, zone, lang),
        "amount": format_money(a.amount_minor, a.currency, lang),
        "reason": i18n.translate(lang, a.reason),
        "settled": number or i18n.gettext(lang, NEXT_PAYOUT)}
        for a, number in adjustment_rows]
    payout_rows = [{
        "id": str(p.id), "number": p.number, "date": formats.when_medium(p.created_at, zone, lang),
        "method": i18n.gettext(lang, METHOD_LABELS.get(p.method, p.method)),
        "amount": format_money(p.amount_minor, p.currency, lang), "reference": p.reference}
        for p in payouts]
    needs = []
    if not payouts:
        approved = sum(c.amount_minor for c, _n in commission_rows
                       if c.state == CommissionState.APPROVED and c.currency == program.currency)
        if program.min_payout_minor > 0:
            least = format_money(program.min_payout_minor, program.currency, lang)
            needs.append(Need(i18n.gettext(lang, NEED_MINIMUM, amount=least),
                              approved >= program.min_payout_minor))
        needs.append(Need(i18n.gettext(lang, NEED_DETAILS),
                          bool(client is not None and client.payout_details.strip())))
    return ReferrerSummary(
        link=referral_link(base_url, referrer.code), code=referrer.code,
        coupon=referrer.coupon_code or "", active=referrer.status == ReferrerStatus.ACTIVE,
        payout_method=referrer.payout_method,
        payout_details=client.payout_details if client is not None else "", clicks=clicks, signups=signups,
        customers=len({c.attribution_id for c, _n in commission_rows}),
        totals=totals_of([c for c, _n in commission_rows], [a for a, _n in adjustment_rows]),
        commissions=commissions, adjustments=adjustments, payouts=payout_rows, needs=needs)


@dataclass(frozen=True)
class PayoutDetail:
    number: str
    date: str
    method: str
    amount: str
    reference: str
    lines: list[dict[str, str]]


def get_payout_detail(session: Session, *, client_id: int, payout_id: object, lang: str,
                      zone: str) -> PayoutDetail:
    """One of the referrer's own payouts with what it paid (NotFound for another's):
    each commission by its number and date, each adjustment by its reason."""
    payout = get_payout_for(session, client_id=client_id, payout_id=payout_id)
    rows = session.exec(select(PayoutItem, Commission.created_at, CommissionAdjustment.reason)
                        .outerjoin(Commission, Commission.id == PayoutItem.commission_id)
                        .outerjoin(CommissionAdjustment,
                                   CommissionAdjustment.id == PayoutItem.adjustment_id)
                        .where(PayoutItem.payout_id == payout.id).order_by(PayoutItem.id)).all()
    lines = []
    for item, earned, reason in rows:
        if item.commission_id is not None:
            label = i18n.gettext(lang, "Commission #{number}", number=item.commission_id)
            when = formats.when_medium(earned, zone, lang) if earned is not None else ""
        else:
            label, when = i18n.translate(lang, reason or ""), ""
        lines.append({"id": str(item.id), "label": label, "date": when,
                      "amount": format_money(item.amount_minor, payout.currency, lang)})
    return PayoutDetail(number=payout.number, date=formats.when_medium(payout.created_at, zone, lang),
                        method=i18n.gettext(lang, METHOD_LABELS.get(payout.method, payout.method)),
                        amount=format_money(payout.amount_minor, payout.currency, lang),
                        reference=payout.reference, lines=lines)

