"""What a statement holds: plain frozen records, no database rows.

Amounts are integer minor units of one currency; a statement keeps one
`CurrencyStatement` per currency and never adds two currencies together.
A line's `amount_minor` is its effect on what the client owes: positive for a
charge (an invoice, a refund given back), negative for a payment or a void.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# `Payment.allocation` of a share of a "Pay balance" payment (services/billing/balance.py).
OLDEST_FIRST = "oldest_first"


class LineKind:
    INVOICE = "invoice"  # an invoice sent to the client: its total is owed
    PAYMENT = "payment"  # money received: comes off what is owed
    REFUND = "refund"  # money given back on a payment: owed again
    VOID = "void"  # an invoice cancelled after it was sent: its total is no longer owed
    ALL = (INVOICE, PAYMENT, REFUND, VOID)


@dataclass(frozen=True)
class Allocation:
    """Part of a payment applied to one invoice.

    Every payment is recorded against one invoice (`Payment.invoice_id`), so the
    allocation is derived, not stored. `amount_minor` is what went to that
    invoice's balance at the time; the rest of the payment (paid beyond the
    balance) is the payment's `credit_minor`. `oldest_first` is True for a share of
    a "Pay balance" payment (`Payment.allocation == "oldest_first"`): money not tied
    to one invoice, applied to the client's open invoices oldest first
    (services/billing/balance.py), one Payment row per invoice.
    """

    invoice_id: int
    invoice_number: str
    amount_minor: int
    oldest_first: bool = False


@dataclass(frozen=True)
class Line:
    day: date  # on the statement's calendar (the zone it was made in)
    kind: str  # LineKind
    invoice_id: int
    invoice_number: str
    amount_minor: int  # signed effect on the balance
    balance_minor: int  # the running balance after this line
    payment_id: int | None = None
    receipt_number: str = ""
    refund_id: int | None = None
    due_date: date | None = None  # invoices: when it is due (issue date when none was set)
    method: str = ""  # payments: card, cash, ...
    allocations: tuple[Allocation, ...] = ()  # payments: the invoices it paid
    credit_minor: int = 0  # payments: paid beyond the invoice's balance (client's credit)


@dataclass(frozen=True)
class Aging:
    """What is open at the statement's end date, by days past the due date."""

    current_minor: int = 0  # not yet due, or due on the end date
    days_1_30_minor: int = 0
    days_31_60_minor: int = 0
    days_61_90_minor: int = 0
    over_90_minor: int = 0

    @property
    def total_minor(self) -> int:
        return (self.current_minor + self.days_1_30_minor + self.days_31_60_minor
                + self.days_61_90_minor + self.over_90_minor)


@dataclass(frozen=True)
class CurrencyStatement:
    """One currency's part of a statement.

    closing = opening + charges − payments + refunds − voids, and
    closing = aging.total − credit (open invoices less what the client paid beyond
    what they owed).
    """

    currency: str
    opening_minor: int
    lines: tuple[Line, ...]
    charges_minor: int  # invoices sent in the range
    payments_minor: int  # received in the range
    refunds_minor: int  # given back in the range
    voids_minor: int  # invoices voided in the range
    closing_minor: int
    aging: Aging
    credit_minor: int  # at the end date: paid beyond what was owed (>= 0)


@dataclass(frozen=True)
class UnappliedPayment:
    """A payment (or a refund of one) in another currency than its invoice: it does
    not count toward that invoice (the invoice pages do the same) and staff are
    told by the payment's flag. Shown apart, never added to any balance."""

    day: date
    kind: str  # LineKind.PAYMENT or LineKind.REFUND
    payment_id: int
    receipt_number: str
    invoice_id: int
    invoice_number: str
    amount_minor: int  # positive: the amount paid or given back
    currency: str


@dataclass(frozen=True)
class Statement:
    client_id: int
    start: date
    end: date
    zone: str
    currencies: tuple[CurrencyStatement, ...]  # ordered by currency code
    unapplied: tuple[UnappliedPayment, ...] = ()

    def currency(self, code: str) -> CurrencyStatement | None:
        return next((c for c in self.currencies if c.currency == code), None)

    @property
    def has_activity(self) -> bool:
        """Anything happened in the range (the monthly send skips clients without)."""
        return any(c.lines for c in self.currencies) or bool(self.unapplied)
