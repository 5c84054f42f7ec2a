"""Portal accounts (a sign-in email) and the client records they may act for.

One email may hold several client records: a household, or several
companies. The account carries the credential; the client record carries the
business's data about one person or company.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import JSON, Column, text, true
from sqlmodel import Field, SQLModel

from models.base import utc_field

EMAIL_NOTIFICATION_DEFAULT = ["message", "document", "invoice", "booking", "payment"]


class PortalAccount(SQLModel, table=True):
    __tablename__ = "portal_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str | None = Field(default=None, max_length=100)
    email_verified_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)
    last_sign_in_at: datetime | None = utc_field(nullable=True)


class PortalAccess:
    """Portal status of a client record."""

    NOT_INVITED = "not_invited"
    INVITED = "invited"
    ACTIVE = "active"
    DISABLED = "disabled"

    CAN_SIGN_IN = (INVITED, ACTIVE)


class Invitation(SQLModel, table=True):
    """A single-use link that signs a client in for the first time."""

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    account_id: int = Field(foreign_key="portal_account.id")
    email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)
    expires_at: datetime = utc_field()
    opened_at: datetime | None = utc_field(nullable=True)
    used_at: datetime | None = utc_field(nullable=True)
    revoked_at: datetime | None = utc_field(nullable=True)


class Client(SQLModel, table=True):
    __tablename__ = "client"

    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(max_length=200)
    email: str = Field(default="", max_length=254)
    mobile: str = Field(default="", max_length=32)
    timezone: str = Field(default="", max_length=64)
    # Set once, when the browser's zone is read at the first sign-in (or the client picks one).
    timezone_detected_at: datetime | None = utc_field(nullable=True)
    # "" = not chosen yet: the language picked before sign-in, else the business's.
    language: str = Field(default="", max_length=8, sa_column_kwargs={"server_default": ""})
    notes: str = Field(default="", max_length=5000)
    # Filled by intake forms mapped to the profile (models/forms.py ProfileField).
    date_of_birth: date | None = Field(default=None)
    address: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    emergency_contact: str = Field(default="", max_length=300,
                                   sa_column_kwargs={"server_default": ""})
    # Superbills: the client's insurance member id (and date_of_birth above).
    insurance_member_id: str = Field(default="", max_length=40,
                                     sa_column_kwargs={"server_default": ""})
    # The name other members see in the hub's apps (community posts); asked for by the
    # app that needs it (profile completion), never the legal name unless chosen.
    display_name: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    # How a referrer wants to be paid (bank details, or "account credit"); asked by the
    # Referrals app before it first opens (profile completion).
    payout_details: str = Field(default="", max_length=300,
                                sa_column_kwargs={"server_default": ""})
    # The picture other community members see (a stored image, served to members of a
    # shared group only); "" = initials.
    avatar_name: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    account_id: int | None = Field(default=None, foreign_key="portal_account.id", index=True)
    portal_access: str = Field(default=PortalAccess.NOT_INVITED, max_length=16, index=True)
    # Per-client permissions (seed 004); effective = business feature AND this.
    perm_booking: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    perm_messaging: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    perm_billing: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    perm_pay: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    perm_upload: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # Which notifications also arrive by email (NotificationKind values).
    email_notifications: list = Field(
        default_factory=lambda: list(EMAIL_NOTIFICATION_DEFAULT),
        sa_column=Column(JSON, nullable=False,
                         server_default=text("'" + json.dumps(EMAIL_NOTIFICATION_DEFAULT) + "'")))
    # "Email OK" (seed 004): the client agrees to get email from the business. Off: only
    # sign-in emails they ask for go to their address (services/outbox.py).
    email_ok: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    invited_at: datetime | None = utc_field(nullable=True)
    first_sign_in_at: datetime | None = utc_field(nullable=True)
    last_sign_in_at: datetime | None = utc_field(nullable=True, index=True)
    disabled_at: datetime | None = utc_field(nullable=True)
    # The client asked to close the account; staff decide (nothing is deleted by the request).
    closure_requested_at: datetime | None = utc_field(nullable=True)
    closure_reason: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    created_at: datetime = utc_field(default_now=True)
