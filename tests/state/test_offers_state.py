"""Offers' handlers hold on the server: a client claims and buys only listed offers
(draft, archived, staff-only and unknown ids are refused alike), buying goes
through the test-mode checkout and lands back on the Offers page, the console's
form shows errors beside the fields, and the refund dialog's "keep access" box
reaches the refund. The whole path: buy -> pay -> staff refund -> access ends."""

import pytest
from reflex.istate.data import RouterData
from sqlmodel import select

import state.checkout_test_mode  # noqa: F401  (registers the states before the app does)
import state.console_offers  # noqa: F401
import state.offers  # noqa: F401
from models import Entitlement, Offer, OfferItem, OfferPurchase, Payment
from portal_app import routes
from portal_app.services.business import get_business
from portal_app.services.hub import entitlements
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.checkout_test_mode import CheckoutTestModeState
from state.console_billing import InvoiceEditorState as E
from state.console_offers import ConsoleOffersState as C
from state.offers import OffersState as S
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate
from tests.unit.offers_helpers import course


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


def tab(token, url: str = "/"):
    root = new_tab(token)
    data = {**root.router_data, "pathname": url.split("?")[0], "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


def staff_token(session, staff):
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


@pytest.fixture
def world(engine, session):
    factories.business(session, apps_enabled=["courses"])
    staff = factories.staff(session)
    calm = course(session)
    session.commit()
    return {"staff": staff, "staff_token": staff_token(session, staff), "calm": calm}


def _offer(session, world, name, **fields):
    row = Offer(name=name, status=fields.pop("status", "active"), **fields)
    session.add(row)
    session.flush()
    session.add(OfferItem(offer_id=row.id, kind="course", app_key="courses",
                          target_id=world["calm"].id))
    session.commit()
    return row


def _grants(session, client_id):
    session.expire_all()
    return session.exec(select(Entitlement).where(Entitlement.client_id == client_id)).all()


def test_the_client_sees_listed_offers_and_claims_a_free_one_once(world, session):
    free = _offer(session, world, "Taster")
    _offer(session, world, "Pack", price_minor=4900)
    _offer(session, world, "Hidden", staff_only=True)
    _offer(session, world, "Draft", status="draft")
    token, client = signed_in_client(session, "Ana")
    root = tab(token, routes.OFFERS)
    call(root, S, "load")
    view = substate(root, S)
    assert [(r["name"], r["price"], r["button"]) for r in view.rows] == [
        ("Taster", "Free", "Get it"), ("Pack", "$49.00", "Buy for $49.00")]
    assert view.offers_listed  # the nav's "Offers" link
    result = call(root, S, "claim", str(free.id))
    assert "It is yours: Taster." in repr(result)
    assert [g.source for g in _grants(session, client.id)] == ["offer"]
    assert view.rows == []  # the pack's only course is held now
    call(root, S, "claim", str(free.id))
    assert len(_grants(session, client.id)) == 1


@pytest.mark.parametrize("which", ["Hidden", "Draft", "Archived", "unknown"])
def test_unlisted_offers_are_refused_to_a_client(world, session, which):
    rows = {"Hidden": _offer(session, world, "Hidden", staff_only=True),
            "Draft": _offer(session, world, "Draft", status="draft"),
            "Archived": _offer(session, world, "Archived", status="archived")}
    offer_id = str(rows[which].id) if which in rows else "424242"
    token, client = signed_in_client(session, "Ana")
    root = tab(token, routes.OFFERS)
    for handler in ("claim", "buy"):
        result = call(root, S, handler, offer_id)
        assert "That offer does not exist." in repr(result)
    assert _grants(session, client.id) == []
    assert session.exec(select(OfferPurchase)).all() == []


def test_signed_out_offers_handlers_bounce(world, session):
    offer = _offer(session, world, "Taster")
    root = tab(None, routes.OFFERS)
    for handler in ("claim", "buy"):
        result = call(root, S, handler, str(offer.id))
        assert f"'{routes.LOGIN}'" in repr(result) or f'"{routes.LOGIN}"' in repr(result)
    assert session.exec(select(OfferPurchase)).all() == []


def test_buy_pay_in_test_mode_land_back_then_a_staff_refund_ends_access(world, session):
    offer = _offer(session, world, "Pack", price_minor=4900)
    token, client = signed_in_client(session, "Ana")
    root = tab(token, routes.OFFERS)
    result = call(root, S, "buy", str(offer.id))
    assert "/pay/test?session=" in repr(result)
    session_id = repr(result).split("/pay/test?session=", 1)[1].split("'", 1)[0].split('"')[0]
    pay = tab(token, f"{routes.PAY_TEST}?session={session_id}")
    call(pay, CheckoutTestModeState, "load")
    landed = call(pay, CheckoutTestModeState, "pay")
    assert f"/offers?bought={offer.id}" in repr(landed)
    back = tab(token, f"/offers?bought={offer.id}")
    call(back, S, "load")
    assert substate(back, S).done_line == "Thank you! You now have Pack."
    assert entitlements.has_content(session, client_id=client.id, kind="course",
                                    target_id=world["calm"].id, app_key="courses")

    # Staff refund the whole payment in the console: the access ends.
    payment = session.exec(select(Payment)).one()
    staff = tab(world["staff_token"], routes.console_invoice(payment.invoice_id))
    call(staff, E, "load")
    call(staff, E, "open_refund", str(payment.id))
    assert substate(staff, E).refund_info["offer"] == "Pack"
    call(staff, E, "refund", {"amount": "", "reason": "Changed mind"})
    session.expire_all()
    [purchase] = session.exec(select(OfferPurchase)).all()
    assert purchase.status == "refunded"
    assert not entitlements.has_content(session, client_id=client.id, kind="course",
                                        target_id=world["calm"].id, app_key="courses")
    # The client's next action: no Courses app any more.
    business = get_business(session)
    assert entitlements.client_apps(session, business=business, client_id=client.id) == (
        "portal",)


def test_the_refund_dialogs_keep_access_box_keeps_it(world, session):
    offer = _offer(session, world, "Pack", price_minor=4900)
    token, client = signed_in_client(session, "Ana")
    result = call(tab(token, routes.OFFERS), S, "buy", str(offer.id))
    session_id = repr(result).split("/pay/test?session=", 1)[1].split("'", 1)[0].split('"')[0]
    pay = tab(token, f"{routes.PAY_TEST}?session={session_id}")
    call(pay, CheckoutTestModeState, "load")
    call(pay, CheckoutTestModeState, "pay")
    payment = session.exec(select(Payment)).one()
    staff = tab(world["staff_token"], routes.console_invoice(payment.invoice_id))
    call(staff, E, "load")
    call(staff, E, "open_refund", str(payment.id))
    call(staff, E, "refund", {"amount": "", "reason": "", "keep_access": "on"})
    session.expire_all()
    assert session.exec(select(OfferPurchase)).one().status == "kept"
    assert [g.revoked_at for g in _grants(session, client.id)] == [None]


def test_without_pay_access_buy_opens_the_invoice(world, session):
    offer = _offer(session, world, "Pack", price_minor=4900)
    token, _client = signed_in_client(session, "Ana", pay=False)
    result = call(tab(token, routes.OFFERS), S, "buy", str(offer.id))
    [purchase] = session.exec(select(OfferPurchase)).all()
    assert routes.invoice_page(purchase.invoice_id) in repr(result)


# --- the console ----------------------------------------------------------------------------


def test_the_console_form_shows_errors_beside_fields_and_saves(world, session):
    root = tab(world["staff_token"], routes.CONSOLE_OFFERS)
    call(root, C, "load")
    call(root, C, "new_offer")
    view = substate(root, C)
    assert view.form_open
    call(root, C, "save_offer", {"name": "x", "price": "5"})
    assert view.errors["name"].startswith("Give the offer a name") and view.form_open
    call(root, C, "save_offer", {"name": "Pack", "price": "5", "status": "active"})
    assert view.errors["items"].startswith("Choose at least one")
    call(root, C, "save_offer", {"name": "Pack", "price": "5", "status": "active",
                                 f"item:course:{world['calm'].id}": "on", "staff_only": "on"})
    assert not view.form_open
    [row] = view.offers
    assert (row["name"], row["price"], row["items"], row["buyers"], row["staff_only"]) == (
        "Pack", "$5.00", "Calm Mind", "0", "yes")
    call(root, C, "edit_offer", row["id"])
    assert view.values["price"] == "5.00" and view.chosen == [f"course:{world['calm'].id}"]


def test_the_console_gives_an_offer_and_keeps_refunded_access(world, session):
    offer = _offer(session, world, "Pack", price_minor=4900)
    client = factories.client(session, full_name="Dana Client")
    session.commit()
    root = tab(world["staff_token"], routes.CONSOLE_OFFERS)
    call(root, C, "load")
    call(root, C, "show_offer", str(offer.id))
    call(root, C, "find_clients", {"query": "dana"})
    view = substate(root, C)
    assert [h["name"] for h in view.client_hits] == ["Dana Client"]
    call(root, C, "give", str(client.id))
    assert [g.source for g in _grants(session, client.id)] == ["staff"]
    assert [h["status"] for h in view.holders] == ["Given by staff"]
    assert "does not exist" in repr(call(root, C, "give", "999999"))
    assert "does not exist" in repr(call(root, C, "keep_access", "999999"))


def test_console_offer_handlers_refuse_clients(world, session):
    offer = _offer(session, world, "Pack")
    token, client = signed_in_client(session, "Ana")
    root = tab(token, routes.CONSOLE_OFFERS)
    call(root, C, "show_offer", str(offer.id))
    call(root, C, "give", str(client.id))
    assert _grants(session, client.id) == []
