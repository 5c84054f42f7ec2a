"""Read the access generation (models/access_generation.py: the counter the database's
triggers move with every change a resolved session depends on)."""

from __future__ import annotations

from sqlmodel import Session

_READ = "SELECT value FROM access_generation WHERE id = 1"


def current(session: Session) -> int | None:
    """The generation now, as this transaction sees it; None when the counter is
    missing (a database without migration 0020: nothing may then be cached)."""
    return session.connection().exec_driver_sql(_READ).scalar()
