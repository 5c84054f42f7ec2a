"""Intake forms: templates and their versions, packets, the forms sent to a
client, the draft answers, the signed submissions and the e-sign consent text.

A version is immutable once a form of it has been sent (`sent_at` set): editing
the template then makes a new version, and every request keeps the version it
was sent with. A submission is never changed: it holds the answers as they were
submitted, the signer's facts and the SHA-256 of the canonical document.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utc_field


class FieldKind:
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    NUMBER = "number"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    FILE = "file"
    SIGNATURE = "signature"
    INITIALS = "initials"
    STATEMENT = "statement"  # read-only text: never answered
    ALL = (SHORT_TEXT, LONG_TEXT, EMAIL, PHONE, DATE, NUMBER, SINGLE_CHOICE, MULTIPLE_CHOICE,
           YES_NO, FILE, SIGNATURE, INITIALS, STATEMENT)
    CHOICES = (SINGLE_CHOICE, MULTIPLE_CHOICE)
    SIGNED = (SIGNATURE, INITIALS)


class ProfileField:
    """Client-record columns a field may be mapped to (pre-fill and write-back)."""

    FULL_NAME = "full_name"
    PHONE = "mobile"
    DATE_OF_BIRTH = "date_of_birth"
    ADDRESS = "address"
    EMERGENCY_CONTACT = "emergency_contact"
    TIMEZONE = "timezone"
    ALL = (FULL_NAME, PHONE, DATE_OF_BIRTH, ADDRESS, EMERGENCY_CONTACT, TIMEZONE)


class FormStatus:
    SENT = "sent"
    OPENED = "opened"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    OUTSTANDING = (SENT, OPENED, IN_PROGRESS)
    ALL = (SENT, OPENED, IN_PROGRESS, COMPLETED, CANCELLED)


class PacketTrigger:
    MANUAL = "manual"
    CLIENT_CREATED = "client_created"
    FIRST_BOOKING_MADE = "first_booking_made"
    FIRST_BOOKING_CONFIRMED = "first_booking_confirmed"
    SERVICE_BOOKED = "service_booked"  # a booking of `trigger_service_id`
    ALL = (MANUAL, CLIENT_CREATED, FIRST_BOOKING_MADE, FIRST_BOOKING_CONFIRMED, SERVICE_BOOKED)


class DueRule:
    NONE = "none"
    DAYS_AFTER_SENT = "days_after_sent"
    HOURS_BEFORE_FIRST_APPOINTMENT = "hours_before_first_appointment"
    ALL = (NONE, DAYS_AFTER_SENT, HOURS_BEFORE_FIRST_APPOINTMENT)


class FormTemplate(SQLModel, table=True):
    __tablename__ = "form_template"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    intro: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)
    archived_at: datetime | None = utc_field(nullable=True)


class FormTemplateVersion(SQLModel, table=True):
    """The title, intro and fields of a template at one point; frozen once sent."""

    __tablename__ = "form_template_version"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="form_template.id", index=True)
    number: int = Field(default=1)
    title: str = Field(max_length=200)
    intro: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # [{kind, key, label, help, required, options, show_if: {field, op, value} | None, maps_to}]
    fields: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = utc_field(default_now=True)
    sent_at: datetime | None = utc_field(nullable=True)  # first sent: frozen from then on


class FormPacket(SQLModel, table=True):
    """Templates sent together, in order, and when they are sent by themselves."""

    __tablename__ = "form_packet"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    template_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    trigger: str = Field(default=PacketTrigger.MANUAL, max_length=32)
    trigger_service_id: int | None = Field(default=None, foreign_key="service.id")
    due_rule: str = Field(default=DueRule.NONE, max_length=40)
    due_amount: int = Field(default=0)  # days or hours, per `due_rule`
    created_at: datetime = utc_field(default_now=True)
    archived_at: datetime | None = utc_field(nullable=True)


class FormTriggerFiring(SQLModel, table=True):
    """A packet's trigger fired for a client: at most once per client and packet."""

    __tablename__ = "form_trigger_firing"
    __table_args__ = (UniqueConstraint("packet_id", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    packet_id: int = Field(foreign_key="form_packet.id")
    client_id: int = Field(foreign_key="client.id", index=True)
    trigger: str = Field(max_length=32)
    fired_at: datetime = utc_field(default_now=True)


class FormRequest(SQLModel, table=True):
    """One form (a template version) sent to one client record."""

    __tablename__ = "form_request"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    template_id: int = Field(foreign_key="form_template.id", index=True)
    version_id: int = Field(foreign_key="form_template_version.id")
    packet_id: int | None = Field(default=None, foreign_key="form_packet.id")
    position: int = Field(default=0)  # order inside the packet
    status: str = Field(default=FormStatus.SENT, max_length=16, index=True)
    sent_at: datetime = utc_field(default_now=True)
    sent_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    trigger: str = Field(default=PacketTrigger.MANUAL, max_length=32)
    due_at: datetime | None = utc_field(nullable=True)
    opened_at: datetime | None = utc_field(nullable=True)
    last_activity_at: datetime | None = utc_field(nullable=True)
    completed_at: datetime | None = utc_field(nullable=True)
    cancelled_at: datetime | None = utc_field(nullable=True)
    cancelled_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    reminder_count: int = Field(default=0)
    last_reminder_at: datetime | None = utc_field(nullable=True)


class FormDraftAnswer(SQLModel, table=True):
    """The client's answer to one field, as last saved (server time) before submit."""

    __tablename__ = "form_draft_answer"
    __table_args__ = (UniqueConstraint("request_id", "field_key"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="form_request.id", index=True)
    field_key: str = Field(max_length=64)
    value: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # {"v": ...}
    saved_at: datetime = utc_field(default_now=True)


class FormSubmission(SQLModel, table=True):
    """A submitted form: never changed after it is written."""

    __tablename__ = "form_submission"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="form_request.id", unique=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    version_id: int = Field(foreign_key="form_template_version.id")
    # key -> the normalised answer of each visible field (None: optional, left empty)
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The canonical document as hashed (services/forms/submit.py): what the PDF renders.
    document: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    signer_account_id: int | None = Field(default=None, foreign_key="portal_account.id")
    signer_email: str = Field(default="", max_length=254)
    submitted_at: datetime = utc_field(default_now=True)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=500)
    consent_version: int | None = Field(default=None)
    document_sha256: str = Field(max_length=64, index=True)
    pdf_document_id: int | None = Field(default=None, foreign_key="document.id")


class ESignConsent(SQLModel, table=True):
    """The "I agree to sign electronically" text; a new wording is a new version."""

    __tablename__ = "esign_consent"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = utc_field(default_now=True)
