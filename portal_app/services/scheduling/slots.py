"""Free start times for a service.

Rules (one implementation, shared by `free_slots`, `is_free` and booking):

- Weekly hours are wall-clock times in the business time zone
  (`Business.timezone`). For each local date, a staff member's working
  intervals are the weekly hours of that weekday plus the "extra" exceptions
  of the date, minus its "off" exceptions (computed in local minutes).
- Interval ends are converted to UTC for that specific date with `zoneinfo`.
  An end inside a spring-forward gap moves to the instant the gap ends.
- Candidate starts lie on the wall-clock grid `interval start + k * step`.
  A wall time that does not exist (spring-forward gap) is skipped; an
  ambiguous one (fall-back) means its first occurrence (fold=0). So a local
  time is offered at most once per day.
- A candidate is free when [start, start + duration] lies inside the
  interval (in real time) and no 5-minute unit of the blocked range
  [start - buffer_before, start + duration + buffer_after] is held by a
  `BookingLock` row of that staff member (locks of `exclude_booking_id` are
  ignored, for reschedules).
- For clients: now + min_notice <= start <= now + horizon_days.

Query count is constant: service, providers, business, hours, exceptions and
the held runs inside the window, one row per booking (6 statements at most).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, func, select

from models import (
    AvailabilityException,
    BookingLock,
    Service,
    ServiceProvider,
    StaffUser,
    WorkingHours,
)
from models.scheduling import UNIT_MINUTES
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError, get_by_id

DAY_MINUTES = 24 * 60
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Slot:
    start_at: datetime  # aware UTC
    staff_ids: tuple[int, ...]


# --- time helpers --------------------------------------------------------------------------


def zone_of(name: str | None) -> ZoneInfo:
    """A ZoneInfo for a zone name; UTC when empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def business_zone(session: Session) -> ZoneInfo:
    """The business's time zone (all weekly hours are wall times in it)."""
    return zone_of(get_business(session).timezone)


def _to_min(dt: datetime) -> int:
    """Aware datetime -> whole minutes since the epoch."""
    return int((dt - _EPOCH).total_seconds() // 60)


def _from_min(minutes: int) -> datetime:
    return _EPOCH + timedelta(minutes=minutes)


def _check_aware(dt: datetime, field: str = "start_at") -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ServiceError("Times must carry a time zone.", field=field)
    return dt.astimezone(UTC)


def wall_to_utc(day: date, minute: int, tz: ZoneInfo) -> datetime | None:
    """Local wall time (minutes from midnight of `day`, 1440 = next midnight) in UTC.

    None when that wall time does not exist (spring-forward gap); fold=0 for an
    ambiguous one (fall-back).
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    utc = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        return None
    return utc


def _edge_min(day: date, minute: int, tz: ZoneInfo) -> int:
    """An interval edge in epoch minutes; an edge inside a gap moves to the gap's end."""
    for shift in range(0, 4 * 60 + 1):
        utc = wall_to_utc(day, minute + shift, tz)
        if utc is not None:
            return _to_min(utc)
    raise ValueError("no valid wall time near the edge")  # pragma: no cover - no such zone


# --- intervals -----------------------------------------------------------------------------


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _subtract(intervals: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in intervals:
        pieces = [(s, e)]
        for hs, he in holes:
            nxt = []
            for ps, pe in pieces:
                if he <= ps or hs >= pe:
                    nxt.append((ps, pe))
                    continue
                if hs > ps:
                    nxt.append((ps, hs))
                if he < pe:
                    nxt.append((he, pe))
            pieces = nxt
        out.extend(pieces)
    return out


def day_intervals(weekly: list[tuple[int, int]], extras: list[tuple[int, int]],
                  offs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Working intervals of one local date, in local minutes from midnight."""
    return _subtract(_merge([*weekly, *extras]), _merge(offs))


# --- the shared computation ----------------------------------------------------------------


@dataclass
class _Plan:
    service: Service
    tz: ZoneInfo
    staff_ids: list[int]
    weekly: dict[tuple[int, int], list[tuple[int, int]]]  # (staff, weekday) -> intervals
    extras: dict[tuple[int, date], list[tuple[int, int]]]
    offs: dict[tuple[int, date], list[tuple[int, int]]]
    # staff -> held runs as (sorted starts, matching ends) in epoch minutes; one run per
    # booking (its units are contiguous), runs of one staff member never overlap.
    busy: dict[int, tuple[list[int], list[int]]]

    def __post_init__(self) -> None:
        # Plain ints: the model's attributes cost an ORM lookup per candidate.
        self.before = self.service.buffer_before_minutes
        self.after = self.service.duration_minutes + self.service.buffer_after_minutes

    def intervals(self, staff_id: int, day: date) -> list[tuple[int, int]]:
        return day_intervals(self.weekly.get((staff_id, day.weekday()), []),
                             self.extras.get((staff_id, day), []),
                             self.offs.get((staff_id, day), []))

    def blocked_free(self, staff_id: int, start_min: int) -> bool:
        lo = start_min - self.before
        hi = start_min + self.after
        lo -= lo % UNIT_MINUTES  # units are aligned to 5 minutes
        runs = self.busy.get(staff_id)
        if not runs:
            return True
        starts, ends = runs
        i = bisect.bisect_right(ends, lo)  # the first run ending after lo
        return i == len(ends) or starts[i] >= hi


def load_service(session: Session, service_id: object) -> Service:
    return get_by_id(session, Service, service_id, "That service does not exist.")


def active_provider_ids(session: Session, service_id: int) -> list[int]:
    """Active staff members who provide the service, by id."""
    return list(session.exec(
        select(ServiceProvider.staff_id)
        .join(StaffUser, StaffUser.id == ServiceProvider.staff_id)
        .where(ServiceProvider.service_id == service_id, StaffUser.active == True)  # noqa: E712
        .order_by(ServiceProvider.staff_id)
    ).all())


def load_hours(session: Session, *, staff_ids: list[int], first_day: date,
               last_day: date) -> tuple[dict, dict, dict]:
    """(weekly, extra, off) intervals of these staff: weekly by (staff, weekday),
    exceptions by (staff, day) within the window; two statements."""
    weekly: dict = defaultdict(list)
    extras: dict = defaultdict(list)
    offs: dict = defaultdict(list)
    if staff_ids:
        for wh in session.exec(select(WorkingHours).where(WorkingHours.staff_id.in_(staff_ids))):
            weekly[(wh.staff_id, wh.weekday)].append((wh.start_minute, wh.end_minute))
        for ex in session.exec(select(AvailabilityException).where(
                AvailabilityException.staff_id.in_(staff_ids),
                AvailabilityException.day >= first_day,
                AvailabilityException.day <= last_day)):
            target = offs if ex.kind == "off" else extras
            target[(ex.staff_id, ex.day)].append((ex.start_minute, ex.end_minute))
    return weekly, extras, offs


def _load_plan(session: Session, *, service: Service, staff_ids: list[int], tz: ZoneInfo,
               first_day: date, last_day: date, exclude_booking_id: int | None) -> _Plan:
    """Hours, exceptions and the held runs of the window: three statements.

    The lock rows come back one row per booking (its first and last unit), not
    one per 5-minute unit: a booking's units are contiguous."""
    weekly, extras, offs = load_hours(session, staff_ids=staff_ids, first_day=first_day,
                                      last_day=last_day)
    runs: dict = defaultdict(list)
    if staff_ids:
        # Lock rows inside the window only (a day of margin covers any UTC offset).
        margin = timedelta(days=1, minutes=service.buffer_before_minutes
                           + service.buffer_after_minutes + UNIT_MINUTES)
        lo = datetime.combine(first_day, time(), tzinfo=UTC) - margin
        hi = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=UTC) + margin
        query = (select(BookingLock.staff_id, func.min(BookingLock.unit_start),
                        func.max(BookingLock.unit_start))
                 .where(BookingLock.staff_id.in_(staff_ids),
                        BookingLock.unit_start >= lo, BookingLock.unit_start < hi)
                 .group_by(BookingLock.booking_id, BookingLock.staff_id))
        if exclude_booking_id is not None:
            query = query.where(BookingLock.booking_id != exclude_booking_id)
        for sid, first, last in session.exec(query):
            runs[sid].append((_to_min(first), _to_min(last) + UNIT_MINUTES))
    busy = {}
    for sid, pairs in runs.items():
        pairs.sort()
        busy[sid] = ([s for s, _ in pairs], [e for _, e in pairs])
    return _Plan(service, tz, staff_ids, weekly, extras, offs, busy)


def _candidates(plan: _Plan, staff_id: int, day: date, step: int) -> Iterable[int]:
    """Epoch-minute starts on the wall-clock grid that fit inside a working interval."""
    duration = plan.service.duration_minutes
    for s, e in plan.intervals(staff_id, day):
        s_min = _edge_min(day, s, plan.tz)
        e_min = _edge_min(day, e, plan.tz)
        fixed = (e_min - s_min) == (e - s)  # no offset change inside: plain arithmetic
        m = s
        while m < e:
            if fixed:
                start = s_min + (m - s)
            else:
                utc = wall_to_utc(day, m, plan.tz)
                if utc is None:  # does not exist locally
                    m += step
                    continue
                start = _to_min(utc)
            if start + duration > e_min:
                if fixed:
                    break
            elif start >= s_min:
                yield start
            m += step


def _bounds(service: Service, now: datetime, enforce_limits: bool) -> tuple[int | None, int | None]:
    if not enforce_limits:
        return None, None
    now_min = _to_min(now)
    # A start must be at or after now + notice; sub-minute "now" rounds up.
    if now.second or now.microsecond:
        now_min += 1
    return (now_min + service.min_notice_minutes,
            _to_min(now) + service.horizon_days * DAY_MINUTES)


def free_slots(session: Session, *, service_id: int, now: datetime, start_day: date | None = None,
               days: int = 14, step_minutes: int = 15, exclude_booking_id: int | None = None,
               staff_id: int | None = None,
               draft_hours: list[tuple[int, int, int]] | None = None) -> list[Slot]:
    """Free starts of a service over `days` local dates from `start_day` (business zone).

    `staff_id` keeps one provider only; `draft_hours` ((weekday, start, end) local
    minutes, already checked) then stand in for that provider's saved weekly hours:
    the availability editor's preview of hours not yet saved, by the same rules."""
    now = _check_aware(now, "now")
    if step_minutes < UNIT_MINUTES or step_minutes % UNIT_MINUTES:
        raise ServiceError("The step must be a multiple of 5 minutes.", field="step_minutes")
    service = load_service(session, service_id)
    if not service.active:
        return []
    staff_ids = active_provider_ids(session, service.id)
    if staff_id is not None:
        staff_ids = [sid for sid in staff_ids if sid == staff_id]
    tz = business_zone(session)
    earliest, latest = _bounds(service, now, True)
    first_day = start_day or now.astimezone(tz).date()
    last_day = first_day + timedelta(days=max(days, 0) - 1)
    # Never look past the horizon (nor before the notice), whatever the caller asks.
    first_day = max(first_day, _from_min(earliest).astimezone(tz).date() - timedelta(days=1))
    last_day = min(last_day, _from_min(latest).astimezone(tz).date())
    if last_day < first_day or not staff_ids:
        return []
    plan = _load_plan(session, service=service, staff_ids=staff_ids, tz=tz, first_day=first_day,
                      last_day=last_day, exclude_booking_id=exclude_booking_id)
    if staff_id is not None and draft_hours is not None:
        plan.weekly = defaultdict(list)
        for weekday, start, end in draft_hours:
            plan.weekly[(staff_id, weekday)].append((start, end))
    by_start: dict[int, list[int]] = defaultdict(list)
    day = first_day
    while day <= last_day:
        for sid in staff_ids:
            for start in _candidates(plan, sid, day, step_minutes):
                if start < earliest or start > latest:
                    continue
                if plan.blocked_free(sid, start):
                    by_start[start].append(sid)
        day += timedelta(days=1)
    return [Slot(_from_min(start), tuple(sorted(set(ids)))) for start, ids in sorted(by_start.items())]


def free_staff_at(session: Session, *, service: Service, start_at: datetime, now: datetime,
                  staff_ids: list[int] | None = None, enforce_limits: bool = True,
                  exclude_booking_id: int | None = None) -> list[int]:
    """Providers (of `staff_ids`, default all active providers) free to start at `start_at`.

    The start need not be on a step grid, but must be a whole 5 minutes of local time.
    """
    start_at = _check_aware(start_at)
    now = _check_aware(now, "now")
    if start_at.second or start_at.microsecond:
        return []
    providers = active_provider_ids(session, service.id)
    if staff_ids is not None:
        providers = [sid for sid in providers if sid in staff_ids]
    if not providers:
        return []
    start = _to_min(start_at)
    earliest, latest = _bounds(service, now, enforce_limits)
    if earliest is not None and (start < earliest or start > latest):
        return []
    tz = business_zone(session)
    local = start_at.astimezone(tz)
    if (local.hour * 60 + local.minute) % UNIT_MINUTES:
        return []
    day = local.date()
    plan = _load_plan(session, service=service, staff_ids=providers, tz=tz, first_day=day,
                      last_day=day, exclude_booking_id=exclude_booking_id)
    free = []
    for sid in providers:
        for s, e in plan.intervals(sid, day):
            s_min, e_min = _edge_min(day, s, tz), _edge_min(day, e, tz)
            if s_min <= start and start + service.duration_minutes <= e_min:
                if plan.blocked_free(sid, start):
                    free.append(sid)
                break
    return free


def is_free(session: Session, *, service_id: int, staff_id: int, start_at: datetime,
            now: datetime, exclude_booking_id: int | None = None) -> bool:
    """Whether `staff_id` can start `service_id` at `start_at` (client rules: notice, horizon)."""
    service = load_service(session, service_id)
    if not service.active:
        return False
    return staff_id in free_staff_at(session, service=service, start_at=start_at, now=now,
                                     staff_ids=[staff_id],
                                     exclude_booking_id=exclude_booking_id)


def blocked_units(service: Service, start_at: datetime) -> list[datetime]:
    """The 5-minute units a booking of `service` at `start_at` holds (buffers included)."""
    start = _to_min(_check_aware(start_at))
    lo = start - service.buffer_before_minutes
    hi = start + service.duration_minutes + service.buffer_after_minutes
    lo -= lo % UNIT_MINUTES
    return [_from_min(m) for m in range(lo, hi, UNIT_MINUTES)]
