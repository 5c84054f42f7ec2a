"""Attribution from the referral cookie and a typed code (services/referrals/visits.py
over attribution.py): a code wins over the link; the window; nobody refers their own
record, household or email; bound once and never recomputed; an earlier paying
customer is not "brought"; a tampered cookie is no cookie; nothing while the app is
off; a typed code answers the same for unknown and disabled; sign-up binds."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from models import AuditEvent, Business, ReferralAttribution, ReferrerStatus
from portal_app.services import client_auth
from portal_app.services.referrals import attribution, referrers, visits
from portal_app.services.referrals.visits import ReferralCookie, attribute_visit
from tests import factories
from tests.unit.helpers import code_sent_to
from tests.unit.referral_helpers import (  # noqa: F401 (fixture)
    SECRET,
    _quick_receipts,
    invoice,
    pay_cash,
    world,
)

NOW = datetime.now(UTC)


def _on(session, **program):
    w = world(session, **program)
    business = session.exec(select(Business)).first()
    business.apps_enabled = ["referrals"]
    session.add(business)
    session.commit()
    return w


def _cookie(session, referrer, *, at=NOW, secret=SECRET) -> ReferralCookie:
    """A visit through `referrer`'s link at `at`, as /r/<code> leaves it."""
    click = attribution.record_click(session, referrer=referrer, visitor=f"v{at}", now=at)
    raw = attribution.make_cookie(secret, click_id=click.id, code=referrer.code, now=at)
    return ReferralCookie(raw=raw, secret_key=SECRET)


def _second_referrer(session, *, coupon="BRING-A-FRIEND"):
    _acc, (client,) = factories.household(session, names=("Olga",))
    other = referrers.join_program(session, client_id=client.id)
    referrers.set_coupon(session, client_id=client.id, coupon=coupon)
    session.commit()
    return other


def _bound(session, client_id):
    session.expire_all()
    return session.exec(select(ReferralAttribution).where(
        ReferralAttribution.client_id == client_id)).first()


def test_the_link_binds_the_customer_at_sign_up(session):
    w = _on(session)
    row = attribute_visit(session, client_id=w["customer"].id, event="signup",
                          cookie=_cookie(session, w["referrer"]), now=NOW)
    assert (row.referrer_id, row.via, row.event) == (w["referrer"].id, "link", "signup")
    assert row.click_id is not None


def test_a_typed_code_wins_over_the_link(session):
    w = _on(session)
    other = _second_referrer(session)
    row = attribute_visit(session, client_id=w["customer"].id, event="signup",
                          cookie=_cookie(session, w["referrer"]), coupon="bring-a-friend",
                          now=NOW)
    assert (row.referrer_id, row.via) == (other.id, "coupon")


def test_a_typed_link_code_also_counts(session):
    w = _on(session)
    other = _second_referrer(session)
    row = attribute_visit(session, client_id=w["customer"].id, event="signup", cookie=None,
                          coupon=other.code.lower(), now=NOW)
    assert row.referrer_id == other.id


def test_a_cookie_past_the_window_binds_nothing(session):
    w = _on(session, window_days=30)
    old = _cookie(session, w["referrer"], at=NOW - timedelta(days=31))
    assert attribute_visit(session, client_id=w["customer"].id, event="booking",
                           cookie=old, now=NOW) is None
    inside = _cookie(session, w["referrer"], at=NOW - timedelta(days=29))
    assert attribute_visit(session, client_id=w["customer"].id, event="booking",
                           cookie=inside, now=NOW) is not None


def test_a_tampered_or_foreign_cookie_binds_nothing(session):
    w = _on(session)
    good = _cookie(session, w["referrer"])
    other = _second_referrer(session)
    forged = good.raw.replace(w["referrer"].code, other.code)
    foreign = _cookie(session, w["referrer"], secret="another-secret" * 3)
    for raw in (forged, foreign.raw, "garbage", good.raw + "x"):
        assert attribute_visit(session, client_id=w["customer"].id, event="signup",
                               cookie=ReferralCookie(raw=raw, secret_key=SECRET),
                               now=NOW) is None
    assert _bound(session, w["customer"].id) is None


def test_nobody_refers_their_own_record_household_or_email(session):
    w = _on(session)
    ref_client = w["ref_client"]
    housemate = factories.household(session, names=("X",))[1][0]
    housemate.account_id = ref_client.account_id
    same_email = factories.household(session, names=("Y",))[1][0]
    same_email.email = ref_client.email.upper()
    session.add_all([housemate, same_email])
    session.commit()
    for client in (ref_client, housemate, same_email):
        assert attribute_visit(session, client_id=client.id, event="signup",
                               cookie=_cookie(session, w["referrer"]), now=NOW) is None
        assert _bound(session, client.id) is None
    refused = session.exec(select(AuditEvent).where(
        AuditEvent.action == "referrals.self_referral_refused")).all()
    assert len(refused) == 3


def test_bound_once_and_never_recomputed(session):
    w = _on(session, attribution_rule="last")
    first = attribute_visit(session, client_id=w["customer"].id, event="signup",
                            cookie=_cookie(session, w["referrer"]), now=NOW)
    session.commit()
    other = _second_referrer(session)
    later = NOW + timedelta(days=1)
    for event in ("booking", "purchase"):
        assert attribute_visit(session, client_id=w["customer"].id, event=event,
                               cookie=_cookie(session, other, at=later), coupon=other.code,
                               now=later) is None
    row = _bound(session, w["customer"].id)
    assert (row.id, row.referrer_id, row.event) == (first.id, w["referrer"].id, "signup")


def test_an_earlier_paying_customer_is_not_brought_by_the_link(session):
    w = _on(session)
    pay_cash(session, w, invoice(session, w["customer"], 5000), "50.00")
    cookie = _cookie(session, w["referrer"], at=datetime.now(UTC) + timedelta(minutes=1))
    assert attribute_visit(session, client_id=w["customer"].id, event="purchase",
                           cookie=cookie, now=datetime.now(UTC) + timedelta(minutes=2)) is None


def test_nothing_is_bound_while_the_app_is_off(session):
    w = world(session)  # the business has not turned Referrals on
    assert attribute_visit(session, client_id=w["customer"].id, event="signup",
                           cookie=_cookie(session, w["referrer"]), now=NOW) is None
    assert visits.typed_referral_code(session, code="ANYTHING") == ""


def test_a_disabled_referrer_binds_nothing(session):
    w = _on(session)
    cookie = _cookie(session, w["referrer"])
    w["referrer"].status = ReferrerStatus.DISABLED
    session.add(w["referrer"])
    session.commit()
    assert attribute_visit(session, client_id=w["customer"].id, event="signup",
                           cookie=cookie, now=NOW) is None


def test_a_typed_code_is_the_same_none_for_unknown_and_disabled(session, monkeypatch):
    w = _on(session)
    other = _second_referrer(session)
    assert visits.typed_referral_code(session, code="") == ""
    assert visits.typed_referral_code(session, code=" bring-a-friend ") == "BRING-A-FRIEND"
    assert visits.typed_referral_code(session, code=w["referrer"].code) == w["referrer"].code
    assert visits.typed_referral_code(session, code="NO-SUCH-CODE") is None
    other.status = ReferrerStatus.DISABLED
    session.add(other)
    assert visits.typed_referral_code(session, code="BRING-A-FRIEND") is None
    monkeypatch.setattr(visits, "CODES_PER_IP", 4)  # four typed above (the empty one is not)
    assert visits.typed_referral_code(session, code=w["referrer"].code, ip="") is None
    assert visits.typed_referral_code(session, code=w["referrer"].code, ip="9.9.9.9") \
        == w["referrer"].code


def test_sign_up_through_the_link_binds_the_new_record(session):
    w = _on(session)
    email = "newcomer@example.test"
    client_auth.start_registration(session, full_name="New Comer", email=email,
                                   password="a-long-password-1", secret_key=SECRET)
    signed = client_auth.finish_registration(
        session, email=email, code=code_sent_to(session, email), secret_key=SECRET,
        referral=_cookie(session, w["referrer"]))
    session.commit()
    row = session.exec(select(ReferralAttribution).where(
        ReferralAttribution.referrer_id == w["referrer"].id)).one()
    assert row.event == "signup" and signed.account_id is not None


def test_sign_up_with_a_typed_code_binds_it(session):
    w = _on(session)
    other = _second_referrer(session)
    email = "typed@example.test"
    client_auth.start_registration(session, full_name="Typed Code", email=email,
                                   password="a-long-password-1", secret_key=SECRET)
    client_auth.finish_registration(
        session, email=email, code=code_sent_to(session, email), secret_key=SECRET,
        referral=_cookie(session, w["referrer"]), referral_code="BRING-A-FRIEND")
    session.commit()
    row = session.exec(select(ReferralAttribution)).one()
    assert (row.referrer_id, row.via) == (other.id, "coupon")
