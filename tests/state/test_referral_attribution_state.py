"""The attribution hooks as wired in the handlers: the sign-up form's optional
referral code (one message beside the field for an unknown or a disabled code,
nothing sent; empty is fine), the referral cookie carried by the websocket
handshake binding the new record at sign-up, a booking, an offer checkout and a
free offer claimed."""

from datetime import UTC, datetime

import pytest
from reflex.istate.data import RouterData
from sqlmodel import select

import state.offers  # noqa: F401  (registers the states before the app does)
from models import (
    Business,
    Client,
    Offer,
    OfferItem,
    OutboxMessage,
    ReferralAttribution,
    ReferrerStatus,
)
from portal_app.services.referrals import attribution, referrers
from portal_app.services.referrals.attribution import REF_COOKIE
from portal_app.settings import get_settings
from state.bookings import BookingsState
from state.login import RegisterState
from state.offers import OffersState
from state.payments import PaymentsState
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate
from tests.unit.helpers import code_sent_to
from tests.unit.offers_helpers import course
from tests.unit.referral_helpers import invoice

PASSWORD = "a long passphrase 42"


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


@pytest.fixture
def ref(engine, session):
    """A business with Referrals on and self sign-up, and one referrer."""
    factories.business(session, apps_enabled=["referrals", "courses"], timezone="UTC")
    _acc, (rita,) = factories.household(session, names=("Rita",))
    referrer = referrers.join_program(session, client_id=rita.id)
    session.commit()
    return referrer


def _with_ref_cookie(root, session, referrer):
    """The browser came through `referrer`'s link: the cookie /r/<code> leaves."""
    now = datetime.now(UTC)
    click = attribution.record_click(session, referrer=referrer, visitor="tab-visitor", now=now)
    session.commit()
    raw = attribution.make_cookie(get_settings().secret_key, click_id=click.id,
                                  code=referrer.code, now=now)
    headers = dict(root.router_data["headers"])
    headers["cookie"] = "; ".join(filter(None, [headers.get("cookie", ""),
                                                f"{REF_COOKIE}={raw}"]))
    root.router_data = {**root.router_data, "headers": headers}
    root.router = RouterData.from_router_data(root.router_data)
    return root


def _attributions(session):
    session.expire_all()
    return session.exec(select(ReferralAttribution)).all()


def _details(email, code=""):
    return {"full_name": "New Person", "email": email, "password": PASSWORD,
            "referral_code": code}


def test_an_unknown_or_disabled_code_is_refused_beside_the_field(ref, session):
    root = new_tab(path="/register")
    call(root, RegisterState, "restart")
    form = substate(root, RegisterState)
    assert form.ask_referral is True
    _acc, (olga,) = factories.household(session, names=("Olga",))
    disabled = referrers.join_program(session, client_id=olga.id)
    disabled.status = ReferrerStatus.DISABLED
    session.add(disabled)
    session.commit()
    for code in ("NOSUCHCODE", disabled.code):
        call(root, RegisterState, "start", _details("someone@example.test", code))
        assert form.referral_error == "We don't know that referral code."
        assert (form.step, form.error) == ("details", "")
    session.expire_all()
    assert session.exec(select(OutboxMessage)).all() == []  # nothing sent

    call(root, RegisterState, "start", _details("someone@example.test", ""))
    assert (form.step, form.referral_error) == ("code", "")


def test_the_field_is_asked_only_while_the_app_is_on(ref, session):
    business = session.exec(select(Business)).first()
    business.apps_enabled = []
    session.add(business)
    session.commit()
    root = new_tab(path="/register")
    call(root, RegisterState, "restart")
    assert substate(root, RegisterState).ask_referral is False
    call(root, RegisterState, "start", _details("off@example.test", "WHATEVER"))
    assert substate(root, RegisterState).step == "code"  # a code is ignored while off


def test_sign_up_through_the_link_binds_the_new_record(ref, session):
    root = _with_ref_cookie(new_tab(path="/register"), session, ref)
    call(root, RegisterState, "restart")
    call(root, RegisterState, "start", _details("linked@example.test"))
    call(root, RegisterState, "finish", {"code": code_sent_to(session, "linked@example.test")})
    (row,) = _attributions(session)
    new = session.exec(select(Client).where(Client.email == "linked@example.test")).one()
    assert (row.client_id, row.referrer_id, row.event, row.via) == (new.id, ref.id, "signup",
                                                                    "link")


def test_a_typed_code_wins_over_the_link_at_sign_up(ref, session):
    _acc, (olga,) = factories.household(session, names=("Olga",))
    other = referrers.join_program(session, client_id=olga.id)
    session.commit()
    root = _with_ref_cookie(new_tab(path="/register"), session, ref)
    call(root, RegisterState, "restart")
    call(root, RegisterState, "start", _details("typed@example.test", other.code.lower()))
    call(root, RegisterState, "finish", {"code": code_sent_to(session, "typed@example.test")})
    (row,) = _attributions(session)
    assert (row.referrer_id, row.via) == (other.id, "coupon")


def _book(session, root):
    staff = factories.staff(session)
    factories.working_hours(session, staff, *[(d, "09:00", "12:00") for d in range(7)])
    service = factories.service(session, providers=[staff], name="Massage")
    session.commit()
    call(root, BookingsState, "load")
    call(root, BookingsState, "start_booking")
    call(root, BookingsState, "choose_service", str(service.id))
    slot = substate(root, BookingsState).slot_days[0]["slots"][0]
    call(root, BookingsState, "choose_slot", slot["value"], slot["long"])
    call(root, BookingsState, "confirm")
    assert not substate(root, BookingsState).picker_open  # booked


def test_a_booking_through_the_link_binds_the_client(ref, session):
    token, client = signed_in_client(session, "Bea Booker")
    _book(session, _with_ref_cookie(new_tab(token), session, ref))
    (row,) = _attributions(session)
    assert (row.client_id, row.referrer_id, row.event) == (client.id, ref.id, "booking")


def test_a_booking_without_the_cookie_binds_nobody(ref, session):
    token, _client = signed_in_client(session, "Nora Nolink")
    _book(session, new_tab(token))
    assert _attributions(session) == []


def test_an_offer_checkout_through_the_link_binds_the_client(ref, session):
    token, client = signed_in_client(session, "Olly Offer")
    offer = Offer(name="Pack", status="active", price_minor=4900)
    session.add(offer)
    session.flush()
    session.add(OfferItem(offer_id=offer.id, kind="course", app_key="courses",
                          target_id=course(session).id))
    session.commit()
    root = _with_ref_cookie(new_tab(token), session, ref)
    result = call(root, OffersState, "buy", str(offer.id))
    assert "/pay/test?session=" in repr(result)
    (row,) = _attributions(session)
    assert (row.client_id, row.event) == (client.id, "purchase")


def test_claiming_a_free_offer_through_the_link_binds_the_client(ref, session):
    token, client = signed_in_client(session, "Fay Free")
    offer = Offer(name="Taster", status="active", price_minor=0)
    session.add(offer)
    session.flush()
    session.add(OfferItem(offer_id=offer.id, kind="course", app_key="courses",
                          target_id=course(session).id))
    session.commit()
    root = _with_ref_cookie(new_tab(token), session, ref)
    assert "It is yours" in repr(call(root, OffersState, "claim", str(offer.id)))
    (row,) = _attributions(session)
    assert (row.client_id, row.event) == (client.id, "purchase")


def test_paying_an_invoice_through_the_link_binds_the_client(ref, session):
    token, client = signed_in_client(session, "Pat Payer")
    inv = invoice(session, client, 3000)
    session.commit()
    root = _with_ref_cookie(new_tab(token), session, ref)
    result = call(root, PaymentsState, "pay_now", str(inv.id))
    assert "/pay/test?session=" in repr(result)
    (row,) = _attributions(session)
    assert (row.client_id, row.event) == (client.id, "purchase")
