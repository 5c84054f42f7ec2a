"""What a push about one thing (portal_app/live_topics.py) does to real open tabs,
through the refresher (state/live_pages.py): a booking redraws the console's week
view, a form or a document does not; a permission turned off is a push about
anything and still sends the client's tab away at once."""

import asyncio
from datetime import UTC, datetime, timedelta

from models import Booking
from portal_app import live, routes
from state.bookings import BookingsState
from state.console_calendar import CalendarState
from state.console_client import ClientDetailState
from state.live_pages import tab_refresher
from tests import factories
from tests.state.harness import call, signed_in_client, substate, tab_at
from tests.state.test_console_billing import staff_token, tab
from tests.state.test_live_pushes import FakeApp, run


def _week_tab(session, token, day):
    root = tab(token, f"/console/calendar?view=week&date={day.isoformat()}")
    call(root, CalendarState, "load")
    return root, substate(root, CalendarState)


def _push(root, about) -> FakeApp:
    app = FakeApp(root)
    asyncio.run(tab_refresher(app)("tab-token", about=about))
    return app


def test_a_booking_redraws_the_week_view_a_form_or_a_document_does_not(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    svc = factories.service(session, providers=[staff], name="Consultation")
    client = factories.client(session, full_name="Bea Booker")
    start = (datetime.now(UTC) + timedelta(days=7)).replace(hour=15, minute=0, second=0,
                                                           microsecond=0)
    root, week = _week_tab(session, token, start.date())
    assert week.blocks == []

    # A client books meanwhile (the push the booking makes is about bookings).
    session.add(Booking(client_id=client.id, service_id=svc.id, staff_id=staff.id,
                        start_at=start, end_at=start + timedelta(hours=1), status="confirmed"))
    session.commit()
    for about in ((live.FORMS,), (live.DOCUMENTS,), (live.FORMS, live.DOCUMENTS),
                  (live.BILLING,), (live.COMMUNITY,)):
        _push(root, about)
        assert week.blocks == [], about  # not redrawn: it cannot show those
    _push(root, (live.BOOKINGS,))
    assert [b["client"] for b in week.blocks] == ["Bea Booker"]


def test_a_message_reloads_the_console_shell_and_not_the_week_view(engine, session):
    factories.business(session)
    token, _staff = staff_token(session)
    root, week = _week_tab(session, token, datetime.now(UTC).date())
    week.staff_unread = 7  # stale: the shell reloads it
    week.title = "stale"
    _push(root, (live.MESSAGES,))
    assert week.staff_unread == 0 and week.title == "stale"
    week.staff_unread = 7
    _push(root, (live.FORMS,))  # the console's shell shows no forms: nothing reloads
    assert week.staff_unread == 7 and week.title == "stale"


def test_a_permission_turned_off_sends_the_clients_open_tab_away(engine, session,
                                                                 monkeypatch):
    """Staff turn "bookings" off on the client's page: the push is about anything
    (no topic), so the client's tab on /bookings reloads its page, whose check sends
    it to the dashboard with a notice at once."""
    factories.business(session)
    token, client = signed_in_client(session, "Pia Perm")
    page = tab_at(token, "/bookings")
    call(page, BookingsState, "load")
    assert substate(page, BookingsState).access["bookings"]

    pushed = []
    monkeypatch.setattr(live, "client_changed",
                        lambda client_id, **kw: pushed.append((client_id, kw)))
    staff_token_, _staff = staff_token(session)
    console = tab(staff_token_, f"/console/client?id={client.id}")
    run(console, ClientDetailState, "load")
    run(console, ClientDetailState, "save_permissions", {"billing": "on"})  # bookings off
    assert pushed == [(client.id, {"about": None})]

    app = _push(page, pushed[0][1]["about"])
    [(_, update)] = app.emitted
    assert routes.DASHBOARD in repr(update.events)
    assert substate(page, BookingsState).access["bookings"] is False


def test_a_push_about_one_thing_leaves_the_page_but_refreshes_the_clients_shell(engine,
                                                                                session):
    """A form sent to a client on /bookings: the bell and the forms count follow (the
    shell), the bookings list is not read again."""
    factories.business(session)
    token, client = signed_in_client(session, "Sam Shell")
    page = tab_at(token, "/bookings")
    call(page, BookingsState, "load")
    state = substate(page, BookingsState)
    state.bell_count, state.rows = 5, [{"id": "stale"}]
    _push(page, (live.FORMS,))
    assert state.bell_count == 0 and state.rows == [{"id": "stale"}]
