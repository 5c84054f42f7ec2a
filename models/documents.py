"""Documents shared between the business and a client record.

The file itself lives in the private storage directory under a random name
(`stored_name`); the name the person gave it is kept, sanitised, for display
and for the download's Content-Disposition only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from models.base import utc_field


class DocumentDirection:
    SHARED = "shared"  # staff -> client
    UPLOADED = "uploaded"  # client -> business
    ALL = (SHARED, UPLOADED)


class Document(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    direction: str = Field(default=DocumentDirection.SHARED, max_length=10, index=True)
    title: str = Field(max_length=200)
    filename: str = Field(max_length=200)  # sanitised original name
    stored_name: str = Field(max_length=80, unique=True)
    content_type: str = Field(max_length=100)
    size_bytes: int = Field(default=0)
    sha256: str = Field(default="", max_length=64)
    message: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    shared_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    conversation_message_id: int | None = Field(default=None, index=True)
    created_at: datetime = utc_field(default_now=True)
    first_viewed_at: datetime | None = utc_field(nullable=True)  # by the other side
    last_viewed_at: datetime | None = utc_field(nullable=True)
    view_count: int = Field(default=0)
    deleted_at: datetime | None = utc_field(nullable=True)
    replaced_by_id: int | None = Field(default=None, foreign_key="document.id")
