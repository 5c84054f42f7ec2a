"""When each lesson of a course opens for one student (pure: no database).

A lesson is open when every gate on it is open:
- time: its module's and its own rule — `days` (N days after the enrolment started,
  at the course's `unlock_hour` on the *client's* calendar, in their zone), or
  `date` (that day at that hour, in their zone); staff's `shift_days` moves both;
- condition: its module's and its own `after` rule (another lesson complete), and
  with `course.in_order` the lesson before it (in course order) complete;
- staff's "unlock everything now" (`enrolment.unlocked_all_at`) opens every gate.

A complete lesson stays complete whatever the rules say later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models import Course, CourseModule, DripKind, Enrolment, Lesson

LOCKED = "locked"
OPEN = "open"
COMPLETE = "complete"


@dataclass(frozen=True)
class LessonState:
    lesson_id: int
    status: str  # locked | open | complete
    unlocks_at: datetime | None = None  # locked by time: the UTC moment it opens
    waits_for: int | None = None  # locked by a condition: the lesson to complete first


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def local_moment(day: date, hour: int, zone: str) -> datetime:
    """`hour`:00 on `day` in `zone`, as a UTC moment."""
    hour = min(max(int(hour), 0), 23)
    return datetime.combine(day, time(hour), tzinfo=_zone(zone)).astimezone(UTC)


def time_gate(kind: str, *, days: int, on: date | None, started_at: datetime, shift_days: int,
              hour: int, zone: str) -> datetime | None:
    """The moment a time rule opens (None: no time rule)."""
    if kind == DripKind.DAYS and days > 0:
        start_day = started_at.astimezone(_zone(zone)).date()
        return local_moment(start_day + timedelta(days=days + shift_days), hour, zone)
    if kind == DripKind.DATE and on is not None:
        return local_moment(on + timedelta(days=shift_days), hour, zone)
    if kind == DripKind.DAYS and shift_days > 0:  # "open at once", pushed back by staff
        start_day = started_at.astimezone(_zone(zone)).date()
        return local_moment(start_day + timedelta(days=shift_days), hour, zone)
    return None


def lesson_states(*, course: Course, modules: list[CourseModule], lessons: list[Lesson],
                  enrolment: Enrolment, completed: set[int], zone: str,
                  now: datetime) -> dict[int, LessonState]:
    """Each lesson's state for this student, keyed by lesson id. `lessons` are the
    published lessons in course order (module position, then lesson position)."""
    by_module = {m.id: m for m in modules}
    unlocked_all = enrolment.unlocked_all_at is not None and enrolment.unlocked_all_at <= now
    states: dict[int, LessonState] = {}
    previous: Lesson | None = None
    known = {lesson.id for lesson in lessons}  # a rule on an unpublished lesson is ignored
    for lesson in lessons:
        if lesson.id in completed:
            states[lesson.id] = LessonState(lesson.id, COMPLETE)
            previous = lesson
            continue
        if unlocked_all:
            states[lesson.id] = LessonState(lesson.id, OPEN)
            previous = lesson
            continue
        module = by_module.get(lesson.module_id)
        gates = [g for g in (
            module and time_gate(module.drip_kind, days=module.drip_days, on=module.drip_date,
                                 started_at=enrolment.started_at,
                                 shift_days=enrolment.shift_days, hour=course.unlock_hour,
                                 zone=zone),
            time_gate(lesson.drip_kind, days=lesson.drip_days, on=lesson.drip_date,
                      started_at=enrolment.started_at, shift_days=enrolment.shift_days,
                      hour=course.unlock_hour, zone=zone)) if g is not None]
        opens = max(gates) if gates else None
        waits = [w for w in (
            module.drip_after_lesson_id if module and module.drip_kind == DripKind.AFTER
            else None,
            lesson.drip_after_lesson_id if lesson.drip_kind == DripKind.AFTER else None,
            previous.id if course.in_order and previous is not None else None)
            if w in known and w != lesson.id and w not in completed]
        if opens is not None and opens > now:
            states[lesson.id] = LessonState(lesson.id, LOCKED, unlocks_at=opens,
                                            waits_for=waits[0] if waits else None)
        elif waits:
            states[lesson.id] = LessonState(lesson.id, LOCKED, waits_for=waits[0])
        else:
            states[lesson.id] = LessonState(lesson.id, OPEN)
        previous = lesson
    return states


def next_unlock(states: dict[int, LessonState]) -> datetime | None:
    """The soonest time-based unlock still ahead."""
    moments = [s.unlocks_at for s in states.values() if s.unlocks_at is not None]
    return min(moments) if moments else None
