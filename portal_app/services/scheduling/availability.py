"""Staff availability: weekly working hours and date exceptions (business time zone)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlmodel import Session, select

from models import AvailabilityException, Service, ServiceProvider, StaffUser, WorkingHours
from models.scheduling import UNIT_MINUTES
from portal_app.services.audit import record_audit
from portal_app.services.errors import ServiceError, get_by_id
from portal_app.services.scheduling import slots

# "09:30", or "09:30:00" as a browser's time input may send it.
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")
KINDS = ("off", "extra")
DAY_MINUTES = 24 * 60


def parse_hhmm(raw: object, *, field: str, allow_midnight_end: bool = False) -> int:
    """"09:30" -> 570 minutes; "24:00" only as an end, where "00:00" also means
    midnight at the end of the day (a time picker cannot say 24:00). Minutes must be
    a multiple of 5."""
    match = _HHMM.match(str(raw or "").strip())
    if not match:
        raise ServiceError("Enter a time such as 09:00.", field=field)
    hours, minutes = int(match.group(1)), int(match.group(2))
    total = hours * 60 + minutes
    if minutes > 59 or total > 24 * 60 or (total == 24 * 60 and not allow_midnight_end):
        raise ServiceError("Enter a time between 00:00 and 24:00.", field=field)
    if total % UNIT_MINUTES:
        raise ServiceError("Use times in steps of 5 minutes.", field=field)
    if allow_midnight_end and total == 0:
        return DAY_MINUTES
    return total


def format_hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _staff(session: Session, staff_id: object) -> StaffUser:
    return get_by_id(session, StaffUser, staff_id, "That staff member does not exist.")


@dataclass
class WeekCheck:
    """A week of intervals, checked: the valid ones and a message per wrong row."""

    intervals: list[tuple[int, int, int]] = field(default_factory=list)  # (weekday, start, end)
    errors: dict[int, str] = field(default_factory=dict)  # row index -> message


class HoursInvalid(ServiceError):
    """Weekly hours with wrong rows; `row_errors` maps each row's index to its message."""

    def __init__(self, row_errors: dict[int, str]):
        super().__init__("Some intervals need fixing (marked below); nothing was saved.",
                         field="hours")
        self.row_errors = row_errors


def check_week(rows: list[dict]) -> WeekCheck:
    """Check a week of interval rows ({"weekday", "start", "end"}) without saving.

    Each row: a day 0-6, a start and an end on the 5-minute grid, the end after the
    start ("00:00" or "24:00" as an end is midnight at the day's end). Rows of one
    day must not overlap (touching is fine): the row that starts inside an earlier
    one is the one marked. A day without rows is a day off."""
    check = WeekCheck()
    valid: list[tuple[int, int, int, int]] = []  # (weekday, start, index, end)
    for index, row in enumerate(rows or []):
        try:
            weekday = int(row.get("weekday"))
            if not 0 <= weekday <= 6:
                raise ValueError
        except (TypeError, ValueError, AttributeError):
            check.errors[index] = "Choose a day of the week."
            continue
        try:
            if not str(row.get("start") or "").strip():
                raise ServiceError("Enter a start time.")
            if not str(row.get("end") or "").strip():
                raise ServiceError("Enter an end time.")
            start = parse_hhmm(row.get("start"), field="start")
            end = parse_hhmm(row.get("end"), field="end", allow_midnight_end=True)
            if end <= start:
                raise ServiceError("The end must be after the start (for hours past "
                                   "midnight, add an interval on the next day).")
        except ServiceError as exc:
            check.errors[index] = exc.message
            continue
        valid.append((weekday, start, index, end))
    valid.sort()
    last: dict[int, tuple[int, int]] = {}  # weekday -> the latest-ending interval so far
    for weekday, start, index, end in valid:
        before = last.get(weekday)
        if before is not None and start < before[1]:
            check.errors[index] = (f"Overlaps {format_hhmm(before[0])}–{format_hhmm(before[1])}"
                                   " on the same day.")
            continue
        if before is None or end > before[1]:
            last[weekday] = (start, end)
        check.intervals.append((weekday, start, end))
    if check.errors:
        check.intervals = []
    return check


def set_weekly_hours(session: Session, *, staff_id_actor: int, staff_id: int,
                     hours: list[dict]) -> None:
    """Replace a staff member's weekly hours; all or nothing (`HoursInvalid`, field
    "hours", with a message per wrong row)."""
    staff = _staff(session, staff_id)
    check = check_week(hours)
    if check.errors:
        raise HoursInvalid(check.errors)
    parsed = check.intervals
    session.exec(delete(WorkingHours).where(WorkingHours.staff_id == staff.id))
    for weekday, start, end in parsed:
        session.add(WorkingHours(staff_id=staff.id, weekday=weekday, start_minute=start,
                                 end_minute=end))
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id_actor,
                 action="availability.hours_set", staff_id=staff.id,
                 hours=[[d, format_hhmm(s), format_hhmm(e)] for d, s, e in parsed])


def weekly_hours(session: Session, *, staff_id: int) -> list[dict]:
    rows = session.exec(select(WorkingHours).where(WorkingHours.staff_id == staff_id)
                        .order_by(WorkingHours.weekday, WorkingHours.start_minute)).all()
    return [{"weekday": r.weekday, "start": format_hhmm(r.start_minute),
             "end": format_hhmm(r.end_minute)} for r in rows]


@dataclass(frozen=True)
class ExceptionCheck:
    day: date
    kind: str
    start: int
    end: int
    note: str


def check_exception(*, day: object, kind: object, start: object = "", end: object = "",
                    note: object = "", all_day: bool | None = None,
                    zone: str = "UTC") -> ExceptionCheck:
    """Check one exception without saving; a ServiceError names the field at fault.

    Time off is a whole day (`all_day`, or no times given) or from-to times; extra
    hours always need times. Times follow the weekly rules (5-minute grid, end after
    start, "00:00" as an end is midnight) and are wall times in the business zone
    `zone`: times that do not exist that day at all (inside the hour the clocks skip)
    are refused."""
    try:
        the_day = date.fromisoformat(str(day or "").strip())
    except ValueError:
        raise ServiceError("Enter a date such as 2030-05-01.", field="day") from None
    if kind not in KINDS:
        raise ServiceError("Choose time off or extra hours.", field="kind")
    start, end = str(start or "").strip(), str(end or "").strip()
    whole = all_day if all_day is not None else (kind == "off" and not start and not end)
    if whole and kind == "extra":
        raise ServiceError("Extra hours need a start and an end time.", field="all_day")
    if whole:
        start_minute, end_minute = 0, DAY_MINUTES
    else:
        if not start:
            raise ServiceError("Enter a start time.", field="start")
        if not end:
            raise ServiceError("Enter an end time.", field="end")
        start_minute = parse_hhmm(start, field="start")
        end_minute = parse_hhmm(end, field="end", allow_midnight_end=True)
        if end_minute <= start_minute:
            raise ServiceError("The end time must be after the start time.", field="end")
        tz = slots.zone_of(zone)
        if all(slots.wall_to_utc(the_day, m, tz) is None
               for m in range(start_minute, end_minute, UNIT_MINUTES)):
            raise ServiceError("Those times do not exist on that day: the clocks change.",
                               field="start")
    note = " ".join(str(note or "").split())
    if len(note) > 200:
        raise ServiceError("Use at most 200 characters.", field="note")
    return ExceptionCheck(the_day, str(kind), start_minute, end_minute, note)


def add_exception(session: Session, *, staff_id_actor: int, staff_id: int, day: str, kind: str,
                  start: str = "", end: str = "", note: str = "",
                  all_day: bool | None = None) -> AvailabilityException:
    """Time off ("off", whole day when no times) or extra hours ("extra", times required),
    checked by `check_exception` in the business zone."""
    staff = _staff(session, staff_id)
    checked = check_exception(day=day, kind=kind, start=start, end=end, note=note,
                              all_day=all_day, zone=slots.business_zone(session).key)
    exception = AvailabilityException(staff_id=staff.id, day=checked.day, kind=checked.kind,
                                      start_minute=checked.start, end_minute=checked.end,
                                      note=checked.note)
    session.add(exception)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id_actor,
                 action="availability.exception_added", staff_id=staff.id,
                 exception_id=exception.id, day=checked.day.isoformat(), kind=checked.kind,
                 start=format_hhmm(checked.start), end=format_hhmm(checked.end))
    return exception


def delete_exception(session: Session, *, exception_id: object,
                     staff_id_actor: int | None = None) -> None:
    exception = get_by_id(session, AvailabilityException, exception_id,
                          "That exception does not exist.")
    eid = exception.id
    session.delete(exception)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id_actor,
                 action="availability.exception_deleted", staff_id=exception.staff_id,
                 exception_id=eid, day=exception.day.isoformat(), kind=exception.kind)


def list_exceptions(session: Session, *, staff_id: int,
                    from_day: date) -> list[AvailabilityException]:
    return list(session.exec(
        select(AvailabilityException)
        .where(AvailabilityException.staff_id == staff_id, AvailabilityException.day >= from_day)
        .order_by(AvailabilityException.day, AvailabilityException.start_minute)
    ).all())


def services_of(session: Session, *, staff_id: int) -> list[Service]:
    """The active services a staff member provides, by name (the preview's choices)."""
    return list(session.exec(
        select(Service).join(ServiceProvider, ServiceProvider.service_id == Service.id)
        .where(ServiceProvider.staff_id == staff_id, Service.active == True)  # noqa: E712
        .order_by(Service.name, Service.id)).all())


def preview_slots(session: Session, *, staff_id: int, service_id: object, now: datetime,
                  start_day: date, days: int = 7,
                  draft: list[tuple[int, int, int]] | None = None) -> list[datetime]:
    """Start times clients could book with this staff member for the service over
    `days` local dates, by the clients' slot service (`slots.free_slots`: notice,
    horizon, buffers, bookings, exceptions). With `draft` (checked intervals from
    `check_week`) those weekly hours stand in for the saved ones, nothing saved."""
    found = slots.free_slots(session, service_id=service_id, now=now, start_day=start_day,
                             days=days, staff_id=staff_id, draft_hours=draft)
    return [slot.start_at for slot in found]


def zone_name(session: Session) -> str:
    """The business zone's name ("America/New_York"): the wall clock of all hours."""
    zone: ZoneInfo = slots.business_zone(session)
    return zone.key
