"""Aging: an open amount's bucket by the days past its due date on the end date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from portal_app.services.billing.statements.model import Aging

CURRENT, DAYS_1_30, DAYS_31_60, DAYS_61_90, OVER_90 = (
    "current", "1-30", "31-60", "61-90", "over-90")
BUCKETS = (CURRENT, DAYS_1_30, DAYS_31_60, DAYS_61_90, OVER_90)


def bucket(due: date, on: date) -> str:
    """Due on `on` or later: current; then 1–30, 31–60, 61–90, over 90 days past due."""
    late = (on - due).days
    if late <= 0:
        return CURRENT
    if late <= 30:
        return DAYS_1_30
    if late <= 60:
        return DAYS_31_60
    if late <= 90:
        return DAYS_61_90
    return OVER_90


def age(open_amounts: Iterable[tuple[date, int]], on: date) -> Aging:
    """Aging of (due date, open amount) pairs on `on`; amounts <= 0 are not aged."""
    sums = dict.fromkeys(BUCKETS, 0)
    for due, amount in open_amounts:
        if amount > 0:
            sums[bucket(due, on)] += amount
    return Aging(current_minor=sums[CURRENT], days_1_30_minor=sums[DAYS_1_30],
                 days_31_60_minor=sums[DAYS_31_60], days_61_90_minor=sums[DAYS_61_90],
                 over_90_minor=sums[OVER_90])
