"""A client's statement for a date range, computed from the ledger every time
(nothing stored, so it cannot drift from the invoices and payments).

Per currency: the opening balance (everything before `start`), every entry of
the range in date order with a running balance, the closing balance, and the
aging of what is open on `end`. A payment lists the invoice it paid; what it
paid beyond that invoice's balance is the client's credit. The figures are the
invoice pages' own. A share of a "Pay balance" payment (`Payment.allocation`
"oldest_first") says so on its allocation. An invoice's open amount is `total − paid` as `Invoice`
keeps it, so a statement ending today closes at `invoices.total_due` (less any
credit).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from portal_app.services.billing.statements.aging import age
from portal_app.services.billing.statements.ledger import Entry, load_entries
from portal_app.services.billing.statements.model import (
    OLDEST_FIRST,
    Allocation,
    CurrencyStatement,
    Line,
    LineKind,
    Statement,
    UnappliedPayment,
)
from portal_app.services.errors import ServiceError

MAX_RANGE_DAYS = 366 * 10


def _check_range(start: object, end: object, zone: str) -> None:
    if not isinstance(start, date):
        raise ServiceError("Choose the first day of the statement.", field="start")
    if not isinstance(end, date):
        raise ServiceError("Choose the last day of the statement.", field="end")
    if start > end:
        raise ServiceError("The first day must be on or before the last day.", field="start")
    if (end - start).days > MAX_RANGE_DAYS:
        raise ServiceError("Choose a range of at most ten years.", field="start")
    try:
        ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError("That time zone is not known.", field="zone") from None


class _Currency:
    """One currency's running sums while the ledger is walked."""

    def __init__(self, code: str):
        self.code = code
        self.opening = 0
        self.sums = dict.fromkeys(LineKind.ALL, 0)
        self.lines: list[Line] = []

    @property
    def balance(self) -> int:
        return self.opening + sum(self.sums.values())


def _line(entry: Entry, balance: int, allocations: tuple[Allocation, ...], credit: int) -> Line:
    inv, pay = entry.invoice, entry.payment
    return Line(
        day=entry.day, kind=entry.kind, invoice_id=inv.id, invoice_number=inv.number,
        amount_minor=entry.amount_minor, balance_minor=balance,
        payment_id=pay.id if pay else None, receipt_number=pay.receipt_number if pay else "",
        refund_id=entry.refund.id if entry.refund else None,
        due_date=(inv.due_date or inv.issue_date) if entry.kind == LineKind.INVOICE else None,
        method=pay.method if pay and entry.kind == LineKind.PAYMENT else "",
        allocations=allocations, credit_minor=credit)


def statement(session: Session, *, client_id: int, start: date, end: date,
              zone: str) -> Statement:
    """The statement of one client record from `start` to `end` (both included, on the
    calendar of `zone`). Two SQL statements, however long the history."""
    _check_range(start, end, zone)
    zone = zone or "UTC"
    currencies: dict[str, _Currency] = {}
    owed: dict[int, int] = defaultdict(int)  # invoice id -> its ledger balance so far
    invoices = {}
    unapplied: list[UnappliedPayment] = []
    for entry in load_entries(session, client_id=client_id, end=end, zone=zone):
        inv = entry.invoice
        if not entry.applied:
            if entry.day >= start:
                unapplied.append(UnappliedPayment(
                    day=entry.day, kind=entry.kind, payment_id=entry.payment.id,
                    receipt_number=entry.payment.receipt_number, invoice_id=inv.id,
                    invoice_number=inv.number, amount_minor=abs(entry.amount_minor),
                    currency=entry.currency))
            continue
        invoices[inv.id] = inv
        cur = currencies.setdefault(entry.currency, _Currency(entry.currency))
        allocations: tuple[Allocation, ...] = ()
        credit = 0
        if entry.kind == LineKind.PAYMENT:
            paid = -entry.amount_minor
            to_invoice = min(paid, max(owed[inv.id], 0))
            credit = paid - to_invoice
            allocations = ((Allocation(inv.id, inv.number, to_invoice,
                                       oldest_first=entry.payment.allocation == OLDEST_FIRST),)
                           if to_invoice else ())
        owed[inv.id] += entry.amount_minor
        if entry.day < start:
            cur.opening += entry.amount_minor
            continue
        cur.sums[entry.kind] += entry.amount_minor
        cur.lines.append(_line(entry, cur.balance, allocations, credit))
    parts = []
    for code in sorted(currencies):
        cur = currencies[code]
        mine = [inv for inv in invoices.values() if inv.currency == code]
        aging = age(((inv.due_date or inv.issue_date, owed[inv.id]) for inv in mine), end)
        credit = sum(-owed[inv.id] for inv in mine if owed[inv.id] < 0)
        if not cur.lines and cur.opening == 0 and aging.total_minor == 0 and credit == 0:
            continue  # nothing owed and nothing happened in this currency
        parts.append(CurrencyStatement(
            currency=code, opening_minor=cur.opening, lines=tuple(cur.lines),
            charges_minor=cur.sums[LineKind.INVOICE], payments_minor=-cur.sums[LineKind.PAYMENT],
            refunds_minor=cur.sums[LineKind.REFUND], voids_minor=-cur.sums[LineKind.VOID],
            closing_minor=cur.balance, aging=aging, credit_minor=credit))
    return Statement(client_id=client_id, start=start, end=end, zone=zone,
                     currencies=tuple(parts), unapplied=tuple(unapplied))
