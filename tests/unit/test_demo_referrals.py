"""The demo shows the Referrals app at once: on and open to every client, a program,
and a referrer (not the demo client) whose customers' commissions are pending,
approved, paid in a payout and reversed by a refund, with a negative adjustment after
the payout; seeding again changes nothing."""

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import select

from models import (
    Business,
    Client,
    Commission,
    CommissionAdjustment,
    Payout,
    PayoutItem,
    ReferralAttribution,
    ReferralClick,
    Referrer,
)
from portal_app import apps
from portal_app.services.demo import DEMO_CLIENT, seed_demo
from portal_app.services.demo_referrals import REFERRER_EMAIL, seed_demo_referrals
from portal_app.services.hub.entitlements import client_apps
from portal_app.services.referrals.payouts import open_adjustments
from portal_app.services.referrals.program import get_program
from portal_app.services.referrals.referrers import get_referrer_of

TABLES = (Referrer, ReferralClick, ReferralAttribution, Commission, CommissionAdjustment,
          Payout, PayoutItem, Client)


def _counts(session):
    return {m.__name__: session.exec(select(func.count()).select_from(m)).one() for m in TABLES}


def test_the_demo_has_a_referrer_with_commissions_in_every_state(session):
    seed_demo(session)
    session.commit()

    business = session.exec(select(Business)).one()
    assert apps.REFERRALS in business.apps_enabled and apps.REFERRALS in business.apps_open
    program = get_program(session)
    assert (program.join_rule, program.rate_bp, program.window_days, program.attribution_rule,
            program.hold_days, program.min_payout_minor, program.coupons) == (
        "any", 1000, 60, "first", 14, 2000, True)
    assert program.terms

    morgan = session.exec(select(Client).where(Client.email == REFERRER_EMAIL)).one()
    referrer = get_referrer_of(session, client_id=morgan.id)
    assert (referrer.status, referrer.coupon_code) == ("active", "MORGAN10")
    assert morgan.payout_details and morgan.account_id is not None
    vias = sorted(a.via for a in session.exec(select(ReferralAttribution)))
    assert vias == ["coupon", "link"]

    rows = session.exec(select(Commission).order_by(Commission.id)).all()
    assert sorted(r.state for r in rows) == ["approved", "paid", "pending", "reversed"]
    assert all(r.referrer_id == referrer.id and r.currency == "USD" for r in rows)
    by_state = {r.state: r for r in rows}
    now = datetime.now(UTC)
    assert by_state["pending"].hold_until > now > by_state["approved"].hold_until
    assert (by_state["reversed"].amount_minor, by_state["pending"].amount_minor) == (0, 1200)
    assert "Refunded in full" in by_state["reversed"].reason
    (payout,) = session.exec(select(Payout)).all()
    assert (payout.method, payout.amount_minor, payout.referrer_id) == (
        "bank_transfer", 2400, referrer.id)
    (item,) = session.exec(select(PayoutItem)).all()
    assert item.commission_id == by_state["paid"].id
    (adjustment,) = open_adjustments(session, referrer_id=referrer.id, currency="USD")
    assert adjustment.amount_minor == -400 and "after payout" in adjustment.reason
    assert all(r.created_at < now for r in rows) and payout.created_at < now

    # The approved commission less the adjustment is above the minimum: staff can pay it.
    assert by_state["approved"].amount_minor + adjustment.amount_minor >= 2000
    # Everyone may open Referrals; the demo client has not joined (the journey joins).
    for client in session.exec(select(Client).where(Client.email == DEMO_CLIENT)).all():
        assert apps.REFERRALS in client_apps(session, business=business, client_id=client.id)
        assert get_referrer_of(session, client_id=client.id) is None
        assert session.exec(select(ReferralAttribution).where(
            ReferralAttribution.client_id == client.id)).first() is None


def test_seeding_again_changes_nothing(session):
    seed_demo(session)
    session.commit()
    before = _counts(session)
    business = session.exec(select(Business)).one()
    apps_before = (list(business.apps_enabled), list(business.apps_open))

    assert seed_demo(session) is None
    staff_id = session.exec(select(Payout.created_by_staff_id)).one()
    assert seed_demo_referrals(session, staff_id=staff_id) is None
    session.commit()
    session.expire_all()
    assert _counts(session) == before
    business = session.exec(select(Business)).one()
    assert (business.apps_enabled, business.apps_open) == apps_before
