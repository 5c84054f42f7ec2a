"""Every time in the console is on the business's clock with the zone named: a
moment at 03:00 UTC is the previous evening in New York (10:00 PM EST), on the
clients list, the client page (dates and timeline) and in Messages."""

from datetime import UTC, datetime

from models import AuditEvent, Conversation, Message, PortalAccess
from portal_app import routes
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_client import ClientDetailState
from state.console_clients import ClientListState
from state.console_messages import InboxState
from tests import factories
from tests.state.harness import call, substate, tab_at

MOMENT = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # Dec 5, 10:00 PM in New York (EST)
EVENING = "Dec 5, 2026, 10:00\u202fPM EST"


def _setup(session):
    factories.business(session, timezone="America/New_York")
    staff = factories.staff(session, full_name="Staff 1")
    ana = factories.client(session, full_name="Ana Ruiz", portal_access=PortalAccess.ACTIVE,
                           invited_at=MOMENT, last_sign_in_at=MOMENT, first_sign_in_at=MOMENT)
    session.flush()
    convo = Conversation(client_id=ana.id, subject="Question", created_at=MOMENT,
                         last_message_at=MOMENT)
    session.add(convo)
    session.flush()
    session.add(Message(conversation_id=convo.id, sender="client", body="Hello",
                        created_at=MOMENT))
    session.add(AuditEvent(at=MOMENT, actor_kind="client", actor_id=ana.id,
                           action="conversation.started", client_id=ana.id,
                           detail={"conversation_id": convo.id}))
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token, ana, convo


def test_the_clients_list_shows_the_business_clock(engine, session):
    token, ana, _ = _setup(session)
    root = tab_at(token, routes.CONSOLE_CLIENTS)
    call(root, ClientListState, "load")
    (row,) = [r for r in substate(root, ClientListState).rows if r["id"] == str(ana.id)]
    assert row["last_sign_in"] == EVENING
    assert row["invited"] == EVENING


def test_the_client_page_and_its_timeline_show_the_business_clock(engine, session):
    token, ana, _ = _setup(session)
    root = tab_at(token, f"/console/client?id={ana.id}")
    call(root, ClientDetailState, "load")
    page = substate(root, ClientDetailState)
    assert (page.invited_at, page.first_sign_in, page.last_sign_in) == (EVENING,) * 3
    assert page.events and page.events[0]["at"] == EVENING


def test_the_inbox_and_the_thread_show_the_business_clock(engine, session):
    token, _, convo = _setup(session)
    root = tab_at(token, f"{routes.CONSOLE_MESSAGES}?c={convo.id}")
    call(root, InboxState, "load")
    inbox = substate(root, InboxState)
    (row,) = inbox.rows
    assert row["when"] == EVENING
    assert [m["when"] for m in inbox.thread] == [EVENING]
