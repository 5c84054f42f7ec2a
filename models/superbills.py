"""Superbills (issue 20): the insurance data they need and the superbills issued.

The figures on a superbill are never stored: its lines are computed from the
bookings, services, diagnoses and payments when it is shown or printed
(services/billing/superbills/). A row here records that a superbill for a
client and a date range was asked for and/or issued."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from models.base import utc_field


class ClientDiagnosis(SQLModel, table=True):
    """An ICD-10 diagnosis of a client, valid from a date (until an optional end)."""

    __tablename__ = "client_diagnosis"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    code: str = Field(max_length=8)  # "F41.1", stored upper case with its dot
    description: str = Field(default="", max_length=300)
    from_date: date = Field()
    until_date: date | None = Field(default=None)
    position: int = Field(default=0)  # primary first
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)


class SuperbillStatus:
    REQUESTED = "requested"  # the client asked; staff have not issued it yet
    ISSUED = "issued"  # the client can download it
    HELD = "held"  # a monthly run found data missing; staff must fix and issue

    ALL = (REQUESTED, ISSUED, HELD)


class Superbill(SQLModel, table=True):
    __tablename__ = "superbill"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    start_date: date = Field()
    end_date: date = Field()  # inclusive
    status: str = Field(default=SuperbillStatus.REQUESTED, max_length=12, index=True)
    source: str = Field(default="staff", max_length=12)  # client | staff | monthly
    requested_by_account_id: int | None = Field(default=None, foreign_key="portal_account.id")
    note: str = Field(default="", max_length=500)  # the client's note with a request
    issued_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    requested_at: datetime = utc_field(default_now=True)
    issued_at: datetime | None = utc_field(nullable=True)


class BillingDocumentSend(SQLModel, table=True):
    """One statement or superbill e-mail for a client and period: the monthly run and a
    bulk send insert here first (unique), so a crash and a rerun never send twice."""

    __tablename__ = "billing_document_send"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    kind: str = Field(max_length=12)  # statement | superbill
    period_start: date = Field()
    period_end: date = Field()
    trigger: str = Field(default="staff", max_length=12)  # staff | bulk | monthly
    # "statement:<client>:<period start>:monthly" for the bulk and monthly sends (unique:
    # the row is claimed before the e-mail is queued); None for a one-off staff send.
    dedupe_key: str | None = Field(default=None, max_length=80, unique=True)
    outbox_id: int | None = Field(default=None, foreign_key="outbox_message.id")
    sent_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)
