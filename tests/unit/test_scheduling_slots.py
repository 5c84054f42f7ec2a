"""Free slot computation: hours, buffers, notice, horizon, exceptions, DST, query counts."""

import contextlib
import random
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, insert
from sqlmodel import select

from models import Booking, BookingLock, BookingStatus, StaffUser
from portal_app.services.errors import ServiceError
from portal_app.services.scheduling import availability, bookings, slots
from tests import factories
from tests.unit.helpers import NOW

MONDAY = date(2030, 5, 6)  # NOW is Wednesday 2030-05-01 09:00 UTC


@pytest.fixture
def business(session):
    return factories.business(session, timezone="UTC")


@pytest.fixture
def alice(session, business):
    s = factories.staff(session)
    factories.working_hours(session, s, (0, "09:00", "12:00"))
    return s


def _hhmm(slot_list, tz="UTC"):
    return [s.start_at.astimezone(ZoneInfo(tz)).strftime("%H:%M") for s in slot_list]


def _day(session, service, day=MONDAY, *, now=NOW, **kw):
    return slots.free_slots(session, service_id=service.id, now=now, start_day=day, days=1, **kw)


def test_weekly_hours_give_starts_on_the_step_grid(session, alice):
    svc = factories.service(session, providers=[alice], duration_minutes=60)
    got = _day(session, svc)
    assert _hhmm(got) == ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30",
                          "10:45", "11:00"]
    assert all(s.staff_ids == (alice.id,) for s in got)
    assert all(s.start_at.tzinfo is not None and s.start_at.utcoffset() == timedelta(0)
               for s in got)
    # Other days of the week have no hours.
    assert _day(session, svc, MONDAY + timedelta(days=1)) == []


def test_service_longer_than_remaining_hours_gets_no_late_start(session, alice):
    svc = factories.service(session, providers=[alice], duration_minutes=90)
    assert _hhmm(_day(session, svc))[-1] == "10:30"
    long = factories.service(session, providers=[alice], duration_minutes=240)
    assert _day(session, long) == []


def test_buffers_shrink_slots_around_an_existing_booking(session, alice):
    plain = factories.service(session, providers=[alice], duration_minutes=30)
    client = factories.client(session)
    # A 30-minute booking 10:00-10:30 with no buffers blocks 10:00-10:30.
    bookings.book_slot(session, client_id=client.id, service_id=plain.id,
                       start_at=datetime(2030, 5, 6, 10, 0, tzinfo=UTC), now=NOW)
    assert _hhmm(_day(session, plain)) == ["09:00", "09:15", "09:30", "10:30", "10:45", "11:00",
                                           "11:15", "11:30"]
    buffered = factories.service(session, providers=[alice], duration_minutes=30,
                                 buffer_before_minutes=15, buffer_after_minutes=15)
    # Blocked range [start-15, start+45] must avoid 10:00-10:30: start <= 09:15 or >= 10:45.
    assert _hhmm(_day(session, buffered)) == ["09:00", "09:15", "10:45", "11:00", "11:15",
                                              "11:30"]


def test_existing_booking_buffers_block_other_services(session, alice):
    buffered = factories.service(session, providers=[alice], duration_minutes=30,
                                 buffer_after_minutes=30)
    plain = factories.service(session, providers=[alice], duration_minutes=30)
    client = factories.client(session)
    bookings.book_slot(session, client_id=client.id, service_id=buffered.id,
                       start_at=datetime(2030, 5, 6, 9, 0, tzinfo=UTC), now=NOW)
    # 09:00-09:30 plus 30 minutes of after-buffer: nothing before 10:00.
    assert _hhmm(_day(session, plain))[0] == "10:00"


def test_min_notice_and_horizon_bound_the_slots(session, alice):
    svc = factories.service(session, providers=[alice], duration_minutes=60,
                            min_notice_minutes=90, horizon_days=5)
    now = datetime(2030, 5, 6, 8, 30, tzinfo=UTC)  # Monday 08:30
    assert _hhmm(_day(session, svc, now=now)) == ["10:00", "10:15", "10:30", "10:45", "11:00"]
    # Horizon: 5 days from Wednesday 09:00 reaches Monday 09:00 exactly.
    got = slots.free_slots(session, service_id=svc.id, now=datetime(2030, 5, 1, 9, 0, tzinfo=UTC),
                           days=30)
    assert _hhmm(got) == ["09:00"]
    assert got[0].start_at == datetime(2030, 5, 6, 9, 0, tzinfo=UTC)


def test_off_exception_removes_a_day_and_extra_adds_hours(session, alice):
    svc = factories.service(session, providers=[alice], duration_minutes=60)
    availability.add_exception(session, staff_id_actor=alice.id, staff_id=alice.id,
                               day="2030-05-06", kind="off")
    assert _day(session, svc) == []
    assert _hhmm(_day(session, svc, MONDAY + timedelta(days=7)))[0] == "09:00"  # next Monday
    availability.add_exception(session, staff_id_actor=alice.id, staff_id=alice.id,
                               day="2030-05-07", kind="extra", start="14:00", end="15:30")
    assert _hhmm(_day(session, svc, MONDAY + timedelta(days=1))) == ["14:00", "14:15", "14:30"]


def test_partial_off_exception_cuts_the_interval(session, alice):
    svc = factories.service(session, providers=[alice], duration_minutes=60)
    availability.add_exception(session, staff_id_actor=alice.id, staff_id=alice.id,
                               day="2030-05-06", kind="off", start="10:00", end="11:00")
    assert _hhmm(_day(session, svc)) == ["09:00", "11:00"]


def test_two_providers_listed_where_both_are_free(session, alice):
    bob = factories.staff(session)
    factories.working_hours(session, bob, (0, "10:00", "13:00"))
    svc = factories.service(session, providers=[alice, bob], duration_minutes=60)
    got = {s.start_at.strftime("%H:%M"): s.staff_ids for s in _day(session, svc)}
    assert got["09:00"] == (alice.id,)
    assert got["10:00"] == tuple(sorted((alice.id, bob.id)))
    assert got["11:00"] == tuple(sorted((alice.id, bob.id)))
    assert got["12:00"] == (bob.id,)
    # Alice booked 10:00: only Bob is left then.
    client = factories.client(session)
    b = bookings.book_slot(session, client_id=client.id, service_id=svc.id,
                           start_at=datetime(2030, 5, 6, 10, 0, tzinfo=UTC), now=NOW,
                           staff_id=alice.id)
    assert b.staff_id == alice.id
    got = {s.start_at.strftime("%H:%M"): s.staff_ids for s in _day(session, svc)}
    assert got["10:00"] == (bob.id,)


def test_is_free_matches_the_rules(session, alice):
    svc = factories.service(session, providers=[alice], duration_minutes=60)
    at = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)
    assert slots.is_free(session, service_id=svc.id, staff_id=alice.id, start_at=at, now=NOW)
    assert not slots.is_free(session, service_id=svc.id, staff_id=alice.id,
                             start_at=at.replace(hour=11, minute=30), now=NOW)
    assert not slots.is_free(session, service_id=svc.id, staff_id=alice.id,
                             start_at=at.replace(hour=8), now=NOW)
    client = factories.client(session)
    b = bookings.book_slot(session, client_id=client.id, service_id=svc.id, start_at=at, now=NOW)
    assert not slots.is_free(session, service_id=svc.id, staff_id=alice.id,
                             start_at=at.replace(minute=30), now=NOW)
    assert slots.is_free(session, service_id=svc.id, staff_id=alice.id,
                         start_at=at.replace(minute=30), now=NOW, exclude_booking_id=b.id)


def test_naive_now_is_refused(session, alice):
    svc = factories.service(session, providers=[alice])
    with pytest.raises(ServiceError):
        slots.free_slots(session, service_id=svc.id, now=NOW.replace(tzinfo=None))


# --- DST -----------------------------------------------------------------------------------


@pytest.fixture
def ny_staff(session):
    factories.business(session, timezone="America/New_York")
    s = factories.staff(session)
    factories.working_hours(session, s, (6, "00:00", "05:00"))  # Sunday
    return s


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_spring_forward_skips_the_missing_hour(session, ny_staff):
    svc = factories.service(session, providers=[ny_staff], duration_minutes=60)
    got = slots.free_slots(session, service_id=svc.id, now=_utc(2027, 3, 1),
                           start_day=date(2027, 3, 14), days=1, step_minutes=60)
    # 2027-03-14: 02:00 EST jumps to 03:00 EDT. 00:00-05:00 local is 05:00Z-09:00Z (4 hours).
    assert [s.start_at for s in got] == [_utc(2027, 3, 14, 5), _utc(2027, 3, 14, 6),
                                         _utc(2027, 3, 14, 7), _utc(2027, 3, 14, 8)]
    assert _hhmm(got, "America/New_York") == ["00:00", "01:00", "03:00", "04:00"]
    # A client in London (GMT until 2027-03-28) sees UTC wall times.
    assert _hhmm(got, "Europe/London") == ["05:00", "06:00", "07:00", "08:00"]
    # The week before (EST all day): 00:00 local = 05:00Z, five hourly starts.
    before = slots.free_slots(session, service_id=svc.id, now=_utc(2027, 3, 1),
                              start_day=date(2027, 3, 7), days=1, step_minutes=60)
    assert [s.start_at.hour for s in before] == [5, 6, 7, 8, 9]
    # The week after (EDT): 00:00 local = 04:00Z.
    after = slots.free_slots(session, service_id=svc.id, now=_utc(2027, 3, 1),
                             start_day=date(2027, 3, 21), days=1, step_minutes=60)
    assert [s.start_at.hour for s in after] == [4, 5, 6, 7, 8]
    # London has moved to BST by 2027-03-28.
    later = slots.free_slots(session, service_id=svc.id, now=_utc(2027, 3, 1),
                             start_day=date(2027, 3, 28), days=1, step_minutes=60)
    assert _hhmm(later, "Europe/London") == ["05:00", "06:00", "07:00", "08:00", "09:00"]


def test_fall_back_uses_first_occurrence_of_the_repeated_hour(session, ny_staff):
    svc = factories.service(session, providers=[ny_staff], duration_minutes=60)
    got = slots.free_slots(session, service_id=svc.id, now=_utc(2027, 11, 1),
                           start_day=date(2027, 11, 7), days=1, step_minutes=60)
    # 2027-11-07: 02:00 EDT falls back to 01:00 EST. 00:00 EDT = 04:00Z, 05:00 EST = 10:00Z.
    # Local 01:00 is ambiguous: fold=0 (EDT) = 05:00Z; each local hour appears once.
    assert [s.start_at for s in got] == [_utc(2027, 11, 7, 4), _utc(2027, 11, 7, 5),
                                         _utc(2027, 11, 7, 7), _utc(2027, 11, 7, 8),
                                         _utc(2027, 11, 7, 9)]
    assert _hhmm(got, "America/New_York") == ["00:00", "01:00", "02:00", "03:00", "04:00"]
    # London is on GMT by then (it fell back on 2027-10-31).
    assert _hhmm(got, "Europe/London") == ["04:00", "05:00", "07:00", "08:00", "09:00"]


def test_interval_ending_in_the_gap_ends_at_the_jump(session):
    factories.business(session, timezone="America/New_York")
    s = factories.staff(session)
    factories.working_hours(session, s, (6, "01:00", "02:30"))
    svc = factories.service(session, providers=[s], duration_minutes=60)
    got = slots.free_slots(session, service_id=svc.id, now=_utc(2027, 3, 1),
                           start_day=date(2027, 3, 14), days=1, step_minutes=15)
    # Work really ends at 02:00 EST = 07:00Z: only 01:00 local (06:00Z) fits an hour.
    assert [x.start_at for x in got] == [_utc(2027, 3, 14, 6)]


# --- query counts and speed ----------------------------------------------------------------


class _Counter:
    def __init__(self, engine):
        self.engine, self.n = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args, **kwargs):
        self.n += 1


def _ten_staff(session):
    staff = []
    for i in range(10):  # plain rows: no password hashing needed here
        s = StaffUser(email=f"bulk{i}@example.test", full_name=f"Bulk {i}", password_hash="x")
        session.add(s)
        session.flush()
        factories.working_hours(session, s, *[(d, "09:00", "17:00") for d in range(5)])
        staff.append(s)
    return staff


def _bulk_bookings(session, *, svc, staff, client, n, start=NOW + timedelta(days=1)):
    """`n` 60-minute bookings (2 in 3 confirmed, with lock rows), spread over staff and days."""
    first_id = (session.exec(select(func.max(Booking.id))).one() or 0) + 1
    rows, locks = [], []
    for i in range(n):
        st = staff[i % len(staff)]
        day, slot = divmod(i // len(staff), 8)
        at = start.replace(hour=9, minute=0) + timedelta(days=day, hours=slot)
        bid = first_id + i
        holds = i % 3 != 0
        rows.append({"id": bid, "client_id": client.id, "service_id": svc.id, "staff_id": st.id,
                     "start_at": at, "end_at": at + timedelta(hours=1),
                     "status": BookingStatus.CONFIRMED if holds else BookingStatus.CANCELLED,
                     "created_by": "client", "staff_message": "", "created_at": NOW,
                     "updated_at": NOW})
        if holds:
            locks += [{"booking_id": bid, "staff_id": st.id, "unit_start": u}
                      for u in slots.blocked_units(svc, at)]
    session.connection().execute(insert(Booking), rows)
    if locks:
        session.connection().execute(insert(BookingLock), locks)
    session.commit()
    session.expire_all()


def _count_free_slots(session, engine, svc):
    with _Counter(engine) as counter:
        got = slots.free_slots(session, service_id=svc.id, now=NOW, days=90)
    assert got
    return counter.n


def test_free_slots_same_query_count_at_10_and_1000_bookings(session, engine, business):
    staff = _ten_staff(session)
    svc = factories.service(session, providers=staff, duration_minutes=60)
    client = factories.client(session)
    _bulk_bookings(session, svc=svc, staff=staff, client=client, n=10)
    small = _count_free_slots(session, engine, svc)
    small_kept = _count_free_slots(session, engine, svc)
    _bulk_bookings(session, svc=svc, staff=staff, client=client, n=990,
                   start=NOW - timedelta(days=30))
    big = _count_free_slots(session, engine, svc)
    big_kept = _count_free_slots(session, engine, svc)
    print(f"\nfree_slots statements: {small} then {small_kept} (10 bookings), "
          f"{big} then {big_kept} (1000 bookings)")
    assert small == big and small_kept == big_kept
    # A miss: the schedule generation, then what the search reads; the same search
    # again, the generation moved by nothing: service, generation, business at most.
    assert big <= 7
    assert big_kept <= 3


@pytest.mark.timing
def test_free_slots_speed_90_days_10_staff_5000_bookings(session, business):
    staff = _ten_staff(session)
    svc = factories.service(session, providers=staff, duration_minutes=60)
    client = factories.client(session)
    _bulk_bookings(session, svc=svc, staff=staff, client=client, n=5000,
                   start=NOW - timedelta(days=30))
    started = time.perf_counter()
    got = slots.free_slots(session, service_id=svc.id, now=NOW, days=90)
    elapsed = time.perf_counter() - started
    print(f"\nfree_slots: 90 days, 10 staff, 5000 bookings: {elapsed * 1000:.0f} ms, "
          f"{len(got)} slots")
    assert got


# --- held runs against the 5-minute units they stand for ---------------------------------------


def _brute_force_free(session, svc, day, staff_id, *, exclude=None):
    """Starts (5-minute grid, 09:00-12:00 hours) whose blocked units miss every lock row."""
    query = select(BookingLock.unit_start).where(BookingLock.staff_id == staff_id)
    if exclude is not None:
        query = query.where(BookingLock.booking_id != exclude)
    held = {u.replace(tzinfo=UTC) if u.tzinfo is None else u for u in session.exec(query)}
    opens = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    closes = opens + timedelta(hours=3)
    out = []
    start = opens
    while start + timedelta(minutes=svc.duration_minutes) <= closes:
        if not any(u in held for u in slots.blocked_units(svc, start)):
            out.append(start)
        start += timedelta(minutes=5)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_held_runs_block_exactly_the_units_of_random_bookings(session, alice, seed):
    rng = random.Random(seed)
    services = [factories.service(session, providers=[alice], duration_minutes=rng.choice((5, 20, 30, 45)),
                                  buffer_before_minutes=rng.choice((0, 5, 10)),
                                  buffer_after_minutes=rng.choice((0, 5, 15)))
                for _ in range(3)]
    client = factories.client(session)
    booked = []
    for _ in range(40):  # the ones that fit are booked, the rest are refused as taken
        svc = rng.choice(services)
        start = datetime.combine(MONDAY, datetime.min.time(), tzinfo=UTC) + timedelta(
            minutes=9 * 60 + 5 * rng.randrange(0, 36))
        with contextlib.suppress(ServiceError):
            booked.append(bookings.book_slot(session, client_id=client.id, service_id=svc.id,
                                             start_at=start, now=NOW, created_by="staff"))
    assert len(booked) >= 3
    for svc in services:
        got = [s.start_at for s in _day(session, svc, step_minutes=5)]
        assert got == _brute_force_free(session, svc, MONDAY, alice.id)
        # A reschedule ignores its own booking's units and nobody else's.
        own = booked[0].id
        got = [s.start_at for s in _day(session, svc, step_minutes=5, exclude_booking_id=own)]
        assert got == _brute_force_free(session, svc, MONDAY, alice.id, exclude=own)
