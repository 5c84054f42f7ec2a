"""Console → Calendar handlers: staff only; a new booking from a clicked time, a
refused time said beside it with nothing booked; move mode refuses a taken time
with the reason and moves to a free one; ids from the page are checked; the
feed panel acts on the caller's own feed; a week view costs the same
statements for 2 or 200 bookings."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert
from sqlmodel import select

from models import Booking, CalendarFeed
from portal_app.services import calendar_feed
from state.console_calendar import CalendarFeedState, CalendarState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import call, substate
from tests.state.test_console_billing import client_token, staff_token, tab

ZONE = "America/Chicago"
MONDAY = date(2030, 6, 3)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


@pytest.fixture
def world(engine, session):
    factories.business(session, timezone=ZONE)
    token, staff = staff_token(session)
    factories.working_hours(session, staff, *[(d, "09:00", "17:00") for d in range(5)])
    svc = factories.service(session, providers=[staff], name="Consultation")
    ana = factories.client(session, full_name="Ana Ruiz")
    ben = factories.client(session, full_name="Ben Ortiz")
    ben_booking = Booking(client_id=ben.id, service_id=svc.id, staff_id=staff.id,
                          start_at=_at(MONDAY, 10), end_at=_at(MONDAY, 11),
                          status="confirmed", created_by="staff")
    session.add(ben_booking)
    session.flush()
    from models import BookingLock
    from portal_app.services.scheduling.slots import blocked_units

    for unit in blocked_units(svc, ben_booking.start_at):
        session.add(BookingLock(booking_id=ben_booking.id, staff_id=staff.id, unit_start=unit))
    session.commit()
    return {"token": token, "staff": staff, "service": svc, "ana": ana, "ben": ben,
            "ben_booking": ben_booking}


def _week(token):
    root = tab(token, f"/console/calendar?view=week&date={MONDAY.isoformat()}")
    call(root, CalendarState, "load")
    return root, substate(root, CalendarState)


def test_the_week_view_names_the_zone_and_places_the_booking(world):
    _root, page = _week(world["token"])
    assert page.zone == ZONE and page.zone_abbrev == "CDT"
    assert [c["short"] for c in page.columns] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
                                                  "Sun"]
    (block,) = page.blocks
    assert (block["client"], block["col"], block["status"]) == ("Ben Ortiz", "2", "confirmed")
    assert block["time"] == "10:00\u202fAM–11:00\u202fAM"
    shades = {c["start"]: c["shade"] for c in page.cells}
    assert shades["2030-06-03T09:00"] == "work"
    assert shades["2030-06-03T08:00"] == "closed"
    assert shades["2030-06-08T10:00"] == "closed"  # Saturday


def test_a_clicked_time_books_the_picked_client(world, session):
    root, page = _week(world["token"])
    call(root, CalendarState, "open_slot", "2030-06-04T10:00")
    assert page.new_open and "Tuesday, June 4, 2030" in page.new_when
    call(root, CalendarState, "search_clients", "ana ru")
    assert [r["name"] for r in page.new_results] == ["Ana Ruiz"]
    call(root, CalendarState, "pick_client", str(world["ana"].id))
    call(root, CalendarState, "create_booking", {"service_id": str(world["service"].id)})
    assert page.new_error == "" and not page.new_open
    booking = session.exec(select(Booking).where(Booking.client_id == world["ana"].id)).one()
    assert booking.start_at == _at(MONDAY + timedelta(days=1), 10)
    assert any(b["client"] == "Ana Ruiz" for b in page.blocks)


def test_a_refused_time_is_said_beside_it_and_nothing_is_booked(world, session):
    root, page = _week(world["token"])
    call(root, CalendarState, "open_slot", "2030-06-03T10:30")  # Ben's time
    call(root, CalendarState, "pick_client", str(world["ana"].id))
    call(root, CalendarState, "create_booking", {"service_id": str(world["service"].id)})
    assert page.new_open and page.new_error_field == "start"
    assert page.new_error.startswith("Overlaps Ben Ortiz's Consultation")
    call(root, CalendarState, "open_slot", "2030-06-08T10:00")  # Saturday
    call(root, CalendarState, "pick_client", str(world["ana"].id))
    call(root, CalendarState, "create_booking", {"service_id": str(world["service"].id)})
    assert "outside the working hours" in page.new_error
    # No client picked: said beside the client field.
    call(root, CalendarState, "open_slot", "2030-06-04T10:00")
    call(root, CalendarState, "create_booking", {"service_id": str(world["service"].id)})
    assert (page.new_error_field, page.new_error) == ("client", "Choose a client first.")
    session.expire_all()
    assert session.exec(select(Booking).where(Booking.client_id == world["ana"].id)).all() == []


def test_move_mode_refuses_a_taken_time_with_the_reason_then_moves(world, session):
    root, page = _week(world["token"])
    call(root, CalendarState, "open_slot", "2030-06-04T14:00")
    call(root, CalendarState, "pick_client", str(world["ana"].id))
    call(root, CalendarState, "create_booking", {"service_id": str(world["service"].id)})
    ana_booking = session.exec(select(Booking).where(
        Booking.client_id == world["ana"].id)).one()

    call(root, CalendarState, "open_booking", str(ana_booking.id))
    assert page.detail_open and page.detail["client"] == "Ana Ruiz"
    call(root, CalendarState, "start_move")
    assert page.moving_label.startswith("Ana Ruiz — Consultation")
    call(root, CalendarState, "open_slot", "2030-06-03T10:30")  # onto Ben's
    assert page.propose_open and page.propose_error.startswith("Overlaps Ben Ortiz's")
    call(root, CalendarState, "confirm_move")  # the server refuses it too
    assert page.propose_error.startswith("Overlaps Ben Ortiz's")
    session.expire_all()
    assert session.get(Booking, ana_booking.id).start_at == _at(MONDAY + timedelta(days=1), 14)

    call(root, CalendarState, "open_slot", "2030-06-05T15:00")
    assert page.propose_error == ""
    call(root, CalendarState, "confirm_move")
    assert page.moving_label == "" and not page.propose_open
    session.expire_all()
    assert session.get(Booking, ana_booking.id).start_at == _at(MONDAY + timedelta(days=2), 15)


def test_ids_from_the_page_are_checked_and_clients_are_refused(world, session, engine):
    root, page = _week(world["token"])
    result = call(root, CalendarState, "open_booking", "999999")
    assert not page.detail_open and "does not exist" in repr(result)
    call(root, CalendarState, "pick_client", "999999")
    assert page.new_client_name == ""
    # A signed-in client gets the console's sign-in page and changes nothing.
    outsider = tab(client_token(session))
    result = call(outsider, CalendarState, "open_booking", str(world["ben_booking"].id))
    assert "/console/login" in repr(result)
    assert substate(outsider, CalendarState).detail == {}
    result = call(outsider, CalendarFeedState, "make_feed")
    assert "/console/login" in repr(result)
    assert session.exec(select(CalendarFeed)).all() == []


def test_the_feed_panel_makes_and_revokes_the_callers_own_feed(world, session):
    other_token, other = staff_token(session)
    calendar_feed.make_feed(session, staff_id=other.id)
    session.commit()
    root = tab(world["token"], "/console/calendar")
    panel = substate(root, CalendarFeedState)
    call(root, CalendarFeedState, "load")
    assert not panel.has_feed
    call(root, CalendarFeedState, "make_feed")
    assert panel.has_feed and "/api/calendar/feed/" in panel.feed_url
    call(root, CalendarFeedState, "set_include_names", True)
    session.expire_all()
    mine = calendar_feed.get_feed(session, staff_id=world["staff"].id)
    assert mine.include_client_names
    assert not calendar_feed.get_feed(session, staff_id=other.id).include_client_names
    call(root, CalendarFeedState, "revoke_feed")
    session.expire_all()
    assert calendar_feed.get_feed(session, staff_id=world["staff"].id) is None
    assert calendar_feed.get_feed(session, staff_id=other.id) is not None  # not theirs
    assert not panel.has_feed and panel.feed_url == ""


def _fill(session, w, n: int) -> None:
    rows = []
    for i in range(n):
        start = _at(MONDAY + timedelta(days=i % 7), 8) + timedelta(minutes=5 * (i // 7))
        rows.append({"client_id": w["ana"].id, "service_id": w["service"].id,
                     "staff_id": w["staff"].id, "start_at": start,
                     "end_at": start + timedelta(minutes=30), "status": "confirmed",
                     "created_by": "staff", "staff_message": "", "sequence": 0,
                     "created_at": start, "updated_at": start})
    session.connection().execute(insert(Booking), rows)
    session.commit()


def test_a_week_view_costs_the_same_statements_for_2_or_200_bookings(world, session, engine):
    counts = []
    for n, total in ((1, 2), (198, 200)):  # with Ben's
        _fill(session, world, n)
        root = tab(world["token"], f"/console/calendar?view=week&date={MONDAY.isoformat()}")
        call(root, CalendarState, "load")  # the session's first check is the full one
        counts.append(len(statements_of(engine, lambda r=root: call(r, CalendarState, "load"))))
        assert len(substate(root, CalendarState).blocks) == total
    assert counts[0] == counts[1]


def test_a_time_the_clocks_skip_is_refused(world):
    root, page = _week(world["token"])
    # 2030-03-10: Chicago's clocks go from 02:00 to 03:00.
    result = call(root, CalendarState, "open_slot", "2030-03-10T02:30")
    assert "the clocks change" in repr(result) and not page.new_open
    call(root, CalendarState, "open_slot", "2030-03-10T03:00")
    assert page.new_open and "3:00\u202fAM CDT" in page.new_when


def test_the_month_view_lists_bookings_on_their_days_and_opens_a_day(world):
    root = tab(world["token"], "/console/calendar?view=month&date=2030-06-15")
    call(root, CalendarState, "load")
    page = substate(root, CalendarState)
    assert page.title == "June 2030" and len(page.month_days) % 7 == 0
    assert [c["short"] for c in page.columns][:2] == ["Mon", "Tue"]
    june3 = next(d for d in page.month_days if d["iso"] == "2030-06-03")
    assert [i["text"] for i in june3["items"]] == ["10:00\u202fAM Ben Ortiz"]
    call(root, CalendarState, "open_day", "2030-06-03")
    assert page.view == "day" and [b["client"] for b in page.blocks] == ["Ben Ortiz"]
    call(root, CalendarState, "step", 1)
    assert page.anchor == "2030-06-04" and page.blocks == []
