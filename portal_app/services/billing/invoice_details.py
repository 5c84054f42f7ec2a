"""An invoice's lines and payments as the client's invoice page lists them, in one
statement: a UNION ALL of the two reads (`invoices.invoice_lines`, by position, and
`payments.invoice_payments`, by when paid), built once, selecting the columns the page
shows. The invoice itself is read, and checked to be the client's, before this
(`invoices.get_invoice_for`)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Integer, String, bindparam, cast, literal_column, null, union_all
from sqlmodel import Session, select

from models import InvoiceLine, Payment
from models.base import UTCDateTime
from portal_app.services import reads

LINE, PAYMENT = 0, 1  # the `part` column: which read a row comes from


class LineView(NamedTuple):
    description: str
    quantity_hundredths: int
    unit_price_minor: int
    amount_minor: int


class PaymentView(NamedTuple):
    """What the page shows of a payment (`dates.paid_on_text` reads `provider` and
    `paid_at`, as of a Payment)."""

    id: int
    receipt_number: str
    amount_minor: int
    currency: str
    method: str
    provider: str
    paid_at: datetime


@cache
def _statement():
    """Rows of both parts with the same columns: `part`, the two sort keys of each part
    (`pos` for lines, `at` for payments) and the row's id, then 3 numbers and 4 texts
    (a line's: quantity, unit price, amount, description; a payment's: amount, and
    receipt number, currency, method, provider). Payments come first in the statement
    so the columns take their types (a moment in UTC for `at`)."""
    invoice_id = bindparam("invoice_id", type_=Integer)
    zero, empty = literal_column("0", Integer), literal_column("''", String)
    payments = select(
        literal_column(str(PAYMENT), Integer).label("part"), zero.label("pos"),
        Payment.paid_at.label("at"), Payment.id.label("id"),
        Payment.amount_minor.label("n1"), zero.label("n2"), zero.label("n3"),
        Payment.receipt_number.label("t1"), Payment.currency.label("t2"),
        Payment.method.label("t3"), Payment.provider.label("t4"),
    ).where(Payment.invoice_id == invoice_id)
    lines = select(
        literal_column(str(LINE), Integer), InvoiceLine.position, cast(null(), UTCDateTime),
        InvoiceLine.id, InvoiceLine.quantity_hundredths, InvoiceLine.unit_price_minor,
        InvoiceLine.amount_minor, InvoiceLine.description, empty, empty, empty,
    ).where(InvoiceLine.invoice_id == invoice_id)
    return union_all(payments, lines).order_by(*(literal_column(name) for name in
                                                 ("part", "pos", "at", "id")))


def lines_and_payments(session: Session, *, invoice_id: int
                       ) -> tuple[list[LineView], list[PaymentView]]:
    """The invoice's lines (by position) and its payments (by when paid), in one read."""
    lines: list[LineView] = []
    payments: list[PaymentView] = []
    for part, _pos, at, row_id, n1, n2, n3, t1, t2, t3, t4 in reads.run(
            session, _statement(), invoice_id=int(invoice_id)):
        if part == LINE:
            lines.append(LineView(t1, n1, n2, n3))
        else:
            payments.append(PaymentView(row_id, t1, n1, t2, t3, t4, at))
    return lines, payments
