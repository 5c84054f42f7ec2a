"""The client's conversation list: a one-line preview of each last message,
the unread count, newest activity first, in one statement at any size."""

from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import select

from models import Conversation, Message
from models.base import utcnow
from portal_app.services import messaging
from tests import factories
from tests.sql import statements_of

BASE = "http://portal.test"


@pytest.fixture
def world(session):
    factories.business(session, name="Test Studio")
    staff = factories.staff(session)
    _, (alice,) = factories.household(session, names=("Alice",))
    _, (bob,) = factories.household(session, names=("Bob",))
    session.commit()
    return staff, alice, bob


def test_each_conversation_shows_its_last_message_as_one_short_line(session, world):
    staff, alice, bob = world
    messaging.start_conversation(session, client_id=alice.id, subject="Quiet",
                                 body="First\n\nline   two", by="client", base_url=BASE)
    busy = messaging.start_conversation(session, client_id=alice.id, subject="Busy",
                                        body="Hello", by="client", base_url=BASE)
    messaging.send_message(session, conversation_id=busy.id, body="word " * 40, by="staff",
                           staff_id=staff.id, base_url=BASE)
    messaging.start_conversation(session, client_id=bob.id, subject="Bob's", body="Not yours",
                                 by="client", base_url=BASE)
    session.commit()

    rows = messaging.client_conversation_list(session, client_id=alice.id)

    assert [r.conversation.subject for r in rows] == ["Busy", "Quiet"]
    assert rows[0].last_sender == "staff" and rows[0].unread == 1
    assert len(rows[0].preview) == messaging.PREVIEW_CHARS
    assert rows[0].preview.startswith("word word") and rows[0].preview.endswith("…")
    assert (rows[1].preview, rows[1].last_sender, rows[1].unread) == ("First line two",
                                                                       "client", 0)
    messaging.mark_read(session, conversation_id=busy.id, by="client", client_id=alice.id)
    assert messaging.client_conversation_list(session, client_id=alice.id)[0].unread == 0


def test_preview_text_keeps_short_text_and_cuts_long_text():
    assert messaging.conversations.preview_text("  a\tb\n") == "a b"
    assert messaging.conversations.preview_text("x" * 80) == "x" * 80
    assert messaging.conversations.preview_text("x" * 81) == "x" * 79 + "…"
    assert messaging.conversations.preview_text(None) == ""


def _grow(session, client_id: int, conversations: int, messages_each: int) -> None:
    now = utcnow()
    session.connection().execute(insert(Conversation), [
        {"client_id": client_id, "subject": f"Subject {i}", "created_by": "client",
         "created_at": now, "last_message_at": now + timedelta(seconds=i),
         "client_unread": i % 2, "staff_unread": 0} for i in range(conversations)])
    ids = session.exec(select(Conversation.id).where(Conversation.client_id == client_id)).all()
    session.connection().execute(insert(Message), [
        {"conversation_id": cid, "sender": "staff" if n % 2 else "client",
         "body": f"message {n} of {cid}", "created_at": now}
        for cid in ids for n in range(messages_each)])
    session.commit()


def test_the_list_is_one_statement_however_many_conversations(engine, session, world):
    _, alice, bob = world
    alice_id, bob_id = alice.id, bob.id
    _grow(session, alice_id, 3, 2)
    _grow(session, bob_id, 120, 5)
    session.expire_all()

    def listing(client_id, into):
        return lambda: into.extend(
            (r.conversation.subject, r.preview, r.unread)
            for r in messaging.client_conversation_list(session, client_id=client_id))

    small, large = [], []
    small_sql = statements_of(engine, listing(alice_id, small))
    session.expire_all()
    large_sql = statements_of(engine, listing(bob_id, large))

    assert [row[0] for row in small] == ["Subject 2", "Subject 1", "Subject 0"]
    assert [row[2] for row in small] == [0, 1, 0]
    assert all(row[1].startswith("message 1 of ") for row in small)  # the last of each
    assert len(large) == 100 and all(row[1].startswith("message 4 of ") for row in large)
    assert len(small_sql) == len(large_sql) == 1, large_sql
