"""Credentials in flight: sessions, sign-in tickets, one-time codes, throttles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import utc_field


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of its cookie token is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=8)  # "client" | "staff"
    account_id: int | None = Field(default=None, foreign_key="portal_account.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    selected_client_id: int | None = Field(default=None, foreign_key="client.id")
    created_at: datetime = utc_field(default_now=True)
    last_seen_at: datetime = utc_field(default_now=True)
    expires_at: datetime = utc_field()
    revoked_at: datetime | None = utc_field(nullable=True)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class SignInTicket(SQLModel, table=True):
    """Single-use, short-lived bridge from a sign-in event to the cookie route."""

    __tablename__ = "sign_in_ticket"

    id: int | None = Field(default=None, primary_key=True)
    ticket_hash: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=8)
    account_id: int | None = Field(default=None, foreign_key="portal_account.id")
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    selected_client_id: int | None = Field(default=None, foreign_key="client.id")
    expires_at: datetime = utc_field()
    used_at: datetime | None = utc_field(nullable=True)


class CodePurpose:
    SIGN_IN = "sign_in"
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose name, not a secret
    ALL = (SIGN_IN, VERIFY_EMAIL, RESET_PASSWORD)


class OneTimeCode(SQLModel, table=True):
    """A 6-digit code sent by email or SMS; stored as an HMAC, used once."""

    __tablename__ = "one_time_code"

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=16, index=True)
    email: str = Field(max_length=254, index=True)
    account_id: int | None = Field(default=None, foreign_key="portal_account.id")
    code_hash: str = Field(max_length=64)
    # Registration keeps the chosen name and password hash here until verified.
    pending_name: str = Field(default="", max_length=200)
    pending_password_hash: str | None = Field(default=None, max_length=100)
    created_at: datetime = utc_field(default_now=True, index=True)
    expires_at: datetime = utc_field()
    attempts: int = Field(default=0)
    used_at: datetime | None = utc_field(nullable=True)
    ip: str = Field(default="", max_length=64, index=True)


class RateEvent(SQLModel, table=True):
    """One counted attempt (code sent, wrong password) for sliding-window limits."""

    __tablename__ = "rate_event"
    __table_args__ = (Index("ix_rate_event_bucket_key_at", "bucket", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=32)
    key: str = Field(max_length=254)
    at: datetime = utc_field(default_now=True)
