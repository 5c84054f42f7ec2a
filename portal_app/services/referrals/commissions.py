"""Commissions: earned on a payment in the payment's own transaction, reduced by
refunds, approved or rejected by staff.

Billing calls two hooks: `on_payment` wherever a payment is recorded (the
webhook, the test-mode checkout, a balance payment, an offline payment) and
`on_refund` from `apply_refund`. A commission is unique per payment, so a
replayed event makes none twice. Amounts are integer minor units in the
payment's currency.

Before payout a refund lowers the commission in place (to 0: reversed, with the
invoice named in the reason); after payout it makes a visible
`CommissionAdjustment` that the next payout deducts, never a silent debt. A
payment with the referrer's own card (Stripe's fingerprint) earns nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from models import (
    CardFingerprint,
    Client,
    Commission,
    CommissionAdjustment,
    CommissionState,
    Invoice,
    Payment,
    PaymentMethod,
    RateDuration,
    ReferralAttribution,
    Referrer,
    ReferrerStatus,
)
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.errors import NotFound, ServiceError, parse_id
from portal_app.services.referrals.program import commission_on, get_program, rate_for

NO_COMMISSION = "That commission does not exist."
OWN_CARD = "Paid with the referrer's own card"


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus calendar months (the 31st becomes the month's last day)."""
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return moment.replace(year=year, month=month, day=min(moment.day, days))


def household_ids(session: Session, client_id: int) -> list[int]:
    """The client's record and the other records of its account."""
    client = session.get(Client, client_id)
    if client is None or client.account_id is None:
        return [client_id]
    return list(session.exec(select(Client.id).where(Client.account_id == client.account_id)))


def own_card(session: Session, *, referrer: Referrer, payment: Payment) -> bool:
    """The payment's card (when the provider reported it) is one the referrer's
    household has paid with."""
    if not payment.payment_intent_id:
        return False
    mine = session.exec(select(CardFingerprint.fingerprint).where(
        CardFingerprint.payment_intent_id == payment.payment_intent_id)).first()
    if not mine:
        return False
    theirs = session.exec(select(CardFingerprint.id).join(
        Payment, Payment.payment_intent_id == CardFingerprint.payment_intent_id).where(
        Payment.client_id.in_(household_ids(session, referrer.client_id)),
        CardFingerprint.fingerprint == mine).limit(1)).first()
    return theirs is not None


def _in_duration(session: Session, *, program, attribution: ReferralAttribution,
                 payment: Payment) -> bool:
    if program.duration == RateDuration.EVERY:
        return True
    if program.duration == RateDuration.MONTHS:
        return payment.paid_at < add_months(attribution.attributed_at,
                                             max(program.duration_months, 0))
    earlier = session.exec(select(Commission.id).where(
        Commission.attribution_id == attribution.id).limit(1)).first()
    return earlier is None  # FIRST: the customer's first commissionable payment only


def on_payment(session: Session, *, payment: Payment, invoice: Invoice,
               now: datetime | None = None) -> Commission | None:
    """The commission this payment earns its customer's referrer (once), or None."""
    if payment.method == PaymentMethod.ACCOUNT_CREDIT or payment.amount_minor <= 0:
        return None
    attribution = session.exec(select(ReferralAttribution).where(
        ReferralAttribution.client_id == payment.client_id)).first()
    if attribution is None:
        return None
    existing = session.exec(select(Commission).where(Commission.payment_id == payment.id)).first()
    if existing is not None:
        return existing
    referrer = session.get(Referrer, attribution.referrer_id)
    if referrer is None or referrer.status != ReferrerStatus.ACTIVE:
        return None
    program = get_program(session)
    if not _in_duration(session, program=program, attribution=attribution, payment=payment):
        return None
    if own_card(session, referrer=referrer, payment=payment):
        record_audit(session, actor_kind="system", actor_id=None, client_id=payment.client_id,
                     action="referrals.own_card_refused", referrer_id=referrer.id,
                     payment_id=payment.id)
        return None
    rate = rate_for(session, program=program, invoice=invoice)
    earned = commission_on(rate, amount_minor=payment.amount_minor, currency=payment.currency,
                           full_minor=payment.amount_minor)
    if earned <= 0:
        return None
    now = now or utcnow()
    row = Commission(referrer_id=referrer.id, attribution_id=attribution.id,
                     payment_id=payment.id, invoice_id=invoice.id, currency=payment.currency,
                     base_minor=payment.amount_minor, earned_minor=earned, amount_minor=earned,
                     hold_until=now + timedelta(days=program.hold_days), created_at=now)
    session.add(row)
    session.flush()
    _keep_net(session, row, payment, invoice)  # a refund recorded before this (rare)
    return row


def settled_minor(session: Session, commission: Commission) -> int:
    """What a paid commission comes to now: its amount plus its adjustments."""
    extra = session.exec(select(func.coalesce(func.sum(CommissionAdjustment.amount_minor), 0))
                         .where(CommissionAdjustment.commission_id == commission.id)).one()
    return commission.amount_minor + int(extra or 0)


def _keep_net(session: Session, row: Commission, payment: Payment, invoice: Invoice) -> None:
    """Bring the commission in line with what is left of its payment after refunds: the
    same share of the commission as of the payment, rounded down (earned × kept / paid)."""
    net = max(payment.amount_minor - payment.refunded_minor, 0)
    due = row.earned_minor * net // row.base_minor if row.base_minor else 0
    ref = invoice.number if invoice is not None else ""
    if row.reason == OWN_CARD:
        return  # paid with the referrer's own card: it stays at nothing, whatever refunds do
    if row.state == CommissionState.PAID:
        delta = due - settled_minor(session, row)
        if delta:
            why = (f"Refund on {ref} after payout" if delta < 0
                   else f"Refund on {ref} cancelled after payout")
            session.add(CommissionAdjustment(referrer_id=row.referrer_id, commission_id=row.id,
                                             currency=row.currency, amount_minor=delta,
                                             reason=why))
            session.flush()
        return
    if due == row.amount_minor:
        return
    row.amount_minor = due
    if row.state == CommissionState.REJECTED:
        pass  # stays rejected; the amount only follows the payment
    elif due == 0:
        row.state, row.reason = CommissionState.REVERSED, f"Refunded in full ({ref})"
    else:
        if row.state == CommissionState.REVERSED:
            row.state = CommissionState.PENDING
        row.reason = f"Reduced by a refund ({ref})" if due < row.earned_minor else ""
    session.add(row)
    session.flush()


def on_refund(session: Session, *, payment: Payment, invoice: Invoice | None = None) -> None:
    """A refund (or a refund that failed after all) changed what was kept of `payment`."""
    # Locked: a payout being made of this commission waits, then sees the new amount.
    row = session.exec(select(Commission).where(Commission.payment_id == payment.id)
                       .with_for_update()).first()
    if row is not None:
        _keep_net(session, row, payment, invoice or session.get(Invoice, payment.invoice_id))


def record_card(session: Session, *, payment_intent_id: str, fingerprint: str) -> None:
    """The card behind a provider payment (Stripe's `charge.succeeded`). Once known, a
    commission on that payment that is not paid yet is reversed when the card is the
    referrer's own."""
    if not payment_intent_id or not fingerprint:
        return
    known = session.exec(select(CardFingerprint).where(
        CardFingerprint.payment_intent_id == payment_intent_id)).first()
    if known is None:
        session.add(CardFingerprint(payment_intent_id=payment_intent_id,
                                    fingerprint=fingerprint[:64]))
        session.flush()
    for payment in session.exec(select(Payment).where(
            Payment.payment_intent_id == payment_intent_id)).all():
        row = session.exec(select(Commission).where(Commission.payment_id == payment.id)).first()
        if row is None or row.state not in (CommissionState.PENDING, CommissionState.APPROVED):
            continue
        if own_card(session, referrer=session.get(Referrer, row.referrer_id), payment=payment):
            row.state, row.amount_minor, row.reason = CommissionState.REVERSED, 0, OWN_CARD
            session.add(row)
            session.flush()


# --- staff decisions -----------------------------------------------------------------------


def decide(session: Session, *, staff_id: int, commission_ids: list, approve: bool,
           reason: object = "", now: datetime | None = None) -> tuple[int, list[str]]:
    """Approve (after the hold) or reject (with a reason) these commissions. Returns how
    many changed and, for each one that could not, why (it is left as it was)."""
    now = now or utcnow()
    text = " ".join(str(reason or "").split())[:300]
    if not approve and len(text) < 3:
        raise ServiceError("Give the reason for rejecting (the referrer sees it).",
                           field="reason")
    ids = list(dict.fromkeys(parse_id(i, NO_COMMISSION) for i in commission_ids))
    if not ids:
        raise ServiceError("Select at least one commission.")
    rows = {c.id: c for c in session.exec(select(Commission).where(Commission.id.in_(ids)))}
    if len(rows) != len(ids):
        raise NotFound(NO_COMMISSION)
    owners = {r.id: r.client_id for r in session.exec(select(Referrer).where(
        Referrer.id.in_({c.referrer_id for c in rows.values()})))}
    done, skipped = 0, []
    for cid in ids:
        row = rows[cid]
        if approve:
            if row.state != CommissionState.PENDING:
                skipped.append(f"#{cid}: it is {row.state}")
                continue
            if row.hold_until > now:
                skipped.append(f"#{cid}: still in its hold")
                continue
            row.state = CommissionState.APPROVED
            row.reason = text
        else:
            if row.state not in (CommissionState.PENDING, CommissionState.APPROVED):
                skipped.append(f"#{cid}: it is {row.state}")
                continue
            row.state, row.reason = CommissionState.REJECTED, text
        row.decided_at, row.decided_by_staff_id = now, staff_id
        session.add(row)
        done += 1
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     client_id=owners.get(row.referrer_id),
                     action="referrals.commission_approved" if approve
                     else "referrals.commission_rejected",
                     commission_id=row.id, amount=row.amount_minor, reason=text)
    session.flush()
    return done, skipped


def referrer_clients_of(session: Session, *, client_ids: list[int]) -> list[int]:
    """The referrers' client records of these customers (whose tabs a payment refreshes)."""
    if not client_ids:
        return []
    return list(session.exec(select(Referrer.client_id).join(
        ReferralAttribution, ReferralAttribution.referrer_id == Referrer.id).where(
        ReferralAttribution.client_id.in_(client_ids))).all())
