"""A paid offer end to end through the billing services: the invoice and pending
purchase, the checkout that exists, the provider event that grants once (replays
and Stripe's second event too), the receipt, and the refunds that end the
grants — or not (partial, or staff kept the access)."""

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from models import (
    CheckoutAttempt,
    Entitlement,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    OfferPurchase,
    OutboxMessage,
    Payment,
)
from portal_app.providers.payments import TestModeGateway
from portal_app.services.billing import checkout_test_mode, events, invoices, payments, refunds
from portal_app.services.errors import NotAllowed, NotFound
from portal_app.services.hub import entitlements, offer_grants, offer_purchases
from tests.unit.offers_helpers import BASE, offer, world

GATEWAY = TestModeGateway(BASE)


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


@pytest.fixture
def w(session):
    data = world(session)
    data["offer"] = offer(session, data, price="49.00", access_days="365")
    return data


def _buy(w, client=None):
    client = client or w["alice"]
    return asyncio.run(offer_purchases.start_offer_checkout(
        GATEWAY, client_id=client.id, customer_email=client.email, offer_id=w["offer"].id,
        tab_token="tab-1", base_url=BASE))


def _attempt(session):
    session.expire_all()
    return session.exec(select(CheckoutAttempt).order_by(CheckoutAttempt.id.desc())).first()


def _event(attempt, *, event_id=None, kind="checkout.session.completed"):
    event = GATEWAY.completed_event(
        session_id=attempt.provider_session_id, attempt_id=attempt.id,
        invoice_id=attempt.invoice_id, client_id=attempt.client_id,
        amount_minor=attempt.amount_minor, currency=attempt.currency, paid=True)
    event["type"] = kind
    if event_id:
        event["id"] = event_id
    return event


def _pay(session, w):
    _buy(w)
    attempt = _attempt(session)
    events.handle_event(session, provider="test", event=_event(attempt), base_url=BASE)
    session.commit()
    return attempt


def _state(session, client_id):
    session.expire_all()
    purchase = session.exec(select(OfferPurchase).where(OfferPurchase.client_id == client_id)
                            ).one()
    grants = session.exec(select(Entitlement).where(Entitlement.client_id == client_id)).all()
    return purchase, grants


def _holds(session, w):
    return entitlements.has_content(session, client_id=w["alice"].id, kind="course",
                                    target_id=w["calm"].id, app_key="courses")


def test_buy_issues_a_one_line_sent_invoice_and_a_pending_purchase(session, w):
    opened = _buy(w)
    attempt = _attempt(session)
    purchase, grants = _state(session, w["alice"].id)
    invoice = session.get(Invoice, purchase.invoice_id)
    [line] = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    today = datetime.now(ZoneInfo("America/New_York")).date()
    assert (purchase.status, grants) == ("pending", [])
    assert (invoice.status, invoice.total_minor, invoice.client_id, invoice.issue_date) == (
        InvoiceStatus.SENT, 4900, w["alice"].id, today)
    assert (line.description, line.amount_minor) == ("Calm Mind pack", 4900)
    assert attempt.invoice_id == invoice.id and attempt.amount_minor == 4900
    assert opened.url.startswith(f"{BASE}/pay/test?session=")
    # Buying again (the first checkout abandoned) reuses the purchase and its invoice.
    _buy(w)
    session.expire_all()
    assert len(session.exec(select(OfferPurchase)).all()) == 1
    assert len(session.exec(select(Invoice)).all()) == 1


def test_the_checkout_comes_back_to_the_offers_page(session, w, monkeypatch):
    asked = []
    monkeypatch.setattr(GATEWAY, "create_checkout", lambda request: (
        asked.append(request) or TestModeGateway(BASE).create_checkout(request)))
    _buy(w)
    [request] = asked
    assert request.success_url == f"{BASE}/offers?bought={w['offer'].id}"
    assert request.cancel_url == f"{BASE}/offers?cancelled=1"
    assert request.description == "Calm Mind pack — Studio Nine"


def test_the_payment_grants_once_whatever_events_follow(session, w):
    attempt = _pay(session, w)
    purchase, grants = _state(session, w["alice"].id)
    assert purchase.status == "paid" and purchase.paid_at is not None
    assert [(g.source, g.purchase_id, g.offer_id) for g in grants] == [
        ("purchase", purchase.id, w["offer"].id)]
    assert _holds(session, w)
    # The same event again, and Stripe's second event for the same checkout.
    with pytest.raises(events.DuplicateEvent):
        events.handle_event(session, provider="test", event=_event(attempt), base_url=BASE)
    session.rollback()
    events.handle_event(session, provider="test", base_url=BASE, event=_event(
        attempt, event_id="evt_second", kind="checkout.session.async_payment_succeeded"))
    session.commit()
    purchase, grants = _state(session, w["alice"].id)
    assert purchase.status == "paid" and len(grants) == 1
    assert len(session.exec(select(Payment)).all()) == 1
    # The receipt goes out as for any payment.
    mails = session.exec(select(OutboxMessage).where(OutboxMessage.to == w["alice"].email)).all()
    assert any("receipt" in m.template for m in mails)


def test_the_test_mode_page_pays_and_lands_on_the_offer(session, w):
    _buy(w)
    attempt = _attempt(session)
    invoice_id = checkout_test_mode.finish_test_checkout(
        session, gateway=GATEWAY, client_id=w["alice"].id,
        provider_session_id=attempt.provider_session_id, paid=True, base_url=BASE)
    session.commit()
    assert offer_purchases.landing_for_invoice(session, invoice_id=invoice_id) == w["offer"].id
    offer_row, status = offer_purchases.bought_offer(session, client_id=w["alice"].id,
                                                     offer_id=w["offer"].id)
    assert (offer_row.id, status) == (w["offer"].id, "paid")
    with pytest.raises(NotFound):
        offer_purchases.bought_offer(session, client_id=w["bob"].id, offer_id=w["offer"].id)
    with pytest.raises(NotAllowed, match="You have this"):
        offer_purchases.buy_offer(session, client_id=w["alice"].id, offer_id=w["offer"].id)


def test_another_clients_checkout_cannot_be_finished(session, w):
    _buy(w)
    attempt = _attempt(session)
    with pytest.raises(NotFound):
        checkout_test_mode.finish_test_checkout(
            session, gateway=GATEWAY, client_id=w["bob"].id,
            provider_session_id=attempt.provider_session_id, paid=True, base_url=BASE)
    assert _state(session, w["alice"].id)[0].status == "pending"


def test_an_offline_payment_of_the_invoice_grants_too(session, w):
    _buy(w)
    purchase, _ = _state(session, w["alice"].id)
    payments.record_offline_payment(session, staff_id=w["staff"].id,
                                    invoice_id=purchase.invoice_id,
                                    form={"amount": "49.00", "method": "cash"}, base_url=BASE)
    session.commit()
    purchase, grants = _state(session, w["alice"].id)
    assert purchase.status == "paid" and [g.source for g in grants] == ["purchase"]


def test_a_voided_invoice_cancels_the_purchase_and_buy_starts_anew(session, w):
    _buy(w)
    purchase, _ = _state(session, w["alice"].id)
    invoices.void_invoice(session, staff_id=w["staff"].id, invoice_id=purchase.invoice_id)
    session.commit()
    assert _state(session, w["alice"].id)[0].status == "cancelled"
    fresh = offer_purchases.buy_offer(session, client_id=w["alice"].id, offer_id=w["offer"].id)
    assert fresh.id != purchase.id and fresh.invoice_id != purchase.invoice_id


# --- refunds -------------------------------------------------------------------------------


def _staff_refund(session, w, *, amount="", keep=False):
    payment = session.exec(select(Payment)).one()
    form = {"amount": amount, "reason": "asked"}
    if keep:
        form["keep_access"] = "on"
    reserved = refunds.reserve_refund(session, staff_id=w["staff"].id,
                                      invoice_id=payment.invoice_id, payment_id=payment.id,
                                      form=form, gateway=GATEWAY)
    session.commit()
    asyncio.run(refunds.complete_refund(reserved, gateway=GATEWAY))
    return payment


def test_a_whole_refund_by_staff_ends_the_grants(session, w):
    _pay(session, w)
    _staff_refund(session, w)
    purchase, grants = _state(session, w["alice"].id)
    assert purchase.status == "refunded"
    assert [(g.revoked_at is not None, g.revoke_reason) for g in grants] == [(True, "Refunded")]
    assert not _holds(session, w)
    assert entitlements.client_apps(session, business=_business(session),
                                    client_id=w["alice"].id) == ("portal",)
    # Nothing is owed for an offer given back: the client is not asked to pay again.
    invoice = session.get(Invoice, purchase.invoice_id)
    assert invoice.status == "void" and invoice.voided_at is not None


def _business(session):
    from portal_app.services.business import get_business

    business = get_business(session)
    business.apps_enabled = ["courses"]
    return business


def test_a_partial_refund_keeps_access(session, w):
    _pay(session, w)
    _staff_refund(session, w, amount="10.00")
    purchase, grants = _state(session, w["alice"].id)
    assert purchase.status == "paid" and grants[0].revoked_at is None and _holds(session, w)
    assert session.get(Invoice, purchase.invoice_id).status == "partially_paid"
    _staff_refund(session, w)  # the rest: now the whole payment is back
    assert _state(session, w["alice"].id)[0].status == "refunded" and not _holds(session, w)


def test_staff_can_keep_access_in_the_refund_dialog(session, w):
    _pay(session, w)
    _staff_refund(session, w, keep=True)
    purchase, grants = _state(session, w["alice"].id)
    assert purchase.status == "kept" and grants[0].revoked_at is None and _holds(session, w)
    session.expire_all()
    invoice = session.get(Invoice, purchase.invoice_id)
    assert invoice.paid_minor == 0 and invoice.status == "void"  # a gift: not owed


def test_keep_access_on_a_partial_refund_changes_nothing(session, w):
    _pay(session, w)
    _staff_refund(session, w, amount="5.00", keep=True)
    assert _state(session, w["alice"].id)[0].status == "paid"


def test_a_refused_refund_puts_a_kept_purchase_back_to_paid(session, w):
    _pay(session, w)
    payment = session.exec(select(Payment)).one()
    refund = refunds.prepare_refund(session, staff_id=w["staff"].id, payment_id=payment.id,
                                    form={"keep_access": "on"})
    assert _state(session, w["alice"].id)[0].status == "kept"
    refunds.abandon_refund(session, refund_id=refund.id)
    assert _state(session, w["alice"].id)[0].status == "paid"


def _provider_refund(session, payment, *, refund_id="re_dash", status="succeeded"):
    return events.handle_event(session, provider="stripe", base_url=BASE, event={
        "id": f"evt_{refund_id}_{status}", "type": "refund.updated",
        "data": {"object": {"id": refund_id, "status": status, "amount": payment.amount_minor,
                            "payment_intent": payment.payment_intent_id}}})


def test_a_refund_made_at_the_provider_ends_the_grants_and_staff_may_restore(session, w):
    _pay(session, w)
    payment = session.exec(select(Payment)).one()
    assert _provider_refund(session, payment) == "recorded"
    session.commit()
    purchase, grants = _state(session, w["alice"].id)
    assert purchase.status == "refunded" and grants[0].revoke_reason == "Refunded"
    # The console's "Keep access" on the purchase: the same grant comes back.
    offer_grants.keep_access(session, staff_id=w["staff"].id, purchase_id=purchase.id)
    session.commit()
    purchase, grants = _state(session, w["alice"].id)
    assert purchase.status == "kept" and grants[0].revoked_at is None and _holds(session, w)
    with pytest.raises(NotAllowed):
        offer_grants.keep_access(session, staff_id=w["staff"].id, purchase_id=purchase.id)
    with pytest.raises(NotFound):
        offer_grants.keep_access(session, staff_id=w["staff"].id, purchase_id="x")


def test_a_refund_that_fails_afterwards_gives_the_access_back(session, w):
    _pay(session, w)
    payment = session.exec(select(Payment)).one()
    _provider_refund(session, payment)
    session.commit()
    assert not _holds(session, w)
    _provider_refund(session, payment, status="failed")
    session.commit()
    purchase, _grants = _state(session, w["alice"].id)
    assert purchase.status == "paid" and _holds(session, w)
    invoice = session.get(Invoice, purchase.invoice_id)
    assert invoice.status == "paid" and invoice.voided_at is None
