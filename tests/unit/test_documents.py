"""Documents: sharing and uploading (rows, files, email, notification, audit),
refusals that store nothing, ownership, views, delete, replace and totals."""

import hashlib
import itertools
import os
import re
import stat
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func
from sqlmodel import select

from models import (
    AuditEvent,
    Document,
    DocumentDirection,
    Notification,
    OutboxMessage,
    PortalAccess,
    StaffUser,
)
from portal_app.providers.storage import LocalFileStorage
from portal_app.services.documents import (
    IncomingFile,
    clean_filename,
    client_document_rows,
    delete_document,
    get_document,
    get_document_for_client,
    list_client_documents,
    new_document_count,
    record_view,
    replace_document,
    share_documents,
    storage_totals,
    upload_documents,
)
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.unit.test_file_checks import (
    EXE,
    HTML,
    MALICIOUS_NAMES,
    image_bytes,
    ooxml_bytes,
    pdf_bytes,
)

MB = 1024 * 1024
BASE_URL = "https://portal.studio.test"
LIMITS = {"max_file_bytes": 10 * MB, "max_request_bytes": 25 * MB}
HEX32 = re.compile(r"^[0-9a-f]{32}$")
_seq = itertools.count(1)


# --- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def storage(data_dir):
    return LocalFileStorage(data_dir / "files")


@pytest.fixture
def world(session):
    business = factories.business(session, contact_email="owner@studio.test")
    n = next(_seq)
    staff = StaffUser(email=f"doc-staff{n}@example.test", full_name=f"Dana Staff {n}",
                      role="owner", password_hash="!unusable")
    session.add(staff)
    account, (alex,) = factories.household(session, access=PortalAccess.ACTIVE)
    other_account, (sam, kim) = factories.household(session, names=("Sam", "Kim"),
                                                    access=PortalAccess.ACTIVE)
    alex.email = "alex.records@example.test"  # the portal sign-in email differs
    session.add(alex)
    session.flush()
    return {"business": business, "staff": staff, "alex": alex, "account": account,
            "sam": sam, "kim": kim, "other_account": other_account}


def files_under(root) -> set[str]:
    """Every file below `root`, as paths relative to it (hidden files included)."""
    found = set()
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


def count(session, model) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def audits(session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)
                             .order_by(AuditEvent.id)).all())


def share(session, world, storage, files, **kw):
    return share_documents(session, staff_id=world["staff"].id, client_id=world["alex"].id,
                           files=files, storage=storage, base_url=BASE_URL,
                           **{**LIMITS, **kw})


def upload(session, client, storage, files, **kw):
    return upload_documents(session, client_id=client.id, files=files, storage=storage,
                            base_url=BASE_URL, **{**LIMITS, **kw})


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


# --- share ---------------------------------------------------------------------------------


def test_share_documents_one_file_stores_row_file_email_notification_and_audit(
        session, world, storage, data_dir):
    body = pdf_bytes("Intake form")

    (doc,) = share(session, world, storage, [IncomingFile("C:\\tmp\\Intake form.pdf", body)],
                   title="  Intake   form 2030 ", message="Please sign page 2.")

    assert doc.id is not None
    assert doc.client_id == world["alex"].id
    assert doc.direction == DocumentDirection.SHARED
    assert doc.title == "Intake form 2030"
    assert doc.filename == "Intake form.pdf"
    assert doc.content_type == "application/pdf"
    assert doc.size_bytes == len(body)
    assert doc.sha256 == hashlib.sha256(body).hexdigest()
    assert doc.message == "Please sign page 2."
    assert doc.shared_by_staff_id == world["staff"].id
    assert doc.view_count == 0 and doc.first_viewed_at is None
    # the bytes, once, directly in the storage root, under the random name
    assert files_under(data_dir) == {f"files/{doc.stored_name}"}
    assert HEX32.match(doc.stored_name)
    assert (data_dir / "files" / doc.stored_name).read_bytes() == body
    assert stat.S_IMODE((data_dir / "files" / doc.stored_name).stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "files").stat().st_mode) == 0o700
    # one email, to the portal sign-in email, with a link and never the file
    (mail,) = session.exec(select(OutboxMessage)).all()
    assert mail.to == world["account"].email
    assert "Intake form 2030" in mail.subject
    assert f"{BASE_URL}/documents" in mail.body_text
    assert f'href="{BASE_URL}/documents"' in mail.body_html
    assert "Please sign page 2." in mail.body_text
    assert mail.attachments == []
    assert "%PDF" not in mail.body_text and "%PDF" not in mail.body_html
    # the bell
    (note,) = session.exec(select(Notification)).all()
    assert (note.client_id, note.kind, note.link) == (world["alex"].id, "document", "/documents")
    assert note.title == "New document: Intake form 2030"
    # the audit trail
    (audit,) = audits(session, "document.shared")
    assert (audit.actor_kind, audit.actor_id, audit.client_id) == (
        "staff", world["staff"].id, world["alex"].id)
    assert audit.detail["document_ids"] == [doc.id]
    assert audit.detail["emailed"] is True


def test_share_documents_several_files_one_email_each_titled_by_name(
        session, world, storage, data_dir):
    files = [IncomingFile("Plan.pdf", pdf_bytes()),
             IncomingFile("scan.png", image_bytes("PNG")),
             IncomingFile("budget.xlsx", ooxml_bytes("xlsx"))]

    docs = share(session, world, storage, files, title="ignored for several files")

    assert [d.title for d in docs] == ["Plan", "scan", "budget"]
    assert [d.content_type for d in docs] == [
        "application/pdf", "image/png",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    assert files_under(data_dir) == {f"files/{d.stored_name}" for d in docs}
    for d, f in zip(docs, files, strict=True):
        assert storage.read(d.stored_name) == f.data
    assert count(session, OutboxMessage) == 1
    mail = session.exec(select(OutboxMessage)).one()
    assert all(t in mail.body_text for t in ("Plan", "scan", "budget"))
    assert "3 new documents" in mail.subject
    (note,) = session.exec(select(Notification)).all()
    assert note.title == "3 new documents"
    assert audits(session, "document.shared")[0].detail["document_ids"] == [d.id for d in docs]


def test_share_documents_client_without_portal_account_gets_record_email(
        session, world, storage):
    plain = factories.client(session, email="plain@example.test")

    share_documents(session, staff_id=world["staff"].id, client_id=plain.id,
                    files=[IncomingFile("a.txt", b"hello")], storage=storage,
                    base_url=BASE_URL, **LIMITS)

    assert session.exec(select(OutboxMessage.to)).one() == "plain@example.test"


def test_share_documents_email_preference_off_sends_no_email_but_notifies(
        session, world, storage):
    world["alex"].email_notifications = ["message", "invoice"]
    session.add(world["alex"])
    session.flush()

    (doc,) = share(session, world, storage, [IncomingFile("a.txt", b"hello")])

    assert count(session, OutboxMessage) == 0
    assert session.exec(select(Notification.title)).one() == "New document: a"
    assert audits(session, "document.shared")[0].detail["emailed"] is False
    assert storage.read(doc.stored_name) == b"hello"


def test_share_documents_unknown_client_is_not_found_and_stores_nothing(
        session, world, storage, data_dir):
    with pytest.raises(NotFound):
        share_documents(session, staff_id=world["staff"].id, client_id="999999",
                        files=[IncomingFile("a.txt", b"x")], storage=storage,
                        base_url=BASE_URL, **LIMITS)

    assert files_under(data_dir) == set()
    assert count(session, Document) == 0


def test_share_documents_message_is_kept_as_text(session, world, storage):
    message = "<b>bold</b> & <script>alert(1)</script>\nline two"

    share(session, world, storage, [IncomingFile("a.txt", b"x")], message=message)

    mail = session.exec(select(OutboxMessage)).one()
    assert "<script>" not in mail.body_html
    assert "&lt;script&gt;" in mail.body_html
    assert session.exec(select(Document.message)).one() == message


# --- upload --------------------------------------------------------------------------------


def test_upload_documents_stores_files_and_emails_the_business(
        session, world, storage, data_dir):
    files = [IncomingFile("../../ID card.jpg", image_bytes("JPEG")),
             IncomingFile("letter.docx", ooxml_bytes("docx"))]

    docs = upload(session, world["alex"], storage, files, message="Here you go")

    assert [d.direction for d in docs] == [DocumentDirection.UPLOADED] * 2
    assert [d.filename for d in docs] == ["ID card.jpg", "letter.docx"]
    assert [d.title for d in docs] == ["ID card", "letter"]
    assert all(d.shared_by_staff_id is None for d in docs)
    assert files_under(data_dir) == {f"files/{d.stored_name}" for d in docs}
    assert [storage.read(d.stored_name) for d in docs] == [f.data for f in files]
    (mail,) = session.exec(select(OutboxMessage)).all()
    assert mail.to == "owner@studio.test"
    assert world["alex"].full_name in mail.subject
    assert f"{BASE_URL}/console/client?id={world['alex'].id}" in mail.body_text
    assert "ID card" in mail.body_text and "letter" in mail.body_text
    assert mail.attachments == []
    assert count(session, Notification) == 0  # the bell is the client's
    (audit,) = audits(session, "document.uploaded")
    assert (audit.actor_kind, audit.client_id) == ("client", world["alex"].id)
    assert audit.detail["document_ids"] == [d.id for d in docs]


def test_upload_documents_without_business_contact_email_sends_nothing(
        session, world, storage):
    world["business"].contact_email = ""
    session.add(world["business"])
    session.flush()

    (doc,) = upload(session, world["alex"], storage, [IncomingFile("a.csv", b"a,b\n1,2\n")],
                    title="Numbers")

    assert doc.title == "Numbers" and doc.content_type == "text/csv"
    assert count(session, OutboxMessage) == 0
    assert audits(session, "document.uploaded")[0].detail["emailed"] is False


# --- malicious names -----------------------------------------------------------------------


def test_share_documents_malicious_names_store_only_inside_the_root(
        session, world, storage, data_dir, tmp_path):
    before = files_under(tmp_path)
    names = [name + ".txt" for name in MALICIOUS_NAMES]
    bodies = [f"file number {i}\n".encode() for i in range(len(names))]
    docs = []
    for start in range(0, len(names), 10):
        docs += share(session, world, storage,
                      [IncomingFile(n, b) for n, b in zip(names[start:start + 10],
                                                          bodies[start:start + 10],
                                                          strict=True)])

    new = files_under(tmp_path) - before
    assert len(new) == len(names) == len(docs)
    for path in new:
        directory, _, name = path.rpartition("/")
        assert directory == "data/files", path
        assert HEX32.match(name), path
    assert (data_dir / "files").resolve().parent == data_dir.resolve()
    for doc, name, body in zip(docs, names, bodies, strict=True):
        assert doc.filename == clean_filename(name)
        assert "/" not in doc.filename and "\\" not in doc.filename
        assert storage.read(doc.stored_name) == body
        assert f"data/files/{doc.stored_name}" in new


# --- refusals store nothing ----------------------------------------------------------------

REFUSALS = {
    "too big": ([IncomingFile("big.pdf", pdf_bytes() + b"0" * (10 * MB))], {},
                "“big.pdf” is larger than 10 MB."),
    "too much in total": ([IncomingFile(f"p{i}.txt", b"a" * (9 * MB)) for i in range(3)], {},
                          "These files add up to more than 25 MB."),
    "wrong type": ([IncomingFile("ok.pdf", pdf_bytes()), IncomingFile("x.exe", EXE)], {},
                   "“x.exe” is not an allowed type"),
    "html named pdf": ([IncomingFile("invoice.pdf", HTML)], {},
                       "“invoice.pdf” is not an allowed type"),
    "too many": ([IncomingFile(f"f{i}.txt", b"x") for i in range(11)], {},
                 "Choose at most 10 files."),
    "none": ([], {}, "Choose a file."),
    "zero bytes": ([IncomingFile("ok.txt", b"fine"), IncomingFile("x.pdf", b"")], {},
                   "“x.pdf” is empty."),
    "long message": ([IncomingFile("ok.txt", b"fine")], {"message": "m" * 2001},
                     "Keep the message under 2,000 characters."),
    "long title": ([IncomingFile("ok.txt", b"fine")], {"title": "t" * 201},
                   "Keep the title under 200 characters."),
}


def _nothing_stored(session, data_dir):
    assert files_under(data_dir) == set()
    for model in (Document, Notification, OutboxMessage, AuditEvent):
        assert count(session, model) == 0, model


@pytest.mark.parametrize("case", list(REFUSALS))
def test_share_documents_refusal_stores_nothing(session, world, storage, data_dir, case):
    files, kw, message = REFUSALS[case]

    with pytest.raises(ServiceError) as refused:
        share(session, world, storage, files, **kw)

    assert refused.value.message.startswith(message)
    _nothing_stored(session, data_dir)


@pytest.mark.parametrize("case", list(REFUSALS))
def test_upload_documents_refusal_stores_nothing(session, world, storage, data_dir, case):
    files, kw, message = REFUSALS[case]

    with pytest.raises(ServiceError) as refused:
        upload(session, world["alex"], storage, files, **kw)

    assert refused.value.message.startswith(message)
    _nothing_stored(session, data_dir)


class FailingStorage(LocalFileStorage):
    """Saves `ok` files, then fails like a full disk."""

    def __init__(self, root, ok: int):
        super().__init__(root)
        self.ok = ok

    def save(self, data: bytes) -> str:
        if self.ok == 0:
            raise OSError(28, "No space left on device")
        self.ok -= 1
        return super().save(data)


def test_share_documents_storage_failure_removes_files_already_written(
        session, world, data_dir):
    storage = FailingStorage(data_dir / "files", ok=2)
    files = [IncomingFile(f"f{i}.txt", b"data") for i in range(3)]

    with pytest.raises(OSError):
        share(session, world, storage, files)

    assert files_under(data_dir) == set()


# --- ownership -----------------------------------------------------------------------------


@pytest.fixture
def shelves(session, world, storage):
    """Documents of Alex, and of the other household's two records (both directions)."""
    mine = share(session, world, storage, [IncomingFile("mine.txt", b"mine")])
    mine += upload(session, world["alex"], storage, [IncomingFile("my-upload.txt", b"up")])
    theirs = []
    for client in (world["sam"], world["kim"]):
        theirs += share_documents(session, staff_id=world["staff"].id, client_id=client.id,
                                  files=[IncomingFile("theirs.txt", b"theirs")],
                                  storage=storage, base_url=BASE_URL, **LIMITS)
        theirs += upload(session, client, storage, [IncomingFile("t-up.txt", b"t")])
    return mine, theirs


def test_get_document_for_client_own_documents_are_found(session, world, shelves):
    mine, _ = shelves

    for doc in mine:
        assert get_document_for_client(session, client_id=world["alex"].id,
                                       document_id=str(doc.id)).id == doc.id


def test_get_document_for_client_every_other_household_document_is_not_found(
        session, world, shelves):
    _, theirs = shelves

    for doc in theirs:
        for raw in (doc.id, str(doc.id)):
            with pytest.raises(NotFound):
                get_document_for_client(session, client_id=world["alex"].id, document_id=raw)


def test_get_document_for_client_other_record_of_same_household_is_not_found(
        session, world, shelves):
    _, theirs = shelves
    kims = [d for d in theirs if d.client_id == world["kim"].id]

    for doc in kims:
        with pytest.raises(NotFound):
            get_document_for_client(session, client_id=world["sam"].id, document_id=doc.id)


@pytest.mark.parametrize("raw", [None, "", "abc", "0", "-1", 0, -5, True, "1.0", "1 OR 1=1",
                                 2**63, "9" * 40, [1], {"id": 1}, 10**6])
def test_get_document_for_client_bad_ids_are_not_found(session, world, shelves, raw):
    with pytest.raises(NotFound):
        get_document_for_client(session, client_id=world["alex"].id, document_id=raw)


def test_deleted_document_is_not_found_for_client_or_staff(session, world, storage, shelves):
    mine, _ = shelves
    delete_document(session, staff_id=world["staff"].id, document_id=mine[0].id,
                    storage=storage)

    with pytest.raises(NotFound):
        get_document_for_client(session, client_id=world["alex"].id, document_id=mine[0].id)
    with pytest.raises(NotFound):
        get_document(session, document_id=mine[0].id)
    assert get_document(session, document_id=mine[1].id).id == mine[1].id


# --- views ---------------------------------------------------------------------------------


def test_record_view_shared_document_counts_only_client_views(session, world, storage):
    (doc,) = share(session, world, storage, [IncomingFile("a.txt", b"x")])

    record_view(session, document=doc, by="staff", actor_id=world["staff"].id, ip="10.0.0.1")
    assert (doc.view_count, doc.first_viewed_at) == (0, None)

    record_view(session, document=doc, by="client", actor_id=world["alex"].id, ip="10.0.0.2")
    first = doc.first_viewed_at
    assert doc.view_count == 1 and first is not None and first.tzinfo is not None
    assert doc.last_viewed_at == first

    record_view(session, document=doc, by="client", actor_id=world["alex"].id)
    assert doc.view_count == 2
    assert doc.first_viewed_at == first
    assert doc.last_viewed_at >= first

    rows = audits(session, "document.downloaded")
    assert [(a.actor_kind, a.detail["counted_as_view"]) for a in rows] == [
        ("staff", False), ("client", True), ("client", True)]
    assert rows[0].ip == "10.0.0.1" and rows[0].detail["document_id"] == doc.id
    assert all(a.client_id == world["alex"].id for a in rows)
    session.expire_all()
    assert session.get(Document, doc.id).view_count == 2


def test_record_view_uploaded_document_counts_only_staff_views(session, world, storage):
    (doc,) = upload(session, world["alex"], storage, [IncomingFile("a.txt", b"x")])

    record_view(session, document=doc, by="client", actor_id=world["alex"].id)
    assert doc.view_count == 0 and doc.first_viewed_at is None

    record_view(session, document=doc, by="staff", actor_id=world["staff"].id)
    assert doc.view_count == 1 and doc.first_viewed_at is not None
    assert len(audits(session, "document.downloaded")) == 2


def test_record_view_refuses_an_unknown_side(session, world, storage):
    (doc,) = share(session, world, storage, [IncomingFile("a.txt", b"x")])

    with pytest.raises(ValueError):
        record_view(session, document=doc, by="anyone", actor_id=None)


def test_new_document_count_counts_unviewed_shared_live_documents(
        session, engine, world, storage):
    docs = share(session, world, storage, [IncomingFile(f"f{i}.txt", b"x") for i in range(4)])
    upload(session, world["alex"], storage, [IncomingFile("mine.txt", b"x")])
    share_documents(session, staff_id=world["staff"].id, client_id=world["sam"].id,
                    files=[IncomingFile("s.txt", b"x")], storage=storage, base_url=BASE_URL,
                    **LIMITS)
    assert new_document_count(session, client_id=world["alex"].id) == 4

    record_view(session, document=docs[0], by="client", actor_id=world["alex"].id)
    record_view(session, document=docs[1], by="staff", actor_id=world["staff"].id)
    delete_document(session, staff_id=world["staff"].id, document_id=docs[2].id,
                    storage=storage)
    session.flush()

    with statements(engine) as seen:
        assert new_document_count(session, client_id=world["alex"].id) == 2
    assert len(seen) == 1
    assert new_document_count(session, client_id=world["sam"].id) == 1


# --- lists and totals ----------------------------------------------------------------------


def test_list_client_documents_newest_first_without_deleted_or_others(
        session, world, storage, shelves):
    mine, _ = shelves
    later = share(session, world, storage, [IncomingFile("later.txt", b"x")])
    delete_document(session, staff_id=world["staff"].id, document_id=mine[0].id,
                    storage=storage)

    listed = list_client_documents(session, client_id=world["alex"].id)

    assert [d.id for d in listed] == [later[0].id, mine[1].id]


def test_client_document_rows_name_who_shared(session, world, storage, shelves):
    rows = client_document_rows(session, client_id=world["alex"].id)

    assert {(r.title, r.direction, r.shared_by) for r in rows} == {
        ("mine", "shared", world["staff"].full_name), ("my-upload", "uploaded", "")}
    assert all(r.size_label.endswith("bytes") for r in rows)


def test_storage_totals_sums_live_documents_per_client_in_one_query(
        session, engine, world, storage):
    a = share(session, world, storage, [IncomingFile("a.txt", b"x" * 100),
                                        IncomingFile("b.txt", b"y" * 50)])
    upload(session, world["alex"], storage, [IncomingFile("c.txt", b"z" * 7)])
    share_documents(session, staff_id=world["staff"].id, client_id=world["sam"].id,
                    files=[IncomingFile("s.txt", b"s" * 30)], storage=storage,
                    base_url=BASE_URL, **LIMITS)
    delete_document(session, staff_id=world["staff"].id, document_id=a[1].id, storage=storage)
    session.flush()

    with statements(engine) as seen:
        totals = storage_totals(session)
    assert len(seen) == 1
    assert totals == {world["alex"].id: 107, world["sam"].id: 30}
    assert storage_totals(session, client_ids=[world["sam"].id, world["kim"].id]) == {
        world["sam"].id: 30}
    assert storage_totals(session, client_ids=[]) == {}


# --- delete and replace --------------------------------------------------------------------


def test_delete_document_soft_deletes_row_and_removes_file(session, world, storage, data_dir):
    keep, gone = share(session, world, storage, [IncomingFile("keep.txt", b"k"),
                                                 IncomingFile("gone.txt", b"g")])

    delete_document(session, staff_id=world["staff"].id, document_id=str(gone.id),
                    storage=storage)
    # The file goes once the deletion commits: a failed commit keeps a live row's file.
    assert files_under(data_dir) == {f"files/{keep.stored_name}", f"files/{gone.stored_name}"}
    session.commit()

    session.expire_all()
    row = session.get(Document, gone.id)
    assert row.deleted_at is not None
    assert files_under(data_dir) == {f"files/{keep.stored_name}"}
    (audit,) = audits(session, "document.deleted")
    assert (audit.actor_id, audit.detail["document_id"]) == (world["staff"].id, gone.id)
    with pytest.raises(NotFound):
        delete_document(session, staff_id=world["staff"].id, document_id=gone.id,
                        storage=storage)


def test_replace_document_new_version_same_title_old_deleted(session, world, storage, data_dir):
    (old,) = share(session, world, storage, [IncomingFile("contract-v1.pdf", pdf_bytes("v1"))],
                   title="Contract")
    session.exec(select(OutboxMessage)).one()
    new_body = pdf_bytes("v2")

    new = replace_document(session, staff_id=world["staff"].id, document_id=old.id,
                           file=IncomingFile("contract-v2.pdf", new_body), storage=storage,
                           base_url=BASE_URL, **LIMITS)
    session.commit()

    session.expire_all()
    old = session.get(Document, old.id)
    assert new.id != old.id
    assert (new.title, new.client_id, new.direction) == ("Contract", old.client_id, "shared")
    assert new.filename == "contract-v2.pdf"
    assert old.replaced_by_id == new.id and old.deleted_at is not None
    assert files_under(data_dir) == {f"files/{new.stored_name}"}
    assert storage.read(new.stored_name) == new_body
    mails = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(mails) == 2
    assert "Updated document" in mails[1].subject and "Contract" in mails[1].subject
    assert f"{BASE_URL}/documents" in mails[1].body_text
    notes = session.exec(select(Notification.title).order_by(Notification.id)).all()
    assert notes == ["New document: Contract", "Updated document: Contract"]
    (audit,) = audits(session, "document.replaced")
    assert audit.detail["replaced_by_id"] == new.id
    assert list_client_documents(session, client_id=world["alex"].id) == [new]


def test_replace_document_bad_file_changes_nothing(session, world, storage, data_dir):
    (old,) = share(session, world, storage, [IncomingFile("a.pdf", pdf_bytes())])
    before = files_under(data_dir)

    with pytest.raises(ServiceError, match="not an allowed type"):
        replace_document(session, staff_id=world["staff"].id, document_id=old.id,
                         file=IncomingFile("a.pdf", EXE), storage=storage,
                         base_url=BASE_URL, **LIMITS)

    assert files_under(data_dir) == before
    assert old.deleted_at is None and old.replaced_by_id is None
    assert count(session, Document) == 1


def test_replace_document_uploaded_document_is_refused(session, world, storage):
    (doc,) = upload(session, world["alex"], storage, [IncomingFile("a.txt", b"x")])

    with pytest.raises(NotAllowed):
        replace_document(session, staff_id=world["staff"].id, document_id=doc.id,
                         file=IncomingFile("b.txt", b"y"), storage=storage,
                         base_url=BASE_URL, **LIMITS)


# --- storage -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../portal.db", "", "A" * 32, "0" * 31, "0" * 33,
                                 "/etc/passwd", "0" * 31 + "/", ".tmp-abc", None, 5,
                                 "0" * 32 + "\n"])
def test_local_file_storage_refuses_names_it_did_not_make(storage, bad):
    with pytest.raises(ValueError):
        storage.read(bad)
    with pytest.raises(ValueError):
        storage.delete(bad)


def test_local_file_storage_round_trip_and_missing_delete(storage, data_dir):
    name = storage.save(b"payload")

    assert HEX32.match(name)
    assert storage.read(name) == b"payload"
    storage.delete(name)
    storage.delete(name)  # already gone is fine
    with pytest.raises(FileNotFoundError):
        storage.read(name)
    assert files_under(data_dir) == set()


def test_local_file_storage_does_not_follow_a_planted_symlink(storage, data_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    name = storage.save(b"x")
    os.replace(data_dir / "files" / name, tmp_path / "moved")
    os.symlink(secret, data_dir / "files" / name)

    with pytest.raises(OSError):
        storage.read(name)
