"""The business row: branding and practice-wide switches."""

from __future__ import annotations

from sqlmodel import Session, select

from models import Business


def get_business(session: Session) -> Business:
    """The one business; a plain default until `portal seed-demo` or setup runs."""
    business = session.exec(select(Business).order_by(Business.id).limit(1)).first()
    if business is None:
        business = Business(name="Client Portal")
        session.add(business)
        session.flush()
    return business
