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
