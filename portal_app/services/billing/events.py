"""The payment provider's events (Stripe's webhook, or the test-mode checkout):
a checkout paid, failed or expired; a refund confirmed, failed, or made at the
provider.

A payment is recorded once: `ProcessedEvent` (unique per provider event id) is
inserted in the same transaction as the payment, and `Payment.provider_ref`
(the checkout session id) is unique, so a redelivered, concurrent or second
kind of event for the same checkout records nothing more.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from models import Invoice, InvoiceStatus, Payment, PaymentMethod, ProcessedEvent, Refund
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.billing.balance import fulfil_balance
from portal_app.services.billing.checkout import attempt_for_provider_session, fail_checkout
from portal_app.services.billing.invoices import next_number
from portal_app.services.billing.payments import settle
from portal_app.services.billing.receipts import announce_payment
from portal_app.services.billing.refunds import apply_refund
from portal_app.services.errors import NotFound, parse_id
from portal_app.services.hub.offer_grants import fulfil_paid_invoice
from portal_app.services.money import format_money
from portal_app.services.referrals import commissions

log = logging.getLogger("portal.payments")


class DuplicateEvent(Exception):
    """This provider event was handled before; nothing to do."""


def handle_event(session: Session, *, provider: str, event: dict, base_url: str) -> str:
    """Apply one verified provider event. Raises DuplicateEvent when seen before.

    The ProcessedEvent row is flushed first: a concurrent delivery of the same
    event waits on it and then fails its unique constraint, so it changes nothing.
    """
    event_id = str(event.get("id") or "")
    event_type = str(event.get("type") or "")
    if session.exec(select(ProcessedEvent.id).where(ProcessedEvent.provider == provider,
                                                    ProcessedEvent.event_id == event_id)
                    ).first() is not None:
        raise DuplicateEvent(event_id)
    session.add(ProcessedEvent(provider=provider, event_id=event_id, event_type=event_type[:80]))
    session.flush()
    obj = (event.get("data") or {}).get("object") or {}
    if event_type == "checkout.session.completed":
        if obj.get("payment_status") != "paid":
            return "waiting"  # an async method (bank debit): the succeeded event follows
        return "recorded" if fulfil_checkout(session, provider=provider, obj=obj,
                                             base_url=base_url) else "ignored"
    if event_type == "checkout.session.async_payment_succeeded":
        return "recorded" if fulfil_checkout(session, provider=provider, obj=obj,
                                             base_url=base_url) else "ignored"
    if event_type in ("checkout.session.async_payment_failed", "checkout.session.expired"):
        attempt = attempt_for_provider_session(session, obj)
        if attempt is not None:
            fail_checkout(session, attempt_id=attempt.id)
        return "failed"
    if event_type in ("refund.created", "refund.updated", "refund.failed",
                      "charge.refund.updated"):
        return _refund_event(session, obj)
    if event_type == "charge.succeeded":  # the card's fingerprint (referrals' own-card rule)
        card = ((obj.get("payment_method_details") or {}).get("card") or {})
        commissions.record_card(session, payment_intent_id=str(obj.get("payment_intent") or ""),
                                fingerprint=str(card.get("fingerprint") or ""))
        return "recorded"
    if event_type == "charge.refunded":
        outcome = "ignored"
        for refund in (obj.get("refunds") or {}).get("data") or []:
            if _refund_event(session, {**refund, "payment_intent": obj.get("payment_intent")}
                             ) == "recorded":
                outcome = "recorded"
        return outcome
    return "ignored"


def fulfil_checkout(session: Session, *, provider: str, obj: dict, base_url: str
                    ) -> Payment | None:
    """Record what the provider says was paid for a checkout session (once)."""
    session_id = str(obj.get("id") or "")
    existing = session.exec(select(Payment).where(Payment.provider_ref == session_id)).first()
    if existing is not None:
        return existing
    attempt = attempt_for_provider_session(session, obj)
    if attempt is None:
        log.warning("paid checkout %s matches no attempt; ignored", session_id)
        return None
    if attempt.invoice_ids:  # "Pay balance": split over its invoices, oldest first
        return fulfil_balance(session, attempt=attempt, provider=provider, obj=obj,
                              base_url=base_url)
    invoice = session.get(Invoice, attempt.invoice_id)
    amount = int(obj.get("amount_total") or 0)
    currency = str(obj.get("currency") or attempt.currency).upper()
    flags = []
    if currency != invoice.currency:
        flags.append(f"paid in {currency}, invoice is in {invoice.currency}")
    if amount != attempt.amount_minor:
        flags.append(f"paid {format_money(amount, currency)}, expected "
                     f"{format_money(attempt.amount_minor, attempt.currency)}")
    if invoice.status not in InvoiceStatus.OPEN:
        flags.append(f"invoice was {invoice.status} when the payment arrived")
    elif amount > invoice.balance_minor:
        flags.append(f"overpaid by {format_money(amount - invoice.balance_minor, currency)}")
    payment = Payment(
        invoice_id=invoice.id, client_id=attempt.client_id,
        receipt_number=next_number(session, "receipt"), amount_minor=amount, currency=currency,
        method=PaymentMethod.CARD, provider=provider, provider_ref=session_id,
        payment_intent_id=str(obj.get("payment_intent") or ""),
        checkout_attempt_id=attempt.id, flag="; ".join(flags)[:300])
    session.add(payment)
    if currency == invoice.currency:
        invoice.paid_minor += amount
        settle(invoice)
        session.add(invoice)
    attempt.status = "completed"
    attempt.completed_at = utcnow()
    session.add(attempt)
    session.flush()
    fulfil_paid_invoice(session, invoice)  # an offer bought through it: its grants, once
    commissions.on_payment(session, payment=payment, invoice=invoice)  # a referrer's share
    record_audit(session, actor_kind="client", actor_id=attempt.client_id,
                 action="payment.received", client_id=attempt.client_id,
                 invoice=invoice.number, receipt=payment.receipt_number, amount=amount,
                 currency=currency, provider=provider, flag=payment.flag)
    announce_payment(session, payment=payment, invoice=invoice, base_url=base_url)
    return payment


def _refund_event(session: Session, obj: dict) -> str:
    """A refund confirmed, failed, or made elsewhere (the Stripe dashboard)."""
    refund_id = str(obj.get("id") or "")
    status = str(obj.get("status") or "")
    if not refund_id:
        return "ignored"
    row = session.exec(select(Refund).where(Refund.provider_refund_id == refund_id)).first()
    if row is None:
        mine = (obj.get("metadata") or {}).get("portal_refund_id")
        if mine:  # ours, made by refund_payment, whose answer may not be stored yet
            try:
                row = session.get(Refund, parse_id(mine, "unknown refund"))
            except NotFound:
                row = None
            if row is not None:
                row.provider_refund_id = refund_id
                session.add(row)
    if row is not None:
        return _refund_status(session, row, status)
    if status not in ("succeeded", "pending"):
        return "ignored"
    payment = session.exec(select(Payment).where(
        Payment.payment_intent_id == str(obj.get("payment_intent") or ""),
        Payment.payment_intent_id != "")).first()
    if payment is None:
        return "ignored"
    amount = min(int(obj.get("amount") or 0), payment.amount_minor - payment.refunded_minor)
    if amount <= 0:
        return "ignored"
    session.add(Refund(payment_id=payment.id, amount_minor=amount, provider_refund_id=refund_id,
                       reason="Refunded at the payment provider"))
    apply_refund(session, payment, amount)
    return "recorded"


def _refund_status(session: Session, row: Refund, status: str) -> str:
    """Bring a known refund in line with the provider's status."""
    payment = session.get(Payment, row.payment_id)
    if status in ("succeeded", "pending") and row.status in ("pending", "failed"):
        # The provider made it: apply it now (our own finish step then sees it done).
        row.status = "succeeded"
        session.add(row)
        apply_refund(session, payment, row.amount_minor)
        return "recorded"
    if status in ("failed", "canceled") and row.status == "succeeded":
        row.status = "failed"
        session.add(row)
        apply_refund(session, payment, -row.amount_minor)  # the money stayed with us
        return "recorded"
    if status in ("failed", "canceled") and row.status == "pending":
        row.status = "failed"
        session.add(row)
    session.flush()
    return "known"
