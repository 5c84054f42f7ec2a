"""Secure messaging: conversations between a client record and the business,
and the notifications shown under the client's bell."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, text
from sqlmodel import Field, SQLModel

from models.base import utc_field


class Conversation(SQLModel, table=True):
    __tablename__ = "conversation"
    # The console's unread count (every console event and live refresh asks it) reads
    # the conversations with unread messages only, not every conversation.
    __table_args__ = (Index("ix_conversation_staff_unread", "staff_unread",
                            sqlite_where=text("staff_unread > 0"),
                            postgresql_where=text("staff_unread > 0")),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    subject: str = Field(max_length=200)
    assigned_staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    created_by: str = Field(default="client", max_length=8)  # client | staff
    created_at: datetime = utc_field(default_now=True)
    last_message_at: datetime = utc_field(default_now=True, index=True)
    # Read markers: a side has unread messages when the other side wrote after it read.
    client_read_at: datetime | None = utc_field(nullable=True)
    staff_read_at: datetime | None = utc_field(nullable=True)
    client_unread: int = Field(default=0)
    staff_unread: int = Field(default=0)
    closed_at: datetime | None = utc_field(nullable=True)


class Message(SQLModel, table=True):
    __tablename__ = "message"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    sender: str = Field(max_length=8)  # client | staff
    sender_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = utc_field(default_now=True, index=True)


class NotificationKind:
    MESSAGE = "message"
    DOCUMENT = "document"
    INVOICE = "invoice"
    BOOKING = "booking"
    PAYMENT = "payment"
    FORM = "form"
    COURSE = "course"  # "a new lesson is open" (issue 22), at most one a day per course
    COMMUNITY = "community"  # a mention, a reply, a post in a group (issue 23)
    ALL = (MESSAGE, DOCUMENT, INVOICE, BOOKING, PAYMENT, FORM, COURSE, COMMUNITY)
    LABELS = {MESSAGE: "New messages", DOCUMENT: "New shared documents",
              INVOICE: "Invoices and estimates", BOOKING: "Booking changes",
              PAYMENT: "Payments received", FORM: "Forms to complete",
              COURSE: "New lessons open in my courses",
              COMMUNITY: "Mentions and replies in my groups"}


class Notification(SQLModel, table=True):
    """One line under the client's bell, for one client record: its kind plus
    `params`, worded in the reader's language when read
    (portal_app/services/notification_texts.py). `title` is the English wording
    when written, shown only for a row without params."""

    __tablename__ = "notification"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    kind: str = Field(max_length=12)
    title: str = Field(max_length=200)
    link: str = Field(default="", max_length=300)  # a path inside the portal
    params: dict = Field(default_factory=dict,
                         sa_column=Column(JSON, nullable=False, server_default="{}"))
    created_at: datetime = utc_field(default_now=True, index=True)
    read_at: datetime | None = utc_field(nullable=True, index=True)
