"""Staff availability: weekly working hours and date exceptions (business time zone)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import delete
from sqlmodel import Session, select

from models import AvailabilityException, StaffUser, WorkingHours
from models.scheduling import UNIT_MINUTES
from portal_app.services.audit import record_audit
from portal_app.services.errors import ServiceError, get_by_id

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
KINDS = ("off", "extra")


def parse_hhmm(raw: object, *, field: str, allow_midnight_end: bool = False) -> int:
    """"09:30" -> 570 minutes; "24:00" only as an end. Minutes must be a multiple of 5."""
    match = _HHMM.match(str(raw or "").strip())
    if not match:
        raise ServiceError("Enter a time such as 09:00.", field=field)
    hours, minutes = int(match.group(1)), int(match.group(2))
    total = hours * 60 + minutes
    if minutes > 59 or total > 24 * 60 or (total == 24 * 60 and not allow_midnight_end):
        raise ServiceError("Enter a time between 00:00 and 24:00.", field=field)
    if total % UNIT_MINUTES:
        raise ServiceError("Use times in steps of 5 minutes.", field=field)
    return total


def format_hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _staff(session: Session, staff_id: object) -> StaffUser:
    return get_by_id(session, StaffUser, staff_id, "That staff member does not exist.")


def set_weekly_hours(session: Session, *, staff_id_actor: int, staff_id: int,
                     hours: list[dict]) -> None:
    """Replace a staff member's weekly hours; errors use field "hours"."""
    staff = _staff(session, staff_id)
    parsed: list[tuple[int, int, int]] = []
    for item in hours or []:
        try:
            weekday = int(item.get("weekday"))
        except (TypeError, ValueError, AttributeError):
            raise ServiceError("Choose a day of the week.", field="hours") from None
        if not 0 <= weekday <= 6:
            raise ServiceError("Choose a day of the week.", field="hours")
        start = parse_hhmm(item.get("start"), field="hours")
        end = parse_hhmm(item.get("end"), field="hours", allow_midnight_end=True)
        if end <= start:
            raise ServiceError("Each end time must be after its start time.", field="hours")
        parsed.append((weekday, start, end))
    parsed.sort()
    for (d1, _s1, e1), (d2, s2, _e2) in zip(parsed, parsed[1:], strict=False):
        if d1 == d2 and s2 < e1:
            raise ServiceError("Working hours on the same day must not overlap.", field="hours")
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


def add_exception(session: Session, *, staff_id_actor: int, staff_id: int, day: str, kind: str,
                  start: str = "", end: str = "", note: str = "") -> AvailabilityException:
    """Time off ("off", whole day when no times) or extra hours ("extra", times required)."""
    staff = _staff(session, staff_id)
    try:
        the_day = date.fromisoformat(str(day or "").strip())
    except ValueError:
        raise ServiceError("Enter a date such as 2030-05-01.", field="day") from None
    if kind not in KINDS:
        raise ServiceError("Choose time off or extra hours.", field="kind")
    start, end = str(start or "").strip(), str(end or "").strip()
    if kind == "off" and not start and not end:
        start_minute, end_minute = 0, 24 * 60
    else:
        if not start:
            raise ServiceError("Enter a start time.", field="start")
        if not end:
            raise ServiceError("Enter an end time.", field="end")
        start_minute = parse_hhmm(start, field="start")
        end_minute = parse_hhmm(end, field="end", allow_midnight_end=True)
        if end_minute <= start_minute:
            raise ServiceError("The end time must be after the start time.", field="end")
    note = " ".join(str(note or "").split())
    if len(note) > 200:
        raise ServiceError("Use at most 200 characters.", field="note")
    exception = AvailabilityException(staff_id=staff.id, day=the_day, kind=kind,
                                      start_minute=start_minute, end_minute=end_minute, note=note)
    session.add(exception)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id_actor,
                 action="availability.exception_added", staff_id=staff.id,
                 exception_id=exception.id, day=the_day.isoformat(), kind=kind,
                 start=format_hhmm(start_minute), end=format_hhmm(end_minute))
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
