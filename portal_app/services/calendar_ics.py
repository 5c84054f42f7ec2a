"""Calendar files (.ics) for bookings, with the business's time zone included.

A calendar that already holds the event (same UID) takes a newer file only when
its SEQUENCE is higher: the booking's `sequence` goes up on every move,
approval, decline and cancellation, and a booking that will not happen is sent
as METHOD:CANCEL with STATUS:CANCELLED, so the event disappears from the
calendar. `booking_calendar` is the one place that maps a booking to its file
(the "Add to calendar" route and the emails both use it)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from models import Booking, BookingStatus, Business, Service
from models.base import utcnow
from portal_app.services.calendar_zone import vtimezone

PRODID = "-//Client Portal//Bookings//EN"


def booking_ics(
    *,
    uid: str,
    summary: str,
    start_at: datetime,
    end_at: datetime,
    timezone: str,
    location: str = "",
    description: str = "",
    organizer_name: str = "",
    organizer_email: str = "",
    sequence: int = 0,
    cancelled: bool = False,
    tentative: bool = False,
) -> bytes:
    """One VEVENT in the business's zone (TZID + VTIMEZONE), so calendars show
    the right local time on both sides of a daylight-saving change."""
    zone = ZoneInfo(timezone)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow())
    event.add("dtstart", start_at.astimezone(zone))
    event.add("dtend", end_at.astimezone(zone))
    event.add("summary", summary)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "TENTATIVE" if tentative else "CONFIRMED")
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if organizer_email:
        organizer = icalendar.vCalAddress(f"mailto:{organizer_email}")
        if organizer_name:
            organizer.params["cn"] = icalendar.vText(organizer_name)
        event["organizer"] = organizer
    cal.add_component(event)
    for tzid in cal.get_missing_tzids():  # before the event, as calendar programs write it
        cal.subcomponents.insert(0, vtimezone(tzid, start_at))
    return cal.to_ical()


def booking_uid(booking_id: int, base_url: str) -> str:
    """The event's UID: the same for every version of one booking's file."""
    return f"booking-{booking_id}@{base_url.split('://')[-1]}"


def booking_calendar(*, booking: Booking, service: Service, business: Business,
                     base_url: str) -> bytes:
    """The booking's .ics as it stands now: its SEQUENCE, a cancelled or declined one
    as a cancellation, a request still waiting for approval as tentative."""
    return booking_ics(
        uid=booking_uid(booking.id, base_url),
        summary=f"{service.name} — {business.name}", start_at=booking.start_at,
        end_at=booking.end_at, timezone=business.timezone or "UTC",
        location=service.location or service.video_link, description=service.description,
        organizer_name=business.name, organizer_email=business.contact_email,
        sequence=booking.sequence or 0,
        cancelled=booking.status not in BookingStatus.HOLDS_TIME,
        tentative=booking.status == BookingStatus.PENDING)
