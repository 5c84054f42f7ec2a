"""What "send a message" costs and whom it pushes to (issue 18): a fixed number of
statements however long the thread is; the sender's own tab shows the message from
its own answer and is not pushed a refresh; the client's other tabs and the console
are pushed one about messages; the counts and the list stay right."""

import asyncio

from sqlmodel import select

from models import Conversation, Message
from portal_app import live, live_coalesce
from portal_app.services import messaging
from state.messages import MessagesState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import call, signed_in_client, substate, tab_at

BASE = "http://portal.test"
# A text reply: the session check (the access generation with the shell's counts, one
# statement while the session is kept); the conversation's counters, one UPDATE that is
# also the check that it is the client's own and open (the client's access is the
# session check's: the client row is not read); the message; whether the business's "new
# messages" email is already waiting (it is, after the first message: no more); the
# messages newer than the page shows. Their files are not read when the only new one is
# the message just sent without files; the conversation's bell lines are marked read
# only when a message of ours came with them (then one UPDATE more: an unread bell line
# of another conversation costs nothing). The list is not read again.
# (Was 7, and 8 with another conversation's bell line unread.)
SEND_STATEMENTS = 5

def _thread(session, client, staff, replies: int):
    conversation = messaging.start_conversation(session, client_id=client.id, subject="Plan",
                                                body="Hello", by="client", base_url=BASE)
    for n in range(replies):
        messaging.send_message(session, conversation_id=conversation.id, body=f"Reply {n}",
                               by="staff", staff_id=staff.id, base_url=BASE)
    session.commit()
    return conversation


def _send(engine, tab, text: str) -> list[str]:
    """What "Send message" costs with no file picked (the page's websocket event)."""
    return statements_of(engine, lambda: call(tab, MessagesState, "send_text", text))


def test_a_send_costs_the_same_few_statements_however_long_the_thread(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Counted")
    short = _thread(session, client, staff, replies=2)
    long = _thread(session, client, staff, replies=120)
    costs = []
    for conversation in (short, long):
        tab = tab_at(token, f"/messages?c={conversation.id}")
        call(tab, MessagesState, "load")
        # The other conversation's bell line is unread while the short one is open.
        assert (substate(tab, MessagesState).bell_count > 0) == (conversation is short)
        costs += [len(_send(engine, tab, "First")), len(_send(engine, tab, "Second"))]
        page = substate(tab, MessagesState)
        assert [m["body"] for m in page._shown()][-2:] == ["First", "Second"]
        assert len(page.thread) == (3 if conversation is short else 50)
    assert costs == [SEND_STATEMENTS] * 4
    bodies = session.exec(select(Message.body).where(Message.conversation_id == long.id)
                          .order_by(Message.id.desc()).limit(2)).all()
    assert bodies == ["Second", "First"]


def test_a_send_shows_a_reply_that_came_meanwhile_and_keeps_the_counts_right(engine, session):
    """A staff reply lands after the page was shown and before its push arrived: the
    send shows it before the sent message, reads it (counts drop), and the list puts
    the conversation first with the sent text as its preview."""
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Racer")
    older = _thread(session, client, staff, replies=0)
    conversation = _thread(session, client, staff, replies=0)
    messaging.send_message(session, conversation_id=older.id, body="Newer activity",
                           by="staff", staff_id=staff.id, base_url=BASE)
    session.commit()
    tab = tab_at(token, f"/messages?c={conversation.id}")
    call(tab, MessagesState, "load")
    page = substate(tab, MessagesState)
    assert page.conversations[0]["id"] == str(older.id)
    assert page.unread_messages == 1 and page.bell_count == 1

    messaging.send_message(session, conversation_id=conversation.id, body="Meanwhile",
                           by="staff", staff_id=staff.id, base_url=BASE)
    session.commit()
    _send(engine, tab, "My answer")

    assert [m["body"] for m in page.thread_tail] == ["Meanwhile", "My answer"]
    assert page.thread_tail[-1]["mine"] == "yes"
    assert page.conversations[0]["id"] == str(conversation.id)
    assert page.conversations[0]["preview"] == "You: My answer"
    assert page.conversations[0]["unread"] == ""
    assert [c["id"] for c in page.conversations] == [str(conversation.id), str(older.id)]
    # The reply that came meanwhile is read with the send; the other stays unread.
    assert page.unread_messages == 1 and page.bell_count == 1
    session.expire_all()
    assert session.get(Conversation, conversation.id).client_unread == 0
    assert session.get(Conversation, conversation.id).staff_unread == 1


def test_the_senders_tab_is_not_pushed_the_other_tabs_and_the_console_are(
        engine, session, monkeypatch):
    """The real live.py with a recording refresher: after the commit, the console's tab
    and the client's other tab are refreshed, about messages; the sending tab (the
    tab token the event came with, also for an upload) is not."""
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Sender")
    conversation = _thread(session, client, staff, replies=1)
    monkeypatch.setattr(live, "_refresher", {})
    monkeypatch.setattr(live_coalesce, "_refreshing", {})
    monkeypatch.setattr(live_coalesce, "_wanted", {})
    monkeypatch.setattr(live_coalesce, "_about", {})
    refreshed = []

    async def refresher(tab_token, only=None, *, about=None):
        refreshed.append((tab_token, about))
        return True

    live.set_refresher(refresher)
    tab = tab_at(token, f"/messages?c={conversation.id}")
    call(tab, MessagesState, "load")  # the session check watches this tab ("tab-token")
    live.watch("client", client.id, "clients-other-tab")
    live.watch(*live.STAFF, "console-tab")
    assert "tab-token" in live.tabs_of("client", client.id)

    async def send():
        # Inside the server's loop, as Reflex runs the handler.
        MessagesState.event_handlers["send_text"].fn(substate(tab, MessagesState), "Pushed?")
        for _ in range(5):
            await asyncio.sleep(0)

    asyncio.run(send())
    assert sorted(refreshed) == [("clients-other-tab", (live.MESSAGES,)),
                                 ("console-tab", (live.MESSAGES,))]
    assert [m["body"] for m in substate(tab, MessagesState)._shown()][-1] == "Pushed?"
