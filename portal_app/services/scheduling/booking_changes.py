"""Booking changes with their notice: each function makes one change through
`bookings` and queues the client's email (and bell line) in the same
transaction, so a change and its notice are written together or not at all
(the outbox rule). Which notice a change sends is decided here, once, not by
the page that asked for it.

Client changes (client_id given): a booking or a move that waits for the
business's approval sends "request received" / "change requested" instead of
a confirmation. Staff changes (client_id None) always confirm.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import Booking, BookingStatus
from portal_app.services.activation import activate_on_first_booking
from portal_app.services.booking_notices import notify_booking
from portal_app.services.forms import hooks as form_hooks
from portal_app.services.scheduling import bookings


def booked_event(booking: Booking) -> str:
    """The notice of a new booking: a request while it waits for approval."""
    return "requested" if booking.status == BookingStatus.PENDING else "confirmed"


def moved_event(booking: Booking, *, by_client: bool) -> str:
    """The notice of a move: a client's move that waits for approval says so."""
    if by_client and booking.status == BookingStatus.PENDING:
        return "rescheduled_pending"
    return "rescheduled"


def book_with_notice(session: Session, *, client_id: int, service_id: object,
                     start_at: datetime, now: datetime, base_url: str,
                     by_staff_id: int | None = None, staff_id: int | None = None) -> Booking:
    """`bookings.book_slot` by the client, or for them by staff (`by_staff_id`), with
    any free provider or with `staff_id`."""
    extra = {} if by_staff_id is None else {"created_by": "staff", "by_staff_id": by_staff_id}
    if staff_id is not None:
        extra["staff_id"] = staff_id
    booking = bookings.book_slot(session, client_id=client_id, service_id=service_id,
                                 start_at=start_at, now=now, **extra)
    notify_booking(session, booking=booking, event=booked_event(booking), base_url=base_url)
    # When the business activates portals at the first booking (once per client).
    activate_on_first_booking(session, client_id=booking.client_id, base_url=base_url,
                              staff_id=by_staff_id, now=now)
    # Packets sent at the first booking, for this service, or at the first confirmation.
    form_hooks.on_booking_made(session, booking=booking, base_url=base_url, now=now)
    return booking


def reschedule_with_notice(session: Session, *, client_id: int | None, booking_id: object,
                           new_start: datetime, now: datetime, base_url: str,
                           by_staff_id: int | None = None) -> Booking:
    """`bookings.reschedule_booking` (client rules when `client_id` is given)."""
    booking = bookings.reschedule_booking(session, client_id=client_id, booking_id=booking_id,
                                          new_start=new_start, now=now,
                                          by_staff_id=by_staff_id)
    notify_booking(session, booking=booking, base_url=base_url,
                   event=moved_event(booking, by_client=client_id is not None))
    return booking


def cancel_with_notice(session: Session, *, client_id: int | None, booking_id: object,
                       now: datetime, base_url: str, by_staff_id: int | None = None) -> Booking:
    """`bookings.cancel_booking` (client rules when `client_id` is given)."""
    booking = bookings.cancel_booking(session, client_id=client_id, booking_id=booking_id,
                                      now=now, by_staff_id=by_staff_id)
    notify_booking(session, booking=booking, event="cancelled", base_url=base_url)
    return booking


def approve_with_notice(session: Session, *, staff_id: int, booking_id: object,
                        base_url: str) -> Booking:
    booking = bookings.approve_booking(session, staff_id=staff_id, booking_id=booking_id)
    notify_booking(session, booking=booking, event="approved", base_url=base_url)
    form_hooks.on_booking_confirmed(session, booking=booking, base_url=base_url)
    return booking


def decline_with_notice(session: Session, *, staff_id: int, booking_id: object, message: str,
                        base_url: str) -> Booking:
    """Decline a request; the staff message goes on the booking and into the email."""
    message = str(message or "")[:1000]
    booking = bookings.decline_booking(session, staff_id=staff_id, booking_id=booking_id,
                                       message=message)
    notify_booking(session, booking=booking, event="declined", base_url=base_url, note=message)
    return booking
