"""Packets (templates sent together, in order) and their triggers.

A packet is sent by hand, or by itself when a client is created, when a
client's first booking is made or confirmed, or when a chosen service is
booked. Each trigger fires at most once per client and packet, whatever
happens later: a `form_trigger_firing` row under a unique (packet, client)
constraint records it in the same transaction as the send.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from models import (
    Booking,
    DueRule,
    FormPacket,
    FormRequest,
    FormStatus,
    FormTemplate,
    FormTriggerFiring,
    PacketTrigger,
    Service,
)
from portal_app.services.audit import record_audit
from portal_app.services.errors import ServiceError, get_by_id

NO_PACKET = "That packet does not exist."
NAME_MAX = 200
DUE_MAX = {DueRule.NONE: 0, DueRule.DAYS_AFTER_SENT: 365,
           DueRule.HOURS_BEFORE_FIRST_APPOINTMENT: 24 * 30}
# event -> the packet triggers it may fire
EVENTS = {
    "client_created": (PacketTrigger.CLIENT_CREATED,),
    "booking_made": (PacketTrigger.FIRST_BOOKING_MADE, PacketTrigger.SERVICE_BOOKED),
    "booking_confirmed": (PacketTrigger.FIRST_BOOKING_CONFIRMED,),
}


def _clean(session: Session, *, name: object, template_ids: object, trigger: object,
           trigger_service_id: object, due_rule: object, due_amount: object) -> dict:
    clean_name = " ".join(str(name or "").split())
    if not clean_name or len(clean_name) > NAME_MAX:
        raise ServiceError(f"Give the packet a name (at most {NAME_MAX} characters).",
                           field="name")
    if not isinstance(template_ids, list | tuple) or not template_ids:
        raise ServiceError("Choose at least one form.", field="template_ids")
    ids: list[int] = []
    for raw in template_ids:
        template = get_by_id(session, FormTemplate, raw, "That form does not exist.")
        if template.archived_at is not None or template.id in ids:
            raise ServiceError("Choose each form once, from the forms in use.",
                               field="template_ids")
        ids.append(template.id)
    if trigger not in PacketTrigger.ALL:
        raise ServiceError("Choose when the packet is sent.", field="trigger")
    service_id = None
    if trigger == PacketTrigger.SERVICE_BOOKED:
        service_id = get_by_id(session, Service, trigger_service_id,
                               "Choose the service whose booking sends the packet.").id
    if due_rule not in DueRule.ALL:
        raise ServiceError("Choose when the forms are due.", field="due_rule")
    try:
        amount = int(due_amount or 0)
    except (TypeError, ValueError):
        amount = -1
    if due_rule == DueRule.NONE:
        amount = 0
    elif not 0 < amount <= DUE_MAX[due_rule]:
        raise ServiceError(f"Enter a number from 1 to {DUE_MAX[due_rule]}.", field="due_amount")
    return {"name": clean_name, "template_ids": ids, "trigger": trigger,
            "trigger_service_id": service_id, "due_rule": due_rule, "due_amount": amount}


def get_packet(session: Session, *, packet_id: object) -> FormPacket:
    return get_by_id(session, FormPacket, packet_id, NO_PACKET)


def list_packets(session: Session, *, include_archived: bool = False) -> list[FormPacket]:
    query = select(FormPacket)
    if not include_archived:
        query = query.where(FormPacket.archived_at.is_(None))
    return list(session.exec(query.order_by(FormPacket.name, FormPacket.id)).all())


def create_packet(session: Session, *, staff_id: int | None, name: object,
                  template_ids: object, trigger: object = PacketTrigger.MANUAL,
                  trigger_service_id: object = None, due_rule: object = DueRule.NONE,
                  due_amount: object = 0) -> FormPacket:
    """A packet of templates, in order, with its trigger and due rule."""
    values = _clean(session, name=name, template_ids=template_ids, trigger=trigger,
                    trigger_service_id=trigger_service_id, due_rule=due_rule,
                    due_amount=due_amount)
    packet = FormPacket(**values)
    session.add(packet)
    session.flush()
    record_audit(session, actor_kind="staff" if staff_id else "system", actor_id=staff_id,
                 action="form.packet_saved", packet_id=packet.id, **values)
    return packet


def save_packet(session: Session, *, staff_id: int, packet_id: object, name: object,
                template_ids: object, trigger: object, trigger_service_id: object = None,
                due_rule: object = DueRule.NONE, due_amount: object = 0) -> FormPacket:
    """Change a packet. Forms already sent from it are not touched."""
    packet = get_packet(session, packet_id=packet_id)
    values = _clean(session, name=name, template_ids=template_ids, trigger=trigger,
                    trigger_service_id=trigger_service_id, due_rule=due_rule,
                    due_amount=due_amount)
    for key, value in values.items():
        setattr(packet, key, value)
    session.add(packet)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="form.packet_saved",
                 packet_id=packet.id, **values)
    return packet


def set_packet_active(session: Session, *, staff_id: int, packet_id: object,
                      active: bool, now: datetime) -> FormPacket:
    """Switch a packet on or off. An off packet (archived) is neither sent by its
    trigger nor offered for sending by hand; forms already sent carry on."""
    packet = get_packet(session, packet_id=packet_id)
    if active == (packet.archived_at is None):
        return packet
    packet.archived_at = None if active else now
    session.add(packet)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="form.packet_switched", packet_id=packet.id, active=bool(active))
    return packet


def first_booking(session: Session, *, client_id: int, booking_id: int | None) -> bool:
    """Whether the booking is the client's first (no other booking of theirs exists)."""
    query = select(func.count()).select_from(Booking).where(Booking.client_id == client_id)
    if booking_id is not None:
        query = query.where(Booking.id != booking_id)
    return int(session.exec(query).one()) == 0


def packets_for_event(session: Session, *, client_id: int, event: str,
                      service_id: int | None = None,
                      booking_id: int | None = None) -> list[FormPacket]:
    """The packets this event sends to this client now: their trigger matches and
    they have not fired for the client before."""
    triggers = EVENTS.get(event)
    if not triggers:
        raise ServiceError("Unknown form trigger.")
    fired = select(FormTriggerFiring.packet_id).where(FormTriggerFiring.client_id == client_id)
    packets = session.exec(
        select(FormPacket).where(FormPacket.archived_at.is_(None),
                                 FormPacket.trigger.in_(triggers),
                                 FormPacket.id.not_in(fired))
        .order_by(FormPacket.id)).all()
    first = None
    chosen = []
    for packet in packets:
        if packet.trigger == PacketTrigger.SERVICE_BOOKED:
            if service_id is None or packet.trigger_service_id != service_id:
                continue
        elif packet.trigger in (PacketTrigger.FIRST_BOOKING_MADE,
                                PacketTrigger.FIRST_BOOKING_CONFIRMED):
            if first is None:
                first = (packet.trigger == PacketTrigger.FIRST_BOOKING_CONFIRMED
                         or first_booking(session, client_id=client_id, booking_id=booking_id))
            if not first:
                continue
        chosen.append(packet)
    return chosen


def claim_firing(session: Session, *, packet: FormPacket, client_id: int,
                 now: datetime) -> bool:
    """Take the once-only mark for this client and packet. False when it is taken
    already: by an earlier event, or by another worker's transaction at this very
    moment (the database makes the second insert wait for the first and then skip,
    under the unique constraint), so a race never sends twice and never fails the
    booking or the client record that caused it."""
    values = {"packet_id": packet.id, "client_id": client_id, "trigger": packet.trigger,
              "fired_at": now}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (insert(FormTriggerFiring).values(**values)
                 .on_conflict_do_nothing(index_elements=["packet_id", "client_id"])
                 .returning(FormTriggerFiring.id))  # rowcount is -1 on psycopg
    return session.execute(statement).scalar_one_or_none() is not None


def outstanding_of(session: Session, *, client_id: int, version_id: int) -> FormRequest | None:
    """The client's open request of this version, if any."""
    return session.exec(
        select(FormRequest).where(FormRequest.client_id == client_id,
                                  FormRequest.version_id == version_id,
                                  FormRequest.status.in_(FormStatus.OUTSTANDING))
        .order_by(FormRequest.id)).first()
