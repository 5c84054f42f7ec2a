"""The Referrals page's handlers hold on the server: the app check on every call,
joining, the coupon's errors beside its field, the payout method, a payout id
checked against the caller's own referrer, the copy button, and the live refresh
when a payment by a referred customer earns a commission."""

import asyncio
import inspect

import pytest
from sqlmodel import select

from models import Client, Commission, Payout, Referrer
from portal_app import live, routes
from portal_app.services.referrals import commissions, payouts, referrers
from state.checkout_test_mode import CheckoutTestModeState
from state.console_billing import InvoiceEditorState as E
from state.payments import PaymentsState
from state.referrals.page import ReferralsState as S
from tests import factories
from tests.state import harness
from tests.state.harness import all_vars, call, page_events, substate, tab_at
from tests.state.test_live_pushes import staff_tab
from tests.unit.referral_helpers import (  # noqa: F401 (fixture)
    _quick_receipts,
    bring,
    invoice,
    pay_cash,
)


def signed_in_client(session, name, *, details: bool = True):
    """A signed-in client who has told how to be paid (the app asks first), unless
    `details=False`."""
    token, client = harness.signed_in_client(session, name)
    if details:
        _details(session, client)
    return token, client


def _business(session, *, on=True, open_to_all=True):
    factories.business(session, apps_enabled=["referrals"] if on else [],
                       apps_open=["referrals"] if open_to_all else [])
    session.commit()


def _page(token, url=routes.REFERRALS):
    tab = tab_at(token, url)
    result = call(tab, S, "load")
    return tab, substate(tab, S), result


def _referrer_of(session, client) -> Referrer | None:
    session.expire_all()
    return session.exec(select(Referrer).where(Referrer.client_id == client.id)).first()


def _details(session, client, text="Account credit please"):
    row = session.get(Client, client.id)
    row.payout_details = text
    session.add(row)
    session.commit()


def test_without_the_app_every_handler_goes_to_the_dashboard(engine, session):
    _business(session, on=False)
    token, client = signed_in_client(session, "Rita")
    for name, args in (("load", ()), ("join", ()), ("set_coupon", ({"coupon": "RITA10"},)),
                       ("set_payout_method", ("cash",)), ("copy_link", ()),
                       ("open_payout", ("1",))):
        tab = tab_at(token, routes.REFERRALS)
        result = call(tab, S, name, *args)
        assert "/dashboard" in repr(result), name
    assert _referrer_of(session, client) is None


def test_the_app_needs_a_grant_unless_open_to_every_client(engine, session):
    _business(session, open_to_all=False)
    token, client = signed_in_client(session, "Rita")
    _tab, _page_state, result = _page(token)
    assert "/dashboard" in repr(result)
    result = call(tab_at(token, routes.REFERRALS), S, "join")
    assert "/dashboard" in repr(result) and _referrer_of(session, client) is None


def test_the_page_first_asks_for_payout_details(engine, session):
    from state.session import ClientState

    _business(session)
    token, client = signed_in_client(session, "Rita", details=False)
    tab = tab_at(token, routes.REFERRALS)
    result = call(tab, ClientState, "guard_app", "referrals")
    assert f"{routes.PROFILE_COMPLETION}?app=referrals" in repr(result)
    _details(session, client)
    assert call(tab_at(token, routes.REFERRALS), ClientState, "guard_app", "referrals") is None


def test_join_shows_the_program_then_the_link_qr_and_share_links(engine, session):
    _business(session)
    token, client = signed_in_client(session, "Rita")
    _tab, page, result = _page(token)
    assert page_events(result) == [] and page.loaded and not page.joined
    assert page.facts[0].startswith("You earn 10 %") and page.link == ""
    tab = tab_at(token, routes.REFERRALS)
    result = call(tab, S, "join")
    page = substate(tab, S)
    row = _referrer_of(session, client)
    assert row is not None and page.joined
    assert page.link.endswith(f"/r/{row.code}")
    assert page.qr.startswith("data:image/svg+xml")
    assert page.mail_href.startswith("mailto:?subject=") and row.code in page.mail_href
    assert page.whatsapp_href.startswith("https://wa.me/?text=") and row.code in (
        page.whatsapp_href)
    assert "Welcome to the referral program." in repr(result)
    call(tab, S, "join")  # again: the same referrer
    session.expire_all()
    assert len(session.exec(select(Referrer)).all()) == 1
    copied = call(tab, S, "copy_link")
    assert page.link in repr(copied) and "Link copied." in repr(copied)


def test_coupon_errors_stay_beside_the_field_and_change_nothing(engine, session):
    _business(session)
    token, client = signed_in_client(session, "Rita")
    other_token, other = signed_in_client(session, "Olga")
    call(tab_at(other_token, routes.REFERRALS), S, "join")
    call(tab_at(other_token, routes.REFERRALS), S, "set_coupon", {"coupon": "OLGA10"})
    tab = tab_at(token, routes.REFERRALS)
    call(tab, S, "join")
    page = substate(tab, S)
    for bad, message in (("x", "Use 4 to 20 letters"), ("-bad-", "Use 4 to 20 letters"),
                         ("olga10", "That code is taken")):
        result = call(tab, S, "set_coupon", {"coupon": bad})
        assert result is None, bad  # no toast: the message is beside the field
        assert page.coupon_error.startswith(message), bad
        assert _referrer_of(session, client).coupon_code is None
    result = call(tab, S, "set_coupon", {"coupon": " rita-10 "})
    assert page.coupon_error == "" and page.coupon == "RITA-10"
    assert "Coupon code saved." in repr(result)
    assert _referrer_of(session, client).coupon_code == "RITA-10"


def test_the_payout_method(engine, session):
    _business(session)
    token, client = signed_in_client(session, "Rita")
    tab = tab_at(token, routes.REFERRALS)
    call(tab, S, "join")
    page = substate(tab, S)
    assert page.payout_method == "account_credit"
    call(tab, S, "set_payout_method", "cash")
    assert page.payout_method == "cash" and _referrer_of(session, client).payout_method == "cash"
    assert call(tab, S, "set_payout_method", "gold bars") is None
    assert page.method_error == "Choose how you would like to be paid."
    assert _referrer_of(session, client).payout_method == "cash"


def _paid_out(session, client):
    """A referrer (client) with one commission paid out; returns the payout."""
    staff = factories.staff(session)
    _acc, (customer,) = factories.household(session, names=("Carl",))
    row = referrers.join_program(session, client_id=client.id)
    session.commit()
    w = {"referrer": row, "customer": customer, "staff": staff}
    bring(session, w)
    pay_cash(session, w, invoice(session, customer, 10000), "100.00")
    (commission,) = session.exec(select(Commission)).all()
    commission.hold_until = commission.created_at
    session.add(commission)
    commissions.decide(session, staff_id=staff.id, commission_ids=[commission.id], approve=True)
    payout = payouts.pay_out(session, staff_id=staff.id, referrer_id=row.id,
                             commission_ids=[commission.id], method="cash", reference="R-9")
    session.commit()
    return payout, customer


def test_a_payout_of_another_referrer_cannot_be_read(engine, session):
    _business(session)
    victim_token, victim = signed_in_client(session, "Vera")
    payout, customer = _paid_out(session, victim)
    token, _mallory = signed_in_client(session, "Mallory")
    tab = tab_at(token, routes.REFERRALS)
    call(tab, S, "join")
    for pid in (str(payout.id), payout.id, "nope"):
        result = call(tab, S, "open_payout", pid)
        assert "That payout does not exist." in repr(result), pid
        assert not substate(tab, S).payout_open
    assert payout.number not in all_vars(tab) and "R-9" not in all_vars(tab)
    # Its owner opens it; the customer is never named.
    own = tab_at(victim_token, routes.REFERRALS)
    call(own, S, "load")
    page = substate(own, S)
    assert [p["number"] for p in page.payouts] == [payout.number]
    call(own, S, "open_payout", page.payouts[0]["id"])
    assert page.payout_open and page.payout["reference"] == "R-9"
    assert customer.full_name not in all_vars(own)
    assert page.commissions[0]["customer"].startswith("A customer, first payment on ")
    call(own, S, "set_payout_open", False)
    assert not page.payout_open and page.payout == {}


# --- live ---------------------------------------------------------------------------------


@pytest.fixture
def pushed(monkeypatch):
    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.setattr(live, "_refresher", {})
    seen: list[str] = []

    async def fake_refresh(token: str, only=None, *, about=None) -> None:
        seen.append(token)

    live.set_refresher(fake_refresh)
    return seen


def run(root, cls, name: str, *args):
    """A handler inside a running loop (as on the server), then the pushes it scheduled."""

    async def go():
        result = cls.event_handlers[name].fn(substate(root, cls), *args)
        if inspect.iscoroutine(result):
            result = await result
        for _ in range(10):
            await asyncio.sleep(0)
        return result

    return asyncio.run(go())


def _referred(session):
    _business(session)
    ref_token, rita = signed_in_client(session, "Rita")
    cust_token, carl = signed_in_client(session, "Carl")
    row = referrers.join_program(session, client_id=rita.id)
    session.commit()
    bring(session, {"referrer": row, "customer": carl})
    live.watch("client", rita.id, "rita-tab")
    return ref_token, rita, cust_token, carl


def test_a_test_mode_payment_refreshes_the_referrers_tabs(engine, session, pushed):
    ref_token, rita, cust_token, carl = _referred(session)
    inv = invoice(session, carl, 6000)
    session.commit()
    result = call(tab_at(cust_token, routes.PAYMENTS), PaymentsState, "pay_now", str(inv.id))
    session_id = repr(result).split("/pay/test?session=", 1)[1].split("'", 1)[0].split('"')[0]
    pay = tab_at(cust_token, f"{routes.PAY_TEST}?session={session_id}")
    call(pay, CheckoutTestModeState, "load")
    run(pay, CheckoutTestModeState, "pay")
    assert "rita-tab" in pushed
    # What the refresh shows: the pending commission, without a reload.
    tab = tab_at(ref_token, routes.REFERRALS)
    call(tab, S, "load")
    assert [c["state"] for c in substate(tab, S).commissions] == ["pending"]


def test_a_payment_staff_record_refreshes_the_referrers_tabs(engine, session, pushed):
    _ref_token, rita, _cust_token, carl = _referred(session)
    inv = invoice(session, carl, 5000)
    session.commit()
    live.watch("client", carl.id, "carl-tab")
    staff = staff_tab(session, routes.console_invoice(inv.id))
    run(staff, E, "load")
    run(staff, E, "open_payment")
    run(staff, E, "record_payment", {"amount": "50.00", "method": "cash", "paid_on": "",
                                     "note": ""})
    assert sorted(pushed) == ["carl-tab", "rita-tab"]
    assert session.exec(select(Commission)).one().referrer_id == _referrer_of(session, rita).id


def test_the_live_refresh_reloads_the_page(engine, session):
    ref_token, rita, _cust_token, carl = _referred(session)
    _details(session, rita)
    tab = tab_at(ref_token, routes.REFERRALS)
    call(tab, S, "load")
    page = substate(tab, S)
    assert page.commissions == []
    staff = factories.staff(session)
    pay_cash(session, {"staff": staff}, invoice(session, carl, 4000), "40.00")
    assert page._live_refresh() is None
    assert [c["amount"] for c in page.commissions] == ["$4.00"]
    assert page.figures["customers"] == "1"
    assert session.exec(select(Payout)).all() == []


def test_payout_details_change_beside_the_field(engine, session):
    _business(session)
    token, client = signed_in_client(session, "Rita")
    _details(session, client)
    tab = tab_at(token, routes.REFERRALS)
    call(tab, S, "join")
    page = substate(tab, S)
    assert page.payout_details == "Account credit please"
    assert call(tab, S, "save_payout_details", {"payout_details": " x "}) is None
    assert page.details_error == "Say how you would like to be paid."
    session.expire_all()
    assert session.get(Client, client.id).payout_details == "Account credit please"
    result = call(tab, S, "save_payout_details", {"payout_details": "IBAN ES12 3456"})
    assert "Payout details saved." in repr(result) and page.details_error == ""
    session.expire_all()
    assert session.get(Client, client.id).payout_details == "IBAN ES12 3456"
