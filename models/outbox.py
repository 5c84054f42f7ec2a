"""Outgoing email and SMS, written in the same transaction as their cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from models.base import utc_field


class OutboxStatus:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    WITHHELD = "withheld"  # not sent: the client's Email OK was turned off while it was queued


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=8)  # "email" | "sms"
    template: str = Field(default="", max_length=40)  # "" on rows from before 0013
    to: str = Field(max_length=254, index=True)
    subject: str = Field(default="", max_length=300)
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # [{"filename", "content_type", "content_b64"}], e.g. a booking's .ics
    attachments: list = Field(default_factory=list,
                              sa_column=Column(JSON, nullable=False, server_default="[]"))
    idempotency_key: str = Field(max_length=100, unique=True)
    status: str = Field(default=OutboxStatus.PENDING, max_length=10, index=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = utc_field(default_now=True, index=True)
    lease_until: datetime | None = utc_field(nullable=True)
    last_error: str = Field(default="", max_length=1000)
    provider: str = Field(default="", max_length=20)
    provider_message_id: str = Field(default="", max_length=200)
    created_at: datetime = utc_field(default_now=True)
    sent_at: datetime | None = utc_field(nullable=True)
