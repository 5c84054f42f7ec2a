"""Audit trail: who did what, when, written with the change it records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.base import utc_field


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(default_now=True, index=True)
    actor_kind: str = Field(max_length=8)  # client | staff | system
    actor_id: int | None = Field(default=None)
    action: str = Field(max_length=60, index=True)
    client_id: int | None = Field(default=None, index=True)
    ip: str = Field(default="", max_length=64)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
