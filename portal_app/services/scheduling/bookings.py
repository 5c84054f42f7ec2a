"""Bookings: create, reschedule, cancel, approve/decline, lists and reminders.

Double booking is impossible by construction: a booking writes one
`BookingLock` row per 5-minute unit of its blocked time (buffers included),
unique per (staff_id, unit_start). When two requests race for the same time,
the loser's flush raises IntegrityError; we roll the session back and raise
`SlotTaken`. (No SAVEPOINT: with pysqlite releasing an outer savepoint commits.)
So a SlotTaken leaves the caller's session rolled back: nothing else written in
the same transaction survives.

Change window rule: a client may change or cancel only while
`now < start_at - change_window_hours` (at exactly the boundary it is refused).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import Booking, BookingLock, BookingStatus, Client, Service
from portal_app.services.audit import record_audit
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.hub.offer_grants import grant_for_booking
from portal_app.services.scheduling.booking_lists import (  # noqa: F401 (callers import them from here)
    BookingView,
    StaffBookingView,
    _window_open,
    _window_refusal,
    list_client_bookings,
    list_staff_bookings,
)
from portal_app.services.scheduling.slots import (
    _check_aware,
    active_provider_ids,
    blocked_units,
    free_staff_at,
    load_service,
)

SLOT_TAKEN = "That time was just taken. Please choose another."
CREATORS = ("client", "staff")


NO_BOOKING = "That booking does not exist."


class SlotTaken(ServiceError):
    def __init__(self, message: str = SLOT_TAKEN):
        super().__init__(message, field="start_at")


def _write_locks(session: Session, booking: Booking, service: Service) -> None:
    """Insert the booking's lock rows and flush; a lost race becomes SlotTaken."""
    for unit in blocked_units(service, booking.start_at):
        session.add(BookingLock(booking_id=booking.id, staff_id=booking.staff_id, unit_start=unit))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise SlotTaken() from None


def _free_locks(session: Session, booking_id: int) -> None:
    session.exec(delete(BookingLock).where(BookingLock.booking_id == booking_id))


def get_booking_for(session: Session, *, client_id: int, booking_id: object) -> Booking:
    """The booking, only if it belongs to `client_id` (else NotFound, never saying which)."""
    booking = session.exec(select(Booking).where(
        Booking.id == parse_id(booking_id, NO_BOOKING), Booking.client_id == client_id)).first()
    if booking is None:
        raise NotFound(NO_BOOKING)
    return booking


def _get_booking(session: Session, booking_id: object) -> Booking:
    return get_by_id(session, Booking, booking_id, NO_BOOKING)


def change_window_open(booking: Booking, service: Service, now: datetime) -> bool:
    """True while now < start - change_window_hours (the boundary itself is closed)."""
    return _window_open(booking.start_at, service.change_window_hours, now)


def change_refusal(booking: Booking, service: Service, now: datetime) -> str:
    """Why a client may not change or cancel this booking now; "" when allowed.
    The one change-window rule (a list row asks its BookingView the same)."""
    return _window_refusal(booking.status, booking.start_at, service.change_window_hours, now)


def _changed(booking: Booking, now: datetime | None = None) -> None:
    """Every change a calendar must pick up: the .ics SEQUENCE goes up by one."""
    booking.sequence = (booking.sequence or 0) + 1
    if now is not None:
        booking.updated_at = now


def _actor(client_id: int | None, by_staff_id: int | None) -> tuple[str, int]:
    if client_id is not None:
        return "client", client_id
    if by_staff_id is not None:
        return "staff", by_staff_id
    raise NotAllowed("Sign in to change bookings.")


# --- booking -------------------------------------------------------------------------------


def book_slot(session: Session, *, client_id: int, service_id: int, start_at: datetime,
              now: datetime, created_by: str = "client", staff_id: int | None = None,
              by_staff_id: int | None = None) -> Booking:
    """Book `start_at`; clients get notice/horizon rules, staff only hours and overlap.

    `by_staff_id` names the staff member who booked it (for the audit trail)."""
    if created_by not in CREATORS:
        raise ServiceError("Unknown booking source.", field="created_by")
    start_at = _check_aware(start_at)
    service = load_service(session, service_id)
    if not service.active:
        raise ServiceError("This service cannot be booked at the moment.", field="service_id")
    if session.get(Client, client_id) is None:
        raise NotFound("That client does not exist.")
    by_client = created_by == "client"
    if staff_id is not None:
        if staff_id not in active_provider_ids(session, service.id):
            raise ServiceError("That person does not provide this service.", field="staff_id")
        candidates = [staff_id]
    else:
        candidates = None
    free = free_staff_at(session, service=service, start_at=start_at, now=now,
                         staff_ids=candidates, enforce_limits=by_client)
    if not free:
        raise SlotTaken()
    status = (BookingStatus.PENDING if service.needs_approval and by_client
              else BookingStatus.CONFIRMED)
    booking = Booking(client_id=client_id, service_id=service.id, staff_id=free[0],
                      start_at=start_at,
                      end_at=start_at + timedelta(minutes=service.duration_minutes),
                      status=status, created_by=created_by, created_at=now, updated_at=now)
    session.add(booking)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise SlotTaken() from None
    _write_locks(session, booking, service)
    record_audit(session, actor_kind=created_by,
                 actor_id=client_id if by_client else by_staff_id,
                 action="booking.created", client_id=client_id, booking_id=booking.id,
                 service_id=service.id, staff_id=booking.staff_id,
                 start_at=start_at.isoformat(), status=status)
    grant_for_booking(session, booking=booking)  # offers linked to the service (confirmed)
    return booking


def _load_for_change(session: Session, *, client_id: int | None, booking_id: object,
                     now: datetime) -> tuple[Booking, Service]:
    if client_id is not None:
        booking = get_booking_for(session, client_id=client_id, booking_id=booking_id)
    else:
        booking = _get_booking(session, booking_id)
    service = session.get(Service, booking.service_id)
    if booking.status not in BookingStatus.HOLDS_TIME:
        raise ServiceError("This booking is no longer active.")
    if client_id is not None:
        refusal = change_refusal(booking, service, now)
        if refusal:
            raise ServiceError(refusal)
    return booking, service


def reschedule_booking(session: Session, *, client_id: int | None, booking_id: object,
                       new_start: datetime, now: datetime,
                       by_staff_id: int | None = None) -> Booking:
    """Move a booking. The same staff member is kept when free, else another provider.

    Client: ownership, change window, notice and horizon apply; a service that
    needs approval goes back to PENDING. Staff (client_id None): no window,
    no notice/horizon; working hours and overlaps still apply.
    """
    actor_kind, actor_id = _actor(client_id, by_staff_id)
    now = _check_aware(now, "now")
    new_start = _check_aware(new_start, "new_start")
    booking, service = _load_for_change(session, client_id=client_id, booking_id=booking_id,
                                        now=now)
    by_client = client_id is not None
    free = free_staff_at(session, service=service, start_at=new_start, now=now,
                         enforce_limits=by_client, exclude_booking_id=booking.id)
    if not free:
        raise SlotTaken()
    old_start, old_staff = booking.start_at, booking.staff_id
    _free_locks(session, booking.id)
    booking.staff_id = old_staff if old_staff in free else free[0]
    booking.start_at = new_start
    booking.end_at = new_start + timedelta(minutes=service.duration_minutes)
    booking.reminder_sent_at = None
    _changed(booking, now)
    if by_client and service.needs_approval:
        booking.status = BookingStatus.PENDING
    session.add(booking)
    _write_locks(session, booking, service)
    record_audit(session, actor_kind=actor_kind, actor_id=actor_id, action="booking.rescheduled",
                 client_id=booking.client_id, booking_id=booking.id,
                 old_start=old_start.isoformat(), new_start=new_start.isoformat(),
                 old_staff_id=old_staff, staff_id=booking.staff_id, status=booking.status)
    return booking


def cancel_booking(session: Session, *, client_id: int | None, booking_id: object, now: datetime,
                   by_staff_id: int | None = None, message: str = "") -> Booking:
    """Cancel and free the time. A staff message is kept on the booking."""
    actor_kind, actor_id = _actor(client_id, by_staff_id)
    now = _check_aware(now, "now")
    booking, _service = _load_for_change(session, client_id=client_id, booking_id=booking_id,
                                         now=now)
    message = str(message or "").strip()[:1000]
    booking.status = BookingStatus.CANCELLED
    _changed(booking, now)
    if client_id is None and message:
        booking.staff_message = message
    session.add(booking)
    _free_locks(session, booking.id)
    session.flush()
    record_audit(session, actor_kind=actor_kind, actor_id=actor_id, action="booking.cancelled",
                 client_id=booking.client_id, booking_id=booking.id, message=message)
    return booking


def approve_booking(session: Session, *, staff_id: int, booking_id: object) -> Booking:
    booking = _get_booking(session, booking_id)
    if booking.status != BookingStatus.PENDING:
        raise ServiceError("Only a pending request can be approved.")
    booking.status = BookingStatus.CONFIRMED
    _changed(booking)
    session.add(booking)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="booking.approved",
                 client_id=booking.client_id, booking_id=booking.id)
    grant_for_booking(session, booking=booking)  # offers linked to the service
    return booking


def decline_booking(session: Session, *, staff_id: int, booking_id: object,
                    message: str) -> Booking:
    booking = _get_booking(session, booking_id)
    if booking.status != BookingStatus.PENDING:
        raise ServiceError("Only a pending request can be declined.")
    booking.status = BookingStatus.DECLINED
    _changed(booking)
    booking.staff_message = str(message or "").strip()[:1000]
    session.add(booking)
    _free_locks(session, booking.id)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="booking.declined",
                 client_id=booking.client_id, booking_id=booking.id)
    return booking


# --- lists ---------------------------------------------------------------------------------


def due_reminders(session: Session, *, now: datetime, lead: timedelta,
                  limit: int = 100) -> list[int]:
    """Confirmed bookings starting within `lead` (start - lead <= now < start), not yet reminded."""
    return list(session.exec(
        select(Booking.id).where(
            Booking.status == BookingStatus.CONFIRMED,
            Booking.reminder_sent_at.is_(None),
            Booking.start_at > now,
            Booking.start_at <= now + lead,
        ).order_by(Booking.start_at, Booking.id).limit(limit)
    ).all())


def claim_reminder(session: Session, *, booking_id: int, now: datetime) -> bool:
    """Mark the reminder sent; True only for the one caller that set it."""
    result = session.exec(
        update(Booking)
        .where(Booking.id == booking_id, Booking.reminder_sent_at.is_(None),
               Booking.status == BookingStatus.CONFIRMED)
        .values(reminder_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1

