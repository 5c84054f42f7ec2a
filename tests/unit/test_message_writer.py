"""A client's message written with the caller's session check (`writer=`, a ClientContext):
the client row is not read again and the conversation is not read first (the counters'
UPDATE checks it is the client's own and open), and every refusal still holds with
nothing written: another household's conversation, a closed one, messaging or uploading
not allowed, a writer for another record. Concurrent sends still count every message and
queue one email."""

import threading

import pytest
from sqlmodel import Session, SQLModel, select

from models import AuditEvent, Conversation, Message, Notification, OutboxMessage, OutboxStatus
from models.base import utcnow
from portal_app.db import make_engine
from portal_app.services import messaging
from portal_app.services.documents import IncomingFile
from portal_app.services.errors import NotAllowed, NotFound
from portal_app.services.permissions import Access
from portal_app.services.sessions import ClientContext, ClientRecord
from tests import factories
from tests.sql import statements_of
from tests.unit.helpers import count

BASE = "http://portal.test"
CONTACT = "hello@studio.test"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def world(session):
    factories.business(session, contact_email=CONTACT)
    _account, (alice, kid) = factories.household(session, names=("Alice", "Kid"))
    _other, (bob,) = factories.household(session, names=("Bob",))
    session.commit()
    return alice, kid, bob


def writer(client, **access) -> ClientContext:
    """What the session check hands a handler for `client` (messaging allowed unless
    said otherwise)."""
    return ClientContext(session_id=1, account_id=client.account_id, email="a@example.test",
                         records=(ClientRecord(client.id, client.full_name),),
                         client_id=client.id,
                         access=Access(**{"messaging": True, **access}))


def start(session, client, subject="Question"):
    conversation = messaging.start_conversation(
        session, client_id=client.id, subject=subject, body="Hello", by="client",
        base_url=BASE, writer=writer(client))
    session.commit()
    return conversation


def send(session, ctx, conversation_id, body="Hi", **kw):
    return messaging.send_message(session, conversation_id=conversation_id, body=body,
                                  by="client", client_id=ctx.client_id, base_url=BASE,
                                  writer=ctx, **kw)


def statements(engine, work) -> list[str]:
    """The statements `work()` sent, each on one line (`tests.sql.statements_of`)."""
    return [" ".join(statement.split()) for statement in statements_of(engine, work)]


def written(session):
    return (count(session, Conversation), count(session, Message),
            count(session, OutboxMessage), count(session, Notification),
            count(session, AuditEvent))


def test_a_reply_moves_the_conversation_first_and_reads_neither_it_nor_the_client(
        session, engine, world):
    alice, *_ = world
    conversation = start(session, alice)
    sent = statements(engine, lambda: send(session, writer(alice), conversation.id))
    # (This new transaction reads the business row; a handler's session check has.)
    sent = [s for s in sent if "FROM business" not in s]
    assert not [s for s in sent if s.startswith("SELECT") and
                ("FROM client" in s or "FROM conversation" in s)]
    assert sent[0].startswith("UPDATE conversation") and "RETURNING" in sent[0]
    assert "conversation.client_id = ?" in sent[0]
    assert "conversation.closed_at IS NULL" in sent[0]
    assert sent[1].startswith("INSERT INTO message")
    # The business's email queued by the first message is still waiting: nothing more.
    assert len(sent) == 3 and "FROM outbox_message" in sent[2]
    session.commit()
    session.expire_all()
    row = session.get(Conversation, conversation.id)
    assert (row.staff_unread, row.client_unread) == (2, 0)
    assert row.client_read_at is not None


def test_the_batched_email_is_queued_in_one_insert_already_delayed(session, engine, world):
    alice, *_ = world
    conversation = start(session, alice)
    session.exec(select(OutboxMessage)).one().status = OutboxStatus.SENT
    session.commit()
    sent = statements(engine, lambda: send(session, writer(alice), conversation.id))
    assert len([s for s in sent if s.startswith("INSERT INTO outbox_message")]) == 1
    assert not [s for s in sent if s.startswith("UPDATE outbox_message")]
    session.commit()
    waiting = session.exec(select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.PENDING)).one()
    assert waiting.to == CONTACT
    assert waiting.next_attempt_at - utcnow() > messaging.EMAIL_BATCH_DELAY * 0.9


def test_a_start_reads_no_client_row_and_writes_the_counts_with_the_conversation(
        session, engine, world):
    alice, *_ = world
    sent = statements(engine, lambda: start(session, alice, subject="Counted"))
    assert not [s for s in sent if s.startswith("SELECT") and "WHERE client.id = ?" in s]
    assert not [s for s in sent if s.startswith("UPDATE conversation")]
    session.expire_all()
    row = session.exec(select(Conversation).where(Conversation.subject == "Counted")).one()
    assert (row.staff_unread, row.client_unread, row.created_by) == (1, 0, "client")
    assert row.client_read_at == row.last_message_at and row.staff_read_at is None


def test_another_households_conversation_or_a_closed_one_is_refused_and_nothing_written(
        session, world):
    alice, kid, bob = world
    bobs = start(session, bob)
    kids = start(session, kid)
    closed = start(session, alice)
    closed.closed_at = utcnow()
    session.add(closed)
    session.commit()
    before = written(session)
    counters = [(c.staff_unread, c.client_unread, c.last_message_at)
                for c in session.exec(select(Conversation).order_by(Conversation.id)).all()]
    for conversation_id in (bobs.id, kids.id, str(bobs.id), 10**9, "abc", None, True):
        with pytest.raises(NotFound):
            send(session, writer(alice), conversation_id)
    with pytest.raises(NotAllowed, match="closed"):
        send(session, writer(alice), closed.id)
    session.rollback()
    session.expire_all()
    assert written(session) == before
    assert [(c.staff_unread, c.client_unread, c.last_message_at)
            for c in session.exec(select(Conversation).order_by(Conversation.id)).all()] \
        == counters


def test_a_writer_without_messaging_or_for_another_record_writes_nothing(session, world):
    alice, kid, _bob = world
    conversation = start(session, alice)
    before = written(session)
    with pytest.raises(NotAllowed):
        send(session, writer(alice, messaging=False), conversation.id)
    with pytest.raises(NotAllowed):
        messaging.start_conversation(session, client_id=alice.id, subject="S", body="B",
                                     by="client", base_url=BASE,
                                     writer=writer(alice, messaging=False))
    # The session check selected Kid: it does not write as Alice.
    with pytest.raises(NotFound):
        messaging.send_message(session, conversation_id=conversation.id, body="Hi",
                               by="client", client_id=alice.id, base_url=BASE,
                               writer=writer(kid))
    session.rollback()
    assert written(session) == before


def test_files_need_the_writers_upload_access(session, world, tmp_path):
    from portal_app.providers.storage import LocalFileStorage

    alice, *_ = world
    conversation = start(session, alice)
    before = written(session)
    limits = {"storage": LocalFileStorage(tmp_path), "max_file_bytes": 10**6,
              "max_request_bytes": 10**7}
    with pytest.raises(NotAllowed) as refused:
        send(session, writer(alice, upload=False), conversation.id,
             files=[IncomingFile("form.pdf", PDF)], **limits)
    assert refused.value.field == "files"
    session.rollback()
    assert written(session) == before
    message = send(session, writer(alice, upload=True), conversation.id,
                   files=[IncomingFile("form.pdf", PDF)], **limits)
    session.commit()
    assert messaging.attachments_for(session, message_ids=[message.id],
                                     client_id=alice.id)[message.id][0].filename == "form.pdf"


def _client_burst(engine, writers=10):
    """`writers` tabs of one client send into one conversation at the same moment."""
    with Session(engine, expire_on_commit=False) as s:
        factories.business(s, contact_email=CONTACT)
        _account, (client,) = factories.household(s, names=("Burst",))
        ctx = writer(client)
        conversation_id = messaging.start_conversation(
            s, client_id=client.id, subject="Burst", body="First", by="client",
            base_url=BASE, writer=ctx).id
        # The first message's email has gone: the burst must queue exactly one more.
        s.exec(select(OutboxMessage)).one().status = OutboxStatus.SENT
        s.commit()
    barrier = threading.Barrier(writers)
    outcomes, lock = [], threading.Lock()

    def reply(n):
        with Session(engine, expire_on_commit=False) as s:
            barrier.wait(timeout=30)
            try:
                send(s, ctx, conversation_id, body=f"Reply {n}")
                s.commit()
                outcome = "sent"
            except Exception as exc:  # reported, not swallowed
                s.rollback()
                outcome = f"error: {exc!r}"
        with lock:
            outcomes.append(outcome)

    workers = [threading.Thread(target=reply, args=(n,)) for n in range(writers)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    with Session(engine) as s:
        conversation = s.get(Conversation, conversation_id)
        waiting = s.exec(select(OutboxMessage).where(
            OutboxMessage.idempotency_key.startswith(f"msgmail-{conversation_id}-staff-"),
            OutboxMessage.status != OutboxStatus.SENT)).all()
        return outcomes, conversation.staff_unread, len(waiting)


def test_concurrent_client_sends_count_every_message_and_queue_one_email_sqlite(engine):
    outcomes, unread, emails = _client_burst(engine)
    assert outcomes == ["sent"] * 10, outcomes
    assert (unread, emails) == (11, 1)


@pytest.mark.postgres
def test_concurrent_client_sends_count_every_message_and_queue_one_email_postgres(pg_url):
    engine = make_engine(pg_url)
    try:
        SQLModel.metadata.create_all(engine)
        outcomes, unread, emails = _client_burst(engine)
    finally:
        engine.dispose()
    assert outcomes == ["sent"] * 10, outcomes
    assert (unread, emails) == (11, 1)
