"""Pay balance: one checkout for every open invoice of a client in one currency,
oldest first, the amount computed on the server; on completion the money split over
the invoices oldest first (one Payment per invoice, allocation "oldest_first"), what
is left staying on the last one as credit; a replayed webhook records nothing more;
the statement says "applied oldest first"."""

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models import CheckoutAttempt, Invoice, InvoiceStatus, Payment
from portal_app.providers.payments import CheckoutSession, TestModeGateway
from portal_app.services.billing import balance
from portal_app.services.billing.events import DuplicateEvent, handle_event
from portal_app.services.billing.statements import statement
from portal_app.services.errors import NotAllowed
from tests import factories
from tests.unit import statement_helpers as h
from tests.unit.helpers import count

BASE = "http://portal.test"
ZONE = "America/Chicago"


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


@pytest.fixture
def world(session):
    factories.business(session, name="Studio Nine", timezone=ZONE, currency="USD")
    _acc, (alice,) = factories.household(session, names=("Alice",))
    _acc, (bob,) = factories.household(session, names=("Bob",))
    newer = h.invoice(session, alice, total=3000, issued=date(2026, 3, 10))
    oldest = h.invoice(session, alice, total=5000, issued=date(2026, 1, 5))
    middle = h.invoice(session, alice, total=4000, issued=date(2026, 2, 1))
    h.pay(session, middle, 1500, at=datetime(2026, 2, 2, 12, tzinfo=UTC))  # 2500 left
    h.invoice(session, alice, total=9900, issued=date(2026, 1, 1), currency="EUR")
    paid = h.invoice(session, alice, total=700, issued=date(2025, 12, 1))
    h.pay(session, paid, 700, at=datetime(2025, 12, 2, 12, tzinfo=UTC))
    h.invoice(session, bob, total=100_00, issued=date(2025, 1, 1))
    session.commit()
    return {"alice": alice, "bob": bob, "oldest": oldest, "middle": middle, "newer": newer}


class RecordingGateway:
    name = "stripe"

    def __init__(self):
        self.requests = []

    def create_checkout(self, request):
        self.requests.append(request)
        return CheckoutSession(id=f"cs_{request.attempt_id}", url="https://pay.test/cs")


def _attempt(session, world, currency="USD"):
    attempt = balance.prepare_balance_checkout(session, client_id=world["alice"].id,
                                               currency=currency, provider="test",
                                               tab_token="tab")
    attempt.provider_session_id = f"cs_bal_{attempt.id}"
    session.add(attempt)
    session.commit()
    return attempt


def _completed(attempt, *, amount=None, event_id=None):
    event = TestModeGateway(BASE).completed_event(
        session_id=attempt.provider_session_id, attempt_id=attempt.id,
        invoice_id=attempt.invoice_id, client_id=attempt.client_id,
        amount_minor=attempt.amount_minor if amount is None else amount,
        currency=attempt.currency, paid=True)
    if event_id:
        event["id"] = event_id
    return event


def _payments(session, attempt):
    session.expire_all()
    return session.exec(select(Payment).where(Payment.checkout_attempt_id == attempt.id)
                        .order_by(Payment.id)).all()


def test_the_attempt_covers_every_open_invoice_in_the_currency_oldest_first(session, world):
    attempt = _attempt(session, world)
    ids = [world["oldest"].id, world["middle"].id, world["newer"].id]
    assert attempt.invoice_ids == ids and attempt.invoice_id == ids[0]
    assert (attempt.amount_minor, attempt.currency) == (5000 + 2500 + 3000, "USD")
    assert balance.balance_due(session, client_id=world["alice"].id, currency="USD") == 10500
    eur = _attempt(session, world, currency="eur")
    assert (eur.amount_minor, eur.currency, len(eur.invoice_ids)) == (9900, "EUR", 1)


def test_nothing_due_is_refused_and_writes_nothing(session, world):
    with pytest.raises(NotAllowed, match="Nothing is due"):
        balance.prepare_balance_checkout(session, client_id=world["alice"].id,
                                         currency="GBP", provider="test", tab_token="")
    assert count(session, CheckoutAttempt) == 0


def test_start_balance_checkout_asks_the_provider_for_the_sum(session, world):
    gateway = RecordingGateway()
    opened = asyncio.run(balance.start_balance_checkout(
        gateway, client_id=world["alice"].id, customer_email="a@example.test",
        currency="USD", tab_token="tab-9", base_url=BASE))
    assert opened.url == "https://pay.test/cs"
    [request] = gateway.requests
    assert request.amount_minor == 10500 and request.currency == "USD"
    assert request.success_url == f"{BASE}/payments/statements?paid=1"
    session.expire_all()
    [attempt] = session.exec(select(CheckoutAttempt)).all()
    assert (attempt.status, attempt.provider_session_id) == ("open", f"cs_{attempt.id}")


def test_completion_splits_the_money_oldest_first_one_payment_per_invoice(session, world):
    attempt = _attempt(session, world)
    assert handle_event(session, provider="test", event=_completed(attempt),
                        base_url=BASE) == "recorded"
    session.commit()
    rows = _payments(session, attempt)
    assert [(p.invoice_id, p.amount_minor, p.allocation, p.flag) for p in rows] == [
        (world["oldest"].id, 5000, "oldest_first", ""),
        (world["middle"].id, 2500, "oldest_first", ""),
        (world["newer"].id, 3000, "oldest_first", "")]
    assert len({p.receipt_number for p in rows}) == 3
    for key in ("oldest", "middle", "newer"):
        inv = session.get(Invoice, world[key].id)
        assert (inv.status, inv.balance_minor) == (InvoiceStatus.PAID, 0)
    assert session.get(CheckoutAttempt, attempt.id).status == "completed"
    # The statement shows each share as applied oldest first, and nothing owed.
    today = datetime.now(UTC).date()
    usd = statement(session, client_id=world["alice"].id, start=date(2025, 1, 1),
                    end=today, zone=ZONE).currency("USD")
    shares = [a for line in usd.lines for a in line.allocations if line.payment_id in
              {p.id for p in rows}]
    assert [(a.invoice_id, a.amount_minor, a.oldest_first) for a in shares] == [
        (world["oldest"].id, 5000, True), (world["middle"].id, 2500, True),
        (world["newer"].id, 3000, True)]
    assert usd.closing_minor == 0 and usd.credit_minor == 0
    earlier = [a for line in usd.lines for a in line.allocations
               if line.payment_id not in {p.id for p in rows}]
    assert earlier and not any(a.oldest_first for a in earlier)


def test_an_invoice_paid_elsewhere_meanwhile_leaves_the_rest_on_the_last_as_credit(
        session, world):
    attempt = _attempt(session, world)
    # Staff record the middle invoice's 2500 as cash before the card payment completes.
    h.pay(session, session.get(Invoice, world["middle"].id), 2500, on=date(2026, 3, 20))
    session.commit()
    handle_event(session, provider="test", event=_completed(attempt), base_url=BASE)
    session.commit()
    rows = _payments(session, attempt)
    assert [(p.invoice_id, p.amount_minor) for p in rows] == [
        (world["oldest"].id, 5000), (world["newer"].id, 5500)]
    assert "overpaid by $25.00" in rows[1].flag
    newer = session.get(Invoice, world["newer"].id)
    assert (newer.status, newer.paid_minor, newer.balance_minor) == (InvoiceStatus.PAID, 5500, 0)
    today = datetime.now(UTC).date()
    usd = statement(session, client_id=world["alice"].id, start=date(2025, 1, 1),
                    end=today, zone=ZONE).currency("USD")
    assert (usd.closing_minor, usd.credit_minor) == (-2500, 2500)
    [line] = [ln for ln in usd.lines if ln.payment_id == rows[1].id]
    assert line.credit_minor == 2500 and line.allocations[0].amount_minor == 3000


def test_the_webhook_twice_records_one_set_of_payments(session, world):
    attempt = _attempt(session, world)
    handle_event(session, provider="test", event=_completed(attempt), base_url=BASE)
    session.commit()
    with pytest.raises(DuplicateEvent):
        handle_event(session, provider="test", event=_completed(attempt), base_url=BASE)
    session.rollback()
    # Another event kind for the same checkout (async succeeded) records nothing more.
    again = _completed(attempt, event_id="evt_other")
    again["type"] = "checkout.session.async_payment_succeeded"
    handle_event(session, provider="test", event=again, base_url=BASE)
    session.commit()
    assert len(_payments(session, attempt)) == 3
    assert count(session, Payment) == 3 + 2  # the two payments made before
    assert session.get(Invoice, world["newer"].id).paid_minor == 3000


def test_split_amount_takes_at_most_each_balance():
    a = Invoice(id=1, currency="USD", status=InvoiceStatus.SENT, total_minor=100)
    b = Invoice(id=2, currency="USD", status=InvoiceStatus.PAID, total_minor=50, paid_minor=50)
    c = Invoice(id=3, currency="USD", status=InvoiceStatus.PARTIALLY_PAID, total_minor=80,
                paid_minor=30)
    assert [(i.id, s) for i, s in balance.split_amount([a, b, c], 120, "USD")] == [
        (1, 100), (3, 20)]
    assert [(i.id, s) for i, s in balance.split_amount([a, b, c], 170, "USD")] == [
        (1, 100), (3, 70)]
    assert [(i.id, s) for i, s in balance.split_amount([a, b], 130, "USD")] == [
        (1, 100), (2, 30)]
