"""Forged document, message and notification events from the client side:
another household's ids are refused, permissions hold on the server, a
refused upload stores nothing, and message text stays text."""

import inspect
import io
from pathlib import Path

import pytest
from reflex_components_core.core._upload import UploadFile
from sqlmodel import func, select

from models import Conversation, Document, Message, Notification
from portal_app.providers.storage import get_storage
from portal_app.services import documents, messaging, notifications
from portal_app.services.documents import IncomingFile
from portal_app.settings import get_settings
from state.documents import DocumentsState
from state.messages import MessagesState
from state.session import ClientState
from tests import factories
from tests.state.harness import all_vars, call, new_tab, signed_in_client, substate, tab_at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"




def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def _share(session, client, name="care-plan.pdf", data=PDF):
    staff = factories.staff(session)
    settings = get_settings()
    docs = documents.share_documents(
        session, staff_id=staff.id, client_id=client.id,
        files=[IncomingFile(filename=name, data=data)], storage=get_storage(settings),
        base_url=settings.base_url, max_file_bytes=settings.upload_max_file_bytes,
        max_request_bytes=settings.upload_max_request_bytes)
    session.commit()
    return docs[0], staff


def _upload(name: str, data: bytes) -> UploadFile:
    return UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def _stored_files() -> list[Path]:
    root = get_settings().data_dir / "files"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_documents_page_lists_only_own_documents_with_the_new_badge(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Owner")
    _, victim = signed_in_client(session, "Victim")
    mine, _ = _share(session, client, "mine.pdf")
    theirs, _ = _share(session, victim, "secret-of-victim.pdf")
    tab = new_tab(token)
    call(tab, DocumentsState, "load")
    rows = substate(tab, DocumentsState).rows
    assert [r["id"] for r in rows] == [str(mine.id)] and rows[0]["new"] == "yes"
    assert "secret-of-victim" not in all_vars(tab)
    assert theirs.id  # shared with the other household, never listed here


def test_upload_with_the_permission_stores_files_and_without_it_nothing(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Uploader")
    before = _stored_files()
    tab = new_tab(token)
    call(tab, DocumentsState, "load")
    call(tab, DocumentsState, "set_upload_message", "Two forms, signed.")
    call(tab, DocumentsState, "handle_upload", [_upload("a.pdf", PDF), _upload("b.txt", b"hi")])
    assert substate(tab, DocumentsState).upload_error == ""
    rows = session.exec(select(Document).where(Document.client_id == client.id)).all()
    assert sorted(d.filename for d in rows) == ["a.pdf", "b.txt"]
    assert {d.direction for d in rows} == {"uploaded"}
    assert len(_stored_files()) == len(before) + 2

    no_token, _ = signed_in_client(session, "No Upload", upload=False)
    tab = new_tab(no_token)
    call(tab, DocumentsState, "load")
    call(tab, DocumentsState, "handle_upload", [_upload("c.pdf", PDF)])
    assert "not available" in substate(tab, DocumentsState).upload_error
    assert _count(session, Document) == 2
    assert len(_stored_files()) == len(before) + 2


def test_a_refused_upload_says_why_and_stores_nothing(engine, session):
    factories.business(session)
    token, _ = signed_in_client(session, "Careless")
    before = _stored_files()
    tab = new_tab(token)
    call(tab, DocumentsState, "load")
    call(tab, DocumentsState, "handle_upload",
         [_upload("ok.pdf", PDF), _upload("evil.pdf", b"MZ\x90\x00not a pdf at all")])
    assert "evil.pdf" in substate(tab, DocumentsState).upload_error
    assert _count(session, Document) == 0 and _stored_files() == before


def test_messages_of_another_household_are_refused(engine, session):
    factories.business(session)
    token, _ = signed_in_client(session, "Mallory")
    _, victim = signed_in_client(session, "Victim")
    conversation = messaging.start_conversation(
        session, client_id=victim.id, subject="Private matter", body="Only for us",
        by="client", base_url="http://x")
    session.commit()
    before = _count(session, Message)
    root = tab_at(token, f"/messages?c={conversation.id}")
    call(root, MessagesState, "load")
    assert substate(root, MessagesState).current == {}
    assert "Private matter" not in all_vars(root) and "Only for us" not in all_vars(root)
    call(root, MessagesState, "open_conversation", str(conversation.id))
    assert "Only for us" not in all_vars(root)
    call(root, MessagesState, "send", {"body": "injected"})
    call(root, MessagesState, "send_text", "injected")
    assert _count(session, Message) == before


def test_a_conversation_round_trip_keeps_text_as_text(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Writer")
    tab = new_tab(token)
    call(tab, MessagesState, "load")
    body = "<script>alert(1)</script> **bold** [x](javascript:alert(1))"
    call(tab, MessagesState, "start", {"subject": "Question", "body": body})
    view = substate(tab, MessagesState)
    assert view.current["subject"] == "Question"
    assert view._shown()[-1]["body"] == body and view._shown()[-1]["mine"] == "yes"
    conversation = session.exec(select(Conversation)).one()
    assert conversation.client_id == client.id and conversation.staff_unread == 1
    call(tab, MessagesState, "send", {"body": "   "})
    assert view.errors.get("reply")
    assert _count(session, Message) == 1
    # What the page sends when no file is picked: the text over the websocket.
    key = view.reply_key
    call(tab, MessagesState, "send_text", "   ")
    assert view.errors.get("reply") and view.reply_key == key  # the box keeps its text
    assert _count(session, Message) == 1
    call(tab, MessagesState, "send_text", "A plain <b>reply</b>")
    assert view.errors == {} and view.reply_key == key + 1  # the box empties
    assert view._shown()[-1]["body"] == "A plain <b>reply</b>" and _count(session, Message) == 2
    call(tab, MessagesState, "start_text", "", "No subject")
    assert view.errors.get("subject") and _count(session, Conversation) == 1
    call(tab, MessagesState, "start_text", "Second", "Another question")
    assert view.current["subject"] == "Second" and not view.compose_open
    assert _count(session, Conversation) == 2


def test_messaging_permission_off_refuses_every_handler(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Quiet", messaging=False)
    tab = new_tab(token)
    result = call(tab, MessagesState, "load")
    assert "/dashboard" in repr(result)
    call(tab, MessagesState, "start", {"subject": "Hi", "body": "there"})
    call(tab, MessagesState, "start_text", "Hi", "there")
    assert _count(session, Conversation) == 0


def _forged_args(fn) -> list:
    """An argument for each parameter without a default, shaped by its annotation."""
    args = []
    for param in list(inspect.signature(fn).parameters.values())[1:]:
        if param.default is not inspect.Parameter.empty:
            continue
        annotation = str(param.annotation)
        if "list" in annotation:
            args.append([_upload("forged.pdf", PDF)])
        elif "dict" in annotation:
            args.append({"subject": "Forged", "body": "forged", "title": "Forged"})
        elif "bool" in annotation:
            args.append(True)
        else:
            args.append("1")
    return args


# Form-field setters that only keep this tab's own typing (no database, nothing
# private): unguarded, so a keystroke costs no session check.
TAB_ONLY = {"set_compose_open", "set_draft", "set_compose_subject", "set_compose_body",
            "opened", "set_upload_open", "set_upload_title", "set_upload_message"}


@pytest.mark.parametrize("cls,switch", [
    (DocumentsState, {"business": {"feature_documents": False}}),
    (MessagesState, {"client": {"messaging": False}}),
], ids=["documents-off", "messaging-off"])
def test_every_handler_sends_a_client_without_the_feature_to_the_dashboard(
        engine, session, cls, switch):
    factories.business(session, **switch.get("business", {}))
    token, client = signed_in_client(session, "Barred", **switch.get("client", {}))
    _share(session, client)
    before = (_count(session, Document), _count(session, Conversation),
              _count(session, Message), _stored_files())
    handlers = sorted(n for n in cls.event_handlers
                      if n != "setvar" and n in cls.__dict__ and n not in TAB_ONLY)
    assert handlers
    for name in handlers:
        tab = new_tab(token)
        result = call(tab, cls, name, *_forged_args(cls.event_handlers[name].fn))
        assert "/dashboard" in repr(result), f"{cls.__name__}.{name} did not refuse"
        assert "care-plan" not in all_vars(tab), f"{cls.__name__}.{name} revealed a document"
    assert (_count(session, Document), _count(session, Conversation),
            _count(session, Message), _stored_files()) == before


def test_the_bell_shows_own_notifications_and_refuses_others(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Belle")
    _, victim = signed_in_client(session, "Victim")
    mine = notifications.notify(session, client_id=client.id, kind="document",
                                title="New document: plan", link="/documents",
                                base_url="http://x", email=False)
    theirs = notifications.notify(session, client_id=victim.id, kind="message",
                                  title="Victim secret", link="/messages", base_url="http://x",
                                  email=False)
    session.commit()
    tab = new_tab(token)
    call(tab, ClientState, "open_bell")
    shell = substate(tab, ClientState)
    assert shell.bell_count == 1 and [i["id"] for i in shell.bell_items] == [str(mine.id)]
    assert "Victim secret" not in all_vars(tab)
    call(tab, ClientState, "open_notification", str(theirs.id))
    session.expire_all()
    assert session.get(Notification, theirs.id).read_at is None
    result = call(tab, ClientState, "open_notification", str(mine.id))
    assert "/documents" in repr(result)
    session.expire_all()
    assert session.get(Notification, mine.id).read_at is not None
    assert shell.bell_count == 0


def test_email_choices_are_saved_for_the_selected_record(engine, session):
    from models import Client
    from state.profile import ProfileState

    factories.business(session)
    token, client = signed_in_client(session, "Chooser")
    tab = new_tab(token)
    call(tab, ProfileState, "load")
    assert substate(tab, ProfileState).email_kinds["message"] is True
    call(tab, ProfileState, "save_notifications", {"email_document": "on"})
    session.expire_all()
    saved = session.get(Client, client.id).email_notifications
    assert "message" not in saved and "document" in saved and "invoice" in saved
