"""Document number series ("INV-0001", "RCT-0001", "PO-0001"): taking the next number."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from models import NumberSequence

PREFIXES = {"invoice": "INV", "estimate": "EST", "receipt": "RCT", "payout": "PO"}


def next_number(session: Session, series: str) -> str:
    """The next number of a series ("INV-0001"); gap-free within committed work.

    The UPDATE takes the row's write lock, so two transactions never get the
    same number (SQLite serialises writers; PostgreSQL locks the row).
    """
    taken = session.exec(
        update(NumberSequence).where(NumberSequence.name == series)
        .values(next_value=NumberSequence.next_value + 1)
        .returning(NumberSequence.next_value)
    ).first()
    if taken is None:
        # First use of the series: create it without racing a concurrent first use
        # (the loser's insert does nothing), then take a number as usual.
        insert = (pg_insert if session.get_bind().dialect.name == "postgresql"
                  else sqlite_insert)
        session.exec(insert(NumberSequence).values(name=series, next_value=1)
                     .on_conflict_do_nothing(index_elements=["name"]))
        return next_number(session, series)
    value = taken[0] - 1
    return f"{PREFIXES[series]}-{value:04d}"
