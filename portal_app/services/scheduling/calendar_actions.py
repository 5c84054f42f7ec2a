"""Booking and moving from the staff calendar, with the reason when a time is refused.

The rules are the booking rules (`bookings.book_slot`, `reschedule_booking`:
working hours, no overlap, buffers; staff are not held to notice or horizon);
this module only says *why* a time cannot be had ("Outside working hours",
"Overlaps Ana Ruiz's Consultation 10:00–11:00, buffers included"), so the
calendar can show it beside the time instead of "That time was just taken"."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from models import Booking, BookingStatus, Client, Service, StaffUser
from portal_app.i18n import formats
from portal_app.services.errors import ServiceError, parse_id
from portal_app.services.scheduling import booking_changes
from portal_app.services.scheduling.bookings import SLOT_TAKEN, SlotTaken
from portal_app.services.scheduling.slots import (
    _check_aware,
    _edge_min,
    _load_plan,
    _to_min,
    active_provider_ids,
    business_zone,
    load_service,
)

OUTSIDE_HOURS = "{time} is outside the working hours of whoever provides {service}."
OVERLAPS = "Overlaps {client}'s {service} ({start}–{end}), buffers included."
NOT_PROVIDER = "That person does not provide this service."
NOBODY = "Nobody provides this service yet."
NO_SERVICE = "This service cannot be booked at the moment."
OFF_GRID = "Pick a time on the 5-minute grid."


class TimeRefused(ServiceError):
    """A time the calendar cannot give, with the reason; the field is the time."""

    def __init__(self, message: str):
        super().__init__(message, field="start_at")


def conflict_reason(session: Session, *, service_id: object, start_at: datetime,
                    staff_id: int | None = None, exclude_booking_id: int | None = None) -> str:
    """Why staff cannot give `service_id` at `start_at` (with `staff_id`, or with any
    provider); "" when the time is free. Read only."""
    start_at = _check_aware(start_at)
    service = load_service(session, service_id)
    if not service.active:
        return NO_SERVICE
    providers = active_provider_ids(session, service.id)
    if staff_id is not None:
        if staff_id not in providers:
            return NOT_PROVIDER
        providers = [staff_id]
    if not providers:
        return NOBODY
    tz = business_zone(session)
    zone = tz.key
    local = start_at.astimezone(tz)
    if (local.hour * 60 + local.minute) % 5 or local.second or local.microsecond:
        return OFF_GRID
    day = local.date()
    plan = _load_plan(session, service=service, staff_ids=providers, tz=tz, first_day=day,
                      last_day=day, exclude_booking_id=exclude_booking_id)
    start = _to_min(start_at)
    in_hours = []
    for sid in providers:
        for s, e in plan.intervals(sid, day):
            if _edge_min(day, s, tz) <= start and start + service.duration_minutes <= _edge_min(
                    day, e, tz):
                in_hours.append(sid)
                break
    if not in_hours:
        return OUTSIDE_HOURS.format(time=formats.when_short(start_at, zone),
                                    service=service.name)
    if any(plan.blocked_free(sid, start) for sid in in_hours):
        return ""
    return _overlap(session, service=service, start_at=start_at, staff_ids=in_hours,
                    exclude_booking_id=exclude_booking_id, zone=zone)


def _overlap(session: Session, *, service: Service, start_at: datetime, staff_ids: list[int],
             exclude_booking_id: int | None, zone: str) -> str:
    """The booking in the way (the first by start), named."""
    lo = start_at - timedelta(minutes=service.buffer_before_minutes)
    hi = start_at + timedelta(minutes=service.duration_minutes + service.buffer_after_minutes)
    margin = timedelta(days=1)
    query = (select(Booking, Service, Client.full_name)
             .join(Service, Service.id == Booking.service_id)
             .join(Client, Client.id == Booking.client_id)
             .where(Booking.staff_id.in_(staff_ids),
                    Booking.status.in_(BookingStatus.HOLDS_TIME),
                    Booking.start_at < hi + margin, Booking.end_at > lo - margin)
             .order_by(Booking.start_at, Booking.id))
    if exclude_booking_id is not None:
        query = query.where(Booking.id != exclude_booking_id)
    for booking, other, client_name in session.exec(query):
        held_lo = booking.start_at - timedelta(minutes=other.buffer_before_minutes)
        held_hi = booking.end_at + timedelta(minutes=other.buffer_after_minutes)
        if held_lo < hi and held_hi > lo:
            return OVERLAPS.format(client=client_name, service=other.name,
                                   start=formats.time_text(booking.start_at, zone),
                                   end=formats.time_text(booking.end_at, zone))
    return SLOT_TAKEN


def book_at(session: Session, *, client_id: int, service_id: object, start_at: datetime,
            now: datetime, base_url: str, by_staff_id: int,
            staff_id: int | None = None) -> Booking:
    """Book for a client from the calendar (the client is told, as from the list);
    a refused time raises TimeRefused with the reason."""
    if staff_id is not None and session.get(StaffUser, staff_id) is None:
        raise ServiceError(NOT_PROVIDER, field="service_id")
    reason = conflict_reason(session, service_id=service_id, start_at=start_at,
                             staff_id=staff_id)
    if reason:
        raise TimeRefused(reason)
    try:
        return booking_changes.book_with_notice(
            session, client_id=client_id, service_id=service_id, start_at=start_at, now=now,
            base_url=base_url, by_staff_id=by_staff_id, staff_id=staff_id)
    except SlotTaken:  # lost a race after the check: the session was rolled back
        raise TimeRefused(SLOT_TAKEN) from None


def move_to(session: Session, *, booking_id: object, new_start: datetime, now: datetime,
            base_url: str, by_staff_id: int) -> Booking:
    """Move a booking to a time picked in the calendar (staff rules); a refused time
    raises TimeRefused with the reason and nothing changes."""
    booking = session.get(Booking, parse_id(booking_id, "That booking does not exist."))
    if booking is None:
        raise ServiceError("That booking does not exist.")
    if booking.status not in BookingStatus.HOLDS_TIME:
        raise ServiceError("This booking is no longer active.")
    reason = conflict_reason(session, service_id=booking.service_id, start_at=new_start,
                             exclude_booking_id=booking.id)
    if reason:
        raise TimeRefused(reason)
    try:
        return booking_changes.reschedule_with_notice(
            session, client_id=None, booking_id=booking.id, new_start=new_start, now=now,
            base_url=base_url, by_staff_id=by_staff_id)
    except SlotTaken:
        raise TimeRefused(SLOT_TAKEN) from None

