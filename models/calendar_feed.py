"""A staff member's secret iCalendar feed: one row per staff member, the token
only as its SHA-256 (the URL is shown once, when it is made)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utc_field


class CalendarFeed(SQLModel, table=True):
    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id", unique=True, index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # Whether the events name the client (off: "Booked — <service>"); the staff
    # member's choice, since a phone's calendar may be seen by others.
    include_client_names: bool = Field(default=False)
    created_at: datetime = utc_field(default_now=True)
