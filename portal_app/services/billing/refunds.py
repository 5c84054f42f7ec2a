"""Refunds of a payment, made by staff.

A refund is a saga: the amount is reserved first (a pending Refund, committed),
the provider is asked outside any transaction, then the refund is applied, or
the reservation released when the provider refused. Two refunds at once can
never give back more than was paid, and a refund the provider made is
recorded even if the staff member's session ended meanwhile. An offline
payment's refund is only recorded (staff returned the money themselves); an
online one needs the payment's own provider.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlmodel import Session, select

from models import Invoice, Payment, PaymentMethod, Refund
from portal_app.db import session_scope
from portal_app.providers.payments import PaymentGateway, PaymentProviderError
from portal_app.services.audit import record_audit
from portal_app.services.billing.payments import NO_PAYMENT, get_invoice_payment, settle
from portal_app.services.errors import NotAllowed, ServiceError, get_by_id
from portal_app.services.hub import offer_grants
from portal_app.services.money import format_money, parse_amount
from portal_app.services.referrals import commissions

log = logging.getLogger("portal.payments.refunds")

ONLINE_PROVIDERS = ("stripe", "test")
FULLY_REFUNDED = "This payment is already fully refunded."
CREDIT_NOT_REFUNDABLE = ("This payment was made from referral credit, not money received: "
                         "it cannot be refunded.")
REFUND_FAILED = "The refund could not be made. Please try again later."


def apply_refund(session: Session, payment: Payment, amount: int) -> None:
    """Money given back (or, negative, a refund that failed after all) on the
    payment and its invoice."""
    payment.refunded_minor += amount
    session.add(payment)
    invoice = session.get(Invoice, payment.invoice_id)
    if payment.currency == invoice.currency:
        invoice.paid_minor = max(invoice.paid_minor - amount, 0)
        settle(invoice)
        session.add(invoice)
    session.flush()
    # An offer bought through the invoice: a whole refund ends its grants.
    offer_grants.after_refund(session, payment=payment, invoice=invoice)
    commissions.on_refund(session, payment=payment, invoice=invoice)  # a referrer's share


def refundable(session: Session, payment: Payment) -> int:
    """What may still be refunded: paid less refunded less refunds in flight."""
    pending = sum(r.amount_minor for r in session.exec(select(Refund).where(
        Refund.payment_id == payment.id, Refund.status == "pending")).all())
    return payment.amount_minor - payment.refunded_minor - pending


def refund_gateway(payment: Payment, gateway: PaymentGateway | None) -> PaymentGateway | None:
    """The gateway that refunds this payment: None for an offline payment (only
    recorded); for an online one its own provider, or a refusal when that is not
    the one set up now."""
    if payment.provider not in ONLINE_PROVIDERS:
        return None
    if gateway is None or gateway.name != payment.provider:
        raise ServiceError("Refunds of this payment need its payment provider "
                           f"({payment.provider}), which is not set up now.")
    return gateway


def refundable_payment(session: Session, *, invoice_id: int, payment_id: object
                       ) -> tuple[Payment, int]:
    """A payment of this invoice and what is left to refund of it (the refund
    dialog); refused when nothing is."""
    payment = get_invoice_payment(session, invoice_id=invoice_id, payment_id=payment_id)
    if payment.method == PaymentMethod.ACCOUNT_CREDIT:
        raise ServiceError(CREDIT_NOT_REFUNDABLE)
    left = refundable(session, payment)
    if left <= 0:
        raise ServiceError(FULLY_REFUNDED)
    return payment, left


# --- the steps of a refund -----------------------------------------------------------------


def prepare_refund(session: Session, *, staff_id: int, payment_id: object, form: dict
                   ) -> Refund:
    """Step 1 of a refund: check and reserve the amount (committed before the provider call)."""
    payment = get_by_id(session, Payment, payment_id, NO_PAYMENT)
    if payment.method == PaymentMethod.ACCOUNT_CREDIT:
        raise NotAllowed(CREDIT_NOT_REFUNDABLE)
    left = refundable(session, payment)
    if left <= 0:
        raise NotAllowed(FULLY_REFUNDED)
    text = form.get("amount")
    amount = left if text in (None, "") else parse_amount(text, payment.currency,
                                                         allow_zero=False)
    if amount > left:
        raise ServiceError(f"At most {format_money(left, payment.currency)} can be refunded.",
                           field="amount")
    reason = str(form.get("reason") or "").strip()[:300]
    refund = Refund(payment_id=payment.id, amount_minor=amount, reason=reason,
                    status="pending", created_by_staff_id=staff_id)
    session.add(refund)
    session.flush()
    if form.get("keep_access"):  # staff keep an offer's access despite the refund
        offer_grants.keep_on_refund(session, payment=payment, amount_minor=amount,
                                    staff_id=staff_id)
    return refund


def finish_refund(session: Session, *, refund_id: int, provider_refund_id: str | None,
                  staff_id: int) -> Refund:
    """Step 2: the provider agreed (or the payment was offline): apply it."""
    refund = session.get(Refund, refund_id)
    if refund.status != "pending":
        return refund
    if provider_refund_id:
        taken = session.exec(select(Refund).where(
            Refund.provider_refund_id == provider_refund_id, Refund.id != refund.id)).first()
        if taken is not None:
            # A webhook already recorded this very refund on another row: it is applied.
            refund.status = "superseded"
            session.add(refund)
            session.flush()
            return refund
        refund.provider_refund_id = provider_refund_id
    refund.status = "succeeded"
    session.add(refund)
    payment = session.get(Payment, refund.payment_id)
    apply_refund(session, payment, refund.amount_minor)
    invoice = session.get(Invoice, payment.invoice_id)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="payment.refunded",
                 client_id=payment.client_id, invoice=invoice.number,
                 receipt=payment.receipt_number, amount=refund.amount_minor)
    return refund


def abandon_refund(session: Session, *, refund_id: int) -> None:
    """Step 2 when the provider refused: release the reserved amount."""
    refund = session.get(Refund, refund_id)
    if refund is not None and refund.status == "pending":
        refund.status = "failed"
        session.add(refund)
        session.flush()
        offer_grants.refund_abandoned(session, payment=session.get(Payment, refund.payment_id))


# --- the saga ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReservedRefund:
    """Step 1 done: what steps 2 and 3 need, outside the transaction that reserved it."""

    refund_id: int
    amount_minor: int
    online: bool
    payment_intent_id: str
    staff_id: int


def reserve_refund(session: Session, *, staff_id: int, invoice_id: int, payment_id: object,
                   form: dict, gateway: PaymentGateway | None) -> ReservedRefund:
    """Step 1, for a payment of this invoice: the provider rule, then the reservation."""
    payment = get_invoice_payment(session, invoice_id=invoice_id, payment_id=payment_id)
    online = refund_gateway(payment, gateway) is not None
    refund = prepare_refund(session, staff_id=staff_id, payment_id=payment.id, form=form)
    return ReservedRefund(refund_id=refund.id, amount_minor=refund.amount_minor, online=online,
                          payment_intent_id=payment.payment_intent_id, staff_id=staff_id)


async def complete_refund(reserved: ReservedRefund, *, gateway: PaymentGateway | None
                          ) -> str | None:
    """Steps 2 and 3: ask the provider (an online payment; outside any transaction),
    then apply the refund in its own transaction; returns the provider's refund id.
    When the provider fails the reservation is released and ServiceError says why."""
    provider_refund_id = None
    if reserved.online:
        try:
            provider_refund_id = await asyncio.to_thread(
                gateway.refund, payment_intent_id=reserved.payment_intent_id,
                amount_minor=reserved.amount_minor,
                idempotency_key=f"refund-{reserved.refund_id}",
                metadata={"portal_refund_id": str(reserved.refund_id)})
        except Exception as exc:  # any failure must release the reservation
            if isinstance(exc, PaymentProviderError):
                message = exc.message
            else:
                log.exception("refund %s failed", reserved.refund_id)
                message = REFUND_FAILED
            with session_scope() as session:
                abandon_refund(session, refund_id=reserved.refund_id)
            raise ServiceError(message) from exc
    # The money has moved (or was returned by hand): record it even if the staff
    # session ended in between, or the amount would stay reserved.
    with session_scope() as session:
        finish_refund(session, refund_id=reserved.refund_id,
                      provider_refund_id=provider_refund_id, staff_id=reserved.staff_id)
    return provider_refund_id
