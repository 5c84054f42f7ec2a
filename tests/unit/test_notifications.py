"""Notifications under the client's bell: adding, listing, reading, email
preferences, and the bell lines that invoices, payments and bookings add
without a second email."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from models import (
    Booking,
    BookingStatus,
    Client,
    Notification,
    OutboxMessage,
    StaffUser,
)
from portal_app.services import notifications
from portal_app.services.billing import checkout, events, invoices, payments
from portal_app.services.booking_notices import notify_booking
from portal_app.services.errors import NotFound, ServiceError
from tests import factories
from tests.unit.helpers import count

BASE = "http://portal.test"
_seq = itertools.count(1)


@pytest.fixture
def world(session):
    factories.business(session, name="Test Studio")
    alice_account, (alice, kid) = factories.household(session, names=("Alice", "Kid"))
    _bob_account, (bob,) = factories.household(session, names=("Bob",))
    session.commit()
    return alice, kid, bob, alice_account


def _notify(session, client, *, kind="document", title="A new document", link="/documents",
            email=True):
    return notifications.notify(session, client_id=client.id, kind=kind, title=title,
                                link=link, base_url=BASE, email=email)


def _fresh(session, model, row_id):
    session.expire_all()
    return session.get(model, row_id)


def _written(session):
    return count(session, Notification), count(session, OutboxMessage)


# --- notify ------------------------------------------------------------------------------


def test_notify_adds_the_line_and_emails_the_portal_address(session, world):
    alice, _kid, _bob, alice_account = world
    alice.email = "alice-records@example.test"
    session.add(alice)

    note = _notify(session, alice, title="  A new   document: Lease.pdf ",
                   link="/documents?d=7")
    session.commit()

    row = _fresh(session, Notification, note.id)
    assert (row.client_id, row.kind, row.title, row.link, row.read_at) == (
        alice.id, "document", "A new document: Lease.pdf", "/documents?d=7", None)
    email = session.exec(select(OutboxMessage)).one()
    assert email.to == alice_account.email
    assert email.idempotency_key == f"notification-{note.id}"
    assert "A new document: Lease.pdf" in email.subject
    assert f"{BASE}/documents?d=7" in email.body_text
    assert f'href="{BASE}/documents?d=7"' in email.body_html


def test_notify_without_email_or_with_the_kind_off_sends_nothing(session, world):
    alice, kid, _bob, _ = world
    _notify(session, alice, email=False)
    notifications.set_email_preferences(session, client_id=kid.id, kinds=["message"])
    _notify(session, kid, kind="document")
    session.commit()
    assert _written(session) == (2, 0)


def test_notify_a_client_without_any_address_adds_the_line_only(session, world):
    lonely = Client(full_name="No Email", email="")
    session.add(lonely)
    session.commit()
    _notify(session, lonely)
    session.commit()
    assert _written(session) == (1, 0)


def test_notify_falls_back_to_the_record_email(session, world):
    plain = factories.client(session)
    _notify(session, plain)
    session.commit()
    assert session.exec(select(OutboxMessage.to)).one() == plain.email


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": "spam"}, "kind"),
    ({"kind": ""}, "kind"),
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "t" * 201}, "title"),
    ({"link": ""}, "link"),
    ({"link": "documents"}, "link"),
    ({"link": "https://evil.test/"}, "link"),
    ({"link": "javascript:alert(1)"}, "link"),
    ({"link": "//evil.test/x"}, "link"),
    ({"link": "/\\evil.test"}, "link"),
    ({"link": "/a b"}, "link"),
    ({"link": "/x\n"}, "link"),
    ({"link": "/" + "a" * 300}, "link"),
])
def test_notify_refuses_bad_input_and_writes_nothing(session, world, kwargs, field):
    alice, *_ = world
    with pytest.raises(ServiceError) as exc:
        _notify(session, alice, **kwargs)
    assert exc.value.field == field
    session.rollback()
    assert _written(session) == (0, 0)


def test_notify_accepts_a_200_character_title(session, world):
    alice, *_ = world
    note = _notify(session, alice, title="t" * 200, email=False)
    session.commit()
    assert len(_fresh(session, Notification, note.id).title) == 200


def test_notify_an_unknown_client_is_not_found(session, world):
    with pytest.raises(NotFound):
        notifications.notify(session, client_id=999_999, kind="message", title="Hi",
                             link="/messages", base_url=BASE)


def test_fit_title_clips_with_an_ellipsis():
    assert notifications.fit_title("short") == "short"
    clipped = notifications.fit_title("x" * 300)
    assert len(clipped) == 200 and clipped.endswith("…")


# --- list, unread, read ------------------------------------------------------------------


def test_list_is_newest_first_and_only_the_clients_own(session, world):
    alice, kid, bob, _ = world
    first = _notify(session, alice, title="first", email=False)
    second = _notify(session, alice, title="second", email=False)
    _notify(session, bob, title="bob's", email=False)
    _notify(session, kid, title="kid's", email=False)
    first.created_at = datetime.now(UTC) - timedelta(minutes=5)
    session.add(first)
    session.commit()

    rows = notifications.list_notifications(session, client_id=alice.id)
    assert [n.title for n in rows] == ["second", "first"]
    assert [n.id for n in notifications.list_notifications(session, client_id=alice.id,
                                                           limit=1)] == [second.id]


def test_unread_count_mark_read_and_mark_all_read(session, world, engine):
    alice, kid, bob, _ = world
    mine = [_notify(session, alice, title=f"n{i}", email=False) for i in range(4)]
    theirs = _notify(session, bob, email=False)
    kids = _notify(session, kid, email=False)
    session.commit()
    assert notifications.unread_count(session, client_id=alice.id) == 4

    notifications.mark_read(session, client_id=alice.id, notification_id=str(mine[0].id))
    session.commit()
    assert _fresh(session, Notification, mine[0].id).read_at is not None
    assert notifications.unread_count(session, client_id=alice.id) == 3

    alice_id = alice.id
    session.expire_all()
    statements = []
    listener = lambda *a, **k: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        changed = notifications.mark_all_read(session, client_id=alice_id)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    session.commit()
    assert changed == 3
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("UPDATE")
    assert notifications.unread_count(session, client_id=alice_id) == 0
    assert _fresh(session, Notification, theirs.id).read_at is None
    assert _fresh(session, Notification, kids.id).read_at is None
    assert notifications.mark_all_read(session, client_id=alice_id) == 0


def test_mark_read_of_someone_elses_notification_is_not_found(session, world):
    alice, kid, bob, _ = world
    theirs = _notify(session, bob, email=False)
    kids = _notify(session, kid, email=False)
    session.commit()
    for notification_id in (theirs.id, kids.id, str(theirs.id), 999_999, "abc", None, True, -1,
                            2**63):
        with pytest.raises(NotFound):
            notifications.mark_read(session, client_id=alice.id,
                                    notification_id=notification_id)
    session.rollback()
    assert _fresh(session, Notification, theirs.id).read_at is None
    assert _fresh(session, Notification, kids.id).read_at is None


# --- email preferences -------------------------------------------------------------------


def test_preferences_are_stored_in_a_stable_order(session, world):
    alice, *_ = world
    assert notifications.email_preferences(alice) == list(
        ["message", "document", "invoice", "booking", "payment"])

    stored = notifications.set_email_preferences(
        session, client_id=alice.id, kinds=["payment", "message", "payment", "booking"])
    session.commit()
    assert stored == ["message", "booking", "payment"]
    assert _fresh(session, Client, alice.id).email_notifications == stored
    assert notifications.set_email_preferences(session, client_id=alice.id, kinds=[]) == []
    session.commit()
    assert _fresh(session, Client, alice.id).email_notifications == []


@pytest.mark.parametrize("kinds", [["message", "sms"], ["MESSAGE"], "message", None,
                                   [1], [["message"]]])
def test_unknown_preferences_are_refused_and_change_nothing(session, world, kinds):
    alice, *_ = world
    with pytest.raises(ServiceError) as exc:
        notifications.set_email_preferences(session, client_id=alice.id, kinds=kinds)
    assert exc.value.field == "email_notifications"
    session.rollback()
    assert len(_fresh(session, Client, alice.id).email_notifications) == 5


def test_preferences_of_an_unknown_client_are_not_found(session, world):
    with pytest.raises(NotFound):
        notifications.set_email_preferences(session, client_id=999_999, kinds=["message"])


# --- hooks: invoices, payments, bookings -------------------------------------------------


@pytest.fixture
def staff(session):
    n = next(_seq)
    row = StaffUser(email=f"notify-staff{n}@example.test", full_name=f"Staff {n}",
                    password_hash="not-a-hash")
    session.add(row)
    session.flush()
    return row


@pytest.fixture(autouse=True)
def _no_receipt_pdf(monkeypatch):
    monkeypatch.setattr("portal_app.services.billing.printouts.receipt_pdf_bytes",
                        lambda session, *, payment, invoice, lang="": b"%PDF-1.4 stub")


def _sent_invoice(session, staff, client):
    draft = invoices.save_draft(
        session, staff_id=staff.id, invoice_id=None,
        form={"client_id": client.id, "kind": "invoice"},
        lines=[{"description": "Consultation", "quantity": "1", "unit_price": "80.00"}])
    return invoices.send_invoice(session, staff_id=staff.id, invoice_id=draft.id,
                                 base_url=BASE)


def _notes(session, client_id):
    session.expire_all()
    return list(session.exec(select(Notification).where(Notification.client_id == client_id)
                             .order_by(Notification.id)).all())


def test_sending_an_invoice_adds_an_invoice_line_and_no_extra_email(session, world, staff):
    alice, *_ = world
    invoice = _sent_invoice(session, staff, alice)
    session.commit()

    (note,) = _notes(session, alice.id)
    assert (note.kind, note.link) == ("invoice", f"/payments/invoice?id={invoice.id}")
    assert invoice.number in note.title
    emails = session.exec(select(OutboxMessage)).all()
    assert [e.idempotency_key.split("-")[0] for e in emails] == ["invoice"]

    invoices.send_invoice(session, staff_id=staff.id, invoice_id=invoice.id, base_url=BASE)
    session.commit()
    assert [n.title.split()[0] for n in _notes(session, alice.id)] == ["New", "Reminder:"]
    assert count(session, OutboxMessage) == 2


def test_an_offline_payment_adds_a_payment_line_and_only_the_receipt(session, world, staff):
    alice, *_ = world
    invoice = _sent_invoice(session, staff, alice)
    session.commit()
    before = count(session, OutboxMessage)

    payment = payments.record_offline_payment(
        session, staff_id=staff.id, invoice_id=invoice.id,
        form={"amount": "30.00", "method": "cash"}, base_url=BASE)
    session.commit()

    note = _notes(session, alice.id)[-1]
    assert (note.kind, note.link) == ("payment", f"/payments/receipt?id={payment.id}")
    assert "$30.00" in note.title and invoice.number in note.title
    new = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
    assert [e.idempotency_key for e in new] == [f"receipt-{payment.receipt_number}"]


def test_an_online_payment_adds_a_payment_line_once(session, world, staff):
    alice, *_ = world
    invoice = _sent_invoice(session, staff, alice)
    attempt = checkout.prepare_checkout(session, client_id=alice.id, invoice_id=invoice.id,
                                        amount_text=None, provider="stripe", tab_token="t")
    checkout.open_checkout(session, attempt_id=attempt.id, provider_session_id="cs_n1",
                           url="https://checkout.test/cs_n1")
    session.commit()
    before = count(session, OutboxMessage)
    obj = {"id": "cs_n1", "amount_total": 8000, "currency": "usd", "payment_intent": "pi_1"}

    payment = events.fulfil_checkout(session, provider="stripe", obj=obj, base_url=BASE)
    session.commit()
    again = events.fulfil_checkout(session, provider="stripe", obj=obj, base_url=BASE)
    session.commit()

    assert again.id == payment.id
    paid = [n for n in _notes(session, alice.id) if n.kind == "payment"]
    assert [(n.link, "$80.00" in n.title) for n in paid] == [
        (f"/payments/receipt?id={payment.id}", True)]
    assert count(session, OutboxMessage) == before + 1  # the receipt only


def _booking(session, client, staff) -> Booking:
    service = factories.service(session, providers=[staff], name="Massage")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                      start_at=start, end_at=start + timedelta(hours=1),
                      status=BookingStatus.CONFIRMED)
    session.add(booking)
    session.flush()
    return booking


@pytest.mark.parametrize(("event_name", "headline"), [
    ("confirmed", "Booking confirmed"), ("approved", "Booking confirmed"),
    ("declined", "Request declined"), ("rescheduled", "Booking moved"),
    ("cancelled", "Booking cancelled"),
])
def test_booking_events_add_a_booking_line_and_no_extra_email(session, world, staff,
                                                              event_name, headline):
    alice, *_ = world
    booking = _booking(session, alice, staff)
    session.commit()

    notify_booking(session, booking=booking, event=event_name, base_url=BASE)
    session.commit()

    (note,) = _notes(session, alice.id)
    assert (note.kind, note.link) == ("booking", "/bookings")
    assert note.title.startswith(f"{headline}: Massage, ")
    emails = session.exec(select(OutboxMessage)).all()
    assert [e.idempotency_key.split("-")[0] for e in emails] == ["booking"]


@pytest.mark.parametrize("event_name", ["requested", "rescheduled_pending", "reminder"])
def test_requests_and_reminders_add_no_booking_line(session, world, staff, event_name):
    alice, *_ = world
    booking = _booking(session, alice, staff)
    session.commit()
    notify_booking(session, booking=booking, event=event_name, base_url=BASE)
    session.commit()
    assert _notes(session, alice.id) == []
    assert count(session, OutboxMessage) == 1


def test_a_booking_line_appears_even_without_an_email_address(session, world, staff):
    lonely = Client(full_name="No Email", email="")
    session.add(lonely)
    session.flush()
    booking = _booking(session, lonely, staff)
    session.commit()
    notify_booking(session, booking=booking, event="cancelled", base_url=BASE)
    session.commit()
    assert [n.kind for n in _notes(session, lonely.id)] == ["booking"]
    assert count(session, OutboxMessage) == 0


def test_bell_lines_read_in_the_readers_language_whatever_the_writers(session, world, staff):
    alice, *_ = world
    alice.language = "es"
    session.add(alice)
    invoice = _sent_invoice(session, staff, alice)
    booking = _booking(session, alice, staff)
    notify_booking(session, booking=booking, event="confirmed", base_url=BASE)
    session.commit()
    bill, visit = _notes(session, alice.id)
    assert notifications.title_of(bill, lang="es", zone="UTC") == (
        f"Nueva factura {invoice.number} — 80,00 US$")
    assert notifications.title_of(bill, lang="en", zone="UTC") == (
        f"New invoice {invoice.number} — $80.00")
    assert notifications.title_of(visit, lang="es", zone="UTC").startswith(
        "Reserva confirmada: Massage, ")
    assert notifications.title_of(visit, lang="en", zone="UTC").startswith(
        "Booking confirmed: Massage, ")
