"""Payments toward invoices: online checkout, provider events, offline
payments recorded by staff, refunds, receipts.

The amount to pay is computed here, never taken from the browser. A payment
is recorded once: `ProcessedEvent` (unique per provider event id) is inserted
in the same transaction as the payment, and `Payment.provider_ref` (the
checkout session id) is unique, so a redelivered, concurrent or second kind
of event for the same checkout records nothing more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import (
    CheckoutAttempt,
    Client,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    NotificationKind,
    Payment,
    PaymentMethod,
    ProcessedEvent,
    Refund,
)
from models.base import utcnow
from portal_app import i18n, routes
from portal_app.i18n import formats
from portal_app.services.audit import record_audit
from portal_app.services.billing.invoices import (
    NO_INVOICE,
    get_invoice_for,
    next_number,
)
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.emails import client_language
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.money import format_money, minimum_charge, parse_amount
from portal_app.services.notifications import fit_title, notify
from portal_app.services.outbox import enqueue_email

log = logging.getLogger("portal.payments")

NO_PAYMENT = "That payment does not exist."


class DuplicateEvent(Exception):
    """This provider event was handled before; nothing to do."""


# --- applying money to an invoice --------------------------------------------------------


def _payment_title(session: Session, payment: Payment, invoice: Invoice, amount: int,
                   currency: str) -> str:
    """The bell line of a payment, in the client's language."""
    lang = client_language(session.get(Client, payment.client_id), get_business(session))
    return fit_title(i18n.gettext(lang, "Payment received: {amount} for invoice {number}",
                                  amount=format_money(amount, currency, lang),
                                  number=invoice.number))


def _settle(invoice: Invoice) -> None:
    """Status from what was paid; a void invoice stays void."""
    if invoice.status == InvoiceStatus.VOID or invoice.kind != InvoiceKind.INVOICE:
        return
    if invoice.paid_minor >= invoice.total_minor and invoice.total_minor > 0:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = invoice.paid_at or utcnow()
    else:
        invoice.status = (InvoiceStatus.PARTIALLY_PAID if invoice.paid_minor > 0
                          else InvoiceStatus.SENT)
        invoice.paid_at = None
    invoice.updated_at = utcnow()


def _payable(session: Session, *, client_id: int, invoice_id: object) -> Invoice:
    invoice = get_invoice_for(session, client_id=client_id, invoice_id=invoice_id)
    if invoice.kind != InvoiceKind.INVOICE:
        raise NotFound(NO_INVOICE)
    if invoice.status not in InvoiceStatus.OPEN or invoice.balance_minor <= 0:
        raise NotAllowed("This invoice has nothing left to pay.")
    return invoice


def payment_amount(invoice: Invoice, amount_text: object | None) -> int:
    """The amount of an online payment: the balance, or a chosen part of it."""
    balance = invoice.balance_minor
    least = minimum_charge(invoice.currency)
    if amount_text in (None, ""):
        amount = balance
    else:
        amount = parse_amount(amount_text, invoice.currency, what="an amount", allow_zero=False)
    if amount > balance:
        raise ServiceError(f"The most you can pay is the balance, "
                           f"{format_money(balance, invoice.currency)}.", field="amount")
    if amount < least:
        if balance < least:
            raise NotAllowed(f"The balance is below the smallest online payment "
                             f"({format_money(least, invoice.currency)}). Please contact us.")
        raise ServiceError(f"The smallest online payment is "
                           f"{format_money(least, invoice.currency)}.", field="amount")
    if amount < balance and balance - amount < least:
        # What is left must stay payable online.
        raise ServiceError(f"Pay the whole balance, or leave at least "
                           f"{format_money(least, invoice.currency)} to pay later.",
                           field="amount")
    return amount


# --- online checkout ---------------------------------------------------------------------


def prepare_checkout(session: Session, *, client_id: int, invoice_id: object,
                     amount_text: object | None, provider: str, tab_token: str
                     ) -> CheckoutAttempt:
    """Step 1 of Pay: check the invoice and amount, write the attempt (committed
    before the provider is called, so a crash loses nothing)."""
    invoice = _payable(session, client_id=client_id, invoice_id=invoice_id)
    attempt = CheckoutAttempt(invoice_id=invoice.id, client_id=client_id,
                              amount_minor=payment_amount(invoice, amount_text),
                              currency=invoice.currency, provider=provider,
                              tab_token=str(tab_token or "")[:64])
    session.add(attempt)
    session.flush()
    return attempt


def open_checkout(session: Session, *, attempt_id: int, provider_session_id: str,
                  url: str) -> CheckoutAttempt:
    """Step 2: the provider answered; keep its session id and URL."""
    attempt = session.get(CheckoutAttempt, attempt_id)
    attempt.provider_session_id = provider_session_id
    attempt.checkout_url = url
    attempt.status = "open" if attempt.status == "creating" else attempt.status
    session.add(attempt)
    session.flush()
    return attempt


def fail_checkout(session: Session, *, attempt_id: int) -> None:
    attempt = session.get(CheckoutAttempt, attempt_id)
    if attempt is not None and attempt.status in ("creating", "open"):
        attempt.status = "failed"
        session.add(attempt)
        session.flush()


def get_attempt_for(session: Session, *, client_id: int, provider_session_id: str
                    ) -> CheckoutAttempt:
    attempt = session.exec(select(CheckoutAttempt).where(
        CheckoutAttempt.provider_session_id == str(provider_session_id or ""))).first()
    if attempt is None or attempt.client_id != client_id:
        raise NotFound("That payment page does not exist.")
    return attempt


def _attempt_for_session(session: Session, obj: dict) -> CheckoutAttempt | None:
    session_id = str(obj.get("id") or "")
    attempt = session.exec(select(CheckoutAttempt).where(
        CheckoutAttempt.provider_session_id == session_id)).first()
    if attempt is not None:
        return attempt
    # The process may have died between calling the provider and storing its
    # session id: the attempt id travels in the metadata.
    meta = obj.get("metadata") or {}
    try:
        attempt = session.get(CheckoutAttempt, int(meta.get("attempt_id")))
    except (TypeError, ValueError):
        return None
    if attempt is None or str(attempt.invoice_id) != str(meta.get("invoice_id")):
        return None
    attempt.provider_session_id = session_id
    return attempt


def fulfil_checkout(session: Session, *, provider: str, obj: dict, base_url: str
                    ) -> Payment | None:
    """Record what the provider says was paid for a checkout session (once)."""
    session_id = str(obj.get("id") or "")
    existing = session.exec(select(Payment).where(Payment.provider_ref == session_id)).first()
    if existing is not None:
        return existing
    attempt = _attempt_for_session(session, obj)
    if attempt is None:
        log.warning("paid checkout %s matches no attempt; ignored", session_id)
        return None
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
        _settle(invoice)
        session.add(invoice)
    attempt.status = "completed"
    attempt.completed_at = utcnow()
    session.add(attempt)
    session.flush()
    record_audit(session, actor_kind="client", actor_id=attempt.client_id,
                 action="payment.received", client_id=attempt.client_id,
                 invoice=invoice.number, receipt=payment.receipt_number, amount=amount,
                 currency=currency, provider=provider, flag=payment.flag)
    send_receipt(session, payment=payment, invoice=invoice, base_url=base_url)
    # The bell line only: the receipt email is the transactional copy.
    notify(session, client_id=payment.client_id, kind=NotificationKind.PAYMENT,
           title=_payment_title(session, payment, invoice, payment.amount_minor, currency),
           link=routes.receipt_page(payment.id), base_url=base_url, email=False)
    return payment


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
        attempt = _attempt_for_session(session, obj)
        if attempt is not None:
            fail_checkout(session, attempt_id=attempt.id)
        return "failed"
    if event_type in ("refund.created", "refund.updated", "refund.failed",
                      "charge.refund.updated"):
        return _refund_event(session, obj)
    if event_type == "charge.refunded":
        outcome = "ignored"
        for refund in (obj.get("refunds") or {}).get("data") or []:
            if _refund_event(session, {**refund, "payment_intent": obj.get("payment_intent")}
                             ) == "recorded":
                outcome = "recorded"
        return outcome
    return "ignored"


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
    _apply_refund(session, payment, amount)
    return "recorded"


def _refund_status(session: Session, row: Refund, status: str) -> str:
    """Bring a known refund in line with the provider's status."""
    payment = session.get(Payment, row.payment_id)
    if status in ("succeeded", "pending") and row.status in ("pending", "failed"):
        # The provider made it: apply it now (our own finish step then sees it done).
        row.status = "succeeded"
        session.add(row)
        _apply_refund(session, payment, row.amount_minor)
        return "recorded"
    if status in ("failed", "canceled") and row.status == "succeeded":
        row.status = "failed"
        session.add(row)
        _apply_refund(session, payment, -row.amount_minor)  # the money stayed with us
        return "recorded"
    if status in ("failed", "canceled") and row.status == "pending":
        row.status = "failed"
        session.add(row)
    session.flush()
    return "known"


# --- staff: offline payments and refunds --------------------------------------------------


def record_offline_payment(session: Session, *, staff_id: int, invoice_id: object,
                           form: dict, base_url: str) -> Payment:
    """Cash, bank transfer, check: at most the balance, on a sent invoice."""
    invoice = get_by_id(session, Invoice, invoice_id, NO_INVOICE)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in InvoiceStatus.OPEN:
        raise NotAllowed("Payments can be recorded only on a sent invoice with a balance.")
    amount = parse_amount(form.get("amount"), invoice.currency, allow_zero=False)
    if amount > invoice.balance_minor:
        raise ServiceError(f"That is more than the balance "
                           f"({format_money(invoice.balance_minor, invoice.currency)}).",
                           field="amount")
    method = str(form.get("method") or "")
    if method not in PaymentMethod.OFFLINE:
        raise ServiceError("Choose how it was paid.", field="method")
    paid_on_text = str(form.get("paid_on") or "").strip()
    try:
        paid_on = date.fromisoformat(paid_on_text) if paid_on_text else None
    except ValueError:
        raise ServiceError("Enter the date as YYYY-MM-DD.", field="paid_on") from None
    business = get_business(session)
    today = datetime.now(UTC).astimezone(ZoneInfo(business.timezone or "UTC")).date()
    if paid_on and paid_on > today:
        raise ServiceError("The payment date cannot be in the future.", field="paid_on")
    note = str(form.get("note") or "").strip()
    if len(note) > 500:
        raise ServiceError("Keep the note under 500 characters.", field="note")
    payment = Payment(
        invoice_id=invoice.id, client_id=invoice.client_id,
        receipt_number=next_number(session, "receipt"), amount_minor=amount,
        currency=invoice.currency, method=method, provider="offline", note=note,
        recorded_by_staff_id=staff_id,
        paid_at=datetime.combine(paid_on, time(12), tzinfo=UTC) if paid_on else utcnow())
    session.add(payment)
    invoice.paid_minor += amount
    _settle(invoice)
    session.add(invoice)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="payment.recorded",
                 client_id=invoice.client_id, invoice=invoice.number,
                 receipt=payment.receipt_number, amount=amount, method=method)
    send_receipt(session, payment=payment, invoice=invoice, base_url=base_url)
    # The bell line only: the receipt email is the transactional copy.
    notify(session, client_id=payment.client_id, kind=NotificationKind.PAYMENT,
           title=_payment_title(session, payment, invoice, amount, invoice.currency),
           link=routes.receipt_page(payment.id), base_url=base_url, email=False)
    return payment


def _apply_refund(session: Session, payment: Payment, amount: int) -> None:
    payment.refunded_minor += amount
    session.add(payment)
    invoice = session.get(Invoice, payment.invoice_id)
    if payment.currency == invoice.currency:
        invoice.paid_minor = max(invoice.paid_minor - amount, 0)
        _settle(invoice)
        session.add(invoice)
    session.flush()


def refundable(session: Session, payment: Payment) -> int:
    """What may still be refunded: paid less refunded less refunds in flight."""
    pending = sum(r.amount_minor for r in session.exec(select(Refund).where(
        Refund.payment_id == payment.id, Refund.status == "pending")).all())
    return payment.amount_minor - payment.refunded_minor - pending


def prepare_refund(session: Session, *, staff_id: int, payment_id: object, form: dict
                   ) -> Refund:
    """Step 1 of a refund: check and reserve the amount (committed before the provider call)."""
    payment = get_by_id(session, Payment, payment_id, NO_PAYMENT)
    left = refundable(session, payment)
    if left <= 0:
        raise NotAllowed("This payment is already fully refunded.")
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
    _apply_refund(session, payment, refund.amount_minor)
    invoice = session.get(Invoice, payment.invoice_id)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="payment.refunded",
                 client_id=payment.client_id, invoice=invoice.number,
                 receipt=payment.receipt_number, amount=refund.amount_minor)
    return refund


def abandon_refund(session: Session, *, refund_id: int) -> None:
    refund = session.get(Refund, refund_id)
    if refund is not None and refund.status == "pending":
        refund.status = "failed"
        session.add(refund)
        session.flush()


# --- receipts and lists ------------------------------------------------------------------


def send_receipt(session: Session, *, payment: Payment, invoice: Invoice, base_url: str) -> None:
    from portal_app.services.billing.printouts import (
        method_label,
        paid_on_day,
        receipt_attachment,
    )

    client = session.get(Client, payment.client_id)
    to = portal_email_of(session, client) or client.email
    if not to:
        return
    business = get_business(session)
    lang = client_language(client, business)
    enqueue_email(
        session, to=to, template="receipt", business=business,
        idempotency_key=f"receipt-{payment.receipt_number}", lang=lang,
        attachments=[receipt_attachment(session, payment=payment, invoice=invoice, lang=lang)],
        client_name=client.full_name,
        amount=format_money(payment.amount_minor, payment.currency, lang),
        invoice_number=invoice.number, receipt_number=payment.receipt_number,
        paid_on=formats.date_text(paid_on_day(payment, client, business), lang),
        method=method_label(payment.method, lang),
        balance=format_money(invoice.balance_minor, invoice.currency, lang),
        url=f"{base_url}{routes.receipt_page(payment.id)}")


def get_payment_for(session: Session, *, client_id: int, payment_id: object) -> Payment:
    payment = session.get(Payment, parse_id(payment_id, NO_PAYMENT))
    if payment is None or payment.client_id != client_id:
        raise NotFound(NO_PAYMENT)
    return payment


@dataclass(frozen=True)
class PaymentRow:
    payment: Payment
    invoice_number: str


def client_payments(session: Session, *, client_id: int, limit: int = 200) -> list[PaymentRow]:
    rows = session.exec(select(Payment, Invoice.number)
                        .join(Invoice, Invoice.id == Payment.invoice_id)
                        .where(Payment.client_id == client_id)
                        .order_by(Payment.paid_at.desc(), Payment.id.desc()).limit(limit)).all()
    return [PaymentRow(p, n) for p, n in rows]


def invoice_payments(session: Session, *, invoice_id: int) -> list[Payment]:
    return list(session.exec(select(Payment).where(Payment.invoice_id == invoice_id)
                             .order_by(Payment.paid_at, Payment.id)).all())
