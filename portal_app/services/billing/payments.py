"""Payments toward invoices: what a payment does to its invoice, payments staff
record by hand (cash, bank transfer, check), and the lists of them.

The rest of a payment's life has its own module: online checkout in
`checkout`, the provider's events in `events`, refunds in `refunds`, the
receipt email and bell line in `receipts`. Amounts are computed on the
server, never taken from the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, select

from models import Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentMethod
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.billing.invoices import NO_INVOICE, next_number
from portal_app.services.billing.receipts import announce_payment
from portal_app.services.billing.settling import settle
from portal_app.services.business import get_business
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.hub.offer_grants import fulfil_paid_invoice
from portal_app.services.money import format_money, parse_amount
from portal_app.services.referrals import commissions

NO_PAYMENT = "That payment does not exist."


# --- staff: offline payments ---------------------------------------------------------------


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
    settle(invoice)
    session.add(invoice)
    session.flush()
    fulfil_paid_invoice(session, invoice)  # an offer bought through it: its grants, once
    commissions.on_payment(session, payment=payment, invoice=invoice)  # a referrer's share
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="payment.recorded",
                 client_id=invoice.client_id, invoice=invoice.number,
                 receipt=payment.receipt_number, amount=amount, method=method)
    announce_payment(session, payment=payment, invoice=invoice, base_url=base_url)
    return payment


# --- reads ---------------------------------------------------------------------------------


def get_payment_for(session: Session, *, client_id: int, payment_id: object) -> Payment:
    """The client's own payment; NotFound for anyone else's."""
    payment = session.get(Payment, parse_id(payment_id, NO_PAYMENT))
    if payment is None or payment.client_id != client_id:
        raise NotFound(NO_PAYMENT)
    return payment


def get_receipt_for(session: Session, *, client_id: int, payment_id: object
                    ) -> tuple[Payment, Invoice]:
    """The client's own payment and the invoice it paid (the receipt page)."""
    payment = get_payment_for(session, client_id=client_id, payment_id=payment_id)
    return payment, session.get(Invoice, payment.invoice_id)


def get_invoice_payment(session: Session, *, invoice_id: int, payment_id: object) -> Payment:
    """A payment of this invoice; any other id (another invoice's payment) is NotFound."""
    payment = session.get(Payment, parse_id(payment_id, NO_PAYMENT))
    if payment is None or payment.invoice_id != invoice_id:
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


@cache
def _invoice_payments_statement():
    return (select(Payment).where(Payment.invoice_id == bindparam("invoice_id", type_=Integer))
            .order_by(Payment.paid_at, Payment.id))


def invoice_payments(session: Session, *, invoice_id: int) -> list[Payment]:
    return list(session.exec(_invoice_payments_statement(),
                             params={"invoice_id": int(invoice_id)}).all())


def last_payments(session: Session, *, invoice_ids: list[int]) -> dict[int, Payment]:
    """The latest payment of each invoice (the Paid tab's "paid on"), in one query."""
    if not invoice_ids:
        return {}
    latest: dict[int, Payment] = {}
    for payment in session.exec(select(Payment).where(Payment.invoice_id.in_(invoice_ids))
                                .order_by(Payment.paid_at, Payment.id)).all():
        latest[payment.invoice_id] = payment
    return latest
