"""The hub (seed 002): apps beyond the portal's own sections, the grants that open
them, and offers that make grants.

An `Entitlement` is one grant on one client record: to an app ("courses") or to a
piece of content (a course; later a community group), with where it came from, a
start and an optional end. Navigation and every server check of an app derive
from the active grants (portal_app/services/hub/entitlements.py). Revoking sets
`revoked_at`; progress lives elsewhere (courses' enrolments), so restoring a grant
finds it again.

An `Offer` is a named bundle of grants (`OfferItem`), free or with a one-off
price. A paid offer is bought through an invoice (`OfferPurchase.invoice_id`) and
the checkout that exists, so the webhook path, its idempotency and the receipt
are the invoice's; the grants are made in the transaction that records the payment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, false, text
from sqlmodel import Field, SQLModel

from models.base import utc_field


class GrantKind:
    APP = "app"  # an app as a whole (app_key)
    COURSE = "course"  # one course (target_id)
    GROUP = "group"  # one community group (target_id), issue 23
    ALL = (APP, COURSE, GROUP)


class GrantSource:
    PURCHASE = "purchase"  # a paid offer
    OFFER = "offer"  # a free offer the client claimed
    BOOKING = "booking"  # booking a service linked to an offer
    STAFF = "staff"  # given by staff in the console
    INVITATION = "invitation"
    ALL = (PURCHASE, OFFER, BOOKING, STAFF, INVITATION)


class Entitlement(SQLModel, table=True):
    __tablename__ = "entitlement"
    __table_args__ = (Index("ix_entitlement_client_kind", "client_id", "kind", "target_id"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    kind: str = Field(max_length=10)  # GrantKind
    app_key: str = Field(default="", max_length=20)  # the app (for every kind)
    target_id: int | None = Field(default=None)  # the course / group id
    source: str = Field(max_length=12)  # GrantSource
    offer_id: int | None = Field(default=None, foreign_key="offer.id", index=True)
    purchase_id: int | None = Field(default=None, foreign_key="offer_purchase.id", index=True)
    booking_id: int | None = Field(default=None, foreign_key="booking.id")
    starts_at: datetime = utc_field(default_now=True)
    ends_at: datetime | None = utc_field(nullable=True)
    revoked_at: datetime | None = utc_field(nullable=True)
    revoke_reason: str = Field(default="", max_length=300)
    granted_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)


class OfferStatus:
    DRAFT = "draft"
    ACTIVE = "active"  # shown to clients (unless staff_only)
    ARCHIVED = "archived"
    ALL = (DRAFT, ACTIVE, ARCHIVED)


class Offer(SQLModel, table=True):
    __tablename__ = "offer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    price_minor: int = Field(default=0)  # 0 = free
    currency: str = Field(default="USD", max_length=3)
    status: str = Field(default=OfferStatus.DRAFT, max_length=10, index=True)
    # Given by staff only: never listed to clients.
    staff_only: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Access lasts this many days from the grant; None = no end.
    access_days: int | None = Field(default=None)
    # Booking this service (confirmed) grants the offer (source "booking").
    service_id: int | None = Field(default=None, foreign_key="service.id", index=True)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class OfferItem(SQLModel, table=True):
    """One grant an offer makes."""

    __tablename__ = "offer_item"

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    kind: str = Field(max_length=10)  # GrantKind
    app_key: str = Field(default="", max_length=20)
    target_id: int | None = Field(default=None)


class PurchaseStatus:
    PENDING = "pending"  # invoice issued, not paid yet
    PAID = "paid"  # grants made
    FREE = "free"  # a free offer claimed
    REFUNDED = "refunded"  # whole payment refunded: grants ended
    KEPT = "kept"  # refunded, but staff kept the access
    CANCELLED = "cancelled"  # the invoice was voided before payment


class OfferPurchase(SQLModel, table=True):
    """A client's claim of a free offer or purchase of a paid one (through `invoice_id`)."""

    __tablename__ = "offer_purchase"
    # A free offer is claimed once per record, even by two tabs at the same moment.
    __table_args__ = (Index("uq_offer_purchase_free", "offer_id", "client_id", unique=True,
                            sqlite_where=text("status = 'free'"),
                            postgresql_where=text("status = 'free'")),)

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", unique=True)
    status: str = Field(default=PurchaseStatus.PENDING, max_length=10)
    created_at: datetime = utc_field(default_now=True)
    paid_at: datetime | None = utc_field(nullable=True)

