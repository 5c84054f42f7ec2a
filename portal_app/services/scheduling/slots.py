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

Query count is constant: service, the schedule generation, providers, business,
hours, exceptions and the held runs inside the window, one row per booking (7
statements at most). Providers, hours, exceptions, runs and each local day's free
starts (whatever the notice and horizon, applied per search) are kept per process
at the schedule generation (slot_reads.py): a repeated search reads the service,
the generation and the business row only.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import Service
from models.scheduling import UNIT_MINUTES
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError, get_by_id
from portal_app.services.scheduling.slot_reads import (  # noqa: F401 - also this module's API
    active_provider_ids,
    free_days,
    generation,
    held_runs,
    load_hours,
)
from portal_app.services.scheduling.slot_time import (  # noqa: F401 - also this module's API
    _edge_min,
    _from_min,
    _merge,
    _to_min,
    day_intervals,
    wall_to_utc,
    zone_of,
)

DAY_MINUTES = 24 * 60
_UNBOUNDED = 2**62  # epoch minutes beyond any start


@dataclass(frozen=True)
class Slot:
    start_at: datetime  # aware UTC
    staff_ids: tuple[int, ...]


def business_zone(session: Session) -> ZoneInfo:
    """The business's time zone (all weekly hours are wall times in it)."""
    return zone_of(get_business(session).timezone)


def _check_aware(dt: datetime, field: str = "start_at") -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ServiceError("Times must carry a time zone.", field=field)
    return dt.astimezone(UTC)


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


def _load_plan(session: Session, *, service: Service, staff_ids: list[int], tz: ZoneInfo,
               first_day: date, last_day: date, exclude_booking_id: int | None,
               earliest: int | None = None, gen: int | None = None) -> _Plan:
    """Hours, exceptions and the held runs of the window: three statements, fewer
    when kept at the schedule generation `gen` (slot_reads.py).

    The lock rows come back one row per booking (its first and last unit), not
    one per 5-minute unit: a booking's units are contiguous."""
    weekly, extras, offs = load_hours(session, staff_ids=staff_ids, first_day=first_day,
                                      last_day=last_day, gen=gen)
    busy: dict = {}
    if staff_ids:
        # Lock rows inside the window only: from the first local midnight less the
        # buffer before, to the last local midnight plus the service and its buffers.
        before = timedelta(minutes=service.buffer_before_minutes + UNIT_MINUTES)
        after = timedelta(minutes=service.duration_minutes + service.buffer_after_minutes
                          + UNIT_MINUTES)
        lo = datetime.combine(first_day, time(), tzinfo=tz).astimezone(UTC) - before
        if earliest is not None:  # no start before `earliest` (epoch minutes) is offered:
            # the units before its blocked range cannot matter (today's past hours).
            lo = max(lo, _from_min(earliest - service.buffer_before_minutes - UNIT_MINUTES))
        hi = datetime.combine(last_day + timedelta(days=1), time(),
                              tzinfo=tz).astimezone(UTC) + after
        busy = held_runs(session, staff_ids=staff_ids, lo=lo, hi=hi,
                         exclude_booking_id=exclude_booking_id, gen=gen)
    return _Plan(service, tz, staff_ids, weekly, extras, offs, busy)


def _interval_candidates(plan: _Plan, day: date, s: int, e: int, s_min: int,
                         e_min: int, step: int) -> Iterable[int]:
    """Epoch-minute starts on the wall-clock grid that fit inside the working interval
    [s, e) of `day` (local minutes; [s_min, e_min] its edges in epoch minutes)."""
    duration = plan.service.duration_minutes
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


def _candidates(plan: _Plan, staff_id: int, day: date, step: int) -> Iterable[int]:
    """Epoch-minute starts on the wall-clock grid that fit inside a working interval."""
    for s, e in plan.intervals(staff_id, day):
        yield from _interval_candidates(plan, day, s, e, _edge_min(day, s, plan.tz),
                                        _edge_min(day, e, plan.tz), step)


def _free_starts(plan: _Plan, staff_id: int, day: date, step: int, earliest: int,
                 latest: int, edge) -> list[int]:
    """The free starts of one staff member on one local date, in [earliest, latest]:
    `_candidates` filtered by `blocked_free`, by the same rules. Where the interval
    has no offset change (nearly always) the grid is a plain range and the held runs
    are walked once with the candidates instead of searched per candidate."""
    out: list[int] = []
    duration, before, after = plan.service.duration_minutes, plan.before, plan.after
    starts, ends = plan.busy.get(staff_id) or ((), ())
    count = len(ends)
    for s, e in plan.intervals(staff_id, day):
        s_min, e_min = edge(day, s), edge(day, e)
        if e_min - s_min != e - s:  # an offset change inside: wall time by wall time
            out.extend(start for start in _interval_candidates(plan, day, s, e, s_min, e_min,
                                                               step)
                       if earliest <= start <= latest and plan.blocked_free(staff_id, start))
            continue
        # The grid s_min + k*step, each start < e_min and ending by e_min.
        first = s_min
        if earliest > first:
            first += -((first - earliest) // step) * step  # (the grid's next start)
        last = min(e_min - duration, e_min - 1, latest)
        if first > last:
            continue
        lo = first - before
        j = bisect.bisect_right(ends, lo - lo % UNIT_MINUTES)
        for start in range(first, last + 1, step):
            lo = start - before
            lo -= lo % UNIT_MINUTES
            while j < count and ends[j] <= lo:
                j += 1
            if j == count or starts[j] >= start + after:
                out.append(start)
    return out


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
    gen = generation(session)
    staff_ids = active_provider_ids(session, service.id, gen)
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
    # A day's free starts are kept at the generation for any "now" (computed without the
    # notice and horizon, which are applied below), unless draft hours stand in.
    keep = gen is not None and draft_hours is None
    engine = session.get_bind()
    all_days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    found = {day: free_days.get((engine, gen, service.id, staff_id, day, step_minutes,
                                 exclude_booking_id)) if keep else None for day in all_days}
    missing = [day for day in all_days if found[day] is None]
    if missing:
        found.update(_compute_days(session, service=service, staff_ids=staff_ids, tz=tz,
                                   days=missing, step=step_minutes,
                                   exclude_booking_id=exclude_booking_id, gen=gen,
                                   earliest=None if keep else earliest,
                                   draft=(staff_id, draft_hours)))
        if keep:
            for day in missing:
                free_days.put((engine, gen, service.id, staff_id, day, step_minutes,
                               exclude_booking_id), found[day])
    out: list[Slot] = []
    for day in all_days:
        starts, day_slots = found[day]
        out.extend(day_slots[bisect.bisect_left(starts, earliest):
                             bisect.bisect_right(starts, latest)])
    return out


def _compute_days(session: Session, *, service: Service, staff_ids: list[int], tz: ZoneInfo,
                  days: list[date], step: int, exclude_booking_id: int | None,
                  gen: int | None, earliest: int | None, draft: tuple) -> dict:
    """day -> (sorted starts in epoch minutes, their Slots) for each of `days` (in
    order), whatever the notice and horizon; `earliest` only narrows the held runs read
    (the caller drops the starts before it)."""
    plan = _load_plan(session, service=service, staff_ids=staff_ids, tz=tz, earliest=earliest,
                      first_day=days[0], last_day=days[-1],
                      exclude_booking_id=exclude_booking_id, gen=gen)
    staff_id, draft_hours = draft
    if staff_id is not None and draft_hours is not None:
        plan.weekly = defaultdict(list)
        for weekday, start, end in draft_hours:
            plan.weekly[(staff_id, weekday)].append((start, end))
    edges: dict[tuple[date, int], int] = {}  # (staff share their hours: each edge once)

    def edge(day: date, minute: int) -> int:
        key = (day, minute)
        if key not in edges:
            edges[key] = _edge_min(day, minute, tz)
        return edges[key]

    out = {}
    for day in days:
        by_start: dict[int, list[int]] = defaultdict(list)
        for sid in staff_ids:
            for start in _free_starts(plan, sid, day, step, -_UNBOUNDED, _UNBOUNDED, edge):
                by_start[start].append(sid)
        starts = sorted(by_start)
        out[day] = (starts, tuple(Slot(_from_min(start), tuple(sorted(set(by_start[start]))))
                                  for start in starts))
    return out


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
    gen = generation(session)
    providers = active_provider_ids(session, service.id, gen)
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
                      last_day=day, exclude_booking_id=exclude_booking_id, gen=gen)
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
