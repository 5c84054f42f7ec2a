"""Pay as a service, without Reflex: the three transactions around the gateway
call (attempt, provider, open or failed), what the gateway is asked for, and
the test-mode checkout that stands in for Stripe's page."""

import asyncio

import pytest
from sqlmodel import select

from models import CheckoutAttempt, Invoice, InvoiceStatus, Payment
from portal_app.providers.payments import (
    CheckoutSession,
    PaymentProviderError,
    StripeGateway,
    TestModeGateway,
)
from portal_app.services.billing import checkout, checkout_test_mode, invoices
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.unit.helpers import count

BASE = "http://portal.test"


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


@pytest.fixture
def world(session):
    factories.business(session, name="Studio Nine")
    staff = factories.staff(session)
    _acc, (alice,) = factories.household(session, names=("Alice",))
    _acc, (bob,) = factories.household(session, names=("Bob",))
    invoice = invoices.save_draft(session, staff_id=staff.id, invoice_id=None,
                                  form={"client_id": alice.id, "kind": "invoice"},
                                  lines=[{"description": "Work", "quantity": "1",
                                          "unit_price": "80.00"}])
    invoices.send_invoice(session, staff_id=staff.id, invoice_id=invoice.id, base_url=BASE)
    session.commit()
    return {"alice": alice, "bob": bob, "invoice": invoice}


class RecordingGateway:
    """A gateway that remembers what it was asked, and answers or refuses."""

    name = "stripe"

    def __init__(self, refuse: str = ""):
        self.refuse = refuse
        self.requests = []

    def create_checkout(self, request):
        self.requests.append(request)
        if self.refuse:
            raise PaymentProviderError(self.refuse)
        return CheckoutSession(id=f"cs_{request.attempt_id}", url="https://pay.test/cs")


def _start(gateway, world, *, client=None, amount_text=None, invoice_id=None):
    client = client or world["alice"]
    return asyncio.run(checkout.start_checkout(
        gateway, client_id=client.id, customer_email="alice@example.test",
        invoice_id=world["invoice"].id if invoice_id is None else invoice_id,
        amount_text=amount_text, tab_token="tab-1", base_url=BASE))


def _attempts(session):
    session.expire_all()
    return session.exec(select(CheckoutAttempt)).all()


def test_pay_opens_a_checkout_for_the_balance_and_keeps_its_session(session, world):
    gateway = RecordingGateway()
    opened = _start(gateway, world)

    invoice = world["invoice"]
    [attempt] = _attempts(session)
    assert opened.url == "https://pay.test/cs"
    assert (attempt.status, attempt.provider, attempt.amount_minor) == ("open", "stripe", 8000)
    assert attempt.provider_session_id == f"cs_{attempt.id}" and attempt.tab_token == "tab-1"
    [request] = gateway.requests
    assert request.attempt_id == attempt.id and request.amount_minor == 8000
    assert request.description == f"Invoice {invoice.number} — Studio Nine"
    assert request.customer_email == "alice@example.test"
    assert request.success_url == f"{BASE}/payments/invoice?id={invoice.id}&paid=1"
    assert request.cancel_url == f"{BASE}/payments/invoice?id={invoice.id}&cancelled=1"


def test_a_provider_refusal_marks_the_attempt_failed_and_says_why(session, world):
    with pytest.raises(ServiceError, match="provider is busy"):
        _start(RecordingGateway(refuse="The payment provider is busy."), world)
    [attempt] = _attempts(session)
    assert attempt.status == "failed" and attempt.provider_session_id is None


def test_no_gateway_means_no_online_payment(session, world):
    with pytest.raises(NotAllowed, match="not available"):
        _start(None, world)
    assert count(session, CheckoutAttempt) == 0


@pytest.mark.parametrize("case", ["theirs", "amount", "missing"])
def test_refused_before_the_provider_is_asked(session, world, case):
    gateway = RecordingGateway()
    with pytest.raises(ServiceError):
        if case == "theirs":
            _start(gateway, world, client=world["bob"])
        elif case == "amount":
            _start(gateway, world, amount_text="80.01")
        else:
            _start(gateway, world, invoice_id=9999)
    assert gateway.requests == [] and count(session, CheckoutAttempt) == 0


# --- the test-mode checkout -----------------------------------------------------------------


def _test_attempt(session, world):
    _start(TestModeGateway(BASE), world)
    return _attempts(session)[0]


def test_test_checkout_pays_through_the_event_path_once(session, world):
    gateway = TestModeGateway(BASE)
    attempt = _test_attempt(session, world)
    alice = world["alice"]
    shown, invoice = checkout_test_mode.get_test_checkout(
        session, gateway=gateway, client_id=alice.id,
        provider_session_id=attempt.provider_session_id)
    assert shown.id == attempt.id and invoice.id == world["invoice"].id

    for _ in range(2):  # a double press records nothing more
        invoice_id = checkout_test_mode.finish_test_checkout(
            session, gateway=gateway, client_id=alice.id,
            provider_session_id=attempt.provider_session_id, paid=True, base_url=BASE)
        session.commit()
    assert invoice_id == world["invoice"].id
    [payment] = session.exec(select(Payment)).all()
    assert payment.provider == "test" and payment.amount_minor == 8000
    assert payment.payment_intent_id == f"test_pi_{attempt.id}"
    session.expire_all()
    assert session.get(Invoice, invoice_id).status == InvoiceStatus.PAID


def test_test_checkout_cancel_fails_the_attempt(session, world):
    gateway = TestModeGateway(BASE)
    attempt = _test_attempt(session, world)
    checkout_test_mode.finish_test_checkout(
        session, gateway=gateway, client_id=world["alice"].id,
        provider_session_id=attempt.provider_session_id, paid=False, base_url=BASE)
    session.commit()
    assert _attempts(session)[0].status == "failed" and count(session, Payment) == 0


def test_test_checkout_is_the_payers_own_and_test_mode_only(session, world):
    attempt = _test_attempt(session, world)
    with pytest.raises(NotFound):
        checkout_test_mode.finish_test_checkout(
            session, gateway=TestModeGateway(BASE), client_id=world["bob"].id,
            provider_session_id=attempt.provider_session_id, paid=True, base_url=BASE)
    for other in (None, StripeGateway("sk_test_x")):
        with pytest.raises(NotAllowed, match="switched off"):
            checkout_test_mode.finish_test_checkout(
                session, gateway=other, client_id=world["alice"].id,
                provider_session_id=attempt.provider_session_id, paid=True, base_url=BASE)
    assert count(session, Payment) == 0


def test_test_mode_gateway_event_has_stripes_shape():
    event = TestModeGateway(BASE).completed_event(
        session_id="test_cs_1", attempt_id=1, invoice_id=2, client_id=3, amount_minor=4500,
        currency="EUR", paid=True)
    assert event["type"] == "checkout.session.completed"
    obj = event["data"]["object"]
    assert (obj["id"], obj["amount_total"], obj["currency"], obj["payment_status"]) == (
        "test_cs_1", 4500, "eur", "paid")
    assert obj["metadata"] == {"invoice_id": "2", "client_id": "3", "attempt_id": "1"}
    unpaid = TestModeGateway(BASE).completed_event(
        session_id="s", attempt_id=1, invoice_id=2, client_id=3, amount_minor=1,
        currency="USD", paid=False)
    assert unpaid["type"] == "checkout.session.async_payment_failed"
    assert unpaid["data"]["object"]["payment_status"] == "unpaid"
