"""Staff's referrer list and commission list: each referrer's clicks, sign-ups,
customers and sums per state; the same number of queries for 1 referrer or 6;
search by name; invitations grant the app; disable / enable; moving a customer;
the commission list's filters, order and pages, and the bulk decision."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models import Commission, Entitlement, GrantSource, OutboxMessage, ReferralAttribution
from portal_app.services.billing import refunds
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.referrals import attribution, commissions, referrers
from portal_app.services.referrals import commissions_admin as ca
from portal_app.services.referrals import referrer_admin as ra
from portal_app.services.referrals.program import get_program
from tests import factories
from tests.sql import statements_of
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


def _by_name(session, **kw):
    return {r.name.split()[0]: r for r in ra.list_referrers(session, **kw)}  # "Rita 12"


def test_each_referrer_shows_clicks_signups_customers_and_sums_per_state(session):
    w = world(session, rate_bp=1000, hold_days=30)
    bring(session, w)  # one click, one sign-up
    attribution.record_click(session, referrer=w["referrer"], visitor="v-2")
    _acc, (quiet,) = factories.household(session, names=("Quinn",))
    bring(session, w, quiet)  # a sign-up who never pays (visitor v-1 again: no new click)
    pay_cash(session, w, invoice(session, w["customer"], 20000), "200.00")  # 20.00
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")  # 10.00
    third = pay_cash(session, w, invoice(session, w["customer"], 5000), "50.00")  # 5.00
    _refund(session, w, third, "50.00")  # reversed in full: 5.00
    rows = _commissions(session)
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[rows[0].id],
                       approve=True, now=LATER)
    session.commit()
    row = _by_name(session)["Rita"]
    assert (row.clicks, row.signups, row.customers) == (2, 2, 1)
    assert row.code == w["referrer"].code and row.status == "active"
    assert row.sums == {"pending": {"USD": 1000}, "approved": {"USD": 2000}, "paid": {},
                        "reversed": {"USD": 500}}


def _commissions(session):
    session.expire_all()
    return list(session.exec(select(Commission).order_by(Commission.id)).all())


def _add_referrer(session, w, name):
    _acc, (client,) = factories.household(session, names=(name,))
    ref = referrers.join_program(session, client_id=client.id)
    _acc, (customer,) = factories.household(session, names=(f"{name} Customer",))
    other = {**w, "referrer": ref, "customer": customer}
    bring(session, other)
    pay_cash(session, other, invoice(session, customer, 10000), "100.00")
    return ref


def test_the_list_costs_the_same_queries_for_one_referrer_or_many(engine, session):
    w = world(session, rate_bp=1000)
    bring(session, w)
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    session.expire_all()
    one = statements_of(engine, lambda: ra.list_referrers(session))
    for i in range(5):
        _add_referrer(session, w, f"Extra{i}")
    session.commit()
    session.expire_all()
    many = statements_of(engine, lambda: ra.list_referrers(session))
    assert len(ra.list_referrers(session)) == 6
    assert len(one) == len(many) <= 6


def test_search_by_name(session):
    w = world(session)
    _add_referrer(session, w, "Zed")
    session.commit()
    assert list(_by_name(session, search="ze")) == ["Zed"]
    assert list(_by_name(session, search="  RIT ")) == ["Rita"]
    assert ra.list_referrers(session, search="nobody") == []


def test_inviting_a_client_grants_the_app_once_and_not_when_anyone_may_join(session):
    w = world(session, join_rule="invitation")
    _acc, (nina,) = factories.household(session, names=("Nina",))
    session.commit()
    assert ra.invite_client(session, staff_id=w["staff"].id, client_id=nina.id,
                            base_url="https://portal.test") is True
    assert ra.invite_client(session, staff_id=w["staff"].id, client_id=str(nina.id)) is False
    (mail,) = session.exec(select(OutboxMessage).where(
        OutboxMessage.template == "referral_invitation")).all()  # one email, not two
    assert mail.to == nina.email and "https://portal.test/referrals" in mail.body_text
    (grant,) = session.exec(select(Entitlement).where(Entitlement.client_id == nina.id)).all()
    assert (grant.app_key, grant.kind, grant.source, grant.granted_by_staff_id) == (
        "referrals", "app", GrantSource.INVITATION, w["staff"].id)
    with pytest.raises(NotFound):
        ra.invite_client(session, staff_id=w["staff"].id, client_id="99999")
    program = get_program(session)
    program.join_rule = "any"
    session.commit()
    with pytest.raises(ServiceError):
        ra.invite_client(session, staff_id=w["staff"].id, client_id=w["customer"].id)


def test_disable_and_enable_a_referrer(session):
    w = world(session)
    ra.set_status(session, staff_id=w["staff"].id, referrer_id=str(w["referrer"].id),
                  active=False)
    assert _by_name(session)["Rita"].status == "disabled"
    ra.set_status(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id, active=True)
    assert _by_name(session)["Rita"].status == "active"
    with pytest.raises(NotFound):
        ra.set_status(session, staff_id=w["staff"].id, referrer_id="4242", active=False)


def test_staff_move_a_customer_to_another_referrer_with_a_reason(session):
    w = world(session)
    bring(session, w)
    other = _add_referrer(session, w, "Olga")
    with pytest.raises(ServiceError):
        ra.reassign_customer(session, staff_id=w["staff"].id, client_id=w["customer"].id,
                             referrer_id=other.id, reason="")
    with pytest.raises(NotFound):
        ra.reassign_customer(session, staff_id=w["staff"].id, client_id="99999",
                             referrer_id=other.id, reason="Asked by phone")
    ra.reassign_customer(session, staff_id=w["staff"].id, client_id=w["customer"].id,
                         referrer_id=other.id, reason="Asked by phone")
    row = session.exec(select(ReferralAttribution).where(
        ReferralAttribution.client_id == w["customer"].id)).one()
    assert (row.referrer_id, row.reason) == (other.id, "Asked by phone")


def test_commission_list_filters_orders_pages_and_names_everyone(engine, session):
    w = world(session, rate_bp=1000)
    bring(session, w)
    for total in (10000, 20000, 30000):
        pay_cash(session, w, invoice(session, w["customer"], total), f"{total // 100}.00")
    olga = _add_referrer(session, w, "Olga")
    session.commit()
    page = ca.list_commissions(session)
    assert page.total == 4 and [r.amount_minor for r in page.rows][:1] == [1000]
    ids = [r.id for r in page.rows]
    assert ids == sorted(ids, reverse=True)  # newest first
    mine = ca.list_commissions(session, referrer_id=str(w["referrer"].id), per_page=2)
    assert (mine.total, mine.pages, len(mine.rows)) == (3, 2, 2)
    second = ca.list_commissions(session, referrer_id=w["referrer"].id, per_page=2, page=2)
    (last,) = second.rows
    assert last.referrer_name.startswith("Rita") and last.customer_name.startswith("Carl")
    assert last.amount_minor == 1000
    assert last.invoice_number.startswith("INV-R") and last.paid_at is not None
    assert ca.list_commissions(session, referrer_id=olga.id).rows[0].customer_name.startswith(
        "Olga Customer")
    assert ca.list_commissions(session, state="approved").total == 0
    assert ca.list_commissions(session, state="pending").total == 4
    with pytest.raises(NotFound):
        ca.list_commissions(session, referrer_id="9999")
    session.expire_all()
    assert len(statements_of(engine, lambda: ca.list_commissions(session))) <= 2


def test_bulk_decisions_report_the_ones_skipped(session):
    w = world(session, rate_bp=1000, hold_days=0)
    bring(session, w)
    for total in (10000, 20000):
        pay_cash(session, w, invoice(session, w["customer"], total), f"{total // 100}.00")
    a, b = _commissions(session)
    done, skipped = ca.decide_commissions(session, staff_id=w["staff"].id,
                                          commission_ids=[a.id], approve=True)
    session.commit()
    assert (done, skipped) == (1, [])
    done, skipped = ca.decide_commissions(session, staff_id=w["staff"].id,
                                          commission_ids=[a.id, b.id], approve=True)
    assert (done, skipped) == (1, [f"#{a.id}: it is approved"])
    with pytest.raises(ServiceError):
        ca.decide_commissions(session, staff_id=w["staff"].id, commission_ids=[a.id],
                              approve=False, reason="")
    done, _ = ca.decide_commissions(session, staff_id=w["staff"].id,
                                    commission_ids=[a.id, b.id], approve=False,
                                    reason="Duplicate order")
    assert done == 2 and {c.reason for c in _commissions(session)} == {"Duplicate order"}
