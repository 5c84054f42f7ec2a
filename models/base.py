"""Shared column types and helpers for the tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in Python on every database.

    SQLite keeps no zone and hands back naive values; this stores UTC and
    always returns an aware UTC datetime, so comparisons never mix kinds.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_field(*, nullable: bool = False, index: bool = False, default_now: bool = False):
    """A UTC timestamp column."""
    kwargs = {"sa_type": UTCDateTime, "nullable": nullable, "index": index}
    if default_now:
        return Field(default_factory=utcnow, **kwargs)
    return Field(default=None, **kwargs)
