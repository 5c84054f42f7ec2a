"""The console header's search: one box finding clients (name, email, phone),
invoices (number), bookings (client name, or a day) and conversations (subject).

Four statements whatever the size of the data (one per kind, each limited), so
typing in the box stays cheap. What a staff member may find follows their role
(`KINDS_BY_ROLE`, the same sections the console lets that role open); an
unknown role finds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, select

from models import Booking, Client, Conversation, Invoice, Service, StaffRole
from portal_app import routes
from portal_app.i18n import formats

KINDS = ("clients", "invoices", "bookings", "conversations")
# Both roles open every console section today; a role that may see less lists less here.
KINDS_BY_ROLE: dict[str, tuple[str, ...]] = {StaffRole.OWNER: KINDS, StaffRole.STAFF: KINDS}
MIN_CHARS = 2
MAX_CHARS = 100
PER_KIND = 5


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KINDS
    title: str
    detail: str
    url: str


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _day(text: str, lang: str) -> date | None:
    """A day typed in the box (see formats.parse_day), else None."""
    if not re.fullmatch(r"[\d/.\-]{6,10}", text):
        return None
    return formats.parse_day(text, lang)


def _clients(session: Session, text: str, like: str) -> list[Hit]:
    conditions = [func.lower(Client.full_name).like(like, escape="\\"),
                  func.lower(Client.email).like(like, escape="\\")]
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 3:  # "555 0101" finds "+15550101"
        conditions.append(Client.mobile.contains(digits, autoescape=True))
    rows = session.exec(select(Client).where(or_(*conditions))
                        .order_by(func.lower(Client.full_name), Client.id).limit(PER_KIND)).all()
    return [Hit("clients", c.full_name, " · ".join(x for x in (c.email, c.mobile) if x),
                routes.console_client(c.id)) for c in rows]


def _invoices(session: Session, like: str) -> list[Hit]:
    rows = session.exec(
        select(Invoice.id, Invoice.number, Client.full_name)
        .join(Client, Client.id == Invoice.client_id)
        .where(func.lower(Invoice.number).like(like, escape="\\"))
        .order_by(Invoice.id.desc()).limit(PER_KIND)).all()
    return [Hit("invoices", number, name, routes.console_invoice(invoice_id))
            for invoice_id, number, name in rows]


def _bookings(session: Session, like: str, day: date | None, zone: str, lang: str) -> list[Hit]:
    query = (select(Booking.start_at, Booking.client_id, Client.full_name, Service.name)
             .join(Client, Client.id == Booking.client_id)
             .join(Service, Service.id == Booking.service_id))
    if day is not None:  # that day on the business's clock
        start = datetime.combine(day, time(), tzinfo=ZoneInfo(zone or "UTC"))
        query = query.where(Booking.start_at >= start,
                            Booking.start_at < start + timedelta(days=1))
    else:
        query = query.where(func.lower(Client.full_name).like(like, escape="\\"))
    rows = session.exec(query.order_by(Booking.start_at.desc()).limit(PER_KIND)).all()
    return [Hit("bookings", f"{name} · {service}", formats.when_medium(start_at, zone, lang),
                routes.console_client(client_id))
            for start_at, client_id, name, service in rows]


def _conversations(session: Session, like: str) -> list[Hit]:
    rows = session.exec(
        select(Conversation.id, Conversation.subject, Client.full_name)
        .join(Client, Client.id == Conversation.client_id)
        .where(func.lower(Conversation.subject).like(like, escape="\\"))
        .order_by(Conversation.last_message_at.desc()).limit(PER_KIND)).all()
    return [Hit("conversations", subject, name, f"{routes.CONSOLE_MESSAGES}?c={conversation_id}")
            for conversation_id, subject, name in rows]


def search_console(session: Session, *, query: object, role: str, zone: str = "UTC",
                   lang: str = "en") -> list[Hit]:
    """What `query` finds for a staff member of `role`, grouped in the order of KINDS
    (at most PER_KIND of each). Fewer than MIN_CHARS characters find nothing."""
    text = str(query or "").strip()[:MAX_CHARS]
    kinds = KINDS_BY_ROLE.get(role, ())
    if len(text) < MIN_CHARS or not kinds:
        return []
    like = _like(text)
    hits: list[Hit] = []
    if "clients" in kinds:
        hits += _clients(session, text, like)
    if "invoices" in kinds:
        hits += _invoices(session, like)
    if "bookings" in kinds:
        hits += _bookings(session, like, _day(text, lang), zone, lang)
    if "conversations" in kinds:
        hits += _conversations(session, like)
    return hits
