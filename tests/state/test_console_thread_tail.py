"""The console's open thread on a live refresh (a client wrote) or a reply: only the
messages newer than the page are read and sent (`thread_tail`), as on the client's
side (state/messages.py); past TAIL_MAX they are folded into one page again, and
"Show earlier messages" still reaches the ones that left the page."""

import pytest

from portal_app import routes
from portal_app.services import messaging
from state.console_messages import InboxState as M
from state.console_messages.thread import TAIL_MAX, THREAD_PAGE
from tests import factories
from tests.state.harness import call
from tests.state.test_console_messages import client_writes, inbox_at, staff_token


@pytest.fixture
def world(engine, session):
    factories.business(session)
    token, _staff = staff_token(session)
    client = factories.client(session, full_name="Tia Tail")
    session.commit()
    return {"token": token, "client": client}


def _client_sends(session, world, conversation, *bodies):
    for body in bodies:
        messaging.send_message(session, conversation_id=conversation.id, body=body,
                               by="client", client_id=world["client"].id, base_url="http://x")
    session.commit()


def _bodies(rows):
    return [m["body"] for m in rows]


def test_a_live_refresh_sends_the_new_messages_then_folds_them_into_the_page(world, session):
    conversation = client_writes(session, world["client"], body="m0")
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    _client_sends(session, world, conversation, "m1", "m2")
    inbox._live_refresh()
    assert _bodies(inbox.thread) == ["m0"] and _bodies(inbox.thread_tail) == ["m1", "m2"]
    inbox._live_refresh()  # nothing new: nothing changes
    assert _bodies(inbox.thread_tail) == ["m1", "m2"]

    more = [f"m{n}" for n in range(3, 3 + TAIL_MAX)]
    _client_sends(session, world, conversation, *more)
    inbox._live_refresh()  # the tail would pass TAIL_MAX: one page again
    assert inbox.thread_tail == []
    assert _bodies(inbox.thread) == ["m0", "m1", "m2", *more]

    # Another conversation opened in the tab starts a new page.
    other = client_writes(session, world["client"], subject="Other", body="o0")
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={other.id}")
    assert _bodies(inbox.thread) == ["o0"] and inbox.thread_tail == []


def test_a_fold_past_a_page_keeps_the_older_messages_reachable(world, session):
    conversation = client_writes(session, world["client"], body="m0")
    _client_sends(session, world, conversation, *[f"m{n}" for n in range(1, THREAD_PAGE)])
    root, inbox, _ = inbox_at(world["token"], f"{routes.CONSOLE_MESSAGES}?c={conversation.id}")
    assert len(inbox.thread) == THREAD_PAGE and not inbox.has_older
    new = [f"m{n}" for n in range(THREAD_PAGE, THREAD_PAGE + TAIL_MAX + 1)]
    _client_sends(session, world, conversation, *new)
    inbox._live_refresh()
    assert inbox.thread_tail == [] and len(inbox.thread) == THREAD_PAGE and inbox.has_older
    assert inbox.thread[-1]["body"] == new[-1]
    call(root, M, "load_older")
    total = THREAD_PAGE + TAIL_MAX + 1
    assert _bodies(inbox.thread) == [f"m{n}" for n in range(total)] and not inbox.has_older
