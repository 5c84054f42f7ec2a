"""Files attached to secure messages: they follow the document rules (size,
count, type by content, private storage, ownership), are linked to their
message, are refused before anything is written, and download only for the
client they belong to (and staff)."""

import itertools
import warnings
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlmodel import select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import (
    AuditEvent,
    Conversation,
    Document,
    DocumentDirection,
    Message,
    Notification,
    NotificationKind,
    OutboxMessage,
    PortalAccess,
    StaffUser,
)
from portal_app.api.document_routes import (
    API_CONSOLE_DOCUMENT_DOWNLOAD,
    API_DOCUMENT_DOWNLOAD,
    document_routes,
)
from portal_app.providers.storage import LocalFileStorage, get_storage
from portal_app.services import messaging
from portal_app.services.documents import (
    IncomingFile,
    delete_document,
    get_document_for_client,
    list_client_documents,
    replace_document,
)
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from portal_app.services.sessions import COOKIE_NAME, create_ticket, redeem_ticket
from portal_app.settings import get_settings, reset_settings_cache
from portal_app.timeouts import session_timeouts
from tests import factories
from tests.unit.helpers import count
from tests.unit.test_file_checks import EXE, HTML, image_bytes, pdf_bytes

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

MB = 1024 * 1024
LIMITS = {"max_file_bytes": 1 * MB, "max_request_bytes": 2 * MB}
BASE = "http://portal.test"
_seq = itertools.count(1)


# --- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def storage(tmp_path):
    return LocalFileStorage(tmp_path / "files")


@pytest.fixture
def world(session):
    business = factories.business(session, contact_email="hello@studio.test")
    n = next(_seq)
    staff = StaffUser(email=f"att-staff{n}@example.test", full_name=f"Att Staff {n}",
                      password_hash="!unusable")
    session.add(staff)
    alice_account, (alice,) = factories.household(session, names=("Alice",),
                                                  access=PortalAccess.ACTIVE)
    bob_account, (bob,) = factories.household(session, names=("Bob",),
                                              access=PortalAccess.ACTIVE)
    session.commit()
    return {"business": business, "staff": staff, "alice": alice, "bob": bob,
            "alice_account": alice_account, "bob_account": bob_account}


def stored(storage) -> set[str]:
    root = storage.root
    return {p.name for p in root.iterdir()} if root.exists() else set()


def start(session, client, storage=None, files=None, **kw):
    return messaging.start_conversation(
        session, client_id=client.id, subject="Forms", body="Here they are", by="client",
        base_url=BASE, files=files, storage=storage, **({**LIMITS, **kw} if files else kw))


def client_sends(session, world, conversation, storage, files, *, client=None, **kw):
    return messaging.send_message(
        session, conversation_id=conversation.id, body="More files", by="client",
        client_id=(client or world["alice"]).id, base_url=BASE, files=files,
        storage=storage, **{**LIMITS, **kw})


def staff_sends(session, world, conversation, storage, files, **kw):
    return messaging.send_message(
        session, conversation_id=conversation.id, body="Your plan", by="staff",
        staff_id=world["staff"].id, base_url=BASE, files=files, storage=storage,
        **{**LIMITS, **kw})


def totals(session) -> dict[str, int]:
    session.expire_all()
    return {model.__name__: count(session, model)
            for model in (Conversation, Message, Document, Notification, OutboxMessage,
                          AuditEvent)}


@contextmanager
def statements(engine):
    seen: list[str] = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


# --- sending -------------------------------------------------------------------------------


def test_client_files_are_stored_as_uploads_linked_to_the_message(session, world, storage):
    conversation = start(session, world["alice"])
    session.commit()
    before_outbox = count(session, OutboxMessage)
    files = [IncomingFile("Intake form.pdf", pdf_bytes("intake")),
             IncomingFile("../../scan.png", image_bytes("PNG"))]
    message = client_sends(session, world, conversation, storage, files)
    session.commit()

    docs = session.exec(select(Document).order_by(Document.id)).all()
    assert [d.conversation_message_id for d in docs] == [message.id, message.id]
    assert [(d.title, d.filename) for d in docs] == [("Intake form.pdf", "Intake form.pdf"),
                                                     ("scan.png", "scan.png")]
    assert {d.client_id for d in docs} == {world["alice"].id}
    assert {d.direction for d in docs} == {DocumentDirection.UPLOADED}
    assert {d.shared_by_staff_id for d in docs} == {None} and {d.message for d in docs} == {""}
    assert [d.content_type for d in docs] == ["application/pdf", "image/png"]
    assert stored(storage) == {d.stored_name for d in docs}
    assert storage.read(docs[0].stored_name) == files[0].data
    # Private storage: random names, nothing of what the client typed.
    assert all("scan" not in d.stored_name for d in docs)
    (audit,) = session.exec(select(AuditEvent).where(
        AuditEvent.action == "document.uploaded")).all()
    assert audit.actor_kind == "client" and audit.actor_id == world["alice"].id
    assert audit.detail["message_id"] == message.id
    assert audit.detail["document_ids"] == [d.id for d in docs]
    # No "documents uploaded" email of their own; the message's email covers them.
    keys = session.exec(select(OutboxMessage.idempotency_key)).all()
    assert not [k for k in keys if k.startswith("documents-")]
    assert count(session, OutboxMessage) == before_outbox
    # They are the client's documents too.
    assert {d.id for d in list_client_documents(session, client_id=world["alice"].id)} == {
        d.id for d in docs}


def test_a_new_conversation_carries_files_on_its_first_message(session, world, storage):
    conversation = start(session, world["alice"], storage,
                         [IncomingFile("notes.txt", b"Allergies: none\n")])
    session.commit()
    (message,) = session.exec(select(Message)).all()
    (doc,) = session.exec(select(Document)).all()
    assert message.conversation_id == conversation.id
    assert doc.conversation_message_id == message.id and doc.direction == "uploaded"
    assert doc.content_type == "text/plain"


def test_staff_files_are_shared_without_a_documents_notification(session, world, storage):
    conversation = start(session, world["alice"])
    session.commit()
    message = staff_sends(session, world, conversation, storage,
                          [IncomingFile("plan.pdf", pdf_bytes("plan"))])
    session.commit()
    (doc,) = session.exec(select(Document)).all()
    assert doc.conversation_message_id == message.id
    assert doc.direction == DocumentDirection.SHARED
    assert doc.shared_by_staff_id == world["staff"].id and doc.client_id == world["alice"].id
    kinds = session.exec(select(Notification.kind)).all()
    assert kinds == [NotificationKind.MESSAGE]  # the message's bell line only
    keys = session.exec(select(OutboxMessage.idempotency_key)).all()
    assert keys and not [k for k in keys if k.startswith("documents-")]
    (audit,) = session.exec(select(AuditEvent).where(
        AuditEvent.action == "document.shared")).all()
    assert audit.actor_kind == "staff" and audit.actor_id == world["staff"].id
    assert audit.detail["message_id"] == message.id and audit.detail["emailed"] is False


def test_a_message_without_files_needs_no_storage(session, world):
    conversation = start(session, world["alice"])
    message = messaging.send_message(session, conversation_id=conversation.id, body="Hi",
                                     by="client", client_id=world["alice"].id, base_url=BASE,
                                     files=[])
    assert message.id and count(session, Document) == 0
    with pytest.raises(ValueError):
        messaging.send_message(session, conversation_id=conversation.id, body="Hi",
                               by="client", client_id=world["alice"].id, base_url=BASE,
                               files=[IncomingFile("a.txt", b"x")])


# --- refusals store nothing -----------------------------------------------------------------

REFUSED = {
    "program named .pdf": ([IncomingFile("invoice.pdf", EXE)], "not a real PDF"),
    "html page": ([IncomingFile("page.html", HTML)], "not an allowed type"),
    "program": ([IncomingFile("setup.exe", EXE)], "not an allowed type"),
    "empty": ([IncomingFile("empty.pdf", b"")], "is empty"),
    "one file too big": ([IncomingFile("big.txt", b"a" * (MB + 1))], "larger than 1 MB"),
    "request too big": ([IncomingFile(f"p{i}.txt", b"a" * (MB - 10)) for i in range(3)],
                        "add up to more than 2 MB"),
    "too many": ([IncomingFile(f"f{i}.txt", b"x") for i in range(11)], "at most 10 files"),
    "one bad among good": ([IncomingFile("ok.pdf", pdf_bytes()),
                            IncomingFile("evil.txt", b"MZ\x00\x00")], "evil.txt"),
}


@pytest.mark.parametrize("files,expected", REFUSED.values(), ids=REFUSED.keys())
def test_refused_files_leave_no_message_no_document_and_no_file(session, world, storage,
                                                                files, expected):
    conversation = start(session, world["alice"])
    session.commit()
    before = totals(session)
    for send in (client_sends, staff_sends):
        with pytest.raises(ServiceError, match=expected) as refused:
            send(session, world, conversation, storage, files)
        assert refused.value.field == "files"
        session.rollback()
        assert totals(session) == before and stored(storage) == set()
    with pytest.raises(ServiceError, match=expected):
        start(session, world["alice"], storage, files)
    session.rollback()
    assert totals(session) == before and stored(storage) == set()
    assert session.get(Conversation, conversation.id).client_unread == 0


def test_files_checked_before_the_message_is_written(session, world, storage, engine):
    """The refusal comes before any INSERT or UPDATE."""
    conversation = start(session, world["alice"])
    session.commit()
    with statements(engine) as seen, pytest.raises(ServiceError):
        client_sends(session, world, conversation, storage, [IncomingFile("x.pdf", EXE)])
    assert not [s for s in seen if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_a_client_cannot_attach_into_another_households_conversation(session, world, storage):
    theirs = start(session, world["alice"])
    session.commit()
    before = totals(session)
    with pytest.raises(NotFound):
        client_sends(session, world, theirs, storage, [IncomingFile("a.pdf", pdf_bytes())],
                     client=world["bob"])
    session.rollback()
    assert totals(session) == before and stored(storage) == set()


def test_attaching_needs_the_upload_permission_and_the_documents_feature(session, world,
                                                                        storage):
    conversation = start(session, world["alice"])
    world["alice"].perm_upload = False
    session.add(world["alice"])
    session.commit()
    before = totals(session)
    with pytest.raises(NotAllowed, match="Sending files is not available"):
        client_sends(session, world, conversation, storage, [IncomingFile("a.pdf", pdf_bytes())])
    session.rollback()
    assert totals(session) == before and stored(storage) == set()
    # Text alone is still fine.
    client_sends(session, world, conversation, storage, [])
    session.commit()

    world["business"].feature_documents = False
    session.add(world["business"])
    session.commit()
    before = totals(session)
    with pytest.raises(NotAllowed, match="Documents are turned off"):
        staff_sends(session, world, conversation, storage, [IncomingFile("a.pdf", pdf_bytes())])
    session.rollback()
    assert totals(session) == before and stored(storage) == set()


class FailingStorage(LocalFileStorage):
    """Saves one file, then fails (a full disk)."""

    def __init__(self, root):
        super().__init__(root)
        self.saves = 0

    def save(self, data: bytes) -> str:
        self.saves += 1
        if self.saves > 1:
            raise OSError("disk full")
        return super().save(data)


def test_a_storage_failure_removes_the_files_already_written(session, world, tmp_path):
    storage = FailingStorage(tmp_path / "failing")
    conversation = start(session, world["alice"])
    session.commit()
    with pytest.raises(OSError):
        client_sends(session, world, conversation, storage,
                     [IncomingFile("a.pdf", pdf_bytes()), IncomingFile("b.pdf", pdf_bytes())])
    session.rollback()
    assert storage.saves == 2 and stored(storage) == set()
    assert count(session, Document) == 0


# --- reading -------------------------------------------------------------------------------


def test_attachments_for_is_one_query_grouped_by_message(session, world, storage, engine):
    conversation = start(session, world["alice"])
    first = client_sends(session, world, conversation, storage,
                         [IncomingFile("a.pdf", pdf_bytes()), IncomingFile("b.txt", b"b")])
    plain = client_sends(session, world, conversation, storage, [])
    second = staff_sends(session, world, conversation, storage,
                         [IncomingFile("c.pdf", pdf_bytes()), IncomingFile("gone.txt", b"g")])
    gone = session.exec(select(Document).where(Document.filename == "gone.txt")).one()
    delete_document(session, staff_id=world["staff"].id, document_id=gone.id, storage=storage)
    session.commit()

    with statements(engine) as seen:
        found = messaging.attachments_for(session, message_ids=[first.id, plain.id, second.id])
    assert len(seen) == 1
    assert {k: [d.filename for d in v] for k, v in found.items()} == {
        first.id: ["a.pdf", "b.txt"], second.id: ["c.pdf"]}  # deleted ones hidden
    # With client_id, only that client's files.
    assert messaging.attachments_for(session, message_ids=[first.id],
                                     client_id=world["bob"].id) == {}
    with statements(engine) as seen:
        assert messaging.attachments_for(session, message_ids=[]) == {}
    assert seen == []


def test_a_replaced_attachment_stays_on_its_message(session, world, storage):
    conversation = start(session, world["alice"])
    message = staff_sends(session, world, conversation, storage,
                          [IncomingFile("plan.pdf", pdf_bytes("v1"))])
    (old,) = session.exec(select(Document)).all()
    new = replace_document(session, staff_id=world["staff"].id, document_id=old.id,
                           file=IncomingFile("plan-v2.pdf", pdf_bytes("v2")), storage=storage,
                           base_url=BASE, **LIMITS)
    session.commit()
    found = messaging.attachments_for(session, message_ids=[message.id])
    assert [d.id for d in found[message.id]] == [new.id]


# --- ownership on download -------------------------------------------------------------------


@pytest.fixture
def http(monkeypatch, tmp_path):
    """The real download routes, with storage in this test's data dir (request it
    before `session`: the settings must change before the engine is made)."""
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    app = Starlette(routes=document_routes())

    def get(path: str, *, token: str | None = None, **params):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        return TestClient(app, raise_server_exceptions=False).get(path, params=params,
                                                                   headers=headers)

    yield get
    reset_settings_cache()


def _token(session, **kw) -> str:
    token, _ = redeem_ticket(session, raw_ticket=create_ticket(session, **kw),
                             timeouts=session_timeouts())
    session.commit()
    return token


def test_only_the_owner_and_staff_can_download_an_attachment(http, session, world):
    storage = get_storage(get_settings())
    data = pdf_bytes("attached")
    conversation = start(session, world["alice"])
    staff_sends(session, world, conversation, storage, [IncomingFile("plan.pdf", data)])
    session.commit()
    (doc,) = session.exec(select(Document)).all()

    # The service check the client route uses.
    assert get_document_for_client(session, client_id=world["alice"].id,
                                   document_id=doc.id).id == doc.id
    with pytest.raises(NotFound):
        get_document_for_client(session, client_id=world["bob"].id, document_id=doc.id)

    alice = _token(session, kind="client", account_id=world["alice_account"].id,
                   selected_client_id=world["alice"].id)
    bob = _token(session, kind="client", account_id=world["bob_account"].id,
                 selected_client_id=world["bob"].id)
    staff = _token(session, kind="staff", staff_id=world["staff"].id)
    mine = http(API_DOCUMENT_DOWNLOAD, token=alice, id=doc.id)
    assert mine.status_code == 200 and mine.content == data
    assert mine.headers["content-disposition"].startswith("attachment;")
    assert http(API_DOCUMENT_DOWNLOAD, token=bob, id=doc.id).status_code == 404
    assert http(API_DOCUMENT_DOWNLOAD, id=doc.id).status_code == 403
    assert http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=bob, id=doc.id).status_code == 403
    assert http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=staff, id=doc.id).content == data
