"""Superbill requests and issues: a client asks for one (staff are told), staff
produce it in one action (the pre-flight first: nothing with missing data is
issued), the client is told, and the issued ones are listed and fetched with
their ownership checked.

A `Superbill` row records only the client, the range and the status; its figures
are computed again whenever it is shown or printed (build.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from models import Business, Client, Superbill, SuperbillStatus
from models.base import utcnow
from portal_app import routes
from portal_app.i18n import formats
from portal_app.services.audit import record_audit
from portal_app.services.billing.superbills.build import build_superbill
from portal_app.services.billing.superbills.model import Problem
from portal_app.services.billing.superbills.ranges import check_range
from portal_app.services.business import get_business
from portal_app.services.emails import inbox_language
from portal_app.services.errors import NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.notifications import notify
from portal_app.services.outbox import enqueue_email

NOT_FOUND = "That superbill does not exist."
NO_CLIENT = "That client does not exist."
OFF = "Superbills are not offered."
ALREADY_ASKED = "You have already asked for a superbill for this range."
NOTE_MAX = 500
OPEN = (SuperbillStatus.REQUESTED, SuperbillStatus.HELD)


def superbills_on(business: Business) -> bool:
    return bool(business.superbills_enabled)


def _require_on(session: Session) -> Business:
    business = get_business(session)
    if not superbills_on(business):
        raise ServiceError(OFF)
    return business


def clean_note(raw: object) -> str:
    note = " ".join(str(raw or "").split()) if isinstance(raw, str | None) else ""
    if len(note) > NOTE_MAX:
        raise ServiceError(f"Keep the note under {NOTE_MAX} characters.", field="note")
    return note


def open_for(session: Session, *, client_id: int, start: date, end: date) -> Superbill | None:
    """The open (requested or held) superbill of this client and range, if any."""
    return session.exec(
        select(Superbill).where(Superbill.client_id == client_id, Superbill.start_date == start,
                                Superbill.end_date == end, Superbill.status.in_(OPEN))
        .order_by(Superbill.id)
    ).first()


def tell_staff(session: Session, *, business: Business, template: str, client: Client,
               row: Superbill, base_url: str, **context) -> None:
    """E-mail the business's inbox about a superbill (in the inbox's language)."""
    to = (business.contact_email or "").strip()
    if not to:
        return
    lang = inbox_language(session, business)
    enqueue_email(session, to=to, template=template, business=business, lang=lang,
                  idempotency_key=f"{template}-{row.id}-{int(utcnow().timestamp())}",
                  client_name=client.full_name, start=formats.date_text(row.start_date, lang),
                  end=formats.date_text(row.end_date, lang),
                  url=f"{base_url}{routes.console_client(client.id)}", **context)


def request_superbill(session: Session, *, account_id: int, client_id: int, start: date,
                      end: date, note: object, base_url: str) -> Superbill:
    """The client asks for a superbill of a range: one open request per client and
    range. Staff are told (the activity feed, and the business's inbox)."""
    business = _require_on(session)
    check_range(start, end)
    clean = clean_note(note)
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    if open_for(session, client_id=client.id, start=start, end=end) is not None:
        raise ServiceError(ALREADY_ASKED, field="choice")
    row = Superbill(client_id=client.id, start_date=start, end_date=end,
                    status=SuperbillStatus.REQUESTED, source="client",
                    requested_by_account_id=account_id, note=clean)
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="client", actor_id=account_id, action="superbill.requested",
                 client_id=client.id, superbill_id=row.id, start=start.isoformat(),
                 end=end.isoformat())
    tell_staff(session, business=business, template="superbill_requested", client=client,
                row=row, base_url=base_url, note=clean)
    return row


@dataclass(frozen=True)
class Produced:
    """What "Produce superbill" did: the issued row, or the problems that stop it."""

    superbill: Superbill | None
    problems: tuple[Problem, ...] = ()


def issue_superbill(session: Session, *, row: Superbill, staff_id: int | None, base_url: str,
                    client: Client, email: bool = True) -> Superbill:
    """Mark `row` issued (by staff, or by the monthly run when `staff_id` is None),
    audit it and tell the client under the bell (by e-mail too with `email`, as the
    client chose for invoices)."""
    row.status = SuperbillStatus.ISSUED
    row.issued_at = utcnow()
    row.issued_by_staff_id = staff_id
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="staff" if staff_id else "system", actor_id=staff_id,
                 action="superbill.issued", client_id=client.id, superbill_id=row.id,
                 start=row.start_date.isoformat(), end=row.end_date.isoformat())
    notify(session, client_id=client.id, kind="invoice", link=routes.PAYMENTS_SUPERBILLS,
           base_url=base_url, email=email,
           params={"doc": "superbill", "start": row.start_date.isoformat(),
                   "end": row.end_date.isoformat()})
    return row


def produce_superbill(session: Session, *, staff_id: int, client_id: object, start: date,
                      end: date, base_url: str, now: datetime | None = None) -> Produced:
    """Staff produce the superbill of a client and range in one action: the pre-flight
    runs first; with problems nothing changes and they come back; otherwise the open
    request (or held one) of that range is issued, or a new one, and the client told."""
    _require_on(session)
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    doc = build_superbill(session, client_id=client.id, start=start, end=end, now=now)
    if doc.problems:
        return Produced(None, doc.problems)
    row = open_for(session, client_id=client.id, start=start, end=end)
    if row is None:
        row = Superbill(client_id=client.id, start_date=start, end_date=end, source="staff")
    return Produced(issue_superbill(session, row=row, staff_id=staff_id, base_url=base_url,
                           client=client))


def client_superbills(session: Session, *, client_id: int) -> list[Superbill]:
    """A client's superbills, newest range first: the issued ones and their open requests."""
    return list(session.exec(
        select(Superbill).where(Superbill.client_id == client_id)
        .order_by(Superbill.start_date.desc(), Superbill.id.desc())
    ).all())


def open_requests(session: Session, *, limit: int = 200) -> list[tuple[Superbill, str]]:
    """Requested and held superbills of every client, oldest first, with the client's name."""
    return [(row, name) for row, name in session.exec(
        select(Superbill, Client.full_name).join(Client, Client.id == Superbill.client_id)
        .where(Superbill.status.in_(OPEN)).order_by(Superbill.requested_at, Superbill.id)
        .limit(limit)
    ).all()]


def get_issued_for(session: Session, *, client_ids: list[int], superbill_id: object) -> Superbill:
    """An issued superbill of one of these client records; NotFound otherwise (never
    saying whether it exists)."""
    row = session.get(Superbill, parse_id(superbill_id, NOT_FOUND))
    if row is None or row.client_id not in set(client_ids) \
            or row.status != SuperbillStatus.ISSUED:
        raise NotFound(NOT_FOUND)
    return row


def get_superbill(session: Session, *, superbill_id: object) -> Superbill:
    """Any superbill (staff)."""
    return get_by_id(session, Superbill, superbill_id, NOT_FOUND)


def produce_request(session: Session, *, staff_id: int, superbill_id: object, base_url: str,
                    client_id: int | None = None, now: datetime | None = None) -> Produced:
    """"Produce" on an open request (or a held monthly one): its client and range.
    With `client_id`, the request must be that client's (the page it was pressed on)."""
    row = get_superbill(session, superbill_id=superbill_id)
    if row.status not in OPEN or (client_id is not None and row.client_id != client_id):
        raise NotFound(NOT_FOUND)
    return produce_superbill(session, staff_id=staff_id, client_id=row.client_id,
                             start=row.start_date, end=row.end_date, base_url=base_url, now=now)
