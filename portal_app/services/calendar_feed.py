"""A staff member's own calendar, to subscribe to from a phone or desktop calendar.

The feed URL carries a random token (256 bits); only its SHA-256 is stored, so
the URL can be shown once, when it is made, and never again. Making a new one
replaces the old (the old URL stops working); revoking deletes it, and the
route answers 404. The feed is read only: the staff member's pending and
confirmed bookings from 30 days back to a year ahead, in the business's zone,
built with icalendar like the clients' .ics files (same UID per booking, so a
booking moved in the portal moves in the subscribed calendar). Client names are
in the events only when the staff member turned that on."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import delete
from sqlmodel import Session, select

from models import Booking, BookingStatus, CalendarFeed, Client, Service
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.calendar_ics import PRODID, booking_uid
from portal_app.services.calendar_zone import vtimezone
from portal_app.services.crypto import new_token, sha256_hex

FEED_PATH = "/api/calendar/feed/{token}.ics"  # routes.API_CALENDAR_FEED
PAST_DAYS = 30
AHEAD_DAYS = 366


def feed_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + FEED_PATH.format(token=token)


def get_feed(session: Session, *, staff_id: int) -> CalendarFeed | None:
    return session.exec(select(CalendarFeed).where(CalendarFeed.staff_id == staff_id)).first()


def make_feed(session: Session, *, staff_id: int) -> str:
    """A new secret feed URL token for `staff_id` (the old one, if any, stops working).
    Returns the raw token: the only time it exists outside the caller's URL."""
    token = new_token()
    feed = get_feed(session, staff_id=staff_id)
    if feed is None:
        feed = CalendarFeed(staff_id=staff_id, token_hash=sha256_hex(token))
    else:
        feed.token_hash = sha256_hex(token)
        feed.created_at = utcnow()
    session.add(feed)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="calendar_feed.created")
    return token


def revoke_feed(session: Session, *, staff_id: int) -> bool:
    """Delete the staff member's feed: its URL answers 404 from now on."""
    gone = session.exec(delete(CalendarFeed).where(CalendarFeed.staff_id == staff_id)).rowcount
    if gone:
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="calendar_feed.revoked")
    return bool(gone)


def set_client_names(session: Session, *, staff_id: int, include: bool) -> CalendarFeed | None:
    """Whether the staff member's feed names the clients (None when there is no feed)."""
    feed = get_feed(session, staff_id=staff_id)
    if feed is not None:
        feed.include_client_names = bool(include)
        session.add(feed)
        session.flush()
    return feed


def feed_for_token(session: Session, *, raw_token: str) -> CalendarFeed | None:
    """The live feed a URL token opens, or None (unknown, revoked, replaced)."""
    token = str(raw_token or "")
    if not 20 <= len(token) <= 100:
        return None
    return session.exec(select(CalendarFeed).where(
        CalendarFeed.token_hash == sha256_hex(token))).first()


def feed_calendar(session: Session, *, feed: CalendarFeed, base_url: str,
                  now: datetime | None = None) -> bytes:
    """The feed's VCALENDAR: the staff member's bookings that hold time, by start."""
    now = now or utcnow()
    business = get_business(session)
    zone_name = business.timezone or "UTC"
    zone = ZoneInfo(zone_name)
    rows = session.exec(
        select(Booking, Service, Client.full_name)
        .join(Service, Service.id == Booking.service_id)
        .join(Client, Client.id == Booking.client_id)
        .where(Booking.staff_id == feed.staff_id,
               Booking.status.in_(BookingStatus.HOLDS_TIME),
               Booking.end_at > now - timedelta(days=PAST_DAYS),
               Booking.start_at < now + timedelta(days=AHEAD_DAYS))
        .order_by(Booking.start_at, Booking.id)).all()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{business.name} — bookings")
    cal.add("x-wr-timezone", zone_name)
    for booking, service, client_name in rows:
        event = icalendar.Event()
        event.add("uid", booking_uid(booking.id, base_url))
        event.add("dtstamp", now)
        event.add("dtstart", booking.start_at.astimezone(zone))
        event.add("dtend", booking.end_at.astimezone(zone))
        who = client_name if feed.include_client_names else "Booked"
        event.add("summary", f"{service.name} — {who}")
        event.add("sequence", booking.sequence or 0)
        event.add("status", "TENTATIVE" if booking.status == BookingStatus.PENDING
                  else "CONFIRMED")
        if service.location or service.video_link:
            event.add("location", service.location or service.video_link)
        cal.add_component(event)
    # A VTIMEZONE even for an empty feed, first, as calendar programs write it.
    cal.subcomponents.insert(0, vtimezone(zone_name, rows[0][0].start_at if rows else now))
    return cal.to_ical()
