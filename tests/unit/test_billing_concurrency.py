"""Webhooks under concurrency, on a file-backed SQLite database and on PostgreSQL.

The issue: "The same webhook delivered twenty times concurrently records one payment
and sends one receipt." Each worker thread opens its own Session, waits at a barrier,
then calls handle_event and commits, as the webhook route does (which answers
DuplicateEvent and IntegrityError as "duplicate").
"""

import threading

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, SQLModel, select

from models import (
    Business,
    CheckoutAttempt,
    Client,
    Invoice,
    InvoiceStatus,
    OutboxMessage,
    Payment,
    PortalAccount,
    ProcessedEvent,
    StaffUser,
)
from portal_app.db import make_engine
from portal_app.services.billing import checkout, invoices, payments
from portal_app.services.billing import events as billing_events
from portal_app.services.billing.events import DuplicateEvent

pytestmark = [pytest.mark.timeout(120), pytest.mark.serial]

BASE = "http://portal.test"
THREADS = 20


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    """A stub receipt PDF (the real one is tested in test_billing_payments): keeps the
    winner's transaction short so twenty workers finish quickly."""
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": f"%PDF-stub {payment.receipt_number}".encode())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    """A fresh database: a file-backed SQLite one (WAL, 15 s busy timeout from
    make_engine), or a throwaway PostgreSQL database from the pg_url fixture."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    else:
        eng = make_engine(request.getfixturevalue("pg_url"))
    SQLModel.metadata.create_all(eng)
    yield eng
    eng.dispose()


def _open_invoices(engine, n, *, price="100.00", seed_receipt=False):
    """n sent invoices for n clients, each with an open checkout (cs_<i>); committed."""
    with Session(engine, expire_on_commit=False) as s:
        s.add(Business(name="Race Studio", contact_email="hello@race.test"))
        staff = StaffUser(email="race-staff@example.test", full_name="Race Staff",
                          password_hash="not-a-hash")
        s.add(staff)
        s.flush()
        attempts = []
        for i in range(n):
            account = PortalAccount(email=f"race{i}@example.test")
            s.add(account)
            s.flush()
            client = Client(full_name=f"Racer {i}", email=account.email, account_id=account.id)
            s.add(client)
            s.flush()
            inv = invoices.save_draft(s, staff_id=staff.id, invoice_id=None,
                                      form={"client_id": client.id},
                                      lines=[{"description": "Work", "unit_price": price}])
            invoices.send_invoice(s, staff_id=staff.id, invoice_id=inv.id, base_url=BASE)
            attempt = checkout.prepare_checkout(s, client_id=client.id, invoice_id=inv.id,
                                                amount_text=None, provider="stripe",
                                                tab_token="")
            checkout.open_checkout(s, attempt_id=attempt.id, provider_session_id=f"cs_{i}",
                                   url=f"https://checkout.test/cs_{i}")
            attempts.append(attempt)
        if seed_receipt:  # one earlier payment, so the receipt series already exists
            extra = invoices.save_draft(s, staff_id=staff.id, invoice_id=None,
                                        form={"client_id": attempts[0].client_id},
                                        lines=[{"description": "Earlier", "unit_price": "5"}])
            invoices.send_invoice(s, staff_id=staff.id, invoice_id=extra.id, base_url=BASE)
            payments.record_offline_payment(s, staff_id=staff.id, invoice_id=extra.id,
                                            form={"amount": "5", "method": "cash"},
                                            base_url=BASE)
        s.commit()
    return attempts


def _event(attempt, *, event_id, type_="checkout.session.completed"):
    return {"id": event_id, "object": "event", "type": type_, "data": {"object": {
        "id": attempt.provider_session_id, "object": "checkout.session",
        "amount_total": attempt.amount_minor, "currency": "usd", "payment_status": "paid",
        "payment_intent": f"pi_{attempt.id}",
        "metadata": {"attempt_id": str(attempt.id), "invoice_id": str(attempt.invoice_id),
                     "client_id": str(attempt.client_id)}}}}


integrity_errors: list[str] = []


def _deliver_concurrently(engine, events):
    """One thread per event, released together; returns each thread's outcome.

    Why an IntegrityError happened (its first line) goes into `integrity_errors`, for
    the failure messages."""
    barrier = threading.Barrier(len(events))
    outcomes, lock = [], threading.Lock()
    integrity_errors.clear()

    def deliver(event):
        with Session(engine, expire_on_commit=False) as s:
            try:
                barrier.wait(timeout=30)
                outcome = billing_events.handle_event(s, provider="stripe", event=event,
                                                      base_url=BASE)
                s.commit()
            except DuplicateEvent:
                s.rollback()
                outcome = "duplicate"
            except IntegrityError as exc:
                s.rollback()
                outcome = "duplicate"
                with lock:
                    integrity_errors.append(str(exc.orig).splitlines()[0])
            except OperationalError as exc:
                s.rollback()
                outcome = "locked" if "database is locked" in str(exc) else f"error: {exc!r}"
            except Exception as exc:  # reported, not swallowed
                s.rollback()
                outcome = f"error: {exc!r}"
        with lock:
            outcomes.append(outcome)

    workers = [threading.Thread(target=deliver, args=(e,)) for e in events]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=90)
    assert len(outcomes) == len(events), "a worker did not finish"
    return outcomes


def _receipt_messages(s):
    return s.exec(select(OutboxMessage).where(OutboxMessage.subject.startswith("Receipt"))).all()


def test_same_webhook_twenty_times_concurrently_records_one_payment(db):
    (attempt,) = _open_invoices(db, 1)
    outcomes = _deliver_concurrently(db, [_event(attempt, event_id="evt_same")] * THREADS)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("recorded") == 1, outcomes
    assert outcomes.count("duplicate") + outcomes.count("locked") == THREADS - 1, outcomes
    with Session(db) as s:
        (payment,) = s.exec(select(Payment)).all()
        assert payment.amount_minor == 10000 and payment.receipt_number == "RCT-0001"
        assert len(s.exec(select(ProcessedEvent)).all()) == 1
        (receipt,) = _receipt_messages(s)
        assert receipt.to == "race0@example.test"
        inv = s.get(Invoice, attempt.invoice_id)
        assert inv.paid_minor == payment.amount_minor == 10000
        assert inv.status == InvoiceStatus.PAID
        assert s.get(CheckoutAttempt, attempt.id).status == "completed"


def test_twenty_different_events_for_one_checkout_record_one_payment(db):
    (attempt,) = _open_invoices(db, 1)
    types = ["checkout.session.completed", "checkout.session.async_payment_succeeded"]
    events = [_event(attempt, event_id=f"evt_{i}", type_=types[i % 2]) for i in range(THREADS)]
    outcomes = _deliver_concurrently(db, events)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert "recorded" in outcomes
    with Session(db) as s:
        (payment,) = s.exec(select(Payment)).all()
        assert payment.provider_ref == attempt.provider_session_id
        assert len(_receipt_messages(s)) == 1
        inv = s.get(Invoice, attempt.invoice_id)
        assert inv.paid_minor == 10000 and inv.status == InvoiceStatus.PAID


@pytest.mark.parametrize("seed_receipt", [False, True],
                         ids=["first-receipts-ever", "receipt-series-exists"])
def test_ten_invoices_paid_at_once_get_ten_distinct_receipt_numbers(db, seed_receipt):
    """With "first-receipts-ever" on PostgreSQL this exposes a BUG in next_number: the
    first use of a series does UPDATE (0 rows, no lock) then INSERT; concurrent first
    users all INSERT and all but one fail on the unique name, and the webhook route
    answers that IntegrityError as a 200 "duplicate", so Stripe never retries and those
    payments are lost."""
    attempts = _open_invoices(db, 10, seed_receipt=seed_receipt)
    events = [_event(a, event_id=f"evt_inv_{a.id}") for a in attempts]
    outcomes = _deliver_concurrently(db, events)
    assert outcomes == ["recorded"] * 10, (outcomes, integrity_errors)
    first = 2 if seed_receipt else 1
    with Session(db) as s:
        card = s.exec(select(Payment).where(Payment.provider == "stripe")).all()
        assert len(card) == 10
        assert sorted(p.receipt_number for p in card) == [
            f"RCT-{n:04d}" for n in range(first, first + 10)]
        assert sorted(p.invoice_id for p in card) == sorted(a.invoice_id for a in attempts)
        assert len(_receipt_messages(s)) == 10 + (1 if seed_receipt else 0)
        for a in attempts:
            inv = s.get(Invoice, a.invoice_id)
            assert inv.status == InvoiceStatus.PAID and inv.paid_minor == 10000


def _most_inside_at_once(tasks: int = 6) -> tuple[int, list[int]]:
    """Run `tasks` thread writes through one_thread_writer at once; how many
    were inside together at most, and the order they got in."""
    import asyncio
    import time

    from portal_app.db import one_thread_writer

    guard = threading.Lock()
    inside, most, order = [0], [0], []

    def write(n: int) -> None:
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            order.append(n)
        time.sleep(0.05)
        with guard:
            inside[0] -= 1

    async def one(n: int) -> None:
        async with one_thread_writer():
            await asyncio.to_thread(write, n)

    async def burst() -> None:
        await asyncio.gather(*(one(n) for n in range(tasks)))

    asyncio.run(burst())
    return most[0], order


def test_thread_writes_take_turns_in_order_on_sqlite_and_run_together_on_postgresql(
        monkeypatch):
    from portal_app.settings import reset_settings_cache

    reset_settings_cache()
    assert _most_inside_at_once() == (1, list(range(6)))
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://portal@127.0.0.1/unused")
    reset_settings_cache()
    try:
        assert _most_inside_at_once()[0] > 1
    finally:
        monkeypatch.delenv("DATABASE_URL")
        reset_settings_cache()
