"""Sliding-window limits counted in the database (shared by all workers)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Integer, String, bindparam, delete, func, insert
from sqlmodel import Session, select

from models import RateEvent
from portal_app.services import reads
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


@cache
def _take_statement():
    """One attempt recorded only while fewer than `limit` are in the window (the count
    stops at `limit`: a full window costs no more than a busy one)."""
    bucket, key = bindparam("bucket", type_=String), bindparam("key", type_=String)
    stamp = RateEvent.__table__.c.at.type
    recent = (select(RateEvent.id).where(RateEvent.bucket == bucket, RateEvent.key == key,
                                         RateEvent.at >= bindparam("since", type_=stamp))
              .limit(bindparam("limit", type_=Integer)).subquery())
    room = select(func.count()).select_from(recent).scalar_subquery() \
        < bindparam("limit", type_=Integer)
    return insert(RateEvent).from_select(
        ["bucket", "key", "at"],
        select(bucket, key, bindparam("now", type_=stamp)).where(room)
    ).returning(RateEvent.id)  # (an INSERT … SELECT's rowcount is -1 on psycopg)


def take(session: Session, *, bucket: str, key: str, limit: int, window: timedelta,
         now: datetime, message: str) -> None:
    """`hit` in one statement: the attempt is recorded only when the window has room
    (for events frequent enough that a statement counts); RateLimited otherwise."""
    if reads.run(session, _take_statement(), bucket=bucket, key=key, limit=int(limit),
                 since=now - window, now=now).first() is None:
        raise RateLimited(message)


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
