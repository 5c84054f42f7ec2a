"""The client's and the console's booking lists (read side of bookings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, and_, select

from models import Booking, BookingStatus, Client, Service, StaffUser
from models.base import UTCDateTime
from portal_app.services import reads
from portal_app.services.scheduling import booking_groups as groups


def _hours(n: int) -> str:
    return "1 hour" if n == 1 else f"{n} hours"


def _window_open(start_at: datetime, window_hours: int, now: datetime) -> bool:
    return now < start_at - timedelta(hours=window_hours)


def _window_refusal(status: str, start_at: datetime, window_hours: int, now: datetime) -> str:
    if status not in BookingStatus.HOLDS_TIME:
        return "This booking is no longer active."
    if _window_open(start_at, window_hours, now):
        return ""
    if now >= start_at:
        return "This appointment has already started. Please contact us."
    return f"Changes are not possible within {_hours(window_hours)} of the start. Please contact us."



@dataclass(frozen=True)
class BookingView:
    id: int
    service_name: str
    staff_name: str
    start_at: datetime
    end_at: datetime
    status: str
    location: str
    video_link: str
    needs_approval: bool
    change_window_hours: int

    def change_refusal(self, now: datetime) -> str:
        """Why the client may not change or cancel it now; "" when they may."""
        return _window_refusal(self.status, self.start_at, self.change_window_hours, now)

    def refusal_shown(self, now: datetime) -> str:
        """The refusal a list shows beside it: only for a booking still ahead or under
        way ("" too for one that ended or no longer holds its time)."""
        if groups.group_of(status=self.status, end_at=self.end_at, now=now) != groups.UPCOMING:
            return ""
        return self.change_refusal(now)


@dataclass(frozen=True)
class StaffBookingView:
    id: int
    client_id: int
    client_name: str
    service_id: int
    service_name: str
    staff_id: int
    staff_name: str
    start_at: datetime
    end_at: datetime
    status: str
    created_by: str
    staff_message: str


# --- helpers -------------------------------------------------------------------------------



def list_client_bookings(session: Session, *, client_id: int, now: datetime, upcoming: bool,
                         limit: int = 50) -> list[BookingView]:
    """A client's upcoming (by start) or past (newest first) bookings, in one query.

    Upcoming and past as `booking_groups` says: past holds the ended and the
    cancelled or declined ones, even those whose date is still ahead.
    """
    rows = reads.run(session, _client_bookings_statement(bool(upcoming)),
                     client_id=int(client_id), now=now, limit=int(limit))
    return [BookingView(*row) for row in rows]


@cache
def _client_bookings_statement(upcoming: bool):
    """A client's upcoming or past bookings with their service's and staff member's
    columns (a BookingView's, in its order), built once per group."""
    now = bindparam("now", type_=UTCDateTime)
    query = (select(Booking.id, Service.name, StaffUser.full_name, Booking.start_at,
                    Booking.end_at, Booking.status, Service.location, Service.video_link,
                    Service.needs_approval, Service.change_window_hours)
             .join(Service, Service.id == Booking.service_id)
             .join(StaffUser, StaffUser.id == Booking.staff_id)
             .where(Booking.client_id == bindparam("client_id", type_=Integer)))
    if upcoming:
        query = query.where(groups.upcoming_clause(now)).order_by(Booking.start_at, Booking.id)
    else:
        query = query.where(groups.not_upcoming_clause(now))
        query = query.order_by(Booking.start_at.desc(), Booking.id.desc())
    return query.limit(bindparam("limit", type_=Integer))


def list_staff_bookings(session: Session, *, now: datetime, status: str = "",
                        group: str = groups.UPCOMING, since: datetime | None = None,
                        limit: int = 100) -> list[StaffBookingView]:
    """One group of bookings (`booking_groups`) by start, in one query, optionally of
    one status: UPCOMING at `now` (the default), or CANCELLED ones ending after
    `since` (default `now`: those whose time is still ahead)."""
    if group == groups.UPCOMING:
        where = groups.upcoming_clause(now)
    elif group == groups.CANCELLED:
        where = and_(groups.cancelled_clause(), Booking.end_at > (since or now))
    else:
        raise ValueError(group)  # a programming error: no such group
    query = (select(Booking, Service, StaffUser, Client)
             .join(Service, Service.id == Booking.service_id)
             .join(StaffUser, StaffUser.id == Booking.staff_id)
             .join(Client, Client.id == Booking.client_id)
             .where(where))
    if status:
        query = query.where(Booking.status == status)
    rows = session.exec(query.order_by(Booking.start_at, Booking.id).limit(limit)).all()
    return [StaffBookingView(b.id, c.id, c.full_name, s.id, s.name, st.id, st.full_name,
                             b.start_at, b.end_at, b.status, b.created_by, b.staff_message)
            for b, s, st, c in rows]


# --- reminders -----------------------------------------------------------------------------
