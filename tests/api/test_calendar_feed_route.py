"""The staff calendar feed: a second parser (vobject) reads it, it holds only its
staff member's bookings (client names only when chosen), and it is 404 once
revoked or replaced."""

import warnings
from datetime import UTC, datetime, timedelta

import vobject
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from portal_app.api.calendar_feed_routes import calendar_feed_routes
from portal_app.services import calendar_feed
from portal_app.services.scheduling import bookings
from tests import factories

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


def _get(token: str):
    app = Starlette(routes=calendar_feed_routes())
    return TestClient(app, raise_server_exceptions=False).get(
        f"/api/calendar/feed/{token}.ics")


def _world(session):
    factories.business(session, timezone="America/New_York")
    mine, theirs = factories.staff(session), factories.staff(session)
    for member in (mine, theirs):
        factories.working_hours(session, member, *[(d, "00:00", "23:55") for d in range(7)])
    svc = factories.service(session, providers=[mine, theirs], name="Consultation")
    ana = factories.client(session, full_name="Ana Ruiz")
    bob = factories.client(session, full_name="Bob Secret")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    # 15:00 UTC (10:00 or 11:00 in New York): inside the working day whatever the hour now
    start = (now + timedelta(days=3)).replace(hour=15, minute=0)
    mine_booking = bookings.book_slot(session, client_id=ana.id, service_id=svc.id,
                                      start_at=start, now=now, created_by="staff",
                                      staff_id=mine.id)
    bookings.book_slot(session, client_id=bob.id, service_id=svc.id,
                       start_at=start, now=now, created_by="staff", staff_id=theirs.id)
    session.commit()
    return mine, theirs, mine_booking


def test_the_feed_parses_with_vobject_and_holds_only_its_staff_members_bookings(engine,
                                                                                 session):
    mine, _theirs, booking = _world(session)
    token = calendar_feed.make_feed(session, staff_id=mine.id)
    session.commit()

    response = _get(token)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    cal = vobject.readOne(response.text)
    (event,) = cal.vevent_list
    assert event.summary.value == "Consultation — Booked"  # names off by default
    assert event.dtstart.value == booking.start_at
    assert event.status.value == "CONFIRMED"
    assert "Bob Secret" not in response.text and "Ana Ruiz" not in response.text

    calendar_feed.set_client_names(session, staff_id=mine.id, include=True)
    session.commit()
    (event,) = vobject.readOne(_get(token).text).vevent_list
    assert event.summary.value == "Consultation — Ana Ruiz"


def test_a_revoked_or_replaced_feed_is_not_found(engine, session):
    mine, _theirs, _booking = _world(session)
    first = calendar_feed.make_feed(session, staff_id=mine.id)
    session.commit()
    assert _get(first).status_code == 200
    stored = calendar_feed.get_feed(session, staff_id=mine.id)
    assert first not in repr(stored.model_dump())  # only its hash is kept

    second = calendar_feed.make_feed(session, staff_id=mine.id)  # regenerate
    session.commit()
    assert _get(first).status_code == 404
    assert _get(second).status_code == 200

    assert calendar_feed.revoke_feed(session, staff_id=mine.id)
    session.commit()
    assert _get(second).status_code == 404
    assert _get("x" * 43).status_code == 404
