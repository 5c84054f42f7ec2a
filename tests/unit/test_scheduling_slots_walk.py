"""The slot search's fast walk (`_free_starts`: a range of grid starts and one pass over
the held runs) against the rules' reference (`_candidates` filtered by `blocked_free`),
on random hours, exceptions, buffers, bookings and notice, across DST changes."""

import random
from datetime import date
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from portal_app.services.scheduling import slots

DAYS = [date(2027, 3, 14), date(2027, 3, 15), date(2027, 11, 7), date(2027, 3, 28),
        date(2027, 10, 31), date(2027, 6, 2)]  # US and EU changes, and an ordinary day
ZONES = ["America/New_York", "Europe/Madrid", "UTC", "Australia/Lord_Howe", "Asia/Kolkata"]


def _plan(rng: random.Random, zone: str, day: date) -> slots._Plan:
    service = SimpleNamespace(duration_minutes=rng.choice([5, 15, 30, 45, 60, 90, 240]),
                              buffer_before_minutes=rng.choice([0, 0, 5, 10, 15]),
                              buffer_after_minutes=rng.choice([0, 5, 15, 30]))
    weekly = [(m, m + rng.choice([30, 60, 180, 300, 600])) for m in
              sorted(rng.sample(range(0, 20 * 60, 5), rng.randint(1, 3)))]
    extras = [(m, m + 60) for m in rng.sample(range(0, 23 * 60, 5), rng.randint(0, 1))]
    offs = [(m, m + rng.choice([15, 45, 120])) for m in
            rng.sample(range(0, 23 * 60, 5), rng.randint(0, 2))]
    tz = ZoneInfo(zone)
    base = slots._edge_min(day, 0, tz)
    runs, at = [], base - 24 * 60
    while at < base + 2 * 24 * 60:
        at += rng.choice([5, 10, 20, 45, 90, 180])
        length = rng.choice([5, 15, 60, 75, 120])
        runs.append((at, at + length))
        at += length
    busy = {1: ([s for s, _ in runs], [e for _, e in runs])} if rng.random() < 0.9 else {}
    return slots._Plan(service, tz, [1], {(1, day.weekday()): weekly},
                       {(1, day): extras}, {(1, day): offs}, busy)


@pytest.mark.parametrize("zone", ZONES)
def test_the_walk_finds_the_reference_starts(zone):
    rng = random.Random(zone)
    for _ in range(150):
        day = rng.choice(DAYS)
        plan = _plan(rng, zone, day)
        step = rng.choice([5, 15, 30, 60])
        base = slots._edge_min(day, 0, plan.tz)
        earliest = base + rng.choice([-600, 0, 7 * 60 + 3, 11 * 60, 30 * 60])
        latest = base + rng.choice([60 * 24 * 10, 9 * 60, 14 * 60 + 7])
        want = [s for s in slots._candidates(plan, 1, day, step)
                if earliest <= s <= latest and plan.blocked_free(1, s)]

        def edge(d, minute):
            return slots._edge_min(d, minute, plan.tz)

        assert slots._free_starts(plan, 1, day, step, earliest, latest, edge) == want


def test_a_booking_ending_before_the_notice_still_blocks_through_the_buffer(session):
    """The held runs are read from just before the first start the notice allows (less
    the buffer before it): a booking that ends there still blocks that first start."""
    from datetime import UTC, datetime

    from portal_app.services.scheduling import bookings
    from tests import factories

    factories.business(session, timezone="UTC")
    alice = factories.staff(session)
    factories.working_hours(session, alice, (0, "08:00", "12:00"))
    plain = factories.service(session, providers=[alice], duration_minutes=45)
    client = factories.client(session)
    bookings.book_slot(session, client_id=client.id, service_id=plain.id,
                       start_at=datetime(2030, 5, 6, 9, 0, tzinfo=UTC),
                       now=datetime(2030, 5, 1, tzinfo=UTC))  # holds 09:00-09:45
    svc = factories.service(session, providers=[alice], duration_minutes=30,
                            buffer_before_minutes=30, min_notice_minutes=120)
    now = datetime(2030, 5, 6, 8, 0, tzinfo=UTC)  # the notice: nothing before 10:00
    got = slots.free_slots(session, service_id=svc.id, now=now, days=1)
    # 10:00 needs 09:30-10:30 free (the 30-minute buffer before it): 09:30-09:45 is held.
    assert [s.start_at.strftime("%H:%M") for s in got][:2] == ["10:15", "10:30"]
