"""A paid offer in Stripe mode with the real SDK against FakeStripe: Buy (the
State handler) opens a Checkout Session that comes back to the Offers page, the
signed webhook records the payment and makes the grants once (a redelivery, and
Stripe's second event for the same checkout, make none), and a refund made in
Stripe's dashboard ends them."""

from sqlmodel import Session, select

from models import Entitlement, OfferItem, OfferPurchase, PortalAccess
from portal_app import routes
from portal_app.services.hub import offers
from state.offers import OffersState
from tests import factories
from tests.api.test_billing_routes import client_token
from tests.api.test_stripe_checkout_flow import (  # noqa: F401  (fixtures)
    BASE_URL,
    checkout_posts,
    fake,
    redirect_target,
    stripe_env,
    tab,
    webhook,
)
from tests.state.harness import call
from tests.unit.offers_helpers import course


def _grants(engine, client_id):
    with Session(engine) as s:
        return list(s.exec(select(Entitlement).where(Entitlement.client_id == client_id)
                           .order_by(Entitlement.id)).all())


def _purchase(engine):
    with Session(engine) as s:
        return s.exec(select(OfferPurchase)).one()


def test_an_offer_bought_through_stripe_grants_once_and_a_dashboard_refund_ends_it(
        stripe_env, session, engine, fake, webhook):  # noqa: F811
    factories.business(session, name="Studio Nine")
    staff = factories.staff(session, role="owner")
    account, (payer,) = factories.household(session, access=PortalAccess.ACTIVE)
    calm = course(session)
    offer = offers.save_offer(session, staff_id=staff.id, offer_id=None, form={
        "name": "Calm Mind pack", "price": "49.00", "status": "active",
        "items": ["app:courses", f"course:{calm.id}"]})
    token = client_token(session, account.id, payer.id)
    session.commit()

    result = call(tab(token, routes.OFFERS), OffersState, "buy", str(offer.id))

    (record,) = checkout_posts(fake)
    (session_id,) = fake.sessions
    params = record["params"]
    assert params["success_url"] == f"{BASE_URL}/offers?bought={offer.id}"
    assert params["line_items"][0]["price_data"]["unit_amount"] == "4900"
    assert redirect_target(result) == fake.sessions[session_id]["url"]
    assert _purchase(engine).status == "pending" and _grants(engine, payer.id) == []

    completed = fake.complete(session_id)
    assert webhook(fake, completed).json()["outcome"] == "recorded"
    purchase = _purchase(engine)
    grants = _grants(engine, payer.id)
    assert purchase.status == "paid"
    assert sorted((g.kind, g.source, g.purchase_id) for g in grants) == [
        ("app", "purchase", purchase.id), ("course", "purchase", purchase.id)]
    # The same event redelivered, and Stripe's async "succeeded" event for the checkout.
    assert webhook(fake, completed).json()["outcome"] == "duplicate"
    succeeded = fake.event("checkout.session.async_payment_succeeded",
                           fake.sessions[session_id])
    webhook(fake, succeeded)
    assert len(_grants(engine, payer.id)) == 2

    # A refund of the whole payment made in Stripe's dashboard.
    refund = {"id": "re_dashboard_1", "object": "refund", "amount": 4900,
              "status": "succeeded", "payment_intent": fake.sessions[session_id]["payment_intent"]}
    assert webhook(fake, fake.event("refund.created", refund)).json()["outcome"] == "recorded"
    assert _purchase(engine).status == "refunded"
    assert [(g.revoked_at is not None, g.revoke_reason) for g in _grants(engine, payer.id)] == [
        (True, "Refunded"), (True, "Refunded")]
    with Session(engine) as s:
        assert len(s.exec(select(OfferItem)).all()) == 2
