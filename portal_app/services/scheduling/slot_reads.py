"""The slot search's reads (providers, hours and exceptions, held runs), kept in this
process between searches and checked against the schedule generation
(models/schedule_generation.py: the counter the database's triggers move with every
change of what the search reads).

A search reads the generation once (`generation`); while it is the one an entry was
filled at, the entry stands. Held runs are kept per (staff member, UTC day), so two
searches over overlapping windows (another week, another service's buffers) share
them; a window already assembled is kept too, and `free_days` keeps the search's
answer per local day (slots.free_slots). Any other generation, a database
without the counter, or a transaction that has written (its own uncommitted
changes would otherwise be kept for others, or on PostgreSQL not be seen by the
counter until commit): the rows are read as they are, and nothing is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import Date, Integer, bindparam
from sqlmodel import Session, func, select

from models import AvailabilityException, BookingLock, ServiceProvider, StaffUser, WorkingHours
from models.base import UTCDateTime
from models.scheduling import UNIT_MINUTES
from portal_app.services.scheduling.slot_time import _from_min, _to_min

DAY_MINUTES = 24 * 60
MAX_ENTRIES = 8_192  # per kind: (staff, day) runs, windows, hours, providers

_READ_SQLITE = "SELECT value FROM schedule_generation WHERE id = 1"
# On PostgreSQL the counter moves at commit: a transaction that has written (it has a
# transaction id) would read its own changes under the old number.
_READ_PG = ("SELECT value, txid_current_if_assigned() IS NULL "
            "FROM schedule_generation WHERE id = 1")


class _Lru:
    def __init__(self) -> None:
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        entry = self._entries.get(key)
        if entry is not None:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
        return entry

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_runs_by_day = _Lru()  # (engine, gen, staff, day) -> ((start, end, booking), ...) epoch minutes
_windows = _Lru()  # (engine, gen, staff ids, first day, last day, exclude) -> busy
_hours = _Lru()  # (engine, gen, staff ids, first, last) -> (weekly, extras, offs)
_providers = _Lru()  # (engine, gen, service) -> [staff ids]
# (engine, gen, service, staff filter, local day, step, exclude) -> (starts, Slots) of the
# day whatever the notice and horizon (slots.free_slots fills and reads it)
free_days = _Lru()


def clear() -> None:
    """Forget everything kept (tests)."""
    for kept in (_runs_by_day, _windows, _hours, _providers, free_days):
        kept.clear()


def kept() -> int:
    return len(_runs_by_day) + len(_windows) + len(_hours) + len(_providers) + len(free_days)


def generation(session: Session) -> int | None:
    """The schedule generation now, as this transaction sees it; None when nothing may
    be kept or taken (no counter, or this transaction has written)."""
    session.flush()  # (what the ORM's autoflush did)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        row = conn.exec_driver_sql(_READ_PG).first()
        return row[0] if row is not None and row[1] else None
    if conn.dialect.name != "sqlite":
        return None
    # pysqlite begins a transaction only before a write: one open means this one wrote.
    if getattr(conn.connection.dbapi_connection, "in_transaction", True):
        return None
    return conn.exec_driver_sql(_READ_SQLITE).scalar()


# --- providers -------------------------------------------------------------------------------


@cache
def _providers_statement():
    return (select(ServiceProvider.staff_id)
            .join(StaffUser, StaffUser.id == ServiceProvider.staff_id)
            .where(ServiceProvider.service_id == bindparam("service_id", type_=Integer),
                   StaffUser.active == True)  # noqa: E712
            .order_by(ServiceProvider.staff_id))


def active_provider_ids(session: Session, service_id: int,
                        gen: int | None = None) -> list[int]:
    """Active staff members who provide the service, by id (kept at `gen`)."""
    key = (session.get_bind(), gen, int(service_id))
    if gen is not None and (got := _providers.get(key)) is not None:
        return list(got)
    session.flush()  # (what the ORM's autoflush did)
    ids = list(session.connection().execute(_providers_statement(),
                                            {"service_id": int(service_id)}).scalars())
    if gen is not None:
        _providers.put(key, tuple(ids))
    return ids


# --- hours and exceptions --------------------------------------------------------------------


@cache
def _hours_statements():
    """The weekly hours and the exceptions of some staff (the ids an expanding bound
    parameter), built once: building the expressions costs more than running them."""
    ids = bindparam("ids", expanding=True)
    weekly = select(WorkingHours.staff_id, WorkingHours.weekday, WorkingHours.start_minute,
                    WorkingHours.end_minute).where(WorkingHours.staff_id.in_(ids))
    exceptions = (select(AvailabilityException.staff_id, AvailabilityException.day,
                         AvailabilityException.kind, AvailabilityException.start_minute,
                         AvailabilityException.end_minute)
                  .where(AvailabilityException.staff_id.in_(ids),
                         AvailabilityException.day >= bindparam("first", type_=Date),
                         AvailabilityException.day <= bindparam("last", type_=Date)))
    return weekly, exceptions


def load_hours(session: Session, *, staff_ids: list[int], first_day: date,
               last_day: date, gen: int | None = None) -> tuple[dict, dict, dict]:
    """(weekly, extra, off) intervals of these staff: weekly by (staff, weekday),
    exceptions by (staff, day) within the window; two statements (none when kept at
    `gen`). The caller may replace the dicts it gets, not change them."""
    key = (session.get_bind(), gen, tuple(staff_ids), first_day, last_day)
    if gen is not None and (got := _hours.get(key)) is not None:
        return got
    weekly: dict = defaultdict(list)
    extras: dict = defaultdict(list)
    offs: dict = defaultdict(list)
    if staff_ids:
        session.flush()  # (what the ORM's autoflush did: rows added but not flushed count)
        conn = session.connection()
        hours, exceptions = _hours_statements()
        for staff, weekday, start, end in conn.execute(hours, {"ids": list(staff_ids)}):
            weekly[(staff, weekday)].append((start, end))
        for staff, day, kind, start, end in conn.execute(
                exceptions, {"ids": list(staff_ids), "first": first_day, "last": last_day}):
            target = offs if kind == "off" else extras
            target[(staff, day)].append((start, end))
    if gen is not None:
        # Plain dicts: a kept one must not grow keys when a later search looks one up.
        got = (dict(weekly), dict(extras), dict(offs))
        _hours.put(key, got)
        return got
    return weekly, extras, offs


# --- held runs -------------------------------------------------------------------------------


@cache
def _runs_statement():
    """The held runs of some staff inside a range, one row per booking (its first and
    last unit inside the range)."""
    return (select(BookingLock.staff_id, BookingLock.booking_id,
                   func.min(BookingLock.unit_start), func.max(BookingLock.unit_start))
            .where(BookingLock.staff_id.in_(bindparam("ids", expanding=True)),
                   BookingLock.unit_start >= bindparam("lo", type_=UTCDateTime),
                   BookingLock.unit_start < bindparam("hi", type_=UTCDateTime))
            .group_by(BookingLock.booking_id, BookingLock.staff_id))


def _read_days(session: Session, staff_ids: list[int], first: int, last: int) -> dict:
    """(staff, day) -> sorted ((start, end, booking), ...) for the UTC days first..last
    (day numbers since the epoch), every pair present; one statement."""
    by_day: dict = {(sid, day): [] for sid in staff_ids for day in range(first, last + 1)}
    rows = session.connection().execute(_runs_statement(), {
        "ids": list(staff_ids), "lo": _from_min(first * DAY_MINUTES),
        "hi": _from_min((last + 1) * DAY_MINUTES)})
    for sid, booking, lo, hi in rows:
        start, end = _to_min(lo), _to_min(hi) + UNIT_MINUTES
        while start < end:  # one piece per UTC day it covers
            cut = min(end, (start // DAY_MINUTES + 1) * DAY_MINUTES)
            by_day[(sid, start // DAY_MINUTES)].append((start, cut, booking))
            start = cut
    return {key: tuple(sorted(runs)) for key, runs in by_day.items()}


def held_runs(session: Session, *, staff_ids: list[int], lo: datetime, hi: datetime,
              exclude_booking_id: int | None, gen: int | None) -> dict:
    """staff -> (sorted starts, matching ends) in epoch minutes of the time held by
    bookings (but `exclude_booking_id`'s) from `lo` to `hi`, whole UTC days around
    them; the pieces of one booking (split at midnight) joined again. At most one
    statement; none when every (staff, day) is kept at `gen`."""
    first = _to_min(lo.astimezone(UTC)) // DAY_MINUTES
    last = (_to_min(hi.astimezone(UTC)) - 1) // DAY_MINUTES
    engine = session.get_bind()
    window = (engine, gen, tuple(staff_ids), first, last, exclude_booking_id)
    if gen is not None and (got := _windows.get(window)) is not None:
        return got
    days = {}
    if gen is not None:
        for sid in staff_ids:
            for day in range(first, last + 1):
                days[(sid, day)] = _runs_by_day.get((engine, gen, sid, day))
    missing = [key for key, runs in days.items() if runs is None] if gen is not None else None
    if missing is None or missing:
        # What is missing, read in one statement: its staff over its days.
        staff = sorted({sid for sid, _day in missing}) if missing else list(staff_ids)
        lo_day = min(day for _sid, day in missing) if missing else first
        hi_day = max(day for _sid, day in missing) if missing else last
        read = _read_days(session, staff, lo_day, hi_day)
        if gen is not None:
            for (sid, day), runs in read.items():
                _runs_by_day.put((engine, gen, sid, day), runs)
        days.update(read)
    busy = {}
    for sid in staff_ids:
        starts: list[int] = []
        ends: list[int] = []
        for day in range(first, last + 1):
            for start, end, booking in days[(sid, day)]:
                if booking == exclude_booking_id:
                    continue
                if ends and ends[-1] == start:  # a booking across midnight, or back to back
                    ends[-1] = end
                else:
                    starts.append(start)
                    ends.append(end)
        if starts:
            busy[sid] = (starts, ends)
    if gen is not None:
        _windows.put(window, busy)
    return busy
