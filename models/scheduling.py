"""Scheduling: services, who provides them, working hours, exceptions, bookings.

No double booking is enforced by the database: every booking holds one
`booking_lock` row per 5-minute unit of its blocked time (buffers included)
for its staff member, under a unique (staff_id, unit_start) constraint.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utc_field

UNIT_MINUTES = 5


class BookingStatus:
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    HOLDS_TIME = (PENDING, CONFIRMED)


class Service(SQLModel, table=True):
    __tablename__ = "service"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    duration_minutes: int = Field(default=60)
    price_minor: int = Field(default=0)
    currency: str = Field(default="USD", max_length=3)
    location: str = Field(default="", max_length=300)
    video_link: str = Field(default="", max_length=500)
    needs_approval: bool = Field(default=False)
    buffer_before_minutes: int = Field(default=0)
    buffer_after_minutes: int = Field(default=0)
    min_notice_minutes: int = Field(default=120)
    horizon_days: int = Field(default=60)
    change_window_hours: int = Field(default=24)
    active: bool = Field(default=True)
    # Superbills: CPT/HCPCS code, default place of service (11 office, 02 telehealth,
    # 10 telehealth at home, 12 home) and modifiers ("95" or "95,GT").
    cpt_code: str = Field(default="", max_length=5, sa_column_kwargs={"server_default": ""})
    pos_code: str = Field(default="11", max_length=2, sa_column_kwargs={"server_default": "11"})
    modifiers: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    created_at: datetime = utc_field(default_now=True)


class ServiceProvider(SQLModel, table=True):
    """Which staff member provides which service."""

    __tablename__ = "service_provider"
    __table_args__ = (UniqueConstraint("service_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="service.id", index=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)


class WorkingHours(SQLModel, table=True):
    """A weekly working interval in the business's time zone (minutes from midnight)."""

    __tablename__ = "working_hours"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)
    weekday: int = Field()  # Monday = 0
    start_minute: int = Field()
    end_minute: int = Field()


class AvailabilityException(SQLModel, table=True):
    """A date that differs from the weekly hours: time off, or extra hours."""

    __tablename__ = "availability_exception"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)
    day: date = Field(index=True)
    kind: str = Field(max_length=8)  # "off" | "extra"
    start_minute: int = Field(default=0)
    end_minute: int = Field(default=24 * 60)
    note: str = Field(default="", max_length=200)


class Booking(SQLModel, table=True):
    __tablename__ = "booking"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    service_id: int = Field(foreign_key="service.id", index=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)
    start_at: datetime = utc_field(index=True)
    end_at: datetime = utc_field()
    status: str = Field(default=BookingStatus.CONFIRMED, max_length=10, index=True)
    created_by: str = Field(default="client", max_length=8)  # client | staff
    staff_message: str = Field(default="", max_length=1000)
    reminder_sent_at: datetime | None = utc_field(nullable=True)
    # The .ics SEQUENCE: +1 on every move, approval, decline and cancellation, so a
    # calendar that holds the event takes the newer file.
    sequence: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class BookingLock(SQLModel, table=True):
    """One 5-minute unit of a staff member's time held by a booking."""

    __tablename__ = "booking_lock"
    __table_args__ = (UniqueConstraint("staff_id", "unit_start", name="uq_booking_lock_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    staff_id: int = Field(foreign_key="staff_user.id")
    unit_start: datetime = utc_field()
