"""The number a new invoice or estimate will get, read without taking it.

`invoices.next_number` takes a number (it moves the series on); this only
looks, so the send dialog of an unsaved draft can name the number the draft
gets when it is saved and sent ("INV-0007"). Another draft saved first takes
it, and the send then gives the next one: the text is a preview, not a promise.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models import NumberSequence
from portal_app.services.billing.series import PREFIXES


def upcoming_number(session: Session, series: str) -> str:
    """The next number of a series ("INV-0001" for a series never used); no write."""
    value = session.exec(select(NumberSequence.next_value).where(
        NumberSequence.name == series)).first()
    return f"{PREFIXES[series]}-{(value or 1):04d}"
