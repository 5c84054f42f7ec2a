"""Set-up for the payout tests: more referrers, and approved commissions made through
the real services (a referred customer pays cash, staff approve after the hold)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from models import Commission, CommissionState
from portal_app.services.referrals import commissions, payouts, referrers
from tests import factories
from tests.unit.referral_helpers import bring, invoice, pay_cash

LATER = datetime.now(UTC) + timedelta(days=400)


def another_referrer(session, w, name: str = "Rosa"):
    """A second referrer with a customer of their own (same staff, same program)."""
    _acc, (ref_client,) = factories.household(session, names=(name,))
    _acc, (customer,) = factories.household(session, names=(f"{name}'s friend",))
    referrer = referrers.join_program(session, client_id=ref_client.id)
    session.commit()
    other = {**w, "ref_client": ref_client, "customer": customer, "referrer": referrer}
    bring(session, other)
    return other


def approved_commission(session, w, total_minor: int, currency: str = "USD") -> Commission:
    """The customer pays an invoice of `total_minor`; staff approve its commission."""
    pay_cash(session, w, invoice(session, w["customer"], total_minor, currency),
             f"{total_minor / 100:.2f}")
    row = session.exec(select(Commission).where(
        Commission.referrer_id == w["referrer"].id,
        Commission.state == CommissionState.PENDING).order_by(Commission.id.desc())).first()
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[row.id], approve=True,
                       now=LATER)
    session.commit()
    return row


def paid_out(session, w, rows, method: str = "bank_transfer", reference: str = "", **when):
    payout = payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                             commission_ids=[r.id for r in rows], method=method,
                             reference=reference)
    if "at" in when:
        payout.created_at = when["at"]
        session.add(payout)
    session.commit()
    return payout
