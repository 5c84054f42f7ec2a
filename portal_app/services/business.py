"""The business row: branding and practice-wide switches."""

from __future__ import annotations

from sqlmodel import Session, select

from models import Business

_CACHE_KEY = "portal.business"


def get_business(session: Session) -> Business:
    """The one business; a plain default until `portal seed-demo` or setup runs.

    Read once per transaction: a page's session check and the services it calls
    all ask for it, and within one transaction they get the same row object.
    A new transaction reads it again, so a change made elsewhere is seen.
    """
    cached = session.info.get(_CACHE_KEY)
    if cached is not None:
        transaction, business = cached
        if transaction is session.get_transaction() and business in session:
            return business
    business = session.exec(select(Business).order_by(Business.id).limit(1)).first()
    if business is None:
        business = Business(name="Client Portal")
        session.add(business)
        session.flush()
    session.info[_CACHE_KEY] = (session.get_transaction(), business)
    return business
