"""Console messages handlers, called the way the websocket calls them, with a
real staff session cookie: replying, assigning, the inbox's tabs, search and
client filter, paging a long thread, starting a conversation, live reloads,
and refusals for anyone who is not staff."""

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

import state.console_messages  # noqa: F401  (registers the state before the app does)
from models import Conversation, Document, Message, Notification, NotificationKind, OutboxMessage
from portal_app import routes
from portal_app.services import messaging
from portal_app.services.sessions import create_ticket, redeem_ticket, revoke_token
from portal_app.timeouts import session_timeouts
from state.console_messages import InboxState as M
from state.messages import MessagesState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import all_vars, call, new_tab, substate

# --- helpers ------------------------------------------------------------------------------


def staff_token(session, **kwargs):
    staff = factories.staff(session, **kwargs)
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


def tab(token, url: str = routes.CONSOLE_MESSAGES):
    """A new tab whose router is at `url` (path and query), as after navigation."""
    root = new_tab(token)
    data = {**root.router_data, "pathname": url.split("?")[0], "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


def inbox_at(token, url: str = routes.CONSOLE_MESSAGES):
    root = tab(token, url)
    result = call(root, M, "load")
    return root, substate(root, M), result


def client_writes(session, client, subject="Question", body="Hello there"):
    conversation = messaging.start_conversation(session, client_id=client.id, subject=subject,
                                                body=body, by="client", base_url="http://x")
    session.commit()
    return conversation


def fresh(session, model, ident):
    session.expire_all()
    return session.get(model, ident)


def count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def pushes(monkeypatch):
    """What the handlers pushed to open tabs (live.py), instead of pushing."""
    seen = []
    monkeypatch.setattr("state.console_messages.live.client_changed",
                        lambda client_id, exclude="", about=None: seen.append(("client", client_id)))
    monkeypatch.setattr("state.console_messages.live.staff_changed",
                        lambda exclude="", about=None: seen.append(("staff", exclude)))
    return seen


@pytest.fixture
def world(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    client = factories.client(session, full_name="Dana Client")
    session.commit()
    return {"token": token, "staff": staff, "client": client}


# --- the open conversation ------------------------------------------------------------------


def test_reply_adds_a_message_counts_unread_and_notifies_the_client(world, session, pushes):
    client = world["client"]
    conversation = client_writes(session, client, "Parking?", "Where do I park?\nThanks")
    assert fresh(session, Conversation, conversation.id).staff_unread == 1

    root, inbox, result = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    assert result is None
    assert inbox.current["subject"] == "Parking?" and inbox.current["client"] == "Dana Client"
    assert [m["body"] for m in inbox.thread] == ["Where do I park?\nThanks"]
    assert inbox.thread[0]["who"] == "Dana Client" and inbox.thread[0]["mine"] == ""
    # Opening it marks it read for staff (and other console tabs are told).
    assert fresh(session, Conversation, conversation.id).staff_unread == 0
    assert ("staff", "tab-token") in pushes
    pushes.clear()

    key = inbox.reply_key
    assert call(root, M, "send_reply", {"body": "Behind the building."}) is None
    assert inbox.reply_error == "" and inbox.reply_key == key + 1
    reply = session.exec(select(Message).where(Message.sender == "staff")).one()
    assert reply.body == "Behind the building." and reply.sender_staff_id == world["staff"].id
    assert reply.conversation_id == conversation.id
    assert fresh(session, Conversation, conversation.id).client_unread == 1
    note = session.exec(select(Notification).where(Notification.client_id == client.id)).one()
    assert note.kind == NotificationKind.MESSAGE and "Parking?" in note.title
    assert note.link == f"{routes.MESSAGES}?c={conversation.id}"
    # The reply goes out alone, after the page (`thread_tail`): the page is not sent again.
    assert [m["body"] for m in inbox.thread] == ["Where do I park?\nThanks"]
    assert inbox.thread_tail == [{**inbox.thread_tail[-1], "body": "Behind the building.",
                                  "mine": "yes", "who": world["staff"].full_name}]
    assert pushes == [("client", client.id), ("staff", "tab-token")]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, data: bytes) -> UploadFile:
    return UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def test_reply_with_files_shares_them_on_the_message(world, session, pushes):
    client = world["client"]
    conversation = client_writes(session, client, "Plan?", "Can I have my plan?")
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    call(root, M, "set_reply_body", "Here it is.")
    key = inbox.reply_key
    result = call(root, M, "send_reply", [upload("plan.pdf", PDF), upload("notes.txt", b"hi")])
    assert "console-reply-files" in repr(result)  # the picker is emptied
    assert inbox.reply_error == "" and inbox.reply_key == key + 1
    reply = session.exec(select(Message).where(Message.sender == "staff")).one()
    assert reply.body == "Here it is."
    docs = session.exec(select(Document).order_by(Document.id)).all()
    assert [(d.filename, d.conversation_message_id, d.direction, d.client_id,
             d.shared_by_staff_id) for d in docs] == [
        ("plan.pdf", reply.id, "shared", client.id, world["staff"].id),
        ("notes.txt", reply.id, "shared", client.id, world["staff"].id)]
    files = inbox.thread_tail[-1]["files"]
    assert [f["name"] for f in files] == ["plan.pdf", "notes.txt"]
    assert files[0]["url"] == f"{routes.API_CONSOLE_DOCUMENT_DOWNLOAD}?id={docs[0].id}"
    assert inbox.thread[0]["files"] == []
    # The next reply starts empty: the text was sent.
    call(root, M, "send_reply", [])
    assert inbox.reply_error == "Write a message first."


def test_a_refused_reply_file_writes_nothing(world, session, pushes):
    conversation = client_writes(session, world["client"])
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    before = count(session, Message)
    pushes.clear()
    call(root, M, "set_reply_body", "See attached")
    call(root, M, "send_reply", [upload("ok.pdf", PDF), upload("tool.exe", b"MZ\x90\x00")])
    assert "tool.exe" in inbox.reply_error
    assert count(session, Message) == before and count(session, Document) == 0
    assert pushes == []


def test_a_client_sees_the_staff_reply_files_in_the_thread(world, session):
    account, (client,) = factories.household(session, names=("Reader",), access="active")
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=client.id)
    client_cookie, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    conversation = client_writes(session, client, "Results", "Any news?")
    root, _, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    call(root, M, "set_reply_body", "Your results.")
    call(root, M, "send_reply", [upload("results.pdf", PDF)])
    doc = session.exec(select(Document)).one()

    client_tab = tab(client_cookie, f"{routes.MESSAGES}?c={conversation.id}")
    call(client_tab, MessagesState, "load")
    row = substate(client_tab, MessagesState)._shown()[-1]
    assert row["body"] == "Your results." and row["who"] == "Us"
    assert [(f["name"], f["url"]) for f in row["files"]] == [
        ("results.pdf", f"{routes.API_DOCUMENT_DOWNLOAD}?id={doc.id}")]


def test_a_draft_reply_does_not_follow_to_another_conversation(world, session):
    first = client_writes(session, world["client"], "First")
    second = client_writes(session, world["client"], "Second")
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={first.id}")
    call(root, M, "set_reply_body", "Meant for the first")
    root.router_data["asPath"] = f"{routes.CONSOLE_MESSAGES}?c={second.id}"
    root.router = RouterData.from_router_data(root.router_data)
    call(root, M, "load")
    assert inbox.current["id"] == str(second.id)
    call(root, M, "send_reply", [])
    assert inbox.reply_error == "Write a message first."
    assert count(session, Message) == 2


def test_empty_reply_is_refused_next_to_the_form(world, session, pushes):
    conversation = client_writes(session, world["client"])
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    before = count(session, Message)
    pushes.clear()
    call(root, M, "send_reply", {"body": "   "})
    assert inbox.reply_error == "Write a message first."
    assert count(session, Message) == before and pushes == []


def test_reply_without_an_open_conversation_is_refused(world, session):
    client_writes(session, world["client"])
    root, inbox, _ = inbox_at(world["token"])
    before = count(session, Message)
    call(root, M, "send_reply", {"body": "Hello"})
    assert inbox.reply_error == "Choose a conversation first."
    assert count(session, Message) == before


def test_unknown_conversation_shows_the_inbox_with_a_message(world, session):
    client_writes(session, world["client"])
    root, inbox, result = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c=99999")
    assert messaging.NO_CONVERSATION in repr(result)
    assert inbox.current == {} and inbox.thread == [] and len(inbox.rows) == 1


def test_show_earlier_messages_pages_the_thread(world, session):
    conversation = client_writes(session, world["client"], body="message 0")
    for n in range(1, 60):
        messaging.send_message(session, conversation_id=conversation.id, body=f"message {n}",
                               by="client", client_id=world["client"].id, base_url="http://x")
    session.commit()
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    assert len(inbox.thread) == 50 and inbox.has_older
    assert inbox.thread[0]["body"] == "message 10" and inbox.thread[-1]["body"] == "message 59"
    call(root, M, "load_older")
    assert [m["body"] for m in inbox.thread] == [f"message {n}" for n in range(60)]
    assert not inbox.has_older


def test_assign_to_a_colleague_then_unassign(world, session, pushes):
    colleague = factories.staff(session)
    retired = factories.staff(session)
    retired.active = False
    session.add(retired)
    session.commit()
    conversation = client_writes(session, world["client"])
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    assert {o["id"] for o in inbox.staff_options} == {str(world["staff"].id), str(colleague.id)}

    result = call(root, M, "assign", str(colleague.id))
    assert "Assigned to" in repr(result) and colleague.full_name in repr(result)
    assert fresh(session, Conversation, conversation.id).assigned_staff_id == colleague.id
    assert inbox.current["assignee_id"] == str(colleague.id)
    assert inbox.rows[0]["assignee"] == colleague.full_name
    assert ("staff", "tab-token") in pushes

    result = call(root, M, "assign", str(retired.id))
    assert "Choose an active staff member." in repr(result)
    assert fresh(session, Conversation, conversation.id).assigned_staff_id == colleague.id

    call(root, M, "assign", "")
    assert fresh(session, Conversation, conversation.id).assigned_staff_id is None
    assert inbox.current["assignee_id"] == "" and inbox.rows[0]["assignee"] == ""


def test_an_inactive_assignee_still_shows_in_the_select(world, session):
    colleague = factories.staff(session)
    session.commit()
    conversation = client_writes(session, world["client"])
    messaging.assign(session, staff_id=world["staff"].id, conversation_id=conversation.id,
                     assignee_id=colleague.id)
    colleague.active = False
    session.add(colleague)
    session.commit()
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    assert inbox.current["assignee_id"] == str(colleague.id)
    assert {"id": str(colleague.id), "name": "Former staff member"} in inbox.staff_options
    call(root, M, "show", "unread")  # the list reloads; the choice stays
    assert {"id": str(colleague.id), "name": "Former staff member"} in inbox.staff_options


# --- the list -----------------------------------------------------------------------------


def test_filter_tabs_unread_mine_and_unassigned(world, session):
    other = factories.client(session, full_name="Eve Other")
    session.commit()
    unread = client_writes(session, world["client"], "Unread one")
    read = client_writes(session, other, "Read one")
    messaging.mark_read(session, conversation_id=read.id, by="staff")
    messaging.assign(session, staff_id=world["staff"].id, conversation_id=read.id,
                     assignee_id=world["staff"].id)
    session.commit()

    root, inbox, _ = inbox_at(world["token"])
    assert {r["subject"] for r in inbox.rows} == {"Unread one", "Read one"} and inbox.total == 2
    by_subject = {r["subject"]: r for r in inbox.rows}
    assert by_subject["Unread one"]["unread"] == "1" and by_subject["Read one"]["unread"] == ""
    assert by_subject["Unread one"]["client_url"] == routes.console_client(world["client"].id)

    call(root, M, "show", "unread")
    assert [r["id"] for r in inbox.rows] == [str(unread.id)]
    call(root, M, "show", "mine")
    assert [r["id"] for r in inbox.rows] == [str(read.id)]
    call(root, M, "show", "unassigned")
    assert [r["id"] for r in inbox.rows] == [str(unread.id)]
    call(root, M, "show", "bogus")
    assert inbox.view == "all" and inbox.total == 2


def test_search_matches_subject_client_name_and_message_text(world, session):
    other = factories.client(session, full_name="Zed Person")
    session.commit()
    by_subject = client_writes(session, world["client"], "Invoice question", "hello")
    by_body = client_writes(session, world["client"], "Other", "about the blue folder")
    by_name = client_writes(session, other, "Hi", "plain")
    root, inbox, _ = inbox_at(world["token"])

    def found(term):
        call(root, M, "apply_search", {"search": term})
        return {r["id"] for r in inbox.rows}

    assert found("invoice") == {str(by_subject.id)}
    assert found("BLUE FOLDER") == {str(by_body.id)}
    assert found("zed") == {str(by_name.id)}
    assert found("100%") == set()  # literal, not a wildcard
    assert found("") == {str(by_subject.id), str(by_body.id), str(by_name.id)}


def test_client_filter_shows_only_that_client(world, session):
    other = factories.client(session, full_name="Eve Other")
    session.commit()
    mine = client_writes(session, world["client"], "For Dana")
    client_writes(session, other, "For Eve")
    client = world["client"]
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?client={client.id}")
    assert inbox.client_id == str(client.id) and inbox.client_name == "Dana Client"
    assert [r["id"] for r in inbox.rows] == [str(mine.id)]
    assert inbox.rows[0]["url"] == f"{routes.CONSOLE_MESSAGES}?c={mine.id}&client={client.id}"
    call(root, M, "show", "unread")
    assert [r["id"] for r in inbox.rows] == [str(mine.id)]
    call(root, M, "show", "mine")
    assert inbox.rows == []
    call(root, M, "show", "all")
    call(root, M, "apply_search", {"search": "nothing like it"})
    assert inbox.rows == []
    # An unknown client shows everyone's.
    _, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?client=99999")
    assert inbox.client_id == "" and inbox.total == 2


def test_inbox_pages_by_fifty(world, session):
    for n in range(55):
        client_writes(session, world["client"], f"Subject {n}")
    root, inbox, _ = inbox_at(world["token"])
    assert inbox.total == 55 and inbox.pages == 2 and len(inbox.rows) == 50
    call(root, M, "go_to_page", 2)
    assert len(inbox.rows) == 5 and inbox.page == 2
    call(root, M, "go_to_page", "nonsense")
    assert inbox.page == 1


def test_live_refresh_reloads_the_list_and_the_open_thread(world, session):
    conversation = client_writes(session, world["client"], "Live", "first")
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    client_writes(session, world["client"], "Another", "new one")
    messaging.send_message(session, conversation_id=conversation.id, body="second",
                           by="client", client_id=world["client"].id, base_url="http://x")
    session.commit()
    sent = statements_of(session.get_bind(), inbox._live_refresh)
    # The staff list (the authors' names, "Assign to") is read once, not again for the list.
    assert sum(1 for q in sent if "FROM staff_user" in q and "totp_secret" in q) == 1
    # Only the newer message is read and sent, after the page.
    assert [m["body"] for m in inbox.thread] == ["first"]
    assert [m["body"] for m in inbox.thread_tail] == ["second"]
    assert sum(1 for q in sent if "FROM message" in q and "message.id >" in q) == 1
    assert {r["subject"] for r in inbox.rows} == {"Live", "Another"}
    # It is on screen: read.
    assert fresh(session, Conversation, conversation.id).staff_unread == 0


# --- "New message" ------------------------------------------------------------------------


def test_new_message_starts_a_conversation_with_the_chosen_client(world, session, pushes):
    bob = factories.client(session, full_name="Bob Finder")
    factories.client(session, full_name="Carol Else")
    session.commit()
    root, inbox, _ = inbox_at(world["token"])
    call(root, M, "open_compose")
    assert inbox.compose_open and inbox.compose_client == ""
    assert {o["name"] for o in inbox.client_options} >= {"Bob Finder", "Carol Else",
                                                         "Dana Client"}
    call(root, M, "find_clients", {"client_search": "finder"})
    assert [o["name"] for o in inbox.client_options] == ["Bob Finder"]
    call(root, M, "set_compose_client", str(bob.id))
    result = call(root, M, "start", {"subject": "Your results", "body": "All fine.\nSee you"})

    conversation = session.exec(select(Conversation)).one()
    assert conversation.client_id == bob.id and conversation.created_by == "staff"
    assert conversation.assigned_staff_id == world["staff"].id
    assert f"{routes.CONSOLE_MESSAGES}?c={conversation.id}" in repr(result)
    [message] = session.exec(select(Message)).all()
    assert message.body == "All fine.\nSee you" and message.sender == "staff"
    assert fresh(session, Conversation, conversation.id).client_unread == 1
    assert session.exec(select(Notification).where(Notification.client_id == bob.id)).one()
    assert not inbox.compose_open
    assert pushes == [("client", bob.id), ("staff", "tab-token")]


def test_new_message_from_a_client_filter_preselects_that_client(world, session):
    client = world["client"]
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?client={client.id}")
    call(root, M, "open_compose")
    assert inbox.compose_client == str(client.id)
    assert inbox.client_options[0]["id"] == str(client.id)


def test_new_message_refusals_say_why_and_write_nothing(world, session, pushes):
    root, inbox, _ = inbox_at(world["token"])
    call(root, M, "open_compose")
    call(root, M, "start", {"subject": "Hi", "body": "Hello"})
    assert inbox.compose_errors["client_id"] == "Choose a client."
    call(root, M, "set_compose_client", str(world["client"].id))
    call(root, M, "start", {"subject": "  ", "body": "Hello"})
    assert inbox.compose_errors["subject"] == "Enter a subject."
    call(root, M, "start", {"subject": "Hi", "body": ""})
    assert inbox.compose_errors["body"] == "Write a message first."
    call(root, M, "set_compose_client", "99999")
    call(root, M, "start", {"subject": "Hi", "body": "Hello"})
    assert inbox.compose_errors["client_id"] == messaging.NO_CLIENT
    assert count(session, Conversation) == 0 and count(session, Message) == 0
    assert count(session, OutboxMessage) == 0 and pushes == []
    assert inbox.compose_open


def test_message_text_stays_text(world, session):
    body = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))"
    conversation = client_writes(session, world["client"], "<b>Subject</b>", body)
    _, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    assert inbox.thread[0]["body"] == body and inbox.current["subject"] == "<b>Subject</b>"


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


def forged_args(fn, ids: dict) -> list:
    form = {"body": "forged", "subject": "forged", "search": "Secretname",
            "client_search": "Secretname"}
    args = []
    for _, param in list(inspect.signature(fn).parameters.items())[1:]:
        annotation = str(param.annotation)
        if "dict" in annotation:
            args.append(dict(form))
        elif "bool" in annotation:
            args.append(True)
        elif "int" in annotation:
            args.append(1)
        else:
            args.append(str(ids["staff"]))
    return args


@pytest.mark.parametrize("who", ["anonymous", "client", "revoked staff"])
def test_non_staff_callers_are_sent_to_console_sign_in(who, world, engine, session, pushes):
    secret = factories.client(session, full_name="Secretname Q")
    session.commit()
    conversation = client_writes(session, secret, "Secret subject", "Secretbody")
    url = f"{routes.CONSOLE_MESSAGES}?c={conversation.id}&client={secret.id}"
    if who == "revoked staff":
        # A tab that staff had open (ids in its backend vars), after signing out.
        root, _, _ = inbox_at(world["token"], url)
        call(root, M, "open_compose")
        call(root, M, "set_compose_client", str(secret.id))
        revoke_token(session, raw_token=world["token"])
        session.commit()
    else:
        root = tab(client_token(session) if who == "client" else None, url)
    before = db_digest(engine)
    pushes.clear()

    for name in own_handlers(M):
        fn = M.event_handlers[name].fn
        result = call(root, M, name, *forged_args(fn, {"staff": world["staff"].id}))
        assert routes.CONSOLE_LOGIN in repr(result), f"{name} did not refuse {who}"
        assert db_digest(engine) == before, f"{name} changed the database for {who}"
        if who != "revoked staff":
            revealed = all_vars(root) + repr(result)
            assert "Secret" not in revealed, f"{name} revealed data"
    substate(root, M)._live_refresh()
    assert db_digest(engine) == before
    if who != "revoked staff":
        assert "Secret" not in all_vars(root)
    assert pushes == []
    assert set(own_handlers(M)) == {
        "load", "show", "apply_search", "go_to_page", "load_older", "set_reply_body",
        "send_reply", "assign", "open_compose", "set_compose_open", "set_compose_client",
        "find_clients", "start"}

