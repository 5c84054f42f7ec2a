"""Files sent with messages (both sides): linked to their message, refused with a
reason and nothing written, kept within the household; and the session checks a text
reply and a reply with files cost."""

from sqlmodel import select

from models import Conversation, Document, Message
from portal_app.providers.storage import get_storage
from portal_app.services import documents, messaging
from portal_app.services.documents import IncomingFile
from portal_app.services.errors import NotFound
from portal_app.settings import get_settings
from state.documents import DocumentsState
from state.messages import MessagesState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import all_vars, call, new_tab, signed_in_client, substate, tab_at
from tests.state.test_document_and_message_rules import PDF, _count, _stored_files, _upload


def _conversation_tab(session, token, client):
    conversation = messaging.start_conversation(
        session, client_id=client.id, subject="Forms", body="Which forms?", by="client",
        base_url="http://x")
    session.commit()
    tab = tab_at(token, f"/messages?c={conversation.id}")
    call(tab, MessagesState, "load")
    return conversation, tab


def test_a_message_with_two_files_links_both_to_it(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Attacher")
    conversation, tab = _conversation_tab(session, token, client)
    before = _stored_files()
    call(tab, MessagesState, "send", [_upload("intake.pdf", PDF), _upload("notes.txt", b"hi")],
         {"body": "Both forms, signed."})
    view = substate(tab, MessagesState)
    assert view.errors == {} and view.reply_key == 1  # the box empties
    message = session.exec(select(Message).order_by(Message.id.desc())).first()
    assert message.body == "Both forms, signed." and message.conversation_id == conversation.id
    docs = session.exec(select(Document).order_by(Document.id)).all()
    assert [(d.filename, d.conversation_message_id, d.direction, d.client_id) for d in docs] == [
        ("intake.pdf", message.id, "uploaded", client.id),
        ("notes.txt", message.id, "uploaded", client.id)]
    assert len(_stored_files()) == len(before) + 2
    files = view._shown()[-1]["files"]
    assert [f["name"] for f in files] == ["intake.pdf", "notes.txt"]
    assert files[0]["url"] == f"/api/documents/download?id={docs[0].id}"
    assert view._shown()[0]["files"] == []


def test_compose_new_message_with_a_file(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Composer")
    tab = new_tab(token)
    call(tab, MessagesState, "load")
    call(tab, MessagesState, "open_compose")
    call(tab, MessagesState, "start", [_upload("scan.pdf", PDF)],
         {"subject": "My scan", "body": "Attached."})
    view = substate(tab, MessagesState)
    assert view.errors == {} and not view.compose_open
    conversation = session.exec(select(Conversation)).one()
    message = session.exec(select(Message)).one()
    doc = session.exec(select(Document)).one()
    assert conversation.subject == "My scan" and message.body == "Attached."
    assert doc.conversation_message_id == message.id and doc.client_id == client.id
    assert view._shown()[-1]["files"][0]["name"] == "scan.pdf"
    # Without files it works as it always did.
    call(tab, MessagesState, "open_compose")
    call(tab, MessagesState, "start", [], {"subject": "Plain", "body": "Just text."})
    assert _count(session, Conversation) == 2 and _count(session, Document) == 1


def test_a_refused_attachment_says_why_and_writes_nothing(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Careless Sender")
    _, tab = _conversation_tab(session, token, client)
    before = (_count(session, Message), _stored_files())
    call(tab, MessagesState, "send",
         [_upload("ok.pdf", PDF), _upload("evil.pdf", b"MZ\x90\x00not a pdf at all")],
         {"body": "Here"})
    view = substate(tab, MessagesState)
    assert "evil.pdf" in view.errors["reply"] and view.reply_key == 0  # the text stays
    assert (_count(session, Message), _stored_files()) == before
    assert _count(session, Document) == 0
    # In "compose", the refusal shows next to the files and starts nothing.
    call(tab, MessagesState, "open_compose")
    call(tab, MessagesState, "start", [_upload("page.html", b"<html></html>")],
         {"subject": "New", "body": "Text"})
    assert "page.html" in view.errors["files"] and view.compose_open
    assert _count(session, Conversation) == 1 and _count(session, Document) == 0


def test_attaching_without_the_upload_permission_is_refused(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "No Files", upload=False)
    _, tab = _conversation_tab(session, token, client)
    before = (_count(session, Message), _stored_files())
    call(tab, MessagesState, "send", [_upload("a.pdf", PDF)], {"body": "With a file"})
    assert "not available" in substate(tab, MessagesState).errors["reply"]
    assert (_count(session, Message), _stored_files()) == before
    call(tab, MessagesState, "send", [], {"body": "With a file"})
    assert _count(session, Message) == before[0] + 1 and _count(session, Document) == 0


def test_staff_files_show_in_the_thread_and_stay_with_the_household(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Receiver")
    other_token, other = signed_in_client(session, "Snoop")
    conversation, tab = _conversation_tab(session, token, client)
    staff = factories.staff(session)
    settings = get_settings()
    messaging.send_message(
        session, conversation_id=conversation.id, body="Your plan", by="staff",
        staff_id=staff.id, base_url="http://x",
        files=[IncomingFile("plan-for-receiver.pdf", PDF)], storage=get_storage(settings),
        max_file_bytes=settings.upload_max_file_bytes,
        max_request_bytes=settings.upload_max_request_bytes)
    session.commit()
    doc = session.exec(select(Document)).one()
    call(tab, MessagesState, "load")
    row = substate(tab, MessagesState)._shown()[-1]
    assert row["who"] == "Us" and row["files"] == [
        {"id": str(doc.id), "name": "plan-for-receiver.pdf", "size": f"{len(PDF)} bytes",
         "url": f"/api/documents/download?id={doc.id}"}]
    # A file that comes meanwhile shows with the sender's next text reply, whose own
    # row (sent without files) needs no read of files.
    messaging.send_message(
        session, conversation_id=conversation.id, body="And the receipt", by="staff",
        staff_id=staff.id, base_url="http://x", files=[IncomingFile("receipt.pdf", PDF)],
        storage=get_storage(settings), max_file_bytes=settings.upload_max_file_bytes,
        max_request_bytes=settings.upload_max_request_bytes)
    session.commit()
    call(tab, MessagesState, "send_text", "Thanks")
    rows = substate(tab, MessagesState)._shown()
    assert [r["body"] for r in rows[-2:]] == ["And the receipt", "Thanks"]
    assert [f["name"] for f in rows[-2]["files"]] == ["receipt.pdf"] and rows[-1]["files"] == []
    # The download route's ownership check refuses another household.
    assert documents.get_document_for_client(session, client_id=client.id,
                                             document_id=doc.id).id == doc.id
    try:
        documents.get_document_for_client(session, client_id=other.id, document_id=doc.id)
    except NotFound:
        pass
    else:
        raise AssertionError("another household could fetch the attachment")
    # Nor does it show up anywhere in their tabs.
    snoop = tab_at(other_token, f"/messages?c={conversation.id}")
    call(snoop, MessagesState, "load")
    call(snoop, DocumentsState, "load")
    assert "plan-for-receiver" not in all_vars(snoop)


def _session_checks(engine, work) -> int:
    """How many times `work` checked the session cookie: each check reads the access
    generation once (services/session_cache.py; alone, or as a column of the shell's
    statement while the session is kept), then the session only when no kept answer
    stands."""
    return sum(1 for s in statements_of(engine, work) if "FROM access_generation" in s)


def test_a_text_reply_checks_the_session_once_and_a_reply_with_files_before_reading_them(
        engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Counted")
    conversation, tab = _conversation_tab(session, token, client)
    assert _session_checks(engine, lambda: call(tab, MessagesState, "send_text",
                                                "Text only")) == 1
    assert _session_checks(engine, lambda: call(tab, MessagesState, "send", [], {
        "body": "Text through the upload route"})) == 1
    assert _session_checks(engine, lambda: call(tab, MessagesState, "send", [
        _upload("form.pdf", PDF)], {"body": "With a form"})) == 2
    bodies = session.exec(select(Message.body).where(Message.conversation_id == conversation.id)
                          .order_by(Message.id)).all()
    assert bodies[-3:] == ["Text only", "Text through the upload route", "With a form"]


def test_a_reply_without_a_conversation_or_a_session_writes_nothing(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Nowhere")
    tab = new_tab(token)
    call(tab, MessagesState, "load")
    result = call(tab, MessagesState, "send", [], {"body": "Lost words"})
    assert "Choose a conversation first" in repr(result)
    assert "Choose a conversation first" in repr(call(tab, MessagesState, "send_text", "Lost"))
    signed_out = new_tab(None)
    assert "/login" in repr(call(signed_out, MessagesState, "send", [_upload("x.pdf", PDF)],
                                 {"body": "Anonymous"}))
    assert "/login" in repr(call(signed_out, MessagesState, "send_text", "Anonymous"))
    assert "/login" in repr(call(signed_out, MessagesState, "start_text", "Hi", "Anonymous"))
    assert _count(session, Message) == 0 and _count(session, Document) == 0
