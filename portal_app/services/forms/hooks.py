"""Where other parts of the portal tell the forms app that something happened,
so packets set to go out by themselves are sent (sending.fire_trigger).

Called by the code that makes each event, in the same transaction: staff adding
a client (services/client_intake.py, right after clients.create_client; the
clients list and the calendar's "New booking" dialog), open sign-up (state/login.py, right after
client_auth.finish_registration) and the booking changes
(scheduling/booking_changes.py). The client services cannot call these
themselves without an import circle through notifications. Each packet goes to
a client once, ever (FormTriggerFiring's unique constraint, claim_firing).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models import Booking, BookingStatus, Client, FormRequest
from models.base import utcnow
from portal_app.services.forms.sending import fire_trigger


def on_client_created(session: Session, *, client_id: int, base_url: str,
                      now: datetime | None = None) -> list[FormRequest]:
    """A client record was created: send the "when a client is created" packets."""
    return fire_trigger(session, client_id=client_id, event="client_created",
                        base_url=base_url, now=now or utcnow())


def on_self_registered(session: Session, *, account_id: int, base_url: str,
                       now: datetime | None = None) -> list[FormRequest]:
    """Someone signed up on their own (open sign-up made their account and client
    record): the same "when a client is created" packets as a record staff create."""
    now = now or utcnow()
    sent: list[FormRequest] = []
    for client_id in session.exec(select(Client.id).where(Client.account_id == account_id)
                                  .order_by(Client.id)).all():
        sent += on_client_created(session, client_id=client_id, base_url=base_url, now=now)
    return sent


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
