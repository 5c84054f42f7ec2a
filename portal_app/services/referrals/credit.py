"""Account credit from referral payouts: applied to the referrer's own open invoices.

A payout made as account credit keeps what is not applied yet in
`Payout.credit_left_minor`; `apply_open_credit` pays the referrer's open invoices of
the payout's currency from it, oldest first, one payment (method "account credit",
its own receipt number) per invoice and payout. It runs when the payout is made and
when an invoice is sent to the referrer (billing's `send_invoice`), so credit never
waits unseen while an invoice is due.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models import Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentMethod, Payout, Referrer
from portal_app.services.audit import record_audit
from portal_app.services.billing.series import next_number
from portal_app.services.billing.settling import settle
from portal_app.services.hub.offer_grants import fulfil_paid_invoice

CREDIT_PROVIDER = "credit"


def apply_open_credit(session: Session, *, client_id: int) -> int:
    """Apply the client's unused payout credit to their open invoices, oldest first
    (one payment per invoice and payout, method "account credit"); returns what was
    applied. Called when a payout is made and when an invoice is sent to them."""
    payouts = list(session.exec(select(Payout).join(Referrer, Referrer.id == Payout.referrer_id)
                                .where(Referrer.client_id == client_id,
                                       Payout.credit_left_minor > 0)
                                .order_by(Payout.id)).all())
    applied = 0
    for payout in payouts:
        invoices = session.exec(select(Invoice).where(
            Invoice.client_id == client_id, Invoice.kind == InvoiceKind.INVOICE,
            Invoice.currency == payout.currency, Invoice.status.in_(InvoiceStatus.OPEN))
            .order_by(Invoice.issue_date, Invoice.id)).all()
        for invoice in invoices:
            take = min(payout.credit_left_minor, invoice.balance_minor)
            if take <= 0:
                continue
            payment = Payment(invoice_id=invoice.id, client_id=client_id,
                              receipt_number=next_number(session, "receipt"),
                              amount_minor=take, currency=payout.currency,
                              method=PaymentMethod.ACCOUNT_CREDIT, provider=CREDIT_PROVIDER,
                              note=f"Referral payout {payout.number}")
            session.add(payment)
            invoice.paid_minor += take
            settle(invoice)
            session.add(invoice)
            session.flush()
            fulfil_paid_invoice(session, invoice)  # an offer bought through it: its grants
            payout.credit_left_minor -= take
            applied += take
            session.flush()
            record_audit(session, actor_kind="system", actor_id=None, client_id=client_id,
                         action="referrals.credit_applied", payout=payout.number,
                         invoice=invoice.number, amount=take)
        session.add(payout)
    session.flush()
    return applied
