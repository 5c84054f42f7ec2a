"""The client's ledger as dated entries, read in two statements whatever the
history's size: the invoices; the payments with their refunds. Plain rows of the
columns used here (named tuples), not ORM objects.

Which documents count:
- an invoice (not an estimate) once sent: status open, partially paid or paid,
  or void with a `sent_at` (voided after it was sent). Drafts, and drafts that
  were voided, never reached the client and are left out;
- a payment, on the day it was paid (`dates.paid_on_day`: the day staff entered for
  an offline payment, else the moment's day in the statement's zone);
- a refund that succeeded (pending, failed or superseded ones moved no money),
  on the day it was made in the statement's zone;
- a void, on the day it was voided in the statement's zone, as its own entry.

An invoice's entry is dated by its issue date (the date printed on it).
A payment, or a refund of one, in another currency than its invoice does not
count toward that invoice (`events.fulfil_checkout`, `refunds.apply_refund`):
such entries are marked `applied=False`.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, bindparam, or_
from sqlmodel import Session, select

from models import Invoice, InvoiceKind, InvoiceStatus, Payment, Refund
from models.base import UTCDateTime
from portal_app.services import reads
from portal_app.services.billing.dates import paid_on_day
from portal_app.services.billing.statements.model import LineKind

SENT_STATUSES = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID)
# Same-day order: the invoice first, then what happened to it in time order.
_RANK = {LineKind.INVOICE: 0, LineKind.PAYMENT: 1, LineKind.REFUND: 1, LineKind.VOID: 1}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    day: date
    kind: str
    invoice: tuple  # an invoice row (`_INVOICE` columns)
    amount_minor: int  # signed effect on what is owed
    currency: str
    moment: datetime  # orders entries of one day
    payment: tuple | None = None  # a payment row (`_PAYMENT` columns)
    refund: tuple | None = None  # a refund row (`_Refund`)
    applied: bool = True  # counts toward the invoice (same currency)

    @property
    def sort_key(self) -> tuple:
        ident = (self.refund.id if self.refund else self.payment.id if self.payment
                 else self.invoice.id) or 0
        return (self.day, _RANK[self.kind], self.moment, self.invoice.id or 0, ident)


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone or "UTC")).date()


_INVOICE = (Invoice.id, Invoice.number, Invoice.status, Invoice.currency, Invoice.issue_date,
            Invoice.due_date, Invoice.total_minor, Invoice.voided_at, Invoice.updated_at)
# `provider` and `paid_at`: `dates.paid_on_day`; the rest the statement's lines.
_PAYMENT = (Payment.id, Payment.invoice_id, Payment.amount_minor, Payment.currency,
            Payment.paid_at, Payment.provider, Payment.receipt_number, Payment.method,
            Payment.allocation)
_Payment = namedtuple("_Payment", [c.key for c in _PAYMENT])
_Refund = namedtuple("_Refund", ["id", "amount_minor", "created_at"])


@cache
def _statements():
    """The invoices, and the payments each with its counted refunds (one row per
    refund; a payment paid after `before` comes only with a refund made before it),
    built once (a statement page reads them on every visit; building them costs more
    than SQLite takes to run them)."""
    client_id = bindparam("client_id", type_=Integer)
    before = bindparam("before", type_=UTCDateTime)
    return (select(*_INVOICE).where(
                Invoice.client_id == client_id, Invoice.kind == InvoiceKind.INVOICE,
                # equalities, not IN: an IN list is expanded at every execution
                or_(*(Invoice.status == status for status in SENT_STATUSES),
                    and_(Invoice.status == InvoiceStatus.VOID, Invoice.sent_at.is_not(None)))),
            select(*_PAYMENT, Refund.id.label("refund_id"),
                   Refund.amount_minor.label("refund_minor"),
                   Refund.created_at.label("refunded_at"))
            .select_from(Payment)
            .outerjoin(Refund, and_(Refund.payment_id == Payment.id,
                                    Refund.status == "succeeded", Refund.created_at < before))
            .where(Payment.client_id == client_id,
                   or_(Payment.paid_at < before, Refund.id.is_not(None))))


def load_entries(session: Session, *, client_id: int, end: date, zone: str) -> list[Entry]:
    """Every entry of the client's ledger up to and including `end` (on the
    calendar of `zone`), in date order. Two SQL statements.

    Entries are chosen by their own day only (not by their invoice's), so
    consecutive statements always chain."""
    # Anything on or before `end` in any zone happened before this instant (UTC−12 is
    # the latest calendar); the exact day is decided below, in the statement's zone.
    before = datetime.combine(end + timedelta(days=2), time(0), tzinfo=UTC)
    invoices_q, money_q = _statements()
    params = {"client_id": int(client_id), "before": before}
    invoices = {inv.id: inv for inv in reads.records(reads.run(session, invoices_q, **params))}
    entries: list[Entry] = []
    for inv in invoices.values():
        entries.append(Entry(inv.issue_date, LineKind.INVOICE, inv, inv.total_minor,
                             inv.currency, _EPOCH))
        if inv.status == InvoiceStatus.VOID:
            # `void_invoice` stamps voided_at; a row without it was voided when last changed.
            voided = inv.voided_at or inv.updated_at
            entries.append(Entry(local_day(voided, zone), LineKind.VOID, inv,
                                 -inv.total_minor, inv.currency, voided))
    paid: dict[int, tuple] = {}
    width = len(_PAYMENT)
    for row in reads.run(session, money_q, **params):
        pay = paid.get(row[0])
        if pay is None:
            pay = paid[row[0]] = _Payment._make(row[:width])
            inv = invoices.get(pay.invoice_id)
            # Not on a sent invoice: cannot happen (payments need one).
            if inv is not None and pay.paid_at < before:
                entries.append(Entry(paid_on_day(pay, zone), LineKind.PAYMENT, inv,
                                     -pay.amount_minor, pay.currency, pay.paid_at, payment=pay,
                                     applied=pay.currency == inv.currency))
        inv = invoices.get(pay.invoice_id)
        if row.refund_id is None or inv is None:
            continue
        refund = _Refund(row.refund_id, row.refund_minor, row.refunded_at)
        entries.append(Entry(local_day(refund.created_at, zone), LineKind.REFUND, inv,
                             refund.amount_minor, pay.currency, refund.created_at,
                             payment=pay, refund=refund, applied=pay.currency == inv.currency))
    entries = [e for e in entries if e.day <= end]
    entries.sort(key=lambda e: e.sort_key)
    return entries
