"""A reply that arrives live while its thread is open is read at once: the
conversation, the "Messages" count and the bell all stay at zero."""

import asyncio
from contextlib import asynccontextmanager

from sqlmodel import select

from models import Conversation, Notification
from portal_app.services import messaging
from state.live_pages import tab_refresher
from state.messages import MessagesState
from tests import factories
from tests.state.harness import call, signed_in_client, substate, tab_at

BASE = "http://portal.test"


def _app_with(root):
    class App:
        @asynccontextmanager
        async def modify_state(self, key):
            yield root

    return App()


def test_a_live_reply_into_the_open_thread_is_not_unread(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Lena")
    conversation = messaging.start_conversation(session, client_id=client.id, subject="Visit",
                                                body="Is Friday fine?", by="client",
                                                base_url=BASE)
    other = messaging.start_conversation(session, client_id=client.id, subject="Other",
                                         body="Later", by="client", base_url=BASE)
    session.commit()
    tab = tab_at(token, f"/messages?c={conversation.id}")
    call(tab, MessagesState, "load")
    page = substate(tab, MessagesState)
    assert page.current["id"] == str(conversation.id) and page.unread_messages == 0

    messaging.send_message(session, conversation_id=conversation.id, body="Friday is fine.",
                           by="staff", staff_id=staff.id, base_url=BASE)
    messaging.send_message(session, conversation_id=other.id, body="And this one?",
                           by="staff", staff_id=staff.id, base_url=BASE)
    session.commit()
    asyncio.run(tab_refresher(_app_with(tab))("tab-token"))

    assert [m["body"] for m in page._shown()][-1] == "Friday is fine."
    # Only the new message went out: the page already shown stays as it was sent.
    assert [m["body"] for m in page.thread_tail] == ["Friday is fine."]
    # Only the other conversation (not open) counts, in the list, the shell and the bell.
    rows = {c["subject"]: c for c in page.conversations}
    assert rows["Visit"]["unread"] == "" and rows["Other"]["unread"] == "1"
    assert rows["Other"]["preview"] == "And this one?"
    assert rows["Visit"]["preview"] == "Friday is fine."
    assert page.unread_messages == 1
    assert page.bell_count == 1
    session.expire_all()
    assert session.get(Conversation, conversation.id).client_unread == 0
    unread_links = session.exec(select(Notification.link).where(
        Notification.client_id == client.id, Notification.read_at.is_(None))).all()
    assert unread_links == [f"/messages?c={other.id}"]


def test_opening_a_conversation_drops_the_counts_in_the_same_step(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Omar")
    conversation = messaging.start_conversation(session, client_id=client.id, subject="Hi",
                                                body="Hello", by="client", base_url=BASE)
    messaging.send_message(session, conversation_id=conversation.id, body="Hi Omar",
                           by="staff", staff_id=staff.id, base_url=BASE)
    session.commit()
    tab = tab_at(token, "/messages")
    call(tab, MessagesState, "load")
    page = substate(tab, MessagesState)
    assert (page.unread_messages, page.bell_count) == (1, 1)
    assert page.conversations[0]["unread"] == "1"
    assert page.conversations[0]["preview"] == "Hi Omar"

    call(tab, MessagesState, "open_conversation", str(conversation.id))

    assert (page.unread_messages, page.bell_count) == (0, 0)
    assert page.conversations[0]["unread"] == ""


def test_after_the_tail_is_folded_in_show_earlier_finds_the_messages_that_left_the_page(
        engine, session):
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Lena")
    conversation = messaging.start_conversation(session, client_id=client.id, subject="Long",
                                                body="m0", by="client", base_url=BASE)
    for i in range(1, 40):
        messaging.send_message(session, conversation_id=conversation.id, body=f"m{i}",
                               by="client", client_id=client.id, base_url=BASE)
    session.commit()
    tab = tab_at(token, f"/messages?c={conversation.id}")
    call(tab, MessagesState, "load")
    page = substate(tab, MessagesState)
    assert len(page._shown()) == 40 and not page.has_older
    for i in range(40, 61):  # more than the tail holds: the page is sent again as one
        messaging.send_message(session, conversation_id=conversation.id, body=f"m{i}",
                               by="staff", staff_id=staff.id, base_url=BASE)
    session.commit()
    asyncio.run(tab_refresher(_app_with(tab))("tab-token"))
    assert page.thread_tail == [] and len(page.thread) == 50
    assert page.thread[0]["body"] == "m11" and page.has_older

    call(tab, MessagesState, "load_older")
    assert [m["body"] for m in page._shown()] == [f"m{i}" for i in range(61)]
