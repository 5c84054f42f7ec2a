"""Sliding-window limits counted in the database (shared by all workers)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from models import RateEvent
from portal_app.services.errors import RateLimited


def count_recent(session: Session, *, bucket: str, key: str, since: datetime) -> int:
    stmt = select(func.count()).where(
        RateEvent.bucket == bucket, RateEvent.key == key, RateEvent.at >= since
    )
    return int(session.exec(stmt).one())


def hit(
    session: Session,
    *,
    bucket: str,
    key: str,
    limit: int,
    window: timedelta,
    now: datetime,
    message: str,
) -> None:
    """Count one attempt; raise RateLimited if the window is already full."""
    if count_recent(session, bucket=bucket, key=key, since=now - window) >= limit:
        raise RateLimited(message)
    session.add(RateEvent(bucket=bucket, key=key, at=now))
    session.flush()


def record(session: Session, *, bucket: str, key: str, now: datetime) -> None:
    session.add(RateEvent(bucket=bucket, key=key, at=now))
    session.flush()


def check(
    session: Session,
    *,
    bucket: str,
    key: str,
    limit: int,
    window: timedelta,
    now: datetime,
    message: str,
) -> None:
    if count_recent(session, bucket=bucket, key=key, since=now - window) >= limit:
        raise RateLimited(message)


def prune(session: Session, *, older_than: datetime) -> int:
    result = session.exec(delete(RateEvent).where(RateEvent.at < older_than))
    return result.rowcount or 0
