"""Payouts: staff pay a referrer's approved commissions of one currency, less the
open adjustments (refunds after an earlier payout), in one record.

Each commission and adjustment becomes one `PayoutItem`; their unique columns make
the database refuse to pay anything twice, even from two consoles at once. The
payout is by bank transfer or cash (recorded by hand), or as account credit: a
payment of the referrer's own open invoices, oldest first, whatever is left kept
as credit that the next invoice sent to them takes (credit.py). The
referrer gets an email that lists what the payout pays.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    Client,
    Commission,
    CommissionAdjustment,
    CommissionState,
    Payout,
    PayoutItem,
    PayoutMethod,
    Referrer,
)
from portal_app import i18n, routes
from portal_app.services.audit import record_audit
from portal_app.services.billing.series import next_number
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.emails import client_language
from portal_app.services.errors import NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.money import format_money
from portal_app.services.outbox import enqueue_email
from portal_app.services.referrals.credit import apply_open_credit
from portal_app.services.referrals.program import get_program
from portal_app.services.referrals.referrers import NO_REFERRER

NO_PAYOUT = "That payout does not exist."
METHOD_LABELS = {PayoutMethod.BANK_TRANSFER: "Bank transfer", PayoutMethod.CASH: "Cash",
                 PayoutMethod.ACCOUNT_CREDIT: "Account credit"}


def open_adjustments(session: Session, *, referrer_id: int, currency: str
                     ) -> list[CommissionAdjustment]:
    """Adjustments of this currency that no payout has settled yet."""
    settled = select(PayoutItem.adjustment_id).where(PayoutItem.adjustment_id.is_not(None))
    return list(session.exec(select(CommissionAdjustment).where(
        CommissionAdjustment.referrer_id == referrer_id,
        CommissionAdjustment.currency == currency,
        CommissionAdjustment.id.not_in(settled)).order_by(CommissionAdjustment.id)).all())


def _approved(session: Session, *, referrer: Referrer, commission_ids: list
              ) -> list[Commission]:
    ids = list(dict.fromkeys(parse_id(i, "That commission does not exist.")
                             for i in commission_ids))
    if not ids:
        raise ServiceError("Select at least one approved commission.")
    # Locked until the payout commits: a refund recorded meanwhile waits, then makes an
    # adjustment against a paid commission instead of lowering one being paid.
    rows = list(session.exec(select(Commission).where(Commission.id.in_(ids))
                             .order_by(Commission.id).with_for_update()).all())
    if len(rows) != len(ids) or any(c.referrer_id != referrer.id for c in rows):
        raise NotFound("That commission does not exist.")
    if any(c.state != CommissionState.APPROVED for c in rows):
        raise ServiceError("Only approved commissions that are not paid yet can be paid.")
    if len({c.currency for c in rows}) != 1:
        raise ServiceError("A payout is in one currency: select commissions of one currency.")
    return rows


@dataclass(frozen=True)
class PayoutPlan:
    """What a payout of these commissions would pay (the confirm step shows it)."""

    commissions: list[Commission]
    adjustments: list[CommissionAdjustment]
    currency: str
    amount_minor: int


def plan_payout(session: Session, *, referrer_id: object, commission_ids: list) -> PayoutPlan:
    referrer = get_by_id(session, Referrer, referrer_id, NO_REFERRER)
    rows = _approved(session, referrer=referrer, commission_ids=commission_ids)
    currency = rows[0].currency
    adjustments = open_adjustments(session, referrer_id=referrer.id, currency=currency)
    total = sum(c.amount_minor for c in rows) + sum(a.amount_minor for a in adjustments)
    return PayoutPlan(rows, adjustments, currency, total)


def pay_out(session: Session, *, staff_id: int, referrer_id: object, commission_ids: list,
            method: object, reference: object = "", note: object = "", base_url: str = ""
            ) -> Payout:
    """Pay these approved commissions (and deduct the open adjustments) in one payout."""
    if method not in PayoutMethod.ALL:
        raise ServiceError("Choose how the payout is made.", field="method")
    plan = plan_payout(session, referrer_id=referrer_id, commission_ids=commission_ids)
    referrer = session.get(Referrer, parse_id(referrer_id, NO_REFERRER))
    program = get_program(session)
    if plan.amount_minor <= 0:
        owed = format_money(-sum(a.amount_minor for a in plan.adjustments), plan.currency)
        raise ServiceError(f"Earlier refunds ({owed}) exceed these commissions: "
                           "nothing is due yet.")
    if plan.currency == program.currency and plan.amount_minor < program.min_payout_minor:
        least = format_money(program.min_payout_minor, program.currency)
        raise ServiceError(f"That is below the minimum payout ({least}).")
    ref = " ".join(str(reference or "").split())
    if len(ref) > 120:
        raise ServiceError("Keep the reference under 120 characters.", field="reference")
    text = " ".join(str(note or "").split())
    if len(text) > 300:
        raise ServiceError("Keep the note under 300 characters.", field="note")
    payout = Payout(number=next_number(session, "payout"), referrer_id=referrer.id,
                    method=str(method), currency=plan.currency,
                    amount_minor=plan.amount_minor, reference=ref, note=text,
                    created_by_staff_id=staff_id)
    session.add(payout)
    session.flush()
    for row in plan.commissions:
        session.add(PayoutItem(payout_id=payout.id, commission_id=row.id,
                               amount_minor=row.amount_minor))
        row.state = CommissionState.PAID
        session.add(row)
    for adj in plan.adjustments:
        session.add(PayoutItem(payout_id=payout.id, adjustment_id=adj.id,
                               amount_minor=adj.amount_minor))
    try:  # a commission or adjustment another payout took meanwhile fails its unique column
        session.flush()
    except IntegrityError:
        raise ServiceError("Someone paid some of these commissions a moment ago. Reload the "
                           "page to see what is still due.") from None
    if payout.method == PayoutMethod.ACCOUNT_CREDIT:
        payout.credit_left_minor = payout.amount_minor
        session.add(payout)
        apply_open_credit(session, client_id=referrer.client_id)
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=referrer.client_id,
                 action="referrals.payout", payout=payout.number, amount=payout.amount_minor,
                 currency=payout.currency, method=payout.method,
                 commissions=len(plan.commissions), adjustments=len(plan.adjustments))
    send_statement(session, payout=payout, referrer=referrer, base_url=base_url)
    return payout


def send_statement(session: Session, *, payout: Payout, referrer: Referrer,
                   base_url: str) -> None:
    """The payout statement email: each commission (invoice-free wording) and adjustment."""
    client = session.get(Client, referrer.client_id)
    to = portal_email_of(session, client) or client.email
    if not to:
        return
    business = get_business(session)
    lang = client_language(client, business)
    lines = []
    for item in session.exec(select(PayoutItem).where(PayoutItem.payout_id == payout.id)
                             .order_by(PayoutItem.id)).all():
        if item.commission_id is not None:
            label = i18n.gettext(lang, "Commission #{number}", number=item.commission_id)
        else:
            adj = session.get(CommissionAdjustment, item.adjustment_id)
            label = i18n.translate(lang, adj.reason)
        lines.append({"label": label,
                      "amount": format_money(item.amount_minor, payout.currency, lang)})
    enqueue_email(session, to=to, template="referral_payout", business=business,
                  idempotency_key=f"payout-{payout.number}", lang=lang,
                  client_name=client.full_name, number=payout.number,
                  amount=format_money(payout.amount_minor, payout.currency, lang),
                  method=i18n.gettext(lang, METHOD_LABELS.get(payout.method, payout.method)),
                  reference=payout.reference, lines=lines,
                  url=f"{base_url}{routes.REFERRALS}")


def get_payout_for(session: Session, *, client_id: int, payout_id: object) -> Payout:
    """The referrer's own payout; NotFound for anyone else's."""
    payout = session.get(Payout, parse_id(payout_id, NO_PAYOUT))
    referrer = session.get(Referrer, payout.referrer_id) if payout else None
    if referrer is None or referrer.client_id != client_id:
        raise NotFound(NO_PAYOUT)
    return payout
