"""The business row: branding and practice-wide switches."""

from __future__ import annotations

import copy

from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, select

from models import Business

_CACHE_KEY = "portal.business"
# (engine, access generation, a detached copy of the row at it): see `business_at`.
_kept: tuple[object, int, Business] | None = None


def get_business(session: Session) -> Business:
    """The one business; a plain default until `portal seed-demo` or setup runs.

    Read once per transaction: a page's session check and the services it calls
    all ask for it, and within one transaction they get the same row object.
    A new transaction reads it again (or takes the copy `business_at` kept at
    this transaction's generation), so a change made elsewhere is seen.
    """
    cached = session.info.get(_CACHE_KEY)
    if cached is not None:
        transaction, business = cached
        if transaction is session.get_transaction() and (
                business in session or _kept is not None and business is _kept[2]):
            return business
    business = session.exec(select(Business).order_by(Business.id).limit(1)).first()
    if business is None:
        business = Business(name="Client Portal")
        session.add(business)
        session.flush()
    session.info[_CACHE_KEY] = (session.get_transaction(), business)
    return business


def business_at(session: Session, generation: int | None) -> Business:
    """The business row for a client event at access `generation` (read-only use).

    Every change to the row moves the generation (a trigger), so the row read at
    a generation stands until the next one: this process keeps a detached copy
    and hands it to the transaction (get_business then returns it too) instead of
    reading the row per event. Handlers that change the business are staff
    handlers, which read it with get_business."""
    global _kept
    kept = _kept
    engine = session.get_bind()
    if generation is not None and kept is not None and kept[1] == generation \
            and kept[0] is engine:
        session.info[_CACHE_KEY] = (session.get_transaction(), kept[2])
        return kept[2]
    business = get_business(session)
    if generation is not None and business.id is not None:
        values = {c.key: copy.deepcopy(getattr(business, c.key))
                  for c in Business.__table__.columns}
        snapshot = Business(**values)
        make_transient_to_detached(snapshot)
        _kept = (engine, generation, snapshot)
    return business


def forget_kept() -> None:
    """Drop the kept copy (tests that swap databases under one process)."""
    global _kept
    _kept = None
