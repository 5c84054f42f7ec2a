"""The ranges a superbill is asked for: this month, last month, one session (its day),
or days someone typed. Refusals name the field they belong beside."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import Booking, BookingStatus, Service
from models.base import utcnow
from portal_app.services.billing.statements.ranges import last_month, parse_range, this_month
from portal_app.services.errors import NotFound, ServiceError, parse_id

MAX_DAYS = 366
CHOICES = ("this_month", "last_month", "session", "custom")
NO_SESSION = "Choose one of your sessions."
BAD_ORDER = "The first day must be on or before the last day."
TOO_LONG = "Choose a range of at most a year."


def check_range(start: object, end: object) -> tuple[date, date]:
    if not isinstance(start, date):
        raise ServiceError("Choose the first day of the superbill.", field="start")
    if not isinstance(end, date):
        raise ServiceError("Choose the last day of the superbill.", field="end")
    if start > end:
        raise ServiceError(BAD_ORDER, field="start")
    if (end - start).days > MAX_DAYS:
        raise ServiceError(TOO_LONG, field="start")
    return start, end


def session_day(session: Session, *, client_id: int, booking_id: object, zone: str) -> date:
    """The day of one of this client's confirmed bookings (anyone else's is NotFound)."""
    try:
        booking = session.get(Booking, parse_id(booking_id, NO_SESSION))
    except NotFound:
        raise ServiceError(NO_SESSION, field="booking") from None
    if booking is None or booking.client_id != client_id \
            or booking.status != BookingStatus.CONFIRMED:
        raise ServiceError(NO_SESSION, field="booking")
    return booking.start_at.astimezone(ZoneInfo(zone or "UTC")).date()


def pick_range(session: Session, *, client_id: int, zone: str, choice: object,
               start: object = "", end: object = "", booking_id: object = "",
               today: date | None = None) -> tuple[date, date]:
    """The (first, last) day a client or staff member chose."""
    if choice == "this_month":
        return this_month(zone, today)
    if choice == "last_month":
        return last_month(zone, today)
    if choice == "session":
        day = session_day(session, client_id=client_id, booking_id=booking_id, zone=zone)
        return day, day
    if choice == "custom":
        return check_range(*parse_range(start, end))
    raise ServiceError("Choose a range.", field="choice")


def recent_sessions(session: Session, *, client_id: int, zone: str, limit: int = 60
                    ) -> list[tuple[int, date, str]]:
    """(booking id, day on the client's calendar, service name) of the client's attended
    sessions, newest first: the choices of "a session" (one query)."""
    tz = ZoneInfo(zone or "UTC")
    rows = session.exec(
        select(Booking.id, Booking.start_at, Service.name)
        .join(Service, Service.id == Booking.service_id)
        .where(Booking.client_id == client_id, Booking.status == BookingStatus.CONFIRMED,
               Booking.end_at <= utcnow())
        .order_by(Booking.start_at.desc()).limit(limit)
    ).all()
    return [(bid, start.astimezone(tz).date(), name) for bid, start, name in rows]
