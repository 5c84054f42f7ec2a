"""Calendar files (.ics) for bookings, with the business's time zone included."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from models.base import utcnow

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
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
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
    cal.add_missing_timezones()
    return cal.to_ical()
