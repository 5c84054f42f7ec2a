"""Secure messaging: starting and answering conversations, ownership, limits,
unread counters, batched emails that never carry the text, thread paging, the
staff inbox and assignment."""

import itertools
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, insert
from sqlmodel import Session, SQLModel, select

from models import (
    AuditEvent,
    Business,
    Client,
    Conversation,
    Message,
    Notification,
    OutboxMessage,
    OutboxStatus,
)
from models.base import utcnow
from portal_app.db import make_engine
from portal_app.services import messaging, notifications
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.unit.helpers import count

BASE = "http://portal.test"
CONTACT = "hello@studio.test"
_seq = itertools.count(1)


@pytest.fixture
def world(session):
    """Business, one staff member, Alice's household (two records) and Bob; committed,
    so a rollback after a refused call removes only what that call wrote."""
    factories.business(session, name="Test Studio", contact_email=CONTACT)
    staff = factories.staff(session)
    alice_account, (alice, alice_kid) = factories.household(session, names=("Alice", "Kid"))
    bob_account, (bob,) = factories.household(session, names=("Bob",))
    session.commit()
    return staff, alice, alice_kid, bob, alice_account, bob_account


def _start(session, client, *, subject="Question", body="Hello there", by="client",
           staff=None):
    return messaging.start_conversation(
        session, client_id=client.id, subject=subject, body=body, by=by,
        staff_id=staff.id if staff else None, base_url=BASE)


def _staff_says(session, staff, conversation, body):
    return messaging.send_message(session, conversation_id=conversation.id, body=body,
                                  by="staff", staff_id=staff.id, base_url=BASE)


def _client_says(session, client, conversation, body):
    return messaging.send_message(session, conversation_id=conversation.id, body=body,
                                  by="client", client_id=client.id, base_url=BASE)


def _emails(session, *, to=None, prefix="msgmail-"):
    session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(prefix))
    if to is not None:
        query = query.where(OutboxMessage.to == to)
    return list(session.exec(query.order_by(OutboxMessage.id)).all())


def _fresh(session, model, row_id):
    session.expire_all()
    return session.get(model, row_id)


def _written(session):
    return (count(session, Conversation), count(session, Message), count(session, OutboxMessage),
            count(session, Notification), count(session, AuditEvent))


# --- starting and writing ----------------------------------------------------------------


def test_client_start_writes_conversation_message_audit_and_business_email(session, world):
    _staff_member, alice, _kid, _bob, _acc, _ = world

    conv = _start(session, alice, subject="  About   my   invoice ", body="  Can we talk?  ")
    session.commit()

    row = _fresh(session, Conversation, conv.id)
    assert (row.client_id, row.subject, row.created_by, row.assigned_staff_id) == (
        alice.id, "About my invoice", "client", None)
    assert (row.staff_unread, row.client_unread) == (1, 0)
    (message,) = session.exec(select(Message).where(Message.conversation_id == conv.id)).all()
    assert (message.sender, message.body, message.sender_staff_id) == ("client", "Can we talk?",
                                                                        None)
    audit = session.exec(select(AuditEvent).where(
        AuditEvent.action == "conversation.started")).one()
    assert (audit.actor_kind, audit.actor_id, audit.client_id) == ("client", alice.id, alice.id)
    assert "Can we talk" not in str(audit.detail)
    (email,) = _emails(session)
    assert email.to == CONTACT
    assert f"{BASE}/console/messages?c={conv.id}" in email.body_text
    assert "Can we talk" not in email.body_text + email.body_html
    assert count(session, Notification) == 0  # staff have no bell


def test_staff_start_assigns_the_staff_member_and_notifies_the_client(session, world):
    staff, alice, _kid, _bob, alice_account, _ = world

    conv = _start(session, alice, by="staff", staff=staff, subject="Your results",
                  body="The results are in.")
    session.commit()

    row = _fresh(session, Conversation, conv.id)
    assert (row.created_by, row.assigned_staff_id, row.client_unread, row.staff_unread) == (
        "staff", staff.id, 1, 0)
    note = session.exec(select(Notification)).one()
    assert (note.client_id, note.kind, note.title, note.link) == (
        alice.id, "message", "New message: Your results", f"/messages?c={conv.id}")
    (email,) = _emails(session)
    assert email.to == alice_account.email
    assert email.body_text.count(f"{BASE}/messages?c={conv.id}") == 1
    assert "You have new messages from Test Studio about “Your results”" in email.body_text
    assert "results are in" not in email.body_text + email.body_html
    audit = session.exec(select(AuditEvent).where(
        AuditEvent.action == "conversation.started")).one()
    assert (audit.actor_kind, audit.actor_id) == ("staff", staff.id)


def test_staff_start_for_an_unknown_client_is_not_found(session, world):
    staff, *_ = world
    before = _written(session)
    for client_id in (999_999, "abc", None, True):
        with pytest.raises(NotFound):
            messaging.start_conversation(session, client_id=client_id, subject="Hi", body="Hi",
                                         by="staff", staff_id=staff.id, base_url=BASE)
    session.rollback()
    assert _written(session) == before


def test_another_households_conversations_are_not_found_and_nothing_is_written(session,
                                                                                 world):
    staff, alice, kid, bob, _acc, _ = world
    bob_ids = [_start(session, bob, subject=f"Bob {i}").id for i in range(3)]
    bob_ids.append(_start(session, bob, by="staff", staff=staff).id)
    kid_id = _start(session, kid, subject="Kid's").id
    session.commit()
    before = _written(session)
    snapshot = [(c.staff_unread, c.client_unread, c.last_message_at)
                for c in session.exec(select(Conversation).order_by(Conversation.id)).all()]

    # Bob's conversations, another record of Alice's own household, and bad ids.
    for conversation_id in [*bob_ids, kid_id, str(bob_ids[0]), "abc", "", None, 0, -1, True,
                            2**63, 10**9]:
        with pytest.raises(NotFound):
            messaging.get_conversation_for(session, client_id=alice.id,
                                           conversation_id=conversation_id)
        with pytest.raises(NotFound):
            messaging.send_message(session, conversation_id=conversation_id, body="Hi!",
                                   by="client", client_id=alice.id, base_url=BASE)
    # A client message without a client id is refused too.
    with pytest.raises(NotFound):
        messaging.send_message(session, conversation_id=bob_ids[0], body="Hi", by="client",
                               base_url=BASE)
    session.rollback()

    assert _written(session) == before
    assert [(c.staff_unread, c.client_unread, c.last_message_at) for c in
            session.exec(select(Conversation).order_by(Conversation.id)).all()] == snapshot
    assert messaging.thread(session, conversation_id=bob_ids[0], client_id=alice.id) == ([],
                                                                                       False)
    with pytest.raises(NotFound):
        messaging.mark_read(session, conversation_id=bob_ids[0], by="client",
                            client_id=alice.id)


def test_a_client_reads_and_writes_its_own_conversation(session, world):
    _staff_member, alice, *_ = world
    conv = _start(session, alice)
    assert messaging.get_conversation_for(session, client_id=alice.id,
                                          conversation_id=str(conv.id)).id == conv.id
    message = _client_says(session, alice, conv, "Second")
    session.commit()
    assert _fresh(session, Message, message.id).conversation_id == conv.id


def test_client_without_messaging_access_is_refused_and_nothing_is_written(session, world):
    _staff_member, alice, *_ = world
    conv = _start(session, alice)
    alice.perm_messaging = False
    session.add(alice)
    session.commit()
    before = _written(session)

    with pytest.raises(NotAllowed):
        _client_says(session, alice, conv, "Hello?")
    with pytest.raises(NotAllowed):
        _start(session, alice)
    session.rollback()
    assert _written(session) == before


def test_a_closed_conversation_takes_no_more_messages(session, world):
    staff, alice, *_ = world
    conv = _start(session, alice)
    conv.closed_at = utcnow()
    session.add(conv)
    session.commit()
    before = _written(session)
    for by in ("client", "staff"):
        with pytest.raises(NotAllowed):
            messaging.send_message(session, conversation_id=conv.id, body="Hi", by=by,
                                   client_id=alice.id, staff_id=staff.id, base_url=BASE)
    session.rollback()
    assert _written(session) == before


@pytest.mark.parametrize(("subject", "body", "field"), [
    ("", "Hello", "subject"),
    ("   \n ", "Hello", "subject"),
    ("x" * 201, "Hello", "subject"),
    (None, "Hello", "subject"),
    ("Hi", "", "body"),
    ("Hi", "  \n\t ", "body"),
    ("Hi", "y" * 5001, "body"),
    ("Hi", {"not": "text"}, "body"),
])
def test_subject_and_body_limits_name_the_field_and_write_nothing(session, world, subject,
                                                                   body, field):
    staff, alice, *_ = world
    conv = _start(session, alice)
    session.commit()
    before = _written(session)

    with pytest.raises(ServiceError) as exc:
        messaging.start_conversation(session, client_id=alice.id, subject=subject, body=body,
                                     by="client", base_url=BASE)
    assert exc.value.field == field
    if field == "body":
        with pytest.raises(ServiceError) as exc:
            _staff_says(session, staff, conv, body)
        assert exc.value.field == "body"
    session.rollback()
    assert _written(session) == before


def test_limits_allow_exactly_200_and_5000_characters(session, world):
    _staff_member, alice, *_ = world
    conv = _start(session, alice, subject="s" * 200, body="  " + "b" * 5000 + "  ")
    session.commit()
    assert len(_fresh(session, Conversation, conv.id).subject) == 200
    assert [len(m.body) for m in session.exec(select(Message)).all()] == [5000]


# --- unread counters ---------------------------------------------------------------------


def test_unread_counters_on_both_sides_and_mark_read(session, world):
    staff, alice, _kid, bob, *_ = world
    conv = _start(session, alice, body="one")
    _client_says(session, alice, conv, "two")
    _client_says(session, alice, conv, "three")
    other = _start(session, bob, body="bob")
    session.commit()

    row = _fresh(session, Conversation, conv.id)
    assert (row.staff_unread, row.client_unread) == (3, 0)
    assert messaging.unread_for_staff(session) == 4
    assert messaging.unread_for_client(session, client_id=alice.id) == 0

    messaging.mark_read(session, conversation_id=conv.id, by="staff")
    session.commit()
    row = _fresh(session, Conversation, conv.id)
    assert (row.staff_unread, row.staff_read_at is not None) == (0, True)
    assert messaging.unread_for_staff(session) == 1
    assert _fresh(session, Conversation, other.id).staff_unread == 1

    _staff_says(session, staff, conv, "reply 1")
    _staff_says(session, staff, conv, "reply 2")
    second = _start(session, alice, by="staff", staff=staff)
    session.commit()
    assert _fresh(session, Conversation, conv.id).client_unread == 2
    assert messaging.unread_for_client(session, client_id=alice.id) == 3
    assert messaging.unread_for_client(session, client_id=bob.id) == 0

    messaging.mark_read(session, conversation_id=conv.id, by="client", client_id=alice.id)
    session.commit()
    row = _fresh(session, Conversation, conv.id)
    assert (row.client_unread, row.client_read_at is not None, row.staff_unread) == (0, True, 0)
    assert messaging.unread_for_client(session, client_id=alice.id) == 1
    assert _fresh(session, Conversation, second.id).client_unread == 1


def test_writing_marks_the_writers_side_read_and_moves_last_message_at(session, world):
    staff, alice, *_ = world
    conv = _start(session, alice)
    session.commit()
    first_at = _fresh(session, Conversation, conv.id).last_message_at
    _staff_says(session, staff, conv, "reply")
    session.commit()
    row = _fresh(session, Conversation, conv.id)
    assert row.staff_unread == 0 and row.staff_read_at is not None
    assert row.last_message_at > first_at


def test_unread_counter_update_is_one_atomic_statement(session, engine, world):
    """No read-modify-write: the increment happens in SQL."""
    _staff_member, alice, *_ = world
    conv = _start(session, alice)
    session.commit()
    statements = []
    listener = lambda *a, **k: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        _client_says(session, alice, conv, "again")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE CONVERSATION")]
    assert len(updates) == 1
    assert "staff_unread=(conversation.staff_unread + ?)" in updates[0].replace(" = ", "=")


# --- batched emails ----------------------------------------------------------------------


def test_a_burst_of_staff_messages_sends_one_email_without_the_text(session, world):
    staff, alice, _kid, _bob, alice_account, _ = world
    conv = _start(session, alice, subject="Plan")
    session.commit()
    texts = [f"secret detail number {i} xyzzy" for i in range(10)]
    before = utcnow()

    for text in texts:
        _staff_says(session, staff, conv, text)
    session.commit()

    (email,) = _emails(session, to=alice_account.email)
    assert email.status == OutboxStatus.PENDING
    assert email.idempotency_key.startswith(f"msgmail-{conv.id}-client-")
    delay = email.next_attempt_at - before
    assert timedelta(seconds=110) < delay <= timedelta(seconds=130)
    assert timedelta(seconds=120) == messaging.EMAIL_BATCH_DELAY
    for text in texts:
        assert text not in email.body_text and text not in email.body_html
        assert text not in email.subject
    assert "xyzzy" not in email.body_text + email.body_html
    assert f"{BASE}/messages?c={conv.id}" in email.body_text
    # One bell line for the unread conversation, not ten.
    notes = session.exec(select(Notification).where(Notification.client_id == alice.id)).all()
    assert [(n.kind, n.link) for n in notes] == [("message", f"/messages?c={conv.id}")]
    assert _fresh(session, Conversation, conv.id).client_unread == 10


def test_after_the_email_is_sent_a_new_message_queues_a_new_one(session, world):
    staff, alice, _kid, _bob, alice_account, _ = world
    conv = _start(session, alice)
    _staff_says(session, staff, conv, "first")
    session.commit()
    (first,) = _emails(session, to=alice_account.email)
    first.status = OutboxStatus.SENT
    first.sent_at = utcnow()
    session.add(first)
    session.commit()

    _staff_says(session, staff, conv, "second")
    _staff_says(session, staff, conv, "third")
    session.commit()

    emails = _emails(session, to=alice_account.email)
    assert [e.status for e in emails] == [OutboxStatus.SENT, OutboxStatus.PENDING]
    assert emails[0].idempotency_key != emails[1].idempotency_key


def test_a_due_pending_email_does_not_swallow_a_new_message(session, world):
    """Once due, the sender may be delivering it right now: a new message gets its own."""
    staff, alice, _kid, _bob, alice_account, _ = world
    conv = _start(session, alice)
    _staff_says(session, staff, conv, "first")
    session.commit()
    (first,) = _emails(session, to=alice_account.email)
    first.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.add(first)
    session.commit()

    _staff_says(session, staff, conv, "second")
    session.commit()
    assert len(_emails(session, to=alice_account.email)) == 2


def test_batches_are_per_conversation_and_per_side(session, world):
    staff, alice, _kid, _bob, alice_account, _ = world
    one = _start(session, alice, subject="One")
    two = _start(session, alice, subject="Two")
    for conv in (one, two):
        _staff_says(session, staff, conv, "reply")
        _staff_says(session, staff, conv, "reply again")
        _client_says(session, alice, conv, "thanks")
    session.commit()
    assert len(_emails(session, to=alice_account.email)) == 2
    assert len(_emails(session, to=CONTACT)) == 2


def test_client_without_message_emails_gets_the_bell_but_no_email(session, world):
    staff, alice, _kid, _bob, alice_account, _ = world
    notifications.set_email_preferences(session, client_id=alice.id,
                                        kinds=["invoice", "booking"])
    conv = _start(session, alice)
    session.commit()

    _staff_says(session, staff, conv, "reply")
    session.commit()

    assert _emails(session, to=alice_account.email) == []
    note = session.exec(select(Notification).where(Notification.client_id == alice.id)).one()
    assert note.kind == "message"


def test_a_client_without_any_email_gets_the_bell_only(session, world):
    staff, *_ = world
    lonely = Client(full_name="No Email", email="")
    session.add(lonely)
    session.commit()
    _start(session, lonely, by="staff", staff=staff)
    session.commit()
    assert count(session, OutboxMessage) == 0
    assert count(session, Notification) == 1


def test_client_messages_send_one_batched_email_to_the_business(session, world):
    _staff_member, alice, *_ = world
    conv = _start(session, alice, subject="Help", body="private words one")
    for i in range(5):
        _client_says(session, alice, conv, f"private words {i}")
    session.commit()

    (email,) = _emails(session)
    assert email.to == CONTACT
    assert email.idempotency_key.startswith(f"msgmail-{conv.id}-staff-")
    assert f"{BASE}/console/messages?c={conv.id}" in email.body_text
    assert alice.full_name in email.body_text
    assert "private words" not in email.body_text + email.body_html + email.subject
    assert count(session, Notification) == 0


def test_no_business_contact_email_means_no_staff_email(session, world):
    _staff_member, alice, *_ = world
    business = session.exec(select(Business)).one()
    business.contact_email = ""
    session.add(business)
    session.commit()
    _start(session, alice)
    session.commit()
    assert count(session, OutboxMessage) == 0


# --- the thread --------------------------------------------------------------------------


def test_thread_pages_back_from_the_newest(session, world):
    _staff_member, alice, *_ = world
    conv = _start(session, alice, body="m000")
    now = utcnow()
    session.connection().execute(insert(Message), [
        {"conversation_id": conv.id, "sender": "client", "body": f"m{i:03d}",
         "created_at": now + timedelta(seconds=i)} for i in range(1, 120)])
    session.commit()

    page, has_older = messaging.thread(session, conversation_id=conv.id)
    assert [m.body for m in page] == [f"m{i:03d}" for i in range(70, 120)]
    assert has_older is True

    page, has_older = messaging.thread(session, conversation_id=conv.id, before_id=page[0].id)
    assert [m.body for m in page] == [f"m{i:03d}" for i in range(20, 70)]
    assert has_older is True

    page, has_older = messaging.thread(session, conversation_id=conv.id,
                                       before_id=str(page[0].id))
    assert [m.body for m in page] == [f"m{i:03d}" for i in range(20)]
    assert has_older is False

    mine, _ = messaging.thread(session, conversation_id=conv.id, client_id=alice.id, limit=5)
    assert [m.body for m in mine] == [f"m{i:03d}" for i in range(115, 120)]


def test_thread_is_one_statement(session, engine, world):
    _staff_member, alice, *_ = world
    conv = _start(session, alice)
    conversation_id, client_id = conv.id, alice.id
    session.commit()
    session.expire_all()
    statements = []
    listener = lambda *a, **k: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        page, _ = messaging.thread(session, conversation_id=conversation_id,
                                   client_id=client_id)
        [m.body for m in page]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1, statements


def test_client_conversations_newest_activity_first(session, world):
    staff, alice, _kid, bob, *_ = world
    old = _start(session, alice, subject="Old")
    new = _start(session, alice, subject="New")
    _start(session, bob, subject="Bob's")
    session.commit()
    _staff_says(session, staff, old, "bump")
    session.commit()
    rows = messaging.client_conversations(session, client_id=alice.id)
    assert [c.id for c in rows] == [old.id, new.id]
    assert [c.id for c in messaging.client_conversations(session, client_id=alice.id,
                                                         limit=1)] == [old.id]


# --- staff inbox -------------------------------------------------------------------------


def _inbox_ids(session, **kw):
    rows, total = messaging.staff_inbox(session, **kw)
    return [r.conversation.id for r in rows], total


def test_staff_inbox_filters_and_search(session, world):
    staff, alice, _kid, bob, *_ = world
    other = factories.staff(session, full_name="Other Person")
    a1 = _start(session, alice, subject="Invoice question", body="Hello")
    a2 = _start(session, alice, subject="Schedule", body="Can I move 100% of it?")
    b1 = _start(session, bob, subject="Plain_subject", body="nothing special")
    b2 = _start(session, bob, by="staff", staff=staff, subject="Follow-up", body="Checking in")
    messaging.assign(session, staff_id=staff.id, conversation_id=a1.id, assignee_id=other.id)
    messaging.mark_read(session, conversation_id=a2.id, by="staff")
    session.commit()

    all_ids, total = _inbox_ids(session)
    assert set(all_ids) == {a1.id, a2.id, b1.id, b2.id} and total == 4
    assert _inbox_ids(session, unread_only=True) == ([b1.id, a1.id], 2)
    assert _inbox_ids(session, assigned_to=other.id) == ([a1.id], 1)
    assert _inbox_ids(session, assigned_to=str(staff.id)) == ([b2.id], 1)
    assert set(_inbox_ids(session, unassigned=True)[0]) == {a2.id, b1.id}
    assert _inbox_ids(session, search="INVOICE") == ([a1.id], 1)  # subject, any case
    assert set(_inbox_ids(session, search=bob.full_name.split()[0])[0]) == {b1.id, b2.id}
    assert _inbox_ids(session, search="checking") == ([b2.id], 1)  # a message body
    assert _inbox_ids(session, search="100%") == ([a2.id], 1)
    assert _inbox_ids(session, search="%") == ([a2.id], 1)  # literal, not a wildcard
    assert _inbox_ids(session, search="i_n") == ([], 0)  # as a wildcard: "question"
    assert _inbox_ids(session, search="e%t") == ([], 0)  # as a wildcard: almost all
    assert _inbox_ids(session, search="n_") == ([b1.id], 1)
    assert _inbox_ids(session, search="_") == ([b1.id], 1)
    assert _inbox_ids(session, search="nope") == ([], 0)
    assert _inbox_ids(session, unread_only=True, search="hello") == ([a1.id], 1)

    rows, total = messaging.staff_inbox(session, assigned_to=other.id)
    assert (rows[0].client_name, rows[0].assigned_name) == (alice.full_name, "Other Person")
    rows, _ = messaging.staff_inbox(session, search="Plain")
    assert rows[0].assigned_name == ""


def test_staff_inbox_pages_newest_activity_first(session, world):
    staff, alice, *_ = world
    convs = [_start(session, alice, subject=f"S{i}") for i in range(5)]
    session.commit()
    _staff_says(session, staff, convs[0], "bump")
    session.commit()
    assert _inbox_ids(session, per_page=2) == ([convs[0].id, convs[4].id], 5)
    assert _inbox_ids(session, per_page=2, page=2) == ([convs[3].id, convs[2].id], 5)
    assert _inbox_ids(session, per_page=2, page="x")[0] == [convs[0].id, convs[4].id]


@pytest.mark.parametrize("size", [5, 200])
def test_staff_inbox_statement_count_is_constant(session, engine, world, size):
    staff, alice, _kid, bob, *_ = world
    now = utcnow()
    session.connection().execute(insert(Conversation), [
        {"client_id": (alice if i % 2 else bob).id, "subject": f"Subject {i}",
         "assigned_staff_id": staff.id if i % 3 == 0 else None, "created_by": "client",
         "created_at": now, "last_message_at": now + timedelta(seconds=i),
         "client_unread": 0, "staff_unread": i % 2} for i in range(size)])
    conv_ids = session.exec(select(Conversation.id)).all()
    session.connection().execute(insert(Message), [
        {"conversation_id": cid, "sender": "client", "body": f"body {cid}", "created_at": now}
        for cid in conv_ids])
    staff_id = staff.id
    session.commit()
    session.expire_all()
    statements = []
    listener = lambda *a, **k: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        rows, total = messaging.staff_inbox(session)
        [(r.client_name, r.assigned_name, r.conversation.subject) for r in rows]
        searched, _ = messaging.staff_inbox(session, unread_only=True, search="body",
                                            assigned_to=staff_id)
        [(r.client_name, r.assigned_name) for r in searched]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert total == size
    assert len(rows) == min(size, 50)
    assert len(statements) == 4, statements


# --- assignment --------------------------------------------------------------------------


def test_assign_to_an_active_staff_member_and_back_to_no_one(session, world):
    staff, alice, *_ = world
    other = factories.staff(session)
    conv = _start(session, alice)
    session.commit()

    messaging.assign(session, staff_id=staff.id, conversation_id=str(conv.id),
                     assignee_id=str(other.id))
    session.commit()
    assert _fresh(session, Conversation, conv.id).assigned_staff_id == other.id
    messaging.assign(session, staff_id=staff.id, conversation_id=conv.id, assignee_id=None)
    session.commit()
    assert _fresh(session, Conversation, conv.id).assigned_staff_id is None

    audits = session.exec(select(AuditEvent).where(AuditEvent.action == "conversation.assigned")
                          .order_by(AuditEvent.id)).all()
    assert [(a.actor_id, a.detail["assignee_id"], a.detail["previous_assignee_id"])
            for a in audits] == [(staff.id, other.id, None), (staff.id, None, other.id)]


@pytest.mark.parametrize("assignee", ["inactive", 999_999, "abc", True])
def test_assign_refuses_inactive_or_unknown_staff(session, world, assignee):
    staff, alice, *_ = world
    if assignee == "inactive":
        assignee = factories.staff(session, active=False).id
    conv = _start(session, alice)
    session.commit()
    before = _written(session)
    with pytest.raises(ServiceError):
        messaging.assign(session, staff_id=staff.id, conversation_id=conv.id,
                         assignee_id=assignee)
    session.rollback()
    assert _written(session) == before
    assert _fresh(session, Conversation, conv.id).assigned_staff_id is None


def test_assign_an_unknown_conversation_is_not_found(session, world):
    staff, *_ = world
    for conversation_id in (999, "x", None):
        with pytest.raises(NotFound):
            messaging.assign(session, staff_id=staff.id, conversation_id=conversation_id,
                             assignee_id=staff.id)


def test_audit_rows_never_hold_message_text(session, world):
    staff, alice, *_ = world
    before = {a.id for a in session.exec(select(AuditEvent))}  # the world's staff.created
    conv = _start(session, alice, body="very private body")
    _staff_says(session, staff, conv, "very private reply")
    messaging.assign(session, staff_id=staff.id, conversation_id=conv.id, assignee_id=staff.id)
    session.commit()
    audits = [a for a in session.exec(select(AuditEvent)) if a.id not in before]
    assert {a.action for a in audits} == {"conversation.started", "conversation.assigned"}
    assert all("private" not in str(a.detail) for a in audits)


# --- races -------------------------------------------------------------------------------


def _burst_race(engine, writers=10):
    """`writers` staff members reply to one conversation at the same moment."""
    with Session(engine, expire_on_commit=False) as s:
        factories.business(s, contact_email=CONTACT)
        _account, (client,) = factories.household(s, names=("Race",))
        staff_ids = [factories.staff(s).id for _ in range(writers)]
        conversation_id = _start(s, client).id
        s.commit()
    barrier = threading.Barrier(writers)
    outcomes, lock = [], threading.Lock()

    def reply(staff_id):
        with Session(engine, expire_on_commit=False) as s:
            barrier.wait(timeout=30)
            try:
                messaging.send_message(s, conversation_id=conversation_id, body="secret",
                                       by="staff", staff_id=staff_id, base_url=BASE)
                s.commit()
                outcome = "sent"
            except Exception as exc:  # reported, not swallowed
                s.rollback()
                outcome = f"error: {exc!r}"
        with lock:
            outcomes.append(outcome)

    workers = [threading.Thread(target=reply, args=(sid,)) for sid in staff_ids]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    with Session(engine) as s:
        conversation = s.get(Conversation, conversation_id)
        client_emails = s.exec(select(OutboxMessage).where(
            OutboxMessage.idempotency_key.startswith(f"msgmail-{conversation_id}-client-"))).all()
        bell = s.exec(select(Notification)).all()
        return outcomes, conversation.client_unread, len(client_emails), len(bell)


def test_concurrent_replies_count_every_message_and_queue_one_email_sqlite(engine):
    outcomes, unread, emails, bell = _burst_race(engine)
    assert outcomes == ["sent"] * 10, outcomes
    assert (unread, emails, bell) == (10, 1, 1)


@pytest.mark.postgres
def test_concurrent_replies_count_every_message_and_queue_one_email_postgres(pg_url):
    engine = make_engine(pg_url)
    try:
        SQLModel.metadata.create_all(engine)
        outcomes, unread, emails, bell = _burst_race(engine)
    finally:
        engine.dispose()
    assert outcomes == ["sent"] * 10, outcomes
    assert (unread, emails, bell) == (10, 1, 1)
