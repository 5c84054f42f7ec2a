"""Build a client's ledger quickly for the statement tests.

Invoices are inserted as sent (what `send_invoice` leaves); a payment changes its
invoice as `events.fulfil_checkout` does (`paid_minor` when the currency matches,
then the real `settle`); a refund goes through the real `refunds.apply_refund`;
a void through the real `invoices.void_invoice`. Dates are then set to the day
under test (the services stamp "now").
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time

from models import Invoice, InvoiceKind, InvoiceStatus, Payment, Refund
from portal_app.services.billing import invoices, payments, refunds

_seq = itertools.count(1)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def invoice(session, client, *, total: int, issued: date, due: date | None = None,
            currency: str = "USD") -> Invoice:
    n = next(_seq)
    inv = Invoice(kind=InvoiceKind.INVOICE, number=f"INV-T{n:05d}", client_id=client.id,
                  status=InvoiceStatus.SENT, currency=currency, issue_date=issued,
                  due_date=due, subtotal_minor=total, total_minor=total,
                  sent_at=noon(issued))
    session.add(inv)
    session.flush()
    return inv


def pay(session, inv: Invoice, amount: int, *, at: datetime | None = None,
        on: date | None = None, currency: str | None = None) -> Payment:
    """An online payment at the moment `at`, or an offline one entered for the day `on`."""
    n = next(_seq)
    offline = on is not None
    payment = Payment(invoice_id=inv.id, client_id=inv.client_id, receipt_number=f"RCT-T{n:05d}",
                      amount_minor=amount, currency=currency or inv.currency,
                      method="cash" if offline else "card",
                      provider="offline" if offline else "test",
                      paid_at=noon(on) if offline else at)
    session.add(payment)
    if payment.currency == inv.currency:
        inv.paid_minor += amount
        payments.settle(inv)
        session.add(inv)
    session.flush()
    return payment


def refund(session, payment: Payment, amount: int, *, at: datetime) -> Refund:
    row = Refund(payment_id=payment.id, amount_minor=amount, status="succeeded", created_at=at)
    session.add(row)
    refunds.apply_refund(session, payment, amount)
    return row


def void(session, inv: Invoice, *, at: datetime, staff_id: int) -> Invoice:
    invoices.void_invoice(session, staff_id=staff_id, invoice_id=inv.id)
    inv.voided_at = at
    session.add(inv)
    session.flush()
    return inv
