"""Where other parts of the portal tell the forms app that something happened,
so packets set to go out by themselves are sent (sending.fire_trigger).

Called by the code that makes each event, in the same transaction: the console's
create-client handler (state/console_clients.py, right after
clients.create_client; clients.py itself cannot import the forms app without
an import circle through notifications) and the booking changes
(scheduling/booking_changes.py). Each packet goes to a client once, ever
(FormTriggerFiring's unique constraint).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import Booking, BookingStatus, FormRequest
from models.base import utcnow
from portal_app.services.forms.sending import fire_trigger


def on_client_created(session: Session, *, client_id: int, base_url: str,
                      now: datetime | None = None) -> list[FormRequest]:
    """A client record was created: send the "when a client is created" packets."""
    return fire_trigger(session, client_id=client_id, event="client_created",
                        base_url=base_url, now=now or utcnow())


def on_booking_made(session: Session, *, booking: Booking, base_url: str,
                    now: datetime | None = None) -> list[FormRequest]:
    """A booking was made (by the client, or by staff for them): the first-booking
    packets, the packets of its service, and, when it is confirmed at once (no
    approval needed), the first-confirmed-booking packets."""
    now = now or utcnow()
    sent = fire_trigger(session, client_id=booking.client_id, event="booking_made",
                        base_url=base_url, now=now, service_id=booking.service_id,
                        booking_id=booking.id)
    if booking.status == BookingStatus.CONFIRMED:
        sent += on_booking_confirmed(session, booking=booking, base_url=base_url, now=now)
    return sent


def on_booking_confirmed(session: Session, *, booking: Booking, base_url: str,
                         now: datetime | None = None) -> list[FormRequest]:
    """A booking is confirmed (at once, or staff approved a request)."""
    return fire_trigger(session, client_id=booking.client_id, event="booking_confirmed",
                        base_url=base_url, now=now or utcnow(), service_id=booking.service_id,
                        booking_id=booking.id)
