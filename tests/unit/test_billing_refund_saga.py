"""Refunds as a service, without Reflex: the rule that an online refund needs
the payment's own provider, and the saga (reserve, ask the provider outside
any transaction, then apply or release)."""

import asyncio

import pytest
from sqlmodel import select

from models import Invoice, InvoiceStatus, Payment, Refund
from portal_app.providers.payments import PaymentProviderError, TestModeGateway
from portal_app.services.billing import invoices, payments, refunds
from portal_app.services.errors import NotFound, ServiceError
from tests import factories

BASE = "http://portal.test"


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


def _invoice(session, staff, client, price="100.00"):
    inv = invoices.save_draft(session, staff_id=staff.id, invoice_id=None,
                              form={"client_id": client.id, "kind": "invoice"},
                              lines=[{"description": "Work", "quantity": "1",
                                      "unit_price": price}])
    invoices.send_invoice(session, staff_id=staff.id, invoice_id=inv.id, base_url=BASE)
    return inv


def _card(session, invoice, *, provider="test", amount=10000):
    payment = Payment(invoice_id=invoice.id, client_id=invoice.client_id,
                      receipt_number=f"RCT-9{invoice.id:03d}", amount_minor=amount,
                      currency=invoice.currency, provider=provider,
                      provider_ref=f"cs_{invoice.id}", payment_intent_id=f"pi_{invoice.id}")
    invoice.paid_minor += amount
    payments.settle(invoice)
    session.add_all([payment, invoice])
    session.commit()
    return payment


@pytest.fixture
def world(session):
    factories.business(session)
    staff = factories.staff(session)
    client = factories.client(session)
    invoice = _invoice(session, staff, client)
    session.commit()
    return staff, invoice


class Gateway:
    """A provider that answers with a refund id, or raises what it is given."""

    def __init__(self, name="test", error=None):
        self.name, self.error, self.calls = name, error, []

    def refund(self, **kwargs):
        self.calls.append(kwargs)
        if self.error is not None:
            raise self.error
        return f"re_{kwargs['idempotency_key']}"


def _refund(session, staff, invoice, payment, gateway, amount=""):
    reserved = refunds.reserve_refund(session, staff_id=staff.id, invoice_id=invoice.id,
                                      payment_id=str(payment.id),
                                      form={"amount": amount, "reason": "Cancelled"},
                                      gateway=gateway)
    session.commit()
    return reserved, asyncio.run(refunds.complete_refund(reserved, gateway=gateway))


def _state(session, payment, invoice):
    session.expire_all()
    return (session.get(Payment, payment.id).refunded_minor,
            session.get(Invoice, invoice.id).paid_minor,
            [(r.status, r.amount_minor) for r in session.exec(select(Refund)).all()])


def test_online_refund_goes_through_the_payments_provider(session, world):
    staff, invoice = world
    payment = _card(session, invoice)
    gateway = Gateway()
    reserved, provider_id = _refund(session, staff, invoice, payment, gateway, "30.00")

    assert reserved.online and provider_id == f"re_refund-{reserved.refund_id}"
    [call] = gateway.calls
    assert call["payment_intent_id"] == payment.payment_intent_id
    assert call["amount_minor"] == 3000
    assert call["metadata"] == {"portal_refund_id": str(reserved.refund_id)}
    assert _state(session, payment, invoice) == (3000, 7000, [("succeeded", 3000)])
    assert session.get(Refund, reserved.refund_id).provider_refund_id == provider_id
    assert session.get(Invoice, invoice.id).status == InvoiceStatus.PARTIALLY_PAID


def test_offline_refund_is_only_recorded(session, world):
    staff, invoice = world
    payment = payments.record_offline_payment(
        session, staff_id=staff.id, invoice_id=invoice.id,
        form={"amount": "100.00", "method": "cash"}, base_url=BASE)
    session.commit()
    reserved, provider_id = _refund(session, staff, invoice, payment, None)
    assert not reserved.online and provider_id is None
    assert _state(session, payment, invoice) == (10000, 0, [("succeeded", 10000)])


@pytest.mark.parametrize("gateway", [None, Gateway(name="stripe")], ids=["off", "other"])
def test_online_refund_needs_the_payments_own_provider(session, world, gateway):
    staff, invoice = world
    payment = _card(session, invoice, provider="test")
    with pytest.raises(ServiceError, match=r"need its payment provider \(test\)"):
        refunds.reserve_refund(session, staff_id=staff.id, invoice_id=invoice.id,
                               payment_id=payment.id, form={}, gateway=gateway)
    assert refunds.refund_gateway(payment, TestModeGateway(BASE)) is not None
    assert session.exec(select(Refund)).all() == []


@pytest.mark.parametrize("error,message", [
    (PaymentProviderError("The payment provider refused the request."),
     "The payment provider refused the request."),
    (TimeoutError("read timed out"), refunds.REFUND_FAILED),
])
def test_a_failed_provider_call_releases_the_reservation(session, world, error, message):
    staff, invoice = world
    payment = _card(session, invoice)
    with pytest.raises(ServiceError) as caught:
        _refund(session, staff, invoice, payment, Gateway(error=error), "30.00")
    assert caught.value.message == message
    assert _state(session, payment, invoice) == (0, 10000, [("failed", 3000)])
    with session.no_autoflush:
        assert refunds.refundable(session, session.get(Payment, payment.id)) == 10000


def test_refund_of_another_invoices_payment_is_refused(session, world):
    staff, invoice = world
    other = _invoice(session, staff, factories.client(session), price="50.00")
    theirs = _card(session, other, amount=5000)
    for call in (
        lambda: refunds.refundable_payment(session, invoice_id=invoice.id, payment_id=theirs.id),
        lambda: refunds.reserve_refund(session, staff_id=staff.id, invoice_id=invoice.id,
                                       payment_id=theirs.id, form={}, gateway=Gateway()),
    ):
        with pytest.raises(NotFound):
            call()
    assert session.exec(select(Refund)).all() == []


def test_refundable_payment_says_what_is_left_and_refuses_when_nothing_is(session, world):
    staff, invoice = world
    payment = _card(session, invoice)
    assert refunds.refundable_payment(session, invoice_id=invoice.id,
                                      payment_id=str(payment.id)) == (payment, 10000)
    _refund(session, staff, invoice, payment, Gateway())
    session.expire_all()  # the refund was applied in the saga's own transaction
    with pytest.raises(ServiceError, match="already fully refunded"):
        refunds.refundable_payment(session, invoice_id=invoice.id, payment_id=payment.id)
