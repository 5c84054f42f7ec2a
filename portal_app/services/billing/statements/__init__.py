"""Statements: what a client owed, paid and was given back over a date range,
with aging, computed from the invoices, payments and refunds (nothing stored).

`statement(...)` builds one; `model` holds what it returns; `ledger` reads the
entries (two SQL statements at any size); `aging` puts open amounts in buckets;
`ranges` gives this month, last month, or a typed range.
"""

from portal_app.services.billing.statements.build import statement
from portal_app.services.billing.statements.model import (
    Aging,
    Allocation,
    CurrencyStatement,
    Line,
    LineKind,
    Statement,
    UnappliedPayment,
)
from portal_app.services.billing.statements.ranges import last_month, parse_range, this_month

__all__ = ["Aging", "Allocation", "CurrencyStatement", "Line", "LineKind", "Statement",
           "UnappliedPayment", "last_month", "parse_range", "statement", "this_month"]
