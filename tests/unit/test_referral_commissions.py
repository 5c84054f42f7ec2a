"""Commissions through the real billing services: earned once per payment in its
transaction, reduced by refunds before payout, a negative adjustment after it;
approval after the hold; payouts that pay nothing twice; account credit."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models import (
    Commission,
    CommissionAdjustment,
    Invoice,
    InvoiceStatus,
    Payment,
    PayoutItem,
)
from portal_app.services.billing import refunds
from portal_app.services.errors import ServiceError
from portal_app.services.referrals import commissions, payouts
from tests.unit.referral_helpers import (  # noqa: F401 (fixture)
    _quick_receipts,
    bring,
    invoice,
    pay_cash,
    world,
)

LATER = datetime.now(UTC) + timedelta(days=31)


def _refund(session, w, payment, amount):
    row = refunds.prepare_refund(session, staff_id=w["staff"].id, payment_id=payment.id,
                                 form={"amount": amount})
    refunds.finish_refund(session, refund_id=row.id, provider_refund_id=None,
                          staff_id=w["staff"].id)
    session.commit()


def _commissions(session):
    session.expire_all()
    return list(session.exec(select(Commission).order_by(Commission.id)).all())


def test_payment_of_a_referred_customer_earns_once_pending_until_the_hold(session):
    w = world(session, rate_bp=1000, hold_days=30)
    bring(session, w)
    payment = pay_cash(session, w, invoice(session, w["customer"], 20000), "200.00")
    (row,) = _commissions(session)
    assert (row.amount_minor, row.state, row.currency) == (2000, "pending", "USD")
    assert commissions.on_payment(session, payment=payment,
                                  invoice=session.get(Invoice, payment.invoice_id)).id == row.id
    assert len(_commissions(session)) == 1
    done, skipped = commissions.decide(session, staff_id=w["staff"].id,
                                       commission_ids=[row.id], approve=True)
    assert (done, len(skipped)) == (0, 1)
    done, _ = commissions.decide(session, staff_id=w["staff"].id, commission_ids=[row.id],
                                 approve=True, now=LATER)
    assert done == 1 and _commissions(session)[0].state == "approved"


def test_unreferred_and_self_referred_payments_earn_nothing(session):
    w = world(session)
    pay_cash(session, w, invoice(session, w["customer"], 5000), "50.00")
    assert _commissions(session) == []
    assert bring(session, w, w["ref_client"]) is None  # the referrer's own record


def test_refunds_before_payout_reduce_then_reverse(session):
    w = world(session, rate_bp=1000)
    bring(session, w)
    payment = pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    _refund(session, w, payment, "40.00")
    (row,) = _commissions(session)
    assert (row.amount_minor, row.state) == (600, "pending") and "INV-" in row.reason
    _refund(session, w, payment, "60.00")
    (row,) = _commissions(session)
    assert (row.amount_minor, row.state) == (0, "reversed")


def test_payout_then_refund_makes_a_negative_adjustment_the_next_payout_deducts(session):
    w = world(session, rate_bp=1000, hold_days=0)
    bring(session, w)
    p1 = pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    (c1,) = _commissions(session)
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[c1.id], approve=True)
    first = payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                            commission_ids=[c1.id], method="bank_transfer", reference="T-1")
    session.commit()
    assert first.amount_minor == 1000 and _commissions(session)[0].state == "paid"
    with pytest.raises(ServiceError):  # paid already: never twice
        payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                        commission_ids=[c1.id], method="cash")
    session.rollback()
    _refund(session, w, p1, "50.00")
    (adj,) = session.exec(select(CommissionAdjustment)).all()
    assert adj.amount_minor == -500 and "after payout" in adj.reason
    pay_cash(session, w, invoice(session, w["customer"], 30000), "300.00")
    c2 = _commissions(session)[1]
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[c2.id], approve=True)
    second = payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                             commission_ids=[c2.id], method="cash")
    session.commit()
    assert second.amount_minor == 3000 - 500
    assert len(session.exec(select(PayoutItem).where(
        PayoutItem.payout_id == second.id)).all()) == 2


def test_database_refuses_a_commission_in_two_payouts(session):
    w = world(session, hold_days=0)
    bring(session, w)
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    (c1,) = _commissions(session)
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[c1.id], approve=True)
    payout = payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                             commission_ids=[c1.id], method="cash")
    session.commit()
    session.add(PayoutItem(payout_id=payout.id, commission_id=c1.id, amount_minor=1))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_account_credit_pays_the_referrers_open_invoice_and_keeps_the_rest(session):
    w = world(session, rate_bp=5000, hold_days=0)
    bring(session, w)
    own = invoice(session, w["ref_client"], 3000)
    session.commit()
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    (c1,) = _commissions(session)
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[c1.id], approve=True)
    payout = payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                             commission_ids=[c1.id], method="account_credit")
    session.commit()
    session.expire_all()
    own = session.get(Invoice, own.id)
    assert own.status == InvoiceStatus.PAID
    credit = session.exec(select(Payment).where(Payment.invoice_id == own.id)).one()
    assert (credit.method, credit.amount_minor) == ("account_credit", 3000)
    assert payout.credit_left_minor == 2000
    assert len(_commissions(session)) == 1  # credit earns no commission


def _card_event(n, pi, fingerprint):
    return {"id": f"evt_card_{n}", "type": "charge.succeeded",
            "data": {"object": {"id": f"ch_{n}", "payment_intent": pi,
                                "payment_method_details": {"card": {"fingerprint": fingerprint}}}}}


def test_a_payment_with_the_referrers_own_card_earns_nothing(session):
    from portal_app.services.billing import events

    w = world(session, rate_bp=1000)
    bring(session, w)
    own = pay_cash(session, w, invoice(session, w["ref_client"], 1000), "10.00")
    own.payment_intent_id = "pi_referrer"
    session.add(own)
    events.handle_event(session, provider="test", event=_card_event(1, "pi_referrer", "fp_same"),
                        base_url="")
    paid = pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    paid.payment_intent_id = "pi_customer"
    session.add(paid)
    session.commit()
    (row,) = _commissions(session)
    assert row.state == "pending"
    # Stripe reports the card after the payment: the same card as the referrer's.
    events.handle_event(session, provider="test", event=_card_event(2, "pi_customer", "fp_same"),
                        base_url="")
    session.commit()
    (row,) = _commissions(session)
    assert (row.state, row.amount_minor) == ("reversed", 0)
    assert row.reason == commissions.OWN_CARD
    _refund(session, w, paid, "10.00")  # a partial refund does not bring it back
    (row,) = _commissions(session)
    assert (row.state, row.amount_minor, row.reason) == ("reversed", 0, commissions.OWN_CARD)


def test_another_card_keeps_the_commission(session):
    from portal_app.services.billing import events

    w = world(session, rate_bp=1000)
    bring(session, w)
    paid = pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    paid.payment_intent_id = "pi_customer"
    session.add(paid)
    events.handle_event(session, provider="test", event=_card_event(3, "pi_customer", "fp_other"),
                        base_url="")
    session.commit()
    (row,) = _commissions(session)
    assert (row.state, row.amount_minor) == ("pending", 1000)


def test_first_payment_only_earns_once(session):
    w = world(session, rate_bp=1000, duration="first")
    bring(session, w)
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    assert [c.amount_minor for c in _commissions(session)] == [1000]


def test_first_months_only_counts_payments_inside_them(session):
    w = world(session, rate_bp=1000, duration="months", duration_months=2)
    row = bring(session, w)
    row.attributed_at = datetime.now(UTC) - timedelta(days=70)
    session.add(row)
    session.commit()
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    assert _commissions(session) == []


def test_fixed_amount_per_payment_scales_with_a_refund(session):
    w = world(session, rate_kind="fixed", fixed_minor=1500, currency="USD")
    bring(session, w)
    payment = pay_cash(session, w, invoice(session, w["customer"], 8000), "80.00")
    _refund(session, w, payment, "20.00")
    (row,) = _commissions(session)
    assert (row.earned_minor, row.amount_minor) == (1500, 1125)


def test_add_months_keeps_month_ends():
    assert commissions.add_months(datetime(2026, 1, 31, tzinfo=UTC), 1).day == 28
    assert commissions.add_months(datetime(2024, 1, 31, tzinfo=UTC), 1).day == 29
    assert commissions.add_months(datetime(2026, 11, 15, tzinfo=UTC), 3).month == 2


def test_the_job_forgets_rate_events_older_than_a_day(engine, session):
    from models import RateEvent
    from portal_app import jobs

    now = datetime.now(UTC)
    session.add(RateEvent(bucket="referral_click", key="1.2.3.4", at=now - timedelta(days=2)))
    session.add(RateEvent(bucket="referral_click", key="1.2.3.4", at=now - timedelta(minutes=5)))
    session.commit()
    assert jobs.prune_rate_events_once(now=now) == 1
    session.expire_all()
    assert [e.at > now - timedelta(hours=1) for e in session.exec(select(RateEvent))] == [True]


def test_a_payment_from_credit_cannot_be_refunded(session):
    from portal_app.services.errors import NotAllowed

    w = world(session, rate_bp=5000, hold_days=0)
    bring(session, w)
    own = invoice(session, w["ref_client"], 1000)
    session.commit()
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    (c1,) = _commissions(session)
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[c1.id], approve=True)
    payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                    commission_ids=[c1.id], method="account_credit")
    session.commit()
    credit = session.exec(select(Payment).where(Payment.invoice_id == own.id)).one()
    with pytest.raises(NotAllowed):
        refunds.prepare_refund(session, staff_id=w["staff"].id, payment_id=credit.id, form={})
    with pytest.raises(ServiceError):
        refunds.refundable_payment(session, invoice_id=own.id, payment_id=credit.id)


def test_credit_that_pays_an_offers_invoice_grants_the_offer(session):
    from models import Entitlement, OfferPurchase
    from portal_app.services.hub import offer_purchases, offers

    w = world(session, rate_bp=5000, hold_days=0)
    from models import Course

    course = Course(title="Calm Mind")
    session.add(course)
    session.flush()
    offer = offers.save_offer(session, staff_id=w["staff"].id, offer_id=None, form={
        "name": "Calm pack", "price": "30.00", "status": "active",
        "items": [f"course:{course.id}"]})
    purchase = offer_purchases.buy_offer(session, client_id=w["ref_client"].id,
                                         offer_id=offer.id)
    session.commit()
    bring(session, w)
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    (c1,) = _commissions(session)
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[c1.id], approve=True)
    payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                    commission_ids=[c1.id], method="account_credit")
    session.commit()
    session.expire_all()
    assert session.get(OfferPurchase, purchase.id).status == "paid"
    assert session.exec(select(Entitlement).where(
        Entitlement.client_id == w["ref_client"].id)).all()
