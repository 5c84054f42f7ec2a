"""The business that runs this portal: one row, its branding and switches."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utc_field


class Business(SQLModel, table=True):
    __tablename__ = "business"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    tagline: str = Field(default="", max_length=300)
    accent_color: str = Field(default="#1F6FEB", max_length=7)
    logo_file: str | None = Field(default=None, max_length=200)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=500)
    timezone: str = Field(default="UTC", max_length=64)
    currency: str = Field(default="USD", max_length=3)
    portal_enabled: bool = Field(default=True)
    allow_self_signup: bool = Field(default=False)
    created_at: datetime = utc_field(default_now=True)
