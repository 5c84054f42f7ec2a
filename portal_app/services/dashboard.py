"""The dashboard's greeting and its one "next step" (seed 001: the dashboard is
a snapshot of what is coming up, what is owed and what is new; this picks the
one thing to do first).

`next_step` returns a kind, its parameters and a link; the page words it in
the reader's language. The order is the rule (`STEP_ORDER`), first match wins:

1. money: an invoice past its due date, else an estimate awaiting the
   client's answer, else an invoice to pay (earliest due first);
2. a form to complete (the soonest due, else the oldest sent);
3. a booking request waiting for the business's approval (the soonest);
4. unread messages;
5. new shared documents (never opened);
6. nothing: "all set".

Each step looks only at what the client may use (`Access`) and costs at most
one small query (money, booking) or none (counts the caller already has; the
money step's invoice comes with the dashboard's `cards`), so the dashboard's
number of queries stays the same however much data there is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, bindparam, case, literal_column, true
from sqlmodel import Session, select

from models import Booking, BookingStatus, Invoice, InvoiceKind, InvoiceStatus, Service
from portal_app import routes
from portal_app.services import reads
from portal_app.services.billing.invoices import total_due_statement
from portal_app.services.documents import new_document_count
from portal_app.services.documents.queries import new_count_statement
from portal_app.services.forms.client_forms import first_outstanding
from portal_app.services.messaging import unread_for_client
from portal_app.services.permissions import Access
from portal_app.services.profile import needs_timezone_clause


class StepKind:
    PAYMENT_OVERDUE = "payment_overdue"
    ESTIMATE = "estimate"
    PAYMENT_DUE = "payment_due"
    FORM = "form"
    BOOKING_REQUEST = "booking_request"
    MESSAGES = "messages"
    DOCUMENTS = "documents"
    ALL_SET = "all_set"


@dataclass(frozen=True)
class NextStep:
    kind: str
    params: dict[str, object] = field(default_factory=dict)
    link: str = routes.DASHBOARD


class Urgent(NamedTuple):
    """The most urgent open invoice or estimate of a client (the money step's read)."""

    id: int
    kind: str
    number: str
    currency: str
    due_date: date | None
    total_minor: int
    paid_minor: int


UNREAD = object()  # a fact the caller did not read: the step reads it itself


@dataclass(frozen=True)
class Facts:
    """What a step may look at: the client, what it may use, now, and the counts
    the caller may already hold (None: the step counts them itself); `urgent`: the
    money step's invoice as the caller read it (`Urgent` or None), else UNREAD."""

    session: Session
    client_id: int
    access: Access
    now: datetime
    zone: str
    unread_messages: int | None = None
    new_documents: int | None = None
    forms_open: int | None = None
    urgent: object = UNREAD


def clock() -> datetime:
    """Now (tests replace it)."""
    return datetime.now(UTC)


# --- the greeting -----------------------------------------------------------------------

# Where the afternoon and the evening begin, by language ("buenas tardes" lasts
# until about eight in Spanish); the morning begins at five everywhere.
MORNING_FROM = 5
AFTERNOON_FROM = 12
EVENING_FROM = {"en": 18, "es": 20}


def _local(now: datetime, zone: str) -> datetime:
    """`now` on the client's clock (an unknown zone: UTC)."""
    try:
        return now.astimezone(ZoneInfo(zone or "UTC"))
    except (KeyError, ValueError):
        return now.astimezone(UTC)


def local_today(now: datetime, zone: str) -> date:
    """Today on the client's calendar (from which day an invoice is overdue)."""
    return _local(now, zone).date()


def part_of_day(now: datetime, zone: str, lang: str = "en") -> str:
    """"morning", "afternoon" or "evening" on the client's clock."""
    hour = _local(now, zone).hour
    if MORNING_FROM <= hour < AFTERNOON_FROM:
        return "morning"
    if AFTERNOON_FROM <= hour < EVENING_FROM.get(lang, EVENING_FROM["en"]):
        return "afternoon"
    return "evening"


def first_name(full_name: str) -> str:
    """What a greeting calls the client: the first word of the record's name."""
    parts = (full_name or "").split()
    return parts[0] if parts else ""


# --- the cards ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cards:
    total_due: int  # what the client owes across open invoices (minor units, >= 0)
    new_documents: int  # shared documents never opened
    needs_timezone: bool  # the browser's zone is still to be read for this record
    urgent: Urgent | None  # the money step's invoice (`next_step(urgent=...)`), or None


@cache
def _cards_statement():
    """One row: the counts (their own statements as subqueries) and the money step's
    invoice (`_money_statement`, LEFT JOINed to a one-row table, so the row comes when
    there is none). Read whatever the client may use; the step looks only with billing."""
    urgent = _money_statement().subquery("urgent")
    one = select(literal_column("1").label("one")).subquery("one")
    return (select(total_due_statement().scalar_subquery(),
                   new_count_statement().scalar_subquery(), needs_timezone_clause(),
                   *urgent.c)
            .select_from(one.outerjoin(urgent, true())))


def cards(session: Session, *, client_id: int, today: date) -> Cards:
    """The dashboard's counts and the money step's invoice in one statement, by the same
    rules as `total_due`, `new_document_count`, `profile.needs_timezone` and the money
    step (`today`: the client's, `local_today`)."""
    due, documents, zone, *invoice = reads.run(session, _cards_statement(),
                                               client_id=int(client_id), today=today).one()
    urgent = Urgent(*invoice) if invoice[0] is not None else None
    return Cards(max(int(due or 0), 0), int(documents or 0), bool(zone), urgent)


# --- the next step ----------------------------------------------------------------------


def _money(facts: Facts) -> NextStep | None:
    """The most urgent invoice or estimate: one query, ordered by urgency (none when
    the caller read it with the cards)."""
    if not facts.access.billing:
        return None
    today = local_today(facts.now, facts.zone)
    invoice = facts.urgent
    if invoice is UNREAD:
        invoice = reads.run(facts.session, _money_statement(), client_id=int(facts.client_id),
                            today=today).first()
    if invoice is None:
        return None
    params = {"number": invoice.number, "currency": invoice.currency,
              "due_date": invoice.due_date}
    if invoice.kind == InvoiceKind.ESTIMATE:
        return NextStep(StepKind.ESTIMATE, {**params, "amount_minor": invoice.total_minor},
                        routes.invoice_page(invoice.id))
    late = invoice.due_date is not None and invoice.due_date < today
    return NextStep(StepKind.PAYMENT_OVERDUE if late else StepKind.PAYMENT_DUE,
                    {**params, "amount_minor": max(invoice.total_minor - invoice.paid_minor, 0)},
                    routes.invoice_page(invoice.id))


@cache
def _money_statement():
    """The most urgent open invoice or estimate of a client (`today` on their clock):
    overdue first, then estimates to answer, then by due date; built once."""
    today = bindparam("today", type_=Date)
    is_estimate = (Invoice.kind == InvoiceKind.ESTIMATE) & (Invoice.status == InvoiceStatus.SENT)
    is_open = (Invoice.kind == InvoiceKind.INVOICE) & Invoice.status.in_(InvoiceStatus.OPEN)
    overdue = is_open & Invoice.due_date.is_not(None) & (Invoice.due_date < today)
    urgency = case((overdue, 0), (is_estimate, 1), else_=2)
    return (select(Invoice.id, Invoice.kind, Invoice.number, Invoice.currency,
                   Invoice.due_date, Invoice.total_minor, Invoice.paid_minor)
            .where(Invoice.client_id == bindparam("client_id", type_=Integer),
                   is_estimate | is_open)
            .order_by(urgency, Invoice.due_date.is_(None), Invoice.due_date, Invoice.id)
            .limit(1))


def _form_to_complete(facts: Facts) -> NextStep | None:
    """A form the client still has to fill in (the soonest due first), as
    NextStep(StepKind.FORM, {"title", "count"}, <the form's page>); one query,
    none when the caller knows there is none (the shell counts them)."""
    if facts.forms_open == 0:
        return None
    found = first_outstanding(facts.session, client_id=facts.client_id)
    if found is None:
        return None
    request_id, title, count = found
    return NextStep(StepKind.FORM, {"title": title, "count": count},
                    routes.form_page(request_id))


def _booking_request(facts: Facts) -> NextStep | None:
    """The soonest booking request still waiting for the business (one query)."""
    if not facts.access.bookings:
        return None
    row = facts.session.exec(
        select(Booking.start_at, Service.name).join(Service, Service.id == Booking.service_id)
        .where(Booking.client_id == facts.client_id, Booking.status == BookingStatus.PENDING,
               Booking.start_at > facts.now)
        .order_by(Booking.start_at).limit(1)
    ).first()
    if row is None:
        return None
    start_at, service = row
    return NextStep(StepKind.BOOKING_REQUEST, {"service": service, "start_at": start_at},
                    routes.BOOKINGS)


def _unread_messages(facts: Facts) -> NextStep | None:
    if not facts.access.messaging:
        return None
    count = facts.unread_messages
    if count is None:
        count = unread_for_client(facts.session, client_id=facts.client_id)
    return NextStep(StepKind.MESSAGES, {"count": count}, routes.MESSAGES) if count else None


def _new_documents(facts: Facts) -> NextStep | None:
    if not facts.access.documents:
        return None
    count = facts.new_documents
    if count is None:
        count = new_document_count(facts.session, client_id=facts.client_id)
    return NextStep(StepKind.DOCUMENTS, {"count": count}, routes.DOCUMENTS) if count else None


STEP_ORDER: tuple[Callable[[Facts], NextStep | None], ...] = (
    _money, _form_to_complete, _booking_request, _unread_messages, _new_documents)


def next_step(session: Session, *, client_id: int, access: Access, now: datetime | None = None,
              zone: str = "UTC", unread_messages: int | None = None,
              new_documents: int | None = None, forms_open: int | None = None,
              urgent: object = UNREAD) -> NextStep:
    """The one thing the client should do next (see the module's order), or
    ALL_SET. `zone` decides which day "overdue" starts on; pass the counts the
    caller already has to save their queries, and `urgent` as `cards` read it
    (for the same `now` and `zone`) to save the money step's."""
    facts = Facts(session=session, client_id=client_id, access=access,
                  now=now or clock(), zone=zone, unread_messages=unread_messages,
                  new_documents=new_documents, forms_open=forms_open, urgent=urgent)
    for step in STEP_ORDER:
        found = step(facts)
        if found is not None:
            return found
    return NextStep(StepKind.ALL_SET)

