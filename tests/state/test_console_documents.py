"""The documents section of the console's client page, called the way the
websocket (and Reflex's upload endpoint) calls it, with a real staff session
cookie: listing both directions, sharing through the upload handler,
refused shares that store nothing, delete and replace limited to the page's
client, and refusals for anyone who is not staff."""

import dataclasses
import hashlib
import inspect
import io
import json
from pathlib import Path

import pytest
from reflex.istate.data import RouterData
from reflex_components_core.core._upload import UploadFile
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text
from sqlmodel import func, select

import state.console_documents  # noqa: F401  (registers the state before the app does)
from models import AuditEvent, Document, Notification, NotificationKind
from portal_app import routes
from portal_app.providers.storage import get_storage
from portal_app.services import documents
from portal_app.services.documents import IncomingFile
from portal_app.services.sessions import create_ticket, redeem_ticket, revoke_token
from portal_app.settings import get_settings
from portal_app.timeouts import session_timeouts
from state.console_documents import ClientDocumentsState as D
from tests import factories
from tests.state.harness import all_vars, call, new_tab, substate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# --- helpers ------------------------------------------------------------------------------


def staff_token(session):
    staff = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token, staff


def client_token(session):
    account, records = factories.household(session, names=("Outsider",), access="active")
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=records[0].id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


def tab(token, url: str):
    root = new_tab(token)
    data = {**root.router_data, "pathname": url.split("?")[0], "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


def page_of(token, client):
    """The client page's documents section, loaded as the page's on_load does."""
    root = tab(token, routes.console_client(client.id))
    result = call(root, D, "load")
    return root, substate(root, D), result


def upload(name: str, data: bytes) -> UploadFile:
    """What Reflex's upload endpoint hands the handler."""
    return UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def stored_files() -> list[Path]:
    root = get_settings().data_dir / "files"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def live_docs(session, client=None) -> list[Document]:
    session.expire_all()
    query = select(Document).where(Document.deleted_at.is_(None))
    if client is not None:
        query = query.where(Document.client_id == client.id)
    return list(session.exec(query.order_by(Document.id)).all())


def shared(session, staff, client, name="care-plan.pdf", data=PDF) -> Document:
    settings = get_settings()
    (doc,) = documents.share_documents(
        session, staff_id=staff.id, client_id=client.id,
        files=[IncomingFile(filename=name, data=data)], storage=get_storage(settings),
        base_url=settings.base_url, max_file_bytes=settings.upload_max_file_bytes,
        max_request_bytes=settings.upload_max_request_bytes)
    session.commit()
    return doc


def uploaded(session, client, name="intake.pdf", data=PDF) -> Document:
    settings = get_settings()
    (doc,) = documents.upload_documents(
        session, client_id=client.id, files=[IncomingFile(filename=name, data=data)],
        storage=get_storage(settings), base_url=settings.base_url,
        max_file_bytes=settings.upload_max_file_bytes,
        max_request_bytes=settings.upload_max_request_bytes)
    session.commit()
    return doc


def count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def pushes(monkeypatch):
    seen = []
    monkeypatch.setattr("state.console_documents.live.client_changed",
                        lambda client_id, exclude="", about=None: seen.append(("client", client_id)))
    monkeypatch.setattr("state.console_documents.live.staff_changed",
                        lambda exclude="", about=None: seen.append(("staff", exclude)))
    return seen


@pytest.fixture
def world(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    client = factories.client(session, full_name="Dana Client")
    other = factories.client(session, full_name="Eve Other")
    session.commit()
    return {"token": token, "staff": staff, "client": client, "other": other}


# --- listing ------------------------------------------------------------------------------


def test_load_lists_both_directions_with_views_and_the_storage_total(world, session):
    client, staff = world["client"], world["staff"]
    opened = shared(session, staff, client, "opened.pdf")
    unopened = shared(session, staff, client, "unopened.pdf")
    sent = uploaded(session, client, "from-client.txt", b"hello")
    shared(session, staff, world["other"], "not-this-client.pdf")
    documents.record_view(session, document=session.get(Document, opened.id), by="client",
                          actor_id=client.id)
    session.commit()

    root, docs, result = page_of(world["token"], client)
    assert result is None
    by_id = {r["id"]: r for r in docs.shared_rows}
    assert set(by_id) == {str(opened.id), str(unopened.id)}
    assert by_id[str(opened.id)]["viewed"].startswith("Viewed on ")
    assert by_id[str(unopened.id)]["viewed"] == "Not opened yet"
    assert by_id[str(opened.id)]["shared_by"] == staff.full_name
    assert by_id[str(opened.id)]["url"] == f"{routes.API_CONSOLE_DOCUMENT_DOWNLOAD}?id={opened.id}"
    assert [r["id"] for r in docs.uploaded_rows] == [str(sent.id)]
    assert docs.uploaded_rows[0]["filename"] == "from-client.txt"
    assert docs.storage_total == documents.format_size(2 * len(PDF) + len(b"hello"))
    assert "not-this-client" not in all_vars(root)


def test_load_of_an_unknown_client_shows_nothing(world, session):
    shared(session, world["staff"], world["client"], "secret-file.pdf")
    root = tab(world["token"], f"{routes.CONSOLE_CLIENT}?id=99999")
    assert call(root, D, "load") is None
    docs = substate(root, D)
    assert docs.shared_rows == [] and docs.uploaded_rows == [] and docs._client_id == 0
    assert "secret-file" not in all_vars(root)
    # With no client, the dialogs refuse.
    assert "Open a client first." in repr(call(root, D, "open_share"))
    call(root, D, "share", [upload("a.pdf", PDF)])
    assert docs.share_error == "Open a client first."


# --- sharing ------------------------------------------------------------------------------


def test_share_two_files_through_the_upload_handler(world, session, pushes):
    client = world["client"]
    before = stored_files()
    root, docs, _ = page_of(world["token"], client)
    call(root, D, "open_share")
    assert docs.share_open
    call(root, D, "set_share_message", "Your forms, as discussed.")
    result = call(root, D, "share", [upload("consent form.pdf", PDF),
                                     upload("notes.txt", b"Line one\nLine two")])
    assert docs.share_error == "" and not docs.share_open
    assert "Shared 2 files." in repr(result)

    rows = live_docs(session, client)
    assert sorted(d.filename for d in rows) == ["consent form.pdf", "notes.txt"]
    assert {d.direction for d in rows} == {"shared"}
    assert {d.title for d in rows} == {"consent form", "notes"}
    assert {d.shared_by_staff_id for d in rows} == {world["staff"].id}
    assert {d.message for d in rows} == {"Your forms, as discussed."}
    assert len(stored_files()) == len(before) + 2
    storage = get_storage(get_settings())
    assert sorted(storage.read(d.stored_name) for d in rows) == sorted(
        [PDF, b"Line one\nLine two"])
    note = session.exec(select(Notification).where(Notification.client_id == client.id)).one()
    assert note.kind == NotificationKind.DOCUMENT and note.title == "2 new documents"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "document.shared")).one()
    assert {r["filename"] for r in docs.shared_rows} == {"consent form.pdf", "notes.txt"}
    assert pushes == [("client", client.id), ("staff", "tab-token")]


def test_share_one_file_with_a_name(world, session):
    root, docs, _ = page_of(world["token"], world["client"])
    call(root, D, "open_share")
    call(root, D, "set_share_title", "Treatment plan 2025")
    call(root, D, "share", [upload("scan_0001.pdf", PDF)])
    [doc] = live_docs(session, world["client"])
    assert doc.title == "Treatment plan 2025" and doc.filename == "scan_0001.pdf"


@pytest.mark.parametrize("files,says", [
    ([("ok.pdf", PDF), ("evil.pdf", b"MZ\x90\x00not a pdf at all")], "evil.pdf"),
    ([("program.exe", b"MZ\x90\x00")], "not an allowed type"),
    ([("big.txt", b"a" * 1001)], "larger than"),
    ([("one.txt", b"a" * 800), ("two.txt", b"b" * 800)], "add up to more than"),
    ([], "Choose a file."),
], ids=["fake-pdf", "wrong-type", "file-too-big", "request-too-big", "no-file"])
def test_a_refused_share_says_why_and_stores_nothing(world, session, pushes, monkeypatch,
                                                     files, says):
    small = dataclasses.replace(get_settings(), upload_max_file_bytes=1000,
                                upload_max_request_bytes=1500)
    monkeypatch.setattr("state.console_documents.get_settings", lambda: small)
    before = stored_files()
    root, docs, _ = page_of(world["token"], world["client"])
    call(root, D, "open_share")
    call(root, D, "share", [upload(name, data) for name, data in files])
    assert says in docs.share_error and docs.share_open
    assert count(session, Document) == 0 and count(session, Notification) == 0
    assert stored_files() == before and pushes == []


# --- delete and replace -------------------------------------------------------------------


def test_delete_removes_the_document_and_its_file(world, session, pushes):
    doc = shared(session, world["staff"], world["client"], "old.pdf")
    path = get_settings().data_dir / "files" / doc.stored_name
    assert path.exists()
    root, docs, _ = page_of(world["token"], world["client"])
    result = call(root, D, "delete_document", str(doc.id))
    assert "was deleted" in repr(result)
    assert live_docs(session, world["client"]) == [] and not path.exists()
    assert docs.shared_rows == []
    assert pushes == [("client", world["client"].id), ("staff", "tab-token")]


def test_delete_of_another_clients_document_is_refused(world, session, pushes):
    theirs = shared(session, world["staff"], world["other"], "theirs.pdf")
    mine = shared(session, world["staff"], world["client"], "mine.pdf")
    files, audits = stored_files(), count(session, AuditEvent)
    root, docs, _ = page_of(world["token"], world["client"])
    for forged in (str(theirs.id), "99999", "nonsense", str(-mine.id)):
        result = call(root, D, "delete_document", forged)
        assert documents.NO_DOCUMENT in repr(result)
    assert [d.id for d in live_docs(session)] == [theirs.id, mine.id]
    assert stored_files() == files and pushes == []
    assert count(session, AuditEvent) == audits


def test_replace_swaps_in_the_new_file_under_the_same_title(world, session, pushes):
    old = shared(session, world["staff"], world["client"], "plan.pdf")
    old_path = get_settings().data_dir / "files" / old.stored_name
    root, docs, _ = page_of(world["token"], world["client"])
    call(root, D, "open_replace", str(old.id))
    assert docs.replace_open and docs.replace_info == {"title": "plan", "filename": "plan.pdf"}
    result = call(root, D, "replace", [upload("plan-v2.pdf", PDF + b"%v2\n")])
    assert docs.replace_error == "" and not docs.replace_open
    assert "was replaced" in repr(result)
    [new] = live_docs(session, world["client"])
    assert new.id != old.id and new.title == "plan" and new.filename == "plan-v2.pdf"
    assert session.get(Document, old.id).replaced_by_id == new.id
    assert not old_path.exists()
    assert get_storage(get_settings()).read(new.stored_name) == PDF + b"%v2\n"
    assert [r["id"] for r in docs.shared_rows] == [str(new.id)]
    notes = session.exec(select(Notification).where(
        Notification.client_id == world["client"].id)).all()
    assert any(n.title == "Updated document: plan" for n in notes)
    assert pushes == [("client", world["client"].id), ("staff", "tab-token")]


def test_replace_of_another_clients_document_is_refused(world, session, pushes):
    theirs = shared(session, world["staff"], world["other"], "theirs.pdf")
    files = stored_files()
    root, docs, _ = page_of(world["token"], world["client"])
    result = call(root, D, "open_replace", str(theirs.id))
    assert documents.NO_DOCUMENT in repr(result)
    assert not docs.replace_open and docs._replace_id == 0
    call(root, D, "replace", [upload("new.pdf", PDF)])
    assert docs.replace_error == "Choose a document to replace."
    assert [d.id for d in live_docs(session)] == [theirs.id]
    assert stored_files() == files and pushes == []


def test_replace_after_the_page_moved_to_another_client_is_refused(world, session):
    """The dialog was opened for a document of client A; the tab then loaded client B.
    The id kept from A must not be replaced from B's page."""
    doc_a = shared(session, world["staff"], world["client"], "a.pdf")
    root, docs, _ = page_of(world["token"], world["client"])
    call(root, D, "open_replace", str(doc_a.id))
    data = {**root.router_data, "asPath": routes.console_client(world["other"].id)}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    call(root, D, "load")
    call(root, D, "replace", [upload("new.pdf", PDF)])
    assert docs.replace_error == "Choose a document to replace."
    assert [d.id for d in live_docs(session)] == [doc_a.id]


def test_replace_refuses_uploads_and_more_than_one_file(world, session):
    theirs_upload = uploaded(session, world["client"], "from-client.pdf")
    mine = shared(session, world["staff"], world["client"], "mine.pdf")
    files = stored_files()
    root, docs, _ = page_of(world["token"], world["client"])
    result = call(root, D, "open_replace", str(theirs_upload.id))
    assert "Only documents shared with the client can be replaced." in repr(result)
    call(root, D, "open_replace", str(mine.id))
    call(root, D, "replace", [upload("a.pdf", PDF), upload("b.pdf", PDF)])
    assert docs.replace_error == "Choose one file."
    call(root, D, "replace", [upload("a.exe", b"MZ\x90\x00")])
    assert "not an allowed type" in docs.replace_error and docs.replace_open
    assert [d.id for d in live_docs(session)] == [theirs_upload.id, mine.id]
    assert stored_files() == files


def test_live_refresh_shows_a_new_client_upload(world, session):
    root, docs, _ = page_of(world["token"], world["client"])
    assert docs.uploaded_rows == []
    doc = uploaded(session, world["client"], "fresh.pdf")
    docs._live_refresh()
    assert [r["id"] for r in docs.uploaded_rows] == [str(doc.id)]
    assert docs.uploaded_rows[0]["viewed"] == "New"


# --- refusals -----------------------------------------------------------------------------


def db_digest(engine) -> dict[str, str]:
    out = {}
    with engine.connect() as conn:
        for table in sorted(sa_inspect(conn).get_table_names()):
            rows = [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {table}"))]
            out[table] = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()
    return out


def own_handlers(cls):
    return sorted(name for name in cls.event_handlers
                  if name != "setvar" and name in cls.__dict__)


def forged_args(fn, doc_id: int) -> list:
    args = []
    for _, param in list(inspect.signature(fn).parameters.items())[1:]:
        annotation = str(param.annotation)
        if "UploadFile" in annotation:
            args.append([upload("forged.pdf", PDF)])
        elif "bool" in annotation:
            args.append(True)
        else:
            args.append(str(doc_id))
    return args


@pytest.mark.parametrize("who", ["anonymous", "client", "revoked staff"])
def test_non_staff_callers_are_sent_to_console_sign_in(who, world, engine, session, pushes):
    secret = factories.client(session, full_name="Secretname Q")
    session.commit()
    doc = shared(session, world["staff"], secret, "Secretfile.pdf")
    url = routes.console_client(secret.id)
    if who == "revoked staff":
        # A tab that staff had open (ids in its backend vars), after signing out.
        root, _, _ = page_of(world["token"], secret)
        call(root, D, "open_replace", str(doc.id))
        revoke_token(session, raw_token=world["token"])
        session.commit()
    else:
        root = tab(client_token(session) if who == "client" else None, url)
    before, files = db_digest(engine), stored_files()
    pushes.clear()

    for name in own_handlers(D):
        fn = D.event_handlers[name].fn
        result = call(root, D, name, *forged_args(fn, doc.id))
        assert routes.CONSOLE_LOGIN in repr(result), f"{name} did not refuse {who}"
        assert db_digest(engine) == before, f"{name} changed the database for {who}"
        assert stored_files() == files, f"{name} stored a file for {who}"
        if who != "revoked staff":
            assert "Secret" not in all_vars(root) + repr(result), f"{name} revealed data"
    substate(root, D)._live_refresh()
    if who != "revoked staff":
        assert "Secret" not in all_vars(root)
    assert pushes == []
    assert set(own_handlers(D)) == {
        "load", "open_share", "set_share_open", "set_share_title", "set_share_message",
        "share", "open_replace", "set_replace_open", "replace", "delete_document"}
