"""Where a booking is listed: the one rule for the client's pages and the console.

A person reads "Upcoming" as "what I still have to go to", so a booking is in
exactly one of three groups:

- UPCOMING: it still holds its time (pending approval or confirmed) and has not
  ended (`end_at > now`); one under way stays upcoming until it ends.
- ENDED: it held its time and has ended (`end_at <= now`).
- CANCELLED: cancelled (by the client or the business) or a declined request,
  whatever its date. It will not happen, so it is never listed as upcoming, even
  when its date is still ahead.

Who shows what:
- client's Bookings page: "Upcoming" = UPCOMING; "Past" = ENDED and CANCELLED
  (newest first, each with its status badge); the dashboard's next appointments
  are the first UPCOMING ones;
- console's Bookings: "Upcoming" = UPCOMING ("Pending requests" = the pending
  ones among them); "Recently ended" = ENDED confirmed ones (to invoice);
  "Cancelled" = recent CANCELLED ones.

`group_of` says it for one booking; the `*_clause` functions say the same in SQL
for the list queries (`bookings.list_client_bookings`, `list_staff_bookings`), so
a page and a query can never disagree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, not_
from sqlmodel import col

from models import Booking, BookingStatus

UPCOMING = "upcoming"
ENDED = "ended"
CANCELLED = "cancelled"
GROUPS = (UPCOMING, ENDED, CANCELLED)


def group_of(*, status: str, end_at: datetime, now: datetime) -> str:
    """UPCOMING, ENDED or CANCELLED (see the module docstring)."""
    if status not in BookingStatus.HOLDS_TIME:
        return CANCELLED
    return UPCOMING if end_at > now else ENDED


def upcoming_clause(now: datetime) -> ColumnElement[bool]:
    """SQL for `group_of(...) == UPCOMING`."""
    return and_(col(Booking.status).in_(BookingStatus.HOLDS_TIME), col(Booking.end_at) > now)


def not_upcoming_clause(now: datetime) -> ColumnElement[bool]:
    """SQL for ENDED or CANCELLED: the client's "Past"."""
    return not_(upcoming_clause(now))


def ended_clause(now: datetime) -> ColumnElement[bool]:
    """SQL for `group_of(...) == ENDED`."""
    return and_(col(Booking.status).in_(BookingStatus.HOLDS_TIME), col(Booking.end_at) <= now)


def cancelled_clause() -> ColumnElement[bool]:
    """SQL for `group_of(...) == CANCELLED`."""
    return col(Booking.status).not_in(BookingStatus.HOLDS_TIME)
