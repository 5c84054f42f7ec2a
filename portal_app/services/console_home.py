"""The console home ("Today"): what a staff member acts on first, each list in one
query (the page's statement count does not grow with the data), in the business zone.

- today's appointments (pending or confirmed, starting on today's date in the zone);
- requests waiting for approval (pending, not yet ended);
- invoices overdue or due within a week (open, with a due date);
- conversations with unread client messages;
- clients invited 7+ days ago who never signed in;
- forms sent to clients and not completed yet (sent, opened, in progress);
- the figures of the old home (clients, active, invited, outbox).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from models import (
    Booking,
    BookingStatus,
    Client,
    Conversation,
    FormRequest,
    FormStatus,
    FormTemplateVersion,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    OutboxMessage,
    OutboxStatus,
    PortalAccess,
    Service,
    StaffUser,
)
from portal_app.services.activity import ActivityLine, recent_activity
from portal_app.services.business import get_business

INVITED_STALE_DAYS = 7  # invited this long ago and never signed in: worth a nudge
DUE_SOON_DAYS = 7
LIST_LIMIT = 50


@dataclass(frozen=True)
class ConsoleSummary:
    clients: int
    active: int
    invited: int
    outbox_pending: int


@dataclass(frozen=True)
class Appointment:
    booking_id: int
    client_id: int
    client_name: str
    service_name: str
    staff_name: str
    start_at: datetime
    end_at: datetime
    status: str
    video_link: str  # only for a confirmed video service


@dataclass(frozen=True)
class InvoiceDue:
    invoice_id: int
    number: str
    client_id: int
    client_name: str
    balance_minor: int
    currency: str
    due_date: date
    overdue: bool


@dataclass(frozen=True)
class UnreadConversation:
    conversation_id: int
    client_id: int
    client_name: str
    subject: str
    last_message_at: datetime
    unread: int


@dataclass(frozen=True)
class StaleInvitation:
    client_id: int
    client_name: str
    invited_at: datetime


@dataclass(frozen=True)
class FormOutstanding:
    """A form sent to a client and not submitted yet."""
    client_id: int
    client_name: str
    title: str
    sent_at: datetime


@dataclass(frozen=True)
class TodayView:
    zone: str
    today: date
    summary: ConsoleSummary
    appointments: list[Appointment]
    requests: list[Appointment]
    invoices: list[InvoiceDue]
    unread: list[UnreadConversation]
    invited: list[StaleInvitation]
    forms_outstanding: list[FormOutstanding] = field(default_factory=list)
    activity: list[ActivityLine] = field(default_factory=list)


def get_console_summary(session: Session) -> ConsoleSummary:
    counts = dict(
        session.exec(select(Client.portal_access, func.count()).group_by(Client.portal_access)).all()
    )
    pending = session.exec(
        select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
    ).one()
    return ConsoleSummary(
        clients=sum(counts.values()),
        active=counts.get(PortalAccess.ACTIVE, 0),
        invited=counts.get(PortalAccess.INVITED, 0),
        outbox_pending=int(pending),
    )


def day_bounds(now: datetime, zone: str) -> tuple[date, datetime, datetime]:
    """Today's date in `zone` at `now`, and its start and end as UTC moments (a DST
    day is 23 or 25 hours long)."""
    tz = ZoneInfo(zone or "UTC")
    today = now.astimezone(tz).date()
    start = datetime.combine(today, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return today, start, end


def _bookings(session: Session, *where, limit: int = LIST_LIMIT) -> list[Appointment]:
    rows = session.exec(
        select(Booking, Service, Client, StaffUser)
        .join(Service, Service.id == Booking.service_id)
        .join(Client, Client.id == Booking.client_id)
        .join(StaffUser, StaffUser.id == Booking.staff_id)
        .where(*where).order_by(Booking.start_at, Booking.id).limit(limit)).all()
    return [Appointment(b.id, c.id, c.full_name, s.name, st.full_name, b.start_at, b.end_at,
                        b.status,
                        s.video_link if b.status == BookingStatus.CONFIRMED else "")
            for b, s, c, st in rows]


def todays_appointments(session: Session, *, now: datetime, zone: str) -> list[Appointment]:
    """Pending and confirmed bookings that start on today's date in the business zone."""
    _, start, end = day_bounds(now, zone)
    return _bookings(session, Booking.start_at >= start, Booking.start_at < end,
                     Booking.status.in_(BookingStatus.HOLDS_TIME))


def waiting_requests(session: Session, *, now: datetime) -> list[Appointment]:
    """Requests waiting for approval whose time has not ended, soonest first."""
    return _bookings(session, Booking.status == BookingStatus.PENDING, Booking.end_at > now)


def invoices_due(session: Session, *, today: date) -> list[InvoiceDue]:
    """Open invoices due by `today` + 7 days, earliest first; overdue = due before today."""
    rows = session.exec(
        select(Invoice, Client).join(Client, Client.id == Invoice.client_id)
        .where(Invoice.kind == InvoiceKind.INVOICE, Invoice.status.in_(InvoiceStatus.OPEN),
               Invoice.due_date.is_not(None),
               Invoice.due_date <= today + timedelta(days=DUE_SOON_DAYS))
        .order_by(Invoice.due_date, Invoice.id).limit(LIST_LIMIT)).all()
    return [InvoiceDue(i.id, i.number, c.id, c.full_name, i.total_minor - i.paid_minor,
                       i.currency, i.due_date, i.due_date < today)
            for i, c in rows]


def unread_conversations(session: Session) -> list[UnreadConversation]:
    rows = session.exec(
        select(Conversation, Client).join(Client, Client.id == Conversation.client_id)
        .where(Conversation.staff_unread > 0)
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .limit(LIST_LIMIT)).all()
    return [UnreadConversation(v.id, c.id, c.full_name, v.subject, v.last_message_at,
                               v.staff_unread) for v, c in rows]


def stale_invitations(session: Session, *, now: datetime) -> list[StaleInvitation]:
    """Clients invited at least 7 days ago who have not signed in yet, oldest first."""
    cutoff = now - timedelta(days=INVITED_STALE_DAYS)
    rows = session.exec(
        select(Client).where(Client.portal_access == PortalAccess.INVITED,
                             Client.invited_at.is_not(None), Client.invited_at <= cutoff)
        .order_by(Client.invited_at, Client.id).limit(LIST_LIMIT)).all()
    return [StaleInvitation(c.id, c.full_name, c.invited_at) for c in rows]


def forms_outstanding(session: Session, *, now: datetime) -> list[FormOutstanding]:
    """Forms sent to clients and not completed (nor cancelled) yet, oldest sent
    first, in one query; each links to its client's page."""
    rows = session.exec(
        select(FormRequest.client_id, Client.full_name, FormTemplateVersion.title,
               FormRequest.sent_at)
        .join(Client, Client.id == FormRequest.client_id)
        .join(FormTemplateVersion, FormTemplateVersion.id == FormRequest.version_id)
        .where(FormRequest.status.in_(FormStatus.OUTSTANDING))
        .order_by(FormRequest.sent_at, FormRequest.id).limit(LIST_LIMIT)).all()
    return [FormOutstanding(client_id, name, title, sent_at)
            for client_id, name, title, sent_at in rows]


def get_today(session: Session, *, now: datetime, zone: str = "",
              lang: str = "en") -> TodayView:
    """Everything the console home shows, at `now`, in `zone` (the business's when
    not given); the activity sentences in `lang`."""
    zone = zone or get_business(session).timezone or "UTC"
    today, _, _ = day_bounds(now, zone)
    return TodayView(
        zone=zone, today=today, summary=get_console_summary(session),
        appointments=todays_appointments(session, now=now, zone=zone),
        requests=waiting_requests(session, now=now),
        invoices=invoices_due(session, today=today),
        unread=unread_conversations(session),
        invited=stale_invitations(session, now=now),
        forms_outstanding=forms_outstanding(session, now=now),
        activity=recent_activity(session, lang=lang, zone=zone),
    )
