"""Invoices and estimates: drafting, numbering, sending, voiding, estimates'
answers, and the client's view of them.

Only drafts can be edited; a sent invoice is corrected by voiding it and
issuing a new one. Every id from a client is checked for ownership
(`get_invoice_for`); drafts and void documents are invisible to clients.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache

from sqlalchemy import Integer, bindparam, delete, func, or_
from sqlmodel import Session, select

from models import (
    Booking,
    BookingStatus,
    Client,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    NotificationKind,
    Service,
)
from models.base import utcnow
from portal_app import i18n, routes
from portal_app.i18n import formats
from portal_app.services import reads
from portal_app.services.audit import record_audit
from portal_app.services.billing.dates import business_today, client_zone
from portal_app.services.billing.lines import CleanLine, clean_lines
from portal_app.services.billing.links import pay_online_url
from portal_app.services.billing.series import PREFIXES, next_number  # noqa: F401 (re-exported)
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.crypto import new_token
from portal_app.services.emails import client_language
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.hub.offer_grants import cancel_for_void
from portal_app.services.money import format_money, parse_amount, parse_rate, totals
from portal_app.services.notification_texts import invoice_params
from portal_app.services.notifications import notify
from portal_app.services.outbox import enqueue_email
from portal_app.services.referrals.credit import apply_open_credit

NO_INVOICE = "That invoice does not exist."
MAX_TOTAL = 100_000_000_00  # a sanity ceiling in minor units
DEFAULT_DUE_DAYS = 14
# The bell line of a sent invoice or estimate: (first time?, kind) -> text.
STATUS_LABELS = {
    InvoiceStatus.DRAFT: "Draft", InvoiceStatus.SENT: "Open",
    InvoiceStatus.PARTIALLY_PAID: "Partially paid", InvoiceStatus.PAID: "Paid",
    InvoiceStatus.VOID: "Void", InvoiceStatus.ACCEPTED: "Accepted",
    InvoiceStatus.DECLINED: "Declined",
}


def status_label(invoice: Invoice, lang: str = i18n.DEFAULT) -> str:
    """What the client sees as the invoice's status, in `lang`."""
    if invoice.kind == InvoiceKind.ESTIMATE and invoice.status == InvoiceStatus.SENT:
        return i18n.gettext(lang, "Awaiting your answer")
    return i18n.gettext(lang, STATUS_LABELS.get(invoice.status, invoice.status))


# --- staff: drafting --------------------------------------------------------------------


def _parse_date(raw: object, field: str, what: str) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError(f"Enter the {what} as a date (YYYY-MM-DD).", field=field) from None


def write_lines(session: Session, invoice: Invoice, lines: list[CleanLine]) -> None:
    session.exec(delete(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
    for position, line in enumerate(lines):
        session.add(InvoiceLine(invoice_id=invoice.id, position=position,
                                description=line.description,
                                quantity_hundredths=line.quantity_hundredths,
                                unit_price_minor=line.unit_price_minor,
                                amount_minor=line.amount_minor))
    subtotal, tax, total = totals([ln.amount_minor for ln in lines],
                                  tax_rate_bp=invoice.tax_rate_bp,
                                  discount_minor=invoice.discount_minor)
    if invoice.discount_minor > subtotal:
        raise ServiceError("The discount cannot be more than the subtotal.", field="discount")
    if total > MAX_TOTAL:
        raise ServiceError("That total is too high.", field="lines")
    invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor = subtotal, tax, total


def save_draft(session: Session, *, staff_id: int, invoice_id: object | None, form: dict,
               lines: object) -> Invoice:
    """Create a draft (invoice_id None) or change one. `form` holds client_id, kind,
    issue_date, due_date, tax_rate, discount, notes; `lines` the line items."""
    business = get_business(session)
    currency = business.currency
    if invoice_id in (None, ""):
        kind = str(form.get("kind") or InvoiceKind.INVOICE)
        if kind not in InvoiceKind.ALL:
            raise ServiceError("Choose invoice or estimate.", field="kind")
        client = get_by_id(session, Client, form.get("client_id"), "Choose a client.")
        invoice = Invoice(kind=kind, number=next_number(session, kind), client_id=client.id,
                          currency=currency, issue_date=business_today(business),
                          created_by_staff_id=staff_id)
        action = "invoice.created"
    else:
        invoice = get_by_id(session, Invoice, invoice_id, NO_INVOICE)
        if invoice.status != InvoiceStatus.DRAFT:
            raise NotAllowed("Only drafts can be changed. Void it and issue a new one instead.")
        if form.get("client_id") not in (None, ""):
            invoice.client_id = get_by_id(session, Client, form.get("client_id"),
                                          "Choose a client.").id
        action = "invoice.updated"
    issue = _parse_date(form.get("issue_date"), "issue_date", "issue date")
    invoice.issue_date = issue or invoice.issue_date
    invoice.due_date = _parse_date(form.get("due_date"), "due_date", "due date")
    if invoice.due_date and invoice.due_date < invoice.issue_date:
        raise ServiceError("The due date cannot be before the issue date.", field="due_date")
    invoice.tax_rate_bp = parse_rate(form.get("tax_rate"))
    invoice.discount_minor = parse_amount(form.get("discount"), currency, field="discount",
                                          what="a discount")
    notes = str(form.get("notes") or "").strip()
    if len(notes) > 5000:
        raise ServiceError("Keep the notes under 5,000 characters.", field="notes")
    invoice.notes = notes
    invoice.updated_at = utcnow()
    session.add(invoice)
    session.flush()
    write_lines(session, invoice, clean_lines(lines, currency))
    session.add(invoice)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action=action,
                 client_id=invoice.client_id, invoice=invoice.number)
    session.flush()
    return invoice


def invoice_from_booking(session: Session, *, staff_id: int, booking_id: object) -> Invoice:
    """A draft invoice for a completed booking: one line for its service."""
    booking = get_by_id(session, Booking, booking_id, "That booking does not exist.")
    if booking.status != BookingStatus.CONFIRMED or booking.end_at > datetime.now(UTC):
        raise NotAllowed("Only a confirmed booking that has taken place can be invoiced.")
    existing = session.exec(select(Invoice.number).where(
        Invoice.booking_id == booking.id, Invoice.status != InvoiceStatus.VOID)).first()
    if existing:
        raise NotAllowed(f"This booking is already on invoice {existing}.")
    service = session.get(Service, booking.service_id)
    business = get_business(session)
    today = business_today(business)
    invoice = Invoice(kind=InvoiceKind.INVOICE, number=next_number(session, "invoice"),
                      client_id=booking.client_id, booking_id=booking.id,
                      currency=business.currency, issue_date=today,
                      due_date=today + timedelta(days=DEFAULT_DUE_DAYS),
                      created_by_staff_id=staff_id)
    session.add(invoice)
    session.flush()
    # The day the client had the session, on their calendar and in their language.
    client = session.get(Client, booking.client_id)
    day = formats.local_date_text(booking.start_at, client_zone(client, business),
                                  client_language(client, business))
    line = CleanLine(f"{service.name} — {day}", 100,
                     service.price_minor, service.price_minor)
    write_lines(session, invoice, [line])
    session.add(invoice)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="invoice.created",
                 client_id=invoice.client_id, invoice=invoice.number, booking_id=booking.id)
    session.flush()
    return invoice


def send_invoice(session: Session, *, staff_id: int, invoice_id: object, base_url: str,
                 message: str = "") -> Invoice:
    """Draft -> sent, and email the client a link. Sending again re-notifies."""
    invoice = get_by_id(session, Invoice, invoice_id, NO_INVOICE)
    if invoice.status not in (InvoiceStatus.DRAFT, *InvoiceStatus.OPEN) and not (
            invoice.kind == InvoiceKind.ESTIMATE and invoice.status == InvoiceStatus.SENT):
        label = STATUS_LABELS[invoice.status].lower()
        article = "An" if label[0] in "aeiou" else "A"
        raise NotAllowed(f"{article} {label} {invoice.kind} cannot be sent.")
    line_count = session.exec(select(func.count()).select_from(InvoiceLine).where(
        InvoiceLine.invoice_id == invoice.id)).one()
    if not line_count or (invoice.kind == InvoiceKind.INVOICE and invoice.total_minor <= 0):
        raise ServiceError("Add at least one line with an amount before sending.",
                           field="lines")
    if len(message) > 2000:
        raise ServiceError("Keep the message under 2,000 characters.", field="message")
    first = invoice.status == InvoiceStatus.DRAFT
    if first:
        invoice.status = InvoiceStatus.SENT
        invoice.sent_at = utcnow()
    invoice.updated_at = utcnow()
    session.add(invoice)
    if invoice.kind == InvoiceKind.INVOICE:  # referral payout credit the client has left
        apply_open_credit(session, client_id=invoice.client_id)
    client = session.get(Client, invoice.client_id)
    to = portal_email_of(session, client) or client.email
    if to:
        business = get_business(session)
        lang = client_language(client, business)
        enqueue_email(
            session, to=to, template="invoice_sent", business=business,
            idempotency_key=f"invoice-{invoice.id}-sent-{new_token()[:12]}", lang=lang,
            client_name=client.full_name, kind=invoice.kind, number=invoice.number,
            total=format_money(invoice.total_minor, invoice.currency, lang),
            balance=format_money(invoice.balance_minor, invoice.currency, lang),
            due_date=formats.date_text(invoice.due_date, lang) if invoice.due_date else "",
            message=message.strip(), reminder=not first,
            url=f"{base_url}{routes.invoice_page(invoice.id)}",
            pay_url=pay_online_url(invoice, client, business, base_url))
    # The bell line only: the email above is the transactional copy.
    notify(session, client_id=invoice.client_id, kind=NotificationKind.INVOICE,
           params=invoice_params(doc=invoice.kind, reminder=not first, number=invoice.number,
                                 total_minor=invoice.total_minor, currency=invoice.currency),
           link=routes.invoice_page(invoice.id), base_url=base_url, email=False)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="invoice.sent" if first else "invoice.resent",
                 client_id=invoice.client_id, invoice=invoice.number, emailed=bool(to))
    session.flush()
    return invoice


def void_invoice(session: Session, *, staff_id: int, invoice_id: object) -> Invoice:
    invoice = get_by_id(session, Invoice, invoice_id, NO_INVOICE)
    if invoice.status == InvoiceStatus.VOID:
        return invoice
    if invoice.paid_minor > 0:
        raise NotAllowed("This invoice has payments. Refund them before voiding it.")
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = invoice.updated_at = utcnow()
    session.add(invoice)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="invoice.voided",
                 client_id=invoice.client_id, invoice=invoice.number)
    cancel_for_void(session, invoice=invoice)  # an offer's pending purchase on it
    session.flush()
    return invoice


def delete_draft(session: Session, *, staff_id: int, invoice_id: object) -> None:
    invoice = get_by_id(session, Invoice, invoice_id, NO_INVOICE)
    if invoice.status != InvoiceStatus.DRAFT:
        raise NotAllowed("Only drafts can be deleted; void a sent invoice instead.")
    session.exec(delete(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="invoice.deleted",
                 client_id=invoice.client_id, invoice=invoice.number)
    session.delete(invoice)
    session.flush()


# --- staff: lists -----------------------------------------------------------------------

STAFF_FILTERS = ("all", "draft", "open", "paid", "void", "estimates")


def list_invoices(session: Session, *, status: str = "all", search: str = "",
                  client_id: object = None, page: int = 1, per_page: int = 50
                  ) -> tuple[list[tuple[Invoice, str]], int]:
    """(rows of (invoice, client name), total count): two statements at any size."""
    query = select(Invoice, Client.full_name).join(Client, Client.id == Invoice.client_id)
    count = select(func.count()).select_from(Invoice).join(Client, Client.id == Invoice.client_id)
    conditions = []
    if status == "estimates":
        conditions.append(Invoice.kind == InvoiceKind.ESTIMATE)
    elif status == "open":
        conditions += [Invoice.kind == InvoiceKind.INVOICE,
                       Invoice.status.in_(InvoiceStatus.OPEN)]
    elif status in ("draft", "paid", "void"):
        conditions.append(Invoice.status == status)
    if client_id not in (None, ""):
        conditions.append(Invoice.client_id == parse_id(client_id, "That client does not exist."))
    text = (search or "").strip()[:100]
    if text:
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        conditions.append(or_(func.lower(Client.full_name).like(like, escape="\\"),
                               func.lower(Invoice.number).like(like, escape="\\")))
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    try:
        page = max(int(page or 1), 1)
    except (TypeError, ValueError):
        page = 1
    rows = session.exec(query.order_by(Invoice.id.desc()).offset((page - 1) * per_page)
                        .limit(per_page)).all()
    return [(inv, name) for inv, name in rows], session.exec(count).one()


def flagged_invoice_ids(session: Session, invoice_ids: list[int]) -> set[int]:
    """Which of these invoices have a payment flagged for staff (one query)."""
    if not invoice_ids:
        return set()
    from models import Payment

    return set(session.exec(select(Payment.invoice_id).where(
        Payment.invoice_id.in_(invoice_ids), Payment.flag != "")).all())


def get_invoice(session: Session, *, invoice_id: object) -> Invoice:
    return get_by_id(session, Invoice, invoice_id, NO_INVOICE)


@cache
def _lines_statement():
    return (select(InvoiceLine).where(InvoiceLine.invoice_id == bindparam("invoice_id", type_=Integer))
            .order_by(InvoiceLine.position))


def invoice_lines(session: Session, *, invoice_id: int) -> list[InvoiceLine]:
    return list(session.exec(_lines_statement(), params={"invoice_id": int(invoice_id)}).all())


def invoiced_booking_ids(session: Session, booking_ids: list[int]) -> dict[int, str]:
    """booking id -> invoice number, for bookings already on a live invoice (one query)."""
    if not booking_ids:
        return {}
    rows = session.exec(select(Invoice.booking_id, Invoice.number).where(
        Invoice.booking_id.in_(booking_ids), Invoice.status != InvoiceStatus.VOID)).all()
    return {booking_id: number for booking_id, number in rows}


# --- client -----------------------------------------------------------------------------


def get_invoice_for(session: Session, *, client_id: int, invoice_id: object) -> Invoice:
    """The client's own invoice or estimate, as long as it was sent; else NotFound."""
    invoice = session.get(Invoice, parse_id(invoice_id, NO_INVOICE))
    if (invoice is None or invoice.client_id != client_id
            or invoice.status not in InvoiceStatus.VISIBLE):
        raise NotFound(NO_INVOICE)
    return invoice


def client_documents(session: Session, *, client_id: int, tab: str) -> list[Invoice]:
    """Open: invoices with a balance and estimates awaiting an answer. Paid: the rest."""
    query = select(Invoice).where(Invoice.client_id == client_id,
                                  Invoice.status.in_(InvoiceStatus.VISIBLE))
    awaiting = (Invoice.kind == InvoiceKind.ESTIMATE) & (Invoice.status == InvoiceStatus.SENT)
    open_invoice = (Invoice.kind == InvoiceKind.INVOICE) & Invoice.status.in_(InvoiceStatus.OPEN)
    if tab == "open":
        query = query.where(awaiting | open_invoice).order_by(Invoice.due_date, Invoice.id)
    else:
        query = query.where(~(awaiting | open_invoice)).order_by(Invoice.id.desc())
    return list(session.exec(query.limit(500)).all())


@cache
def total_due_statement():
    """What a client owes across open invoices (one aggregate; the client a bound
    parameter): `total_due`, and the dashboard's cards as a subquery."""
    return (select(func.coalesce(func.sum(Invoice.total_minor - Invoice.paid_minor), 0))
            .where(Invoice.client_id == bindparam("client_id", type_=Integer),
                   Invoice.kind == InvoiceKind.INVOICE, Invoice.status.in_(InvoiceStatus.OPEN)))


def total_due(session: Session, *, client_id: int) -> int:
    """What the client owes across open invoices (one aggregate query, built once)."""
    due = reads.run(session, total_due_statement(), client_id=int(client_id)).scalar()
    return max(int(due or 0), 0)


def respond_to_estimate(session: Session, *, client_id: int, invoice_id: object,
                        accept: bool) -> Invoice:
    invoice = get_invoice_for(session, client_id=client_id, invoice_id=invoice_id)
    if invoice.kind != InvoiceKind.ESTIMATE:
        raise NotFound(NO_INVOICE)
    if invoice.status != InvoiceStatus.SENT:
        raise NotAllowed(f"You already answered this estimate ({status_label(invoice).lower()}).")
    invoice.status = InvoiceStatus.ACCEPTED if accept else InvoiceStatus.DECLINED
    invoice.responded_at = invoice.updated_at = utcnow()
    session.add(invoice)
    record_audit(session, actor_kind="client", actor_id=client_id,
                 action="estimate.accepted" if accept else "estimate.declined",
                 client_id=client_id, invoice=invoice.number)
    session.flush()
    return invoice
