"""Emails (and reminder texts) about bookings, queued in the booking's transaction.

Times are shown in the client's own zone (or the business's), with the zone
named, in the client's language; confirmations carry an .ics with the
business's zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import Booking, Client, NotificationKind, PortalAccount, Service, StaffUser
from portal_app import i18n, routes
from portal_app.i18n import formats
from portal_app.providers.base import Attachment
from portal_app.services.business import get_business
from portal_app.services.calendar_ics import booking_calendar
from portal_app.services.crypto import new_token
from portal_app.services.emails import client_language
from portal_app.services.notification_texts import booking_params
from portal_app.services.notifications import notify
from portal_app.services.outbox import enqueue_email, enqueue_sms

EVENTS = {
    # event: (headline, intro, attach .ics, cancelled); the texts are msgids
    # (Spanish in i18n/es_documents.py)
    "requested": ("Request received", "We received your booking request. We'll confirm it "
                  "soon; you'll get an email when we do.", False, False),
    "confirmed": ("Booking confirmed", "Your booking is confirmed.", True, False),
    "approved": ("Booking confirmed", "Good news: we confirmed your booking request.", True,
                 False),
    "declined": ("Request declined", "Sorry, we could not accept this booking request.",
                 False, False),
    "rescheduled": ("Booking moved", "Your booking has a new time.", True, False),
    "rescheduled_pending": ("Change requested", "We received your request to move this "
                            "booking; we'll confirm the new time soon.", False, False),
    "cancelled": ("Booking cancelled", "Your booking is cancelled.", True, True),
    "reminder": ("Reminder", "A reminder of your upcoming booking.", True, False),
}


def local_time(moment: datetime, zone_name: str) -> tuple[str, str]:
    """(long, short) wall-clock text in a zone, with the zone named."""
    zone = ZoneInfo(zone_name)
    local = moment.astimezone(zone)
    abbrev = local.tzname() or zone_name
    long = f"{local:%A %-d %B %Y, %H:%M} {abbrev} ({zone_name})"
    short = f"{local:%a %-d %b, %H:%M} {abbrev}"
    return long, short


def notice_times(moment: datetime, zone_name: str, lang: str = i18n.DEFAULT) -> tuple[str, str]:
    """(long, short) text of a booking's time for a notice, in `lang` (Babel), with
    the zone: "Monday, May 6, 2030, 9:30 AM EDT (America/New_York)" and
    "Mon, May 6, 9:30 AM EDT"."""
    return (formats.when_long(moment, zone_name, lang),
            formats.when_short(moment, zone_name, lang))


def client_zone(client: Client, business) -> str:
    return client.timezone or business.timezone or "UTC"


def notify_booking(session: Session, *, booking: Booking, event: str, base_url: str,
                   note: str = "") -> None:
    """Queue the email for a booking event to the client (portal email first), and
    add a bell line when the business confirmed, declined, moved or cancelled it."""
    headline, intro, attach, cancelled = EVENTS[event]
    business = get_business(session)
    client = session.get(Client, booking.client_id)
    service = session.get(Service, booking.service_id)
    staff = session.get(StaffUser, booking.staff_id)
    account = session.get(PortalAccount, client.account_id) if client.account_id else None
    to = account.email if account else client.email
    zone = client_zone(client, business)
    if event in ("confirmed", "approved", "declined", "rescheduled", "cancelled"):
        # The bell line only (even without an email address): the email below is
        # the transactional copy. Requests and reminders need no bell line.
        # Worded when read, in the reader's language and zone.
        notify(session, client_id=client.id, kind=NotificationKind.BOOKING,
               params=booking_params(event=event, service=service.name,
                                     start_at=booking.start_at),
               link=routes.BOOKINGS, base_url=base_url, email=False)
    if not to:
        return
    lang = client_language(client, business)
    when_long, when_short = notice_times(booking.start_at, zone, lang)
    attachments = []
    if attach:
        attachments.append(Attachment(
            filename="booking.ics", content_type="text/calendar",
            content=booking_calendar(booking=booking, service=service, business=business,
                                     base_url=base_url)))
    enqueue_email(
        session, to=to, template="booking", business=business,
        idempotency_key=f"booking-{booking.id}-{event}-{new_token()[:16]}",
        attachments=attachments, lang=lang, headline=i18n.gettext(lang, headline),
        intro=i18n.gettext(lang, intro),
        client_name=client.full_name, service_name=service.name,
        staff_name=staff.full_name if staff else "", when_long=when_long, when_short=when_short,
        location=service.location, video_link=service.video_link, note=note.strip()[:1000],
        has_ics=bool(attachments), bookings_url=f"{base_url}{routes.BOOKINGS}")


def send_reminder(session: Session, *, booking: Booking, base_url: str,
                  sms_enabled: bool) -> None:
    """The reminder email, plus a text when the client has a mobile and SMS is on."""
    notify_booking(session, booking=booking, event="reminder", base_url=base_url)
    client = session.get(Client, booking.client_id)
    if sms_enabled and client.mobile:
        business = get_business(session)
        service = session.get(Service, booking.service_id)
        lang = client_language(client, business)
        _, when_short = notice_times(booking.start_at, client_zone(client, business), lang)
        enqueue_sms(session, to=client.mobile, template="booking_reminder", business=business,
                    idempotency_key=f"booking-{booking.id}-reminder-sms", lang=lang,
                    service_name=service.name, when_short=when_short,
                    bookings_url=f"{base_url}{routes.BOOKINGS}")
