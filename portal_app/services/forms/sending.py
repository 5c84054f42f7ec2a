"""Sending forms to a client: one request per template version, announced once
under the bell and by email (through the outbox), and the triggers that send
a packet by themselves.

Sending is idempotent: a template the client still has open (same version)
is not sent twice; sending it again returns the open request. A version is
frozen the moment it is first sent (templates.freeze_version).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from models import (
    Booking,
    BookingStatus,
    Client,
    DueRule,
    FormPacket,
    FormRequest,
    FormTemplate,
    NotificationKind,
    PacketTrigger,
)
from portal_app import routes
from portal_app.services.activation import activate_on_first_share
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.clients import get_client, portal_email_of
from portal_app.services.emails import client_language
from portal_app.services.errors import ServiceError
from portal_app.services.forms.packets import (
    claim_firing,
    get_packet,
    outstanding_of,
    packets_for_event,
)
from portal_app.services.forms.templates import freeze_version, get_template, latest_version
from portal_app.services.notification_texts import form_params
from portal_app.services.notifications import notify
from portal_app.services.outbox import enqueue_email

NO_ACCESS = "This client cannot use the portal; invite them first."


def due_at(session: Session, *, packet: FormPacket | None, client_id: int,
           now: datetime) -> datetime | None:
    """When the forms are due under the packet's rule (None: no due date, or no
    upcoming appointment to count back from)."""
    if packet is None or packet.due_rule == DueRule.NONE:
        return None
    if packet.due_rule == DueRule.DAYS_AFTER_SENT:
        return now + timedelta(days=packet.due_amount)
    start = session.exec(
        select(Booking.start_at).where(Booking.client_id == client_id,
                                       Booking.status.in_(BookingStatus.HOLDS_TIME),
                                       Booking.start_at > now)
        .order_by(Booking.start_at)).first()
    return start - timedelta(hours=packet.due_amount) if start else None


def _request(session: Session, *, client: Client, template: FormTemplate,
             packet: FormPacket | None, position: int, staff_id: int | None, trigger: str,
             due: datetime | None, now: datetime) -> tuple[FormRequest, bool]:
    """The client's open request of the template's current version, or a new one."""
    if template.archived_at is not None:
        raise ServiceError("This form is archived.")
    version = latest_version(session, template_id=template.id)
    existing = outstanding_of(session, client_id=client.id, version_id=version.id)
    if existing is not None:
        return existing, False
    freeze_version(session, version, now=now)
    request = FormRequest(client_id=client.id, template_id=template.id, version_id=version.id,
                          packet_id=packet.id if packet else None, position=position,
                          sent_at=now, last_activity_at=now, sent_by_staff_id=staff_id,
                          trigger=trigger, due_at=due)
    session.add(request)
    session.flush()
    return request, True


def email_forms(session: Session, *, client: Client, titles: list[str], key: str,
                base_url: str, reminder: bool = False) -> bool:
    """The email asking for forms (or reminding of them), through the outbox;
    False when the record has no address."""
    to = portal_email_of(session, client) or client.email
    if not to:
        return False
    business = get_business(session)
    enqueue_email(session, to=to, template="forms_requested", business=business,
                  idempotency_key=f"forms-{key}", lang=client_language(client, business),
                  client_name=client.full_name, titles=titles, reminder=reminder,
                  url=f"{base_url}{routes.FORMS}")
    return True


def announce(session: Session, *, client: Client, titles: list[str], key: str,
             base_url: str) -> None:
    """One bell line and one email for the forms just sent (the email always goes:
    the paperwork is the business's request, like an invoice)."""
    notify(session, client_id=client.id, kind=NotificationKind.FORM, link=routes.FORMS,
           base_url=base_url, params=form_params(titles=titles), email=False)
    email_forms(session, client=client, titles=titles, key=key, base_url=base_url)


def _send(session: Session, *, client: Client, templates: list[FormTemplate],
          packet: FormPacket | None, staff_id: int | None, trigger: str, base_url: str,
          now: datetime) -> list[FormRequest]:
    due = due_at(session, packet=packet, client_id=client.id, now=now)
    requests, new = [], []
    for position, template in enumerate(templates):
        request, created = _request(session, client=client, template=template, packet=packet,
                                    position=position, staff_id=staff_id, trigger=trigger,
                                    due=due, now=now)
        requests.append(request)
        if created:
            new.append(request)
    if new:
        # A client without portal access gets it now when the business activates
        # portals at the first shared form or document (seed 004); once per client.
        activate_on_first_share(session, client_id=client.id, base_url=base_url,
                                staff_id=staff_id, now=now)
        titles = [latest_version(session, template_id=r.template_id).title for r in new]
        announce(session, client=client, titles=titles, key=f"{client.id}-{new[0].id}",
                 base_url=base_url)
        record_audit(session, actor_kind="staff" if staff_id else "system", actor_id=staff_id,
                     action="form.sent", client_id=client.id,
                     packet_id=packet.id if packet else None, trigger=trigger,
                     request_ids=[r.id for r in new], forms=titles)
    return requests


def _client(session: Session, client_id: object) -> Client:
    client = get_client(session, client_id=client_id)
    if client.disabled_at is not None:
        raise ServiceError(NO_ACCESS)
    return client


def send_packet(session: Session, *, staff_id: int | None, client_id: object,
                packet_id: object, base_url: str, now: datetime,
                trigger: str = PacketTrigger.MANUAL) -> list[FormRequest]:
    """Send a packet's forms to a client, in the packet's order. Returns the
    client's open request for each form (new, or one still open from before)."""
    client = _client(session, client_id)
    packet = get_packet(session, packet_id=packet_id)
    if packet.archived_at is not None:
        raise ServiceError("This packet is archived.")
    templates = [get_template(session, template_id=t) for t in packet.template_ids]
    return _send(session, client=client, templates=templates, packet=packet,
                 staff_id=staff_id, trigger=trigger, base_url=base_url, now=now)


def send_form(session: Session, *, staff_id: int, client_id: object, template_id: object,
              base_url: str, now: datetime) -> FormRequest:
    """Send one form to a client (idempotent while the client has it open)."""
    client = _client(session, client_id)
    template = get_template(session, template_id=template_id)
    (request,) = _send(session, client=client, templates=[template], packet=None,
                       staff_id=staff_id, trigger=PacketTrigger.MANUAL, base_url=base_url,
                       now=now)
    return request


def fire_trigger(session: Session, *, client_id: int, event: str, base_url: str,
                 now: datetime, service_id: int | None = None,
                 booking_id: int | None = None) -> list[FormRequest]:
    """An event happened for a client ("client_created", "booking_made",
    "booking_confirmed"): send every packet it triggers that has not fired for
    this client yet, and mark each fired (once per client and packet, ever)."""
    client = session.get(Client, client_id)
    if client is None or client.disabled_at is not None:
        return []
    sent: list[FormRequest] = []
    for packet in packets_for_event(session, client_id=client.id, event=event,
                                    service_id=service_id, booking_id=booking_id):
        if not claim_firing(session, packet=packet, client_id=client.id, now=now):
            continue
        templates = [t for t in (get_template(session, template_id=i)
                                 for i in packet.template_ids) if t.archived_at is None]
        if not templates:
            continue
        sent += _send(session, client=client, templates=templates, packet=packet,
                      staff_id=None, trigger=packet.trigger, base_url=base_url, now=now)
    return sent
