"""What a referrer sees (services/referrals/summary.py): the figures and sums per
currency, every commission newest first with its state and reason, adjustments and
payouts, what is needed before the first payout, the program explained before
joining; the customers never named; a constant number of statements."""

from datetime import UTC, datetime

from sqlmodel import select

from models import Client, Commission, Payout
from portal_app.services.billing import refunds
from portal_app.services.errors import NotFound
from portal_app.services.referrals import attribution, commissions, payouts, referrers, summary
from portal_app.services.referrals.program_facts import get_program_facts
from tests import factories
from tests.sql import statements_of
from tests.unit.referral_helpers import (  # noqa: F401 (fixture)
    BASE,
    _quick_receipts,
    bring,
    invoice,
    pay_cash,
    world,
)


def _summary(session, w, lang="en", zone="UTC"):
    session.expire_all()
    return summary.get_summary(session, client_id=w["ref_client"].id, base_url=BASE,
                               lang=lang, zone=zone)


def _refund(session, w, payment, amount):
    row = refunds.prepare_refund(session, staff_id=w["staff"].id, payment_id=payment.id,
                                 form={"amount": amount})
    refunds.finish_refund(session, refund_id=row.id, provider_refund_id=None,
                          staff_id=w["staff"].id)
    session.commit()


def _approve(session, w, row):
    commissions.decide(session, staff_id=w["staff"].id, commission_ids=[row.id], approve=True)
    session.commit()


def _rows(session):
    session.expire_all()
    return list(session.exec(select(Commission).order_by(Commission.id)).all())


def _history(session, w):
    """Pending 10.00, a paid 20.00 refunded by 5.00 after its payout, approved 5.00,
    and a 3.00 refunded in full before payout."""
    bring(session, w)
    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")
    p2 = pay_cash(session, w, invoice(session, w["customer"], 20000), "200.00")
    c2 = _rows(session)[1]
    _approve(session, w, c2)
    payout = payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                             commission_ids=[c2.id], method="cash", reference="R-77")
    session.commit()
    _refund(session, w, p2, "50.00")
    pay_cash(session, w, invoice(session, w["customer"], 5000), "50.00")
    _approve(session, w, _rows(session)[2])
    p4 = pay_cash(session, w, invoice(session, w["customer"], 3000), "30.00")
    _refund(session, w, p4, "30.00")
    return payout


def test_figures_sums_and_lists_of_a_referrer(session):
    w = world(session, rate_bp=1000, hold_days=0, min_payout_minor=1000)
    payout = _history(session, w)
    _acc, (walker,) = factories.household(session, names=("Walker",))
    attribution.record_click(session, referrer=w["referrer"], visitor="v-2")
    bring(session, w, walker)  # signed up, never paid: a sign-up, not a customer
    view = _summary(session, w)
    assert view.link == f"{BASE}/r/{w['referrer'].code}"
    assert (view.clicks, view.signups, view.customers) == (2, 2, 1)  # v-1 counts once a day
    (usd,) = view.totals
    assert (usd.currency, usd.pending_minor, usd.approved_minor, usd.paid_minor,
            usd.reversed_minor) == ("USD", 1000, 500, 2000, 500)
    assert [c["amount"] for c in view.commissions] == ["$0.00", "$5.00", "$20.00", "$10.00"]
    newest = view.commissions[0]
    assert (newest["state"], newest["state_label"]) == ("reversed", "Reversed")
    assert newest["reason"].startswith("Refunded in full (INV-")
    assert view.commissions[2]["payout"] == payout.number
    assert view.commissions[3]["payout"] == ""
    assert view.commissions[3]["earned"].endswith("UTC")  # the viewer's zone, named
    today = datetime.now(UTC).strftime("%b %-d, %Y")
    assert {c["customer"] for c in view.commissions} == {
        f"A customer, first payment on {today}"}
    (adj,) = view.adjustments
    assert (adj["amount"], adj["settled"]) == ("-$5.00", "Deducted from your next payout")
    assert adj["reason"].endswith("after payout")
    (row,) = view.payouts
    assert (row["number"], row["method"], row["amount"], row["reference"]) == (
        payout.number, "Cash", "$20.00", "R-77")
    assert view.needs == []  # a payout was made: nothing more is needed


def test_the_summary_in_spanish_and_in_the_viewers_zone(session):
    w = world(session, rate_bp=1000, hold_days=0)
    _history(session, w)
    view = _summary(session, w, lang="es", zone="Europe/Madrid")
    newest = view.commissions[0]
    assert newest["state_label"] != "Reversed" and newest["reason"].startswith(
        "Reembolsado por completo (INV-")
    assert view.commissions[-1]["customer"].startswith("Un cliente, primer pago el ")
    assert "CE" in view.commissions[-1]["earned"]  # CET / CEST
    assert view.adjustments[0]["settled"] == "Se descontará de tu próximo pago"
    assert view.payouts[0]["method"] == "Efectivo"


def test_the_customers_are_never_named(session):
    w = world(session, rate_bp=1000, hold_days=0)
    payout = _history(session, w)
    customer = session.get(Client, w["customer"].id)
    view = _summary(session, w)
    detail = summary.get_payout_detail(session, client_id=w["ref_client"].id,
                                       payout_id=payout.id, lang="en", zone="UTC")
    shown = repr(view) + repr(detail)
    assert view.commissions and detail.lines
    for secret in (customer.full_name, customer.full_name.split()[0], customer.email):
        assert secret not in shown


def test_what_is_needed_before_the_first_payout(session):
    w = world(session, rate_bp=1000, hold_days=0, min_payout_minor=2500)
    bring(session, w)
    pay_cash(session, w, invoice(session, w["customer"], 30000), "300.00")
    assert [(n.text, n.done) for n in _summary(session, w).needs] == [
        ("Approved commissions of at least $25.00", False),
        ("Your payout details in your profile", False)]
    _approve(session, w, _rows(session)[0])
    client = session.get(Client, w["ref_client"].id)
    client.payout_details = "Account credit please"
    session.add(client)
    session.commit()
    assert [n.done for n in _summary(session, w).needs] == [True, True]


def test_not_joined_has_no_summary_and_another_referrers_payout_is_not_found(session):
    w = world(session, rate_bp=1000, hold_days=0)
    payout = _history(session, w)
    assert summary.get_summary(session, client_id=w["customer"].id, base_url=BASE,
                               lang="en", zone="UTC") is None
    referrers.join_program(session, client_id=w["customer"].id)
    session.commit()
    for pid in (payout.id, str(payout.id), "nope", 10 ** 9):
        try:
            summary.get_payout_detail(session, client_id=w["customer"].id, payout_id=pid,
                                      lang="en", zone="UTC")
        except NotFound:
            continue
        raise AssertionError(f"payout {pid!r} of another referrer was shown")
    detail = summary.get_payout_detail(session, client_id=w["ref_client"].id,
                                       payout_id=str(payout.id), lang="en", zone="UTC")
    assert detail.number == session.get(Payout, payout.id).number
    assert [ln["label"] for ln in detail.lines] == [f"Commission #{_rows(session)[1].id}"]


def test_the_number_of_statements_does_not_grow_with_the_commissions(engine, session):
    w = world(session, rate_bp=1000, hold_days=0)
    bring(session, w)
    pay_cash(session, w, invoice(session, w["customer"], 1000), "10.00")

    def count() -> int:
        session.expire_all()
        session.rollback()
        return len(statements_of(engine, lambda: _summary(session, w)))

    one = count()
    others = []
    for n in range(4):
        _acc, (other,) = factories.household(session, names=(f"Other{n}",))
        bring(session, w, other)
        others.append(other)
    for n in range(19):
        pay_cash(session, w, invoice(session, others[n % 4], 1000 + n), "10.00")
    rows = _rows(session)
    _approve(session, w, rows[1])
    payouts.pay_out(session, staff_id=w["staff"].id, referrer_id=w["referrer"].id,
                    commission_ids=[rows[1].id], method="bank_transfer")
    session.commit()
    assert len(_rows(session)) == 20
    twenty = count()
    assert twenty == one, (one, twenty)
    assert one <= 10


def test_the_program_explained_before_joining(session):
    world(session, rate_bp=1250, window_days=45, hold_days=14, min_payout_minor=2000,
          terms="Be kind.")
    facts = get_program_facts(session, lang="en")
    assert facts.facts[0] == "You earn 12.5 % of every payment of each customer you bring."
    assert "within 45 days" in facts.facts[1]
    assert any("14 days" in f for f in facts.facts)
    assert "Payouts start once your approved commissions reach $20.00." in facts.facts
    assert facts.terms == "Be kind."
    es = get_program_facts(session, lang="es")
    assert "12,5 %" in es.facts[0] and es.facts[0] != facts.facts[0]


def test_a_fixed_rate_for_the_first_months(session):
    world(session, rate_kind="fixed", fixed_minor=500, duration="months", duration_months=6,
          min_payout_minor=0, coupons=False)
    facts = get_program_facts(session, lang="en").facts
    assert facts[0] == ("You earn $5.00 for each payment of a customer you bring, "
                        "for their first 6 months.")
    assert "There is no minimum payout." in facts
    assert not any("coupon" in f for f in facts)
