"""Staff of the business who use the console: owner or staff, with TOTP."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utc_field


class StaffRole:
    OWNER = "owner"
    STAFF = "staff"
    ALL = (OWNER, STAFF)


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=200)
    role: str = Field(default=StaffRole.STAFF, max_length=16)
    password_hash: str = Field(max_length=100)
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_confirmed_at: datetime | None = utc_field(nullable=True)
    # Highest TOTP time step accepted: a code is good once, never replayed.
    totp_last_step: int = Field(default=0)
    active: bool = Field(default=True)
    created_at: datetime = utc_field(default_now=True)
    last_sign_in_at: datetime | None = utc_field(nullable=True)
    # The console's language for this staff member ("" = the business's) and the zone
    # the console shows times in ("" = the business's).
    language: str = Field(default="", max_length=8, sa_column_kwargs={"server_default": ""})
    timezone: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "staff_recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = utc_field(nullable=True)
