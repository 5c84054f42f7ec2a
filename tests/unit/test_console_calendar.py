"""The staff calendar's layout (which bookings fall on which local date, DST days,
midnight, lanes, shading) and its refusals with the reason; statements per view
stay constant as bookings grow."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from models import AvailabilityException, Booking
from portal_app.services.scheduling import bookings
from portal_app.services.scheduling.calendar_actions import (
    TimeRefused,
    book_at,
    conflict_reason,
    move_to,
)
from portal_app.services.scheduling.calendar_view import (
    calendar_view,
    hour_range,
    pieces,
    shift,
    view_range,
)
from tests import factories
from tests.sql import statements_of

NY = ZoneInfo("America/New_York")
BASE = "http://portal.test"
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def _local(y, m, d, h, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=NY).astimezone(UTC)


@pytest.fixture
def world(engine, session):
    factories.business(session, timezone="America/New_York")
    ana_staff = factories.staff(session, full_name="Dana Staff")
    other = factories.staff(session, full_name="Olga Other")
    for member in (ana_staff, other):
        factories.working_hours(session, member, *[(d, "09:00", "17:00") for d in range(5)])
    svc = factories.service(session, providers=[ana_staff, other], name="Consultation",
                            buffer_after_minutes=15)
    client = factories.client(session, full_name="Ana Ruiz")
    session.commit()
    return {"staff": ana_staff, "other": other, "service": svc, "client": client}


def test_view_ranges_run_monday_to_sunday_and_months_by_whole_weeks():
    assert view_range("day", date(2027, 3, 10)) == (date(2027, 3, 10), date(2027, 3, 10))
    assert view_range("week", date(2027, 3, 10)) == (date(2027, 3, 8), date(2027, 3, 14))
    assert view_range("month", date(2027, 3, 10)) == (date(2027, 3, 1), date(2027, 4, 4))
    assert shift("month", date(2027, 12, 31), 1) == date(2028, 1, 1)
    assert shift("month", date(2027, 1, 31), -1) == date(2026, 12, 1)
    assert shift("week", date(2027, 3, 10), -1) == date(2027, 3, 3)


def test_a_booking_lands_on_its_local_date_not_its_utc_date():
    # 21:00-23:00 in New York is 02:00-04:00 UTC the next day.
    start = _local(2027, 3, 1, 21)
    assert pieces(start, start + timedelta(hours=2), NY) == [(date(2027, 3, 1), 1260, 1380)]


def test_a_booking_across_midnight_is_split_and_one_ending_at_midnight_is_not():
    start = _local(2027, 3, 1, 23)
    assert pieces(start, start + timedelta(hours=2), NY) == [
        (date(2027, 3, 1), 1380, 1440), (date(2027, 3, 2), 0, 60)]
    assert pieces(start, start + timedelta(hours=1), NY) == [(date(2027, 3, 1), 1380, 1440)]


def test_on_the_dst_day_a_booking_keeps_its_wall_clock_position():
    # 2027-03-14: clocks go from 02:00 to 03:00 in New York.
    start = _local(2027, 3, 14, 9)
    assert pieces(start, start + timedelta(hours=1), NY) == [(date(2027, 3, 14), 540, 600)]
    # 01:30 EST + 1 real hour = 03:30 EDT: two wall hours on the grid.
    start = _local(2027, 3, 14, 1, 30)
    assert pieces(start, start + timedelta(hours=1), NY) == [(date(2027, 3, 14), 90, 210)]


def test_the_week_view_places_bookings_on_days_with_lanes_and_shades_hours(world, session):
    w = world
    monday = _local(2027, 3, 8, 10)
    b1 = bookings.book_slot(session, client_id=w["client"].id, service_id=w["service"].id,
                            start_at=monday, now=NOW, created_by="staff", staff_id=w["staff"].id)
    b2 = bookings.book_slot(session, client_id=w["client"].id, service_id=w["service"].id,
                            start_at=monday, now=NOW, created_by="staff", staff_id=w["other"].id)
    session.add(AvailabilityException(staff_id=w["staff"].id, day=date(2027, 3, 9), kind="off",
                                      start_minute=12 * 60, end_minute=17 * 60))
    session.commit()

    cal = calendar_view(session, view="week", anchor=date(2027, 3, 10))
    assert cal.zone == "America/New_York"
    assert [(e.id, e.day, e.start_minute, e.lane, e.lanes) for e in cal.entries] == [
        (b1.id, date(2027, 3, 8), 600, 0, 2), (b2.id, date(2027, 3, 8), 600, 1, 2)]
    assert cal.working[date(2027, 3, 8)] == [(540, 1020)]
    assert cal.working[date(2027, 3, 13)] == []  # Saturday
    assert hour_range(cal) == (8 * 60, 18 * 60)

    one = calendar_view(session, view="week", anchor=date(2027, 3, 10), staff_id=w["staff"].id)
    assert [e.id for e in one.entries] == [b1.id]
    assert one.entries[0].lanes == 1
    assert one.working[date(2027, 3, 9)] == [(540, 720)]
    assert one.time_off[date(2027, 3, 9)] == [(720, 1020)]


def test_cancelled_bookings_are_shown_and_declined_ones_are_not(world, session):
    w = world
    start = _local(2027, 3, 8, 10)
    b = bookings.book_slot(session, client_id=w["client"].id, service_id=w["service"].id,
                           start_at=start, now=NOW, created_by="staff", staff_id=w["staff"].id)
    bookings.cancel_booking(session, client_id=None, booking_id=b.id, now=NOW,
                            by_staff_id=w["staff"].id)
    session.commit()
    cal = calendar_view(session, view="day", anchor=date(2027, 3, 8))
    assert [(e.id, e.status) for e in cal.entries] == [(b.id, "cancelled")]


def test_a_refused_time_says_why(world, session):
    w = world
    start = _local(2027, 3, 8, 10)
    taken = book_at(session, client_id=w["client"].id, service_id=w["service"].id,
                    start_at=start, now=NOW, base_url=BASE, by_staff_id=w["staff"].id,
                    staff_id=w["staff"].id)
    session.commit()
    sid, svc = w["staff"].id, w["service"].id
    # In the buffer after the booking (11:00-11:15).
    assert conflict_reason(session, service_id=svc, start_at=start + timedelta(hours=1),
                           staff_id=sid) == (
        "Overlaps Ana Ruiz's Consultation (10:00\u202fAM–11:00\u202fAM), buffers included.")
    assert conflict_reason(session, service_id=svc, start_at=start + timedelta(minutes=75),
                           staff_id=sid) == ""
    assert conflict_reason(session, service_id=svc, start_at=_local(2027, 3, 8, 7),
                           staff_id=sid).endswith("outside the working hours of whoever "
                                                  "provides Consultation.")
    # Saturday
    with pytest.raises(TimeRefused, match="outside the working hours"):
        book_at(session, client_id=w["client"].id, service_id=svc,
                start_at=_local(2027, 3, 13, 10), now=NOW, base_url=BASE, by_staff_id=sid)

    other = book_at(session, client_id=w["client"].id, service_id=svc,
                    start_at=_local(2027, 3, 8, 14), now=NOW, base_url=BASE, by_staff_id=sid,
                    staff_id=sid)
    session.commit()
    # Moving onto the taken time (both providers busy there) is refused, nothing moves.
    book_at(session, client_id=w["client"].id, service_id=svc, start_at=start, now=NOW,
            base_url=BASE, by_staff_id=sid, staff_id=w["other"].id)
    session.commit()
    with pytest.raises(TimeRefused, match="Overlaps Ana Ruiz's Consultation"):
        move_to(session, booking_id=other.id, new_start=start + timedelta(minutes=30),
                now=NOW, base_url=BASE, by_staff_id=sid)
    session.rollback()
    assert session.get(Booking, other.id).start_at == _local(2027, 3, 8, 14)
    moved = move_to(session, booking_id=other.id, new_start=_local(2027, 3, 8, 15), now=NOW,
                    base_url=BASE, by_staff_id=sid)
    assert moved.start_at == _local(2027, 3, 8, 15)
    assert taken.id != moved.id


def _fill_week(session, w, n: int) -> None:
    """n bookings spread over the week of 2027-03-08 (inserted directly: layout only)."""
    rows = []
    for i in range(n):
        start = _local(2027, 3, 8 + i % 7, 8) + timedelta(minutes=5 * (i // 7))
        rows.append({"client_id": w["client"].id, "service_id": w["service"].id,
                     "staff_id": w["staff"].id if i % 2 else w["other"].id,
                     "start_at": start, "end_at": start + timedelta(minutes=30),
                     "status": "confirmed", "created_by": "staff", "staff_message": "",
                     "sequence": 0, "created_at": NOW, "updated_at": NOW})
    session.connection().execute(insert(Booking), rows)
    session.commit()


@pytest.mark.parametrize("view", ["week", "month"])
def test_statements_per_view_do_not_grow_with_bookings(world, session, engine, view):
    counts = []
    for n in (2, 198):
        _fill_week(session, world, n)
        session.expunge_all()
        sent = statements_of(engine, lambda: calendar_view(
            session, view=view, anchor=date(2027, 3, 10)))
        counts.append(len(sent))
        total = len(calendar_view(session, view=view, anchor=date(2027, 3, 10)).entries)
        assert total == (2 if n == 2 else 200)
    assert counts[0] == counts[1] <= 5
