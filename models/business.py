"""The business that runs this portal: one row, its branding and switches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, false, text, true
from sqlmodel import Field, SQLModel

from models.base import utc_field

# The client's right-panel call-to-action buttons, in display order.
DEFAULT_CTAS = [
    {"key": "book", "label": "Book an appointment", "enabled": True},
    {"key": "pay", "label": "Make a payment", "enabled": True},
    {"key": "upload", "label": "Share a document", "enabled": True},
    {"key": "message", "label": "Send us a message", "enabled": True},
]


class PortalActivation:
    """When a client gets portal access without staff pressing "Send invitation"
    (seeds 003 and 004). Automatic activation sends the usual invitation once."""

    MANUAL = "manual"  # staff invite by hand (the default)
    ON_CREATE = "on_create"  # when the client is created
    FIRST_BOOKING = "first_booking"  # at the client's first booking
    FIRST_SHARE = "first_share"  # at the first document (or form) shared with the client

    ALL = (MANUAL, ON_CREATE, FIRST_BOOKING, FIRST_SHARE)


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
    # ISO 3166 code ("US", "ES"); it picks the PDFs' paper (Letter or A4). Empty: taken
    # from the time zone's country (services/billing/paper.py).
    country: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})
    # Language of the client interface, emails and PDFs until a client picks one.
    language: str = Field(default="en", max_length=8, sa_column_kwargs={"server_default": "en"})
    portal_enabled: bool = Field(default=True)
    allow_self_signup: bool = Field(default=False)
    portal_slug: str = Field(default="", max_length=40)
    # Features the portal offers at all (a client permission cannot exceed these).
    feature_bookings: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    feature_payments: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    feature_documents: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    feature_messaging: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    feature_uploads: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # Permissions a new client starts with.
    default_perm_booking: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    default_perm_messaging: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    default_perm_billing: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    default_perm_pay: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    default_perm_upload: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    cta_config: list = Field(default_factory=lambda: [dict(c) for c in DEFAULT_CTAS],
                             sa_column=Column(JSON, nullable=False))
    invite_ttl_days: int = Field(default=7)
    # A PortalActivation value.
    portal_activation: str = Field(default=PortalActivation.MANUAL, max_length=16,
                                   sa_column_kwargs={"server_default": PortalActivation.MANUAL})
    reminder_hours: int = Field(default=24, sa_column_kwargs={"server_default": "24"})
    # Statements (issue 20): the day of the month (1-28) on which last month's statement
    # is e-mailed to every client with activity; 0 = off.
    statement_auto_day: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Superbills: "We bill clients who claim from insurance" and the provider block.
    # The hub (seed 002): apps turned on besides the portal's own sections, the app a
    # client lands on after sign-in, and whether self sign-up with an email that has an
    # account adds a record to its household (else it offers sign-in).
    apps_enabled: list = Field(default_factory=list,
                               sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    # Apps that need a grant but that the business opened to every client (the
    # referral program's "any client may join"); written by that app's settings.
    apps_open: list = Field(default_factory=list,
                            sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    landing_app: str = Field(default="portal", max_length=20,
                             sa_column_kwargs={"server_default": "portal"})
    allow_several_records_per_email: bool = Field(default=False,
                                                  sa_column_kwargs={"server_default": false()})
    superbills_enabled: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    superbill_auto_day: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    legal_name: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    npi_individual: str = Field(default="", max_length=10, sa_column_kwargs={"server_default": ""})
    npi_organisation: str = Field(default="", max_length=10,
                                  sa_column_kwargs={"server_default": ""})
    tax_id: str = Field(default="", max_length=11, sa_column_kwargs={"server_default": ""})
    tax_id_kind: str = Field(default="ein", max_length=3,
                             sa_column_kwargs={"server_default": "ein"})  # ein | ssn
    license_number: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    license_state: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})
    taxonomy_code: str = Field(default="", max_length=10, sa_column_kwargs={"server_default": ""})
    signature_file: str | None = Field(default=None, max_length=200)
    created_at: datetime = utc_field(default_now=True)
