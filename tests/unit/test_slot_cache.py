"""The slot search's reads kept per process (services/scheduling/slot_reads.py) at the
schedule generation the database's triggers move (models/schedule_generation.py): a
repeated search reads only the generation, and every kind of change, written here
through another engine as another worker, the CLI or raw SQL would, is seen by the
very next search — the same answer as a search with nothing kept."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from models import BookingLock
from portal_app.db import make_engine
from portal_app.services.scheduling import availability, bookings, slot_reads, slots
from tests import factories
from tests.sql import statements_of
from tests.unit.helpers import NOW

MONDAY = date(2030, 5, 6)  # NOW is Wednesday 2030-05-01 09:00 UTC


def _at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _setup(engine) -> dict:
    """Two providers (Monday 09:00-12:00) of a one-hour service; a booking of Ana's
    at 09:00 Monday; all committed."""
    with Session(engine) as s:
        factories.business(s, timezone="UTC")
        ana, bob = factories.staff(s), factories.staff(s)
        for person in (ana, bob):
            factories.working_hours(s, person, (0, "09:00", "12:00"))
        svc = factories.service(s, providers=[ana, bob], duration_minutes=60)
        client = factories.client(s)
        booking = bookings.book_slot(s, client_id=client.id, service_id=svc.id,
                                     start_at=_at(9), now=NOW, created_by="staff",
                                     staff_id=ana.id, by_staff_id=ana.id)
        s.commit()
        return {"ana": ana.id, "bob": bob.id, "svc": svc.id, "client": client.id,
                "booking": booking.id}


def _search(engine, ids, **kw) -> list[tuple[datetime, tuple[int, ...]]]:
    """One search, in its own transaction (as an event runs it)."""
    with Session(engine) as s:
        got = slots.free_slots(s, service_id=ids["svc"],
                               **{"now": NOW, "start_day": MONDAY, "days": 7, **kw})
        s.commit()
    return [(slot.start_at, slot.staff_ids) for slot in got]


def _unkept(engine, ids, **kw):
    """The same search with nothing kept: every row read as it is now."""
    slot_reads.clear()
    return _search(engine, ids, **kw)


def _elsewhere(engine, work) -> None:
    """`work(session, raw)` on another engine on the same file (another worker), committed."""
    other = make_engine(str(engine.url))
    try:
        with Session(other) as s:
            work(s, lambda sql, **params: s.connection().execute(text(sql), params))
            s.commit()
    finally:
        other.dispose()


# name -> work(session, raw, ids): one of each kind of change the search depends on.
CHANGES = {
    "booking made": lambda s, raw, ids: bookings.book_slot(
        s, client_id=ids["client"], service_id=ids["svc"], start_at=_at(10), now=NOW,
        created_by="staff", staff_id=ids["bob"], by_staff_id=ids["bob"]),
    "booking cancelled": lambda s, raw, ids: bookings.cancel_booking(
        s, client_id=None, booking_id=ids["booking"], now=NOW, by_staff_id=ids["ana"]),
    "booking moved": lambda s, raw, ids: bookings.reschedule_booking(
        s, client_id=None, booking_id=ids["booking"], new_start=_at(11), now=NOW,
        by_staff_id=ids["ana"]),
    "locks inserted by raw SQL": lambda s, raw, ids: [
        raw("INSERT INTO booking_lock (booking_id, staff_id, unit_start) VALUES (:b, :s, :u)",
            b=ids["booking"], s=ids["bob"], u=_at(10, m).strftime("%Y-%m-%d %H:%M:%S.000000"))
        for m in range(0, 60, 5)],
    "locks deleted by raw SQL": lambda s, raw, ids: raw(
        "DELETE FROM booking_lock WHERE booking_id = :b", b=ids["booking"]),
    "hours changed by raw SQL": lambda s, raw, ids: raw(
        "UPDATE working_hours SET end_minute = 600 WHERE staff_id = :s", s=ids["bob"]),
    "hours replaced": lambda s, raw, ids: availability.set_weekly_hours(
        s, staff_id_actor=ids["ana"], staff_id=ids["bob"],
        hours=[{"weekday": 1, "start": "13:00", "end": "15:00"}]),
    "exception added": lambda s, raw, ids: availability.add_exception(
        s, staff_id_actor=ids["ana"], staff_id=ids["bob"], day=MONDAY.isoformat(),
        kind="off"),
    "staff switched off": lambda s, raw, ids: raw(
        "UPDATE staff_user SET active = 0 WHERE id = :s", s=ids["bob"]),
    "provider removed": lambda s, raw, ids: raw(
        "DELETE FROM service_provider WHERE staff_id = :s", s=ids["bob"]),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_by_another_writer_is_seen_by_the_next_search(engine, change):
    ids = _setup(engine)
    before = _search(engine, ids)
    assert _search(engine, ids) == before and slot_reads.kept() > 0
    _elsewhere(engine, lambda s, raw: CHANGES[change](s, raw, ids))
    after = _search(engine, ids)
    assert after != before  # (the change matters to the answer)
    assert after == _unkept(engine, ids)


def test_a_repeated_search_reads_only_the_generation(engine):
    ids = _setup(engine)
    first = statements_of(engine, lambda: _search(engine, ids))
    again = statements_of(engine, lambda: _search(engine, ids))
    assert len(first) == 7
    # The service row, the generation, the business row (read per transaction).
    assert len(again) == 3, again
    assert not any("booking_lock" in sql or "working_hours" in sql for sql in again)


def test_a_reschedules_own_time_is_left_out_of_kept_runs_too(engine):
    ids = _setup(engine)
    plain = _search(engine, ids)
    excluding = _search(engine, ids, exclude_booking_id=ids["booking"])
    assert excluding != plain  # Ana's 09:00 is free for the booking being moved
    assert excluding == _unkept(engine, ids, exclude_booking_id=ids["booking"])
    assert _search(engine, ids) == plain


def test_a_booking_across_midnight_utc_holds_both_days(engine):
    ids = _setup(engine)
    sunday = MONDAY - timedelta(days=1)
    with Session(engine) as s:
        factories.working_hours(s, ids["ana"], (6, "22:00", "23:59"), (0, "00:00", "02:00"))
        # A second booking whose held units are Sunday 23:30 to Monday 00:30.
        other = bookings.book_slot(s, client_id=ids["client"], service_id=ids["svc"],
                                   start_at=_at(10), now=NOW, created_by="staff",
                                   staff_id=ids["bob"], by_staff_id=ids["bob"])
        s.connection().execute(text("DELETE FROM booking_lock WHERE booking_id = :b"),
                               {"b": other.id})
        s.add_all(BookingLock(booking_id=other.id, staff_id=ids["ana"],
                              unit_start=_at(23, 30, sunday) + timedelta(minutes=m))
                  for m in range(0, 60, 5))
        s.commit()
    slot_reads.clear()
    got = _search(engine, ids, start_day=sunday, days=2)
    ana = {start for start, staff in got if ids["ana"] in staff}
    assert _at(22, 30, sunday) in ana  # ends as the booking begins
    assert _at(22, 45, sunday) not in ana  # runs into it
    assert _at(0, 15) not in ana  # begins inside it
    assert _at(0, 30) in ana  # the first start after it
    assert got == _search(engine, ids, start_day=sunday, days=2)


def test_a_transaction_that_wrote_sees_its_own_changes_and_keeps_nothing(engine):
    ids = _setup(engine)
    before = _search(engine, ids)
    with Session(engine) as s:
        s.connection().execute(text("DELETE FROM booking_lock WHERE booking_id = :b"),
                               {"b": ids["booking"]})
        mine = [(slot.start_at, slot.staff_ids) for slot in slots.free_slots(
            s, service_id=ids["svc"], now=NOW, start_day=MONDAY, days=7)]
        assert mine != before
        s.rollback()
    assert _search(engine, ids) == before == _unkept(engine, ids)


@pytest.mark.postgres
def test_on_postgres_a_change_is_seen_at_commit_and_by_its_own_transaction(pg_url):
    engine = make_engine(pg_url)
    slot_reads.clear()
    try:
        SQLModel.metadata.create_all(engine)
        ids = _setup(engine)
        before = _search(engine, ids)
        assert _search(engine, ids) == before
        with Session(engine) as writer:
            bookings.cancel_booking(writer, client_id=None, booking_id=ids["booking"],
                                    now=NOW, by_staff_id=ids["ana"])
            writer.flush()
            # Its own search sees the freed time (the counter moves only at commit).
            mine = [(slot.start_at, slot.staff_ids) for slot in slots.free_slots(
                writer, service_id=ids["svc"], now=NOW, start_day=MONDAY, days=7)]
            assert mine != before
            # Not committed yet: others still see the booking.
            assert _search(engine, ids) == before
            writer.commit()
        after = _search(engine, ids)
        assert after == mine == _unkept(engine, ids)
    finally:
        slot_reads.clear()
        engine.dispose()


def test_a_kept_day_still_applies_the_notice_and_horizon_of_each_search(engine):
    ids = _setup(engine)
    with Session(engine) as s:
        s.connection().execute(text("UPDATE service SET min_notice_minutes = 60, "
                                    "horizon_days = 7 WHERE id = :i"), {"i": ids["svc"]})
        s.commit()
    early = NOW.replace(day=6, hour=8, minute=30)  # Monday 08:30: 09:00 is too soon
    late = NOW.replace(day=6, hour=9, minute=50)  # 11:00 is the first start far enough
    next_monday = MONDAY + timedelta(days=7)
    first = _search(engine, ids, now=early, days=8)
    again = _search(engine, ids, now=late, days=8)
    assert min(start for start, _staff in first) == _at(9, 30)
    assert min(start for start, _staff in again) == _at(11)
    assert again == _unkept(engine, ids, now=late, days=8)
    assert _search(engine, ids, now=early, days=8) == first \
        == _unkept(engine, ids, now=early, days=8)
    # Seven days from Monday 08:30 / 09:50: the next Monday up to 08:30 / 09:50.
    assert max(start for start, _staff in first) == _at(11)
    assert max(start for start, _staff in again) == _at(9, 45, next_monday)
