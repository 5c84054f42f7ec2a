"""Billing: invoices and estimates with their lines, payments, refunds,
checkout attempts and processed provider events.

Money is an integer in minor units (cents; yen for JPY) plus a currency.
Totals are computed on the server and stored on the invoice when it changes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.base import utc_field


class InvoiceKind:
    INVOICE = "invoice"
    ESTIMATE = "estimate"
    ALL = (INVOICE, ESTIMATE)


class InvoiceStatus:
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOID = "void"
    # Estimates only.
    ACCEPTED = "accepted"
    DECLINED = "declined"

    OPEN = (SENT, PARTIALLY_PAID)  # an invoice the client owes money on
    VISIBLE = (SENT, PARTIALLY_PAID, PAID, ACCEPTED, DECLINED)  # shown to the client


class PaymentMethod:
    CARD = "card"
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    CHECK = "check"
    OTHER = "other"
    ACCOUNT_CREDIT = "account_credit"  # a referral payout paid as credit (issue 24)
    OFFLINE = (CASH, BANK_TRANSFER, CHECK, OTHER)
    LABELS = {CARD: "Card", CASH: "Cash", BANK_TRANSFER: "Bank transfer", CHECK: "Check",
              OTHER: "Other", ACCOUNT_CREDIT: "Account credit"}


class NumberSequence(SQLModel, table=True):
    """The next number of a document series ("invoice", "estimate", "receipt")."""

    __tablename__ = "number_sequence"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=20, unique=True)
    next_value: int = Field(default=1)


class Invoice(SQLModel, table=True):
    __tablename__ = "invoice"
    # The client's own invoices by kind and status (total due, the Open/Paid tabs):
    # without it SQLite may plan on the low-selectivity `kind` index and read them all.
    __table_args__ = (Index("ix_invoice_client_kind_status", "client_id", "kind", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default=InvoiceKind.INVOICE, max_length=10, index=True)
    number: str = Field(max_length=20, unique=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    booking_id: int | None = Field(default=None, foreign_key="booking.id", index=True)
    status: str = Field(default=InvoiceStatus.DRAFT, max_length=16, index=True)
    currency: str = Field(default="USD", max_length=3)
    issue_date: date = Field()
    due_date: date | None = Field(default=None)
    tax_rate_bp: int = Field(default=0)  # basis points: 825 = 8.25 %
    discount_minor: int = Field(default=0)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    subtotal_minor: int = Field(default=0)
    tax_minor: int = Field(default=0)
    total_minor: int = Field(default=0)
    paid_minor: int = Field(default=0)  # payments received less refunds
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    sent_at: datetime | None = utc_field(nullable=True)
    paid_at: datetime | None = utc_field(nullable=True)
    responded_at: datetime | None = utc_field(nullable=True)  # estimate accepted/declined
    voided_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)

    @property
    def balance_minor(self) -> int:
        return max(self.total_minor - self.paid_minor, 0)


class InvoiceLine(SQLModel, table=True):
    __tablename__ = "invoice_line"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    position: int = Field(default=0)
    description: str = Field(max_length=300)
    quantity_hundredths: int = Field(default=100)  # 150 = 1.5
    unit_price_minor: int = Field(default=0)
    amount_minor: int = Field(default=0)


class CheckoutAttempt(SQLModel, table=True):
    """One "Pay" press: the amount the server computed and the provider's session."""

    __tablename__ = "checkout_attempt"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    # "Pay balance" (statements): every invoice the payment covers, oldest first, the
    # first being invoice_id; empty for a payment of one invoice.
    invoice_ids: list = Field(default_factory=list,
                              sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    client_id: int = Field(foreign_key="client.id", index=True)
    amount_minor: int = Field()
    currency: str = Field(max_length=3)
    provider: str = Field(max_length=10)  # stripe | test
    provider_session_id: str | None = Field(default=None, max_length=255, unique=True)
    checkout_url: str = Field(default="", max_length=2000)
    status: str = Field(default="creating", max_length=12)  # creating|open|completed|failed
    tab_token: str = Field(default="", max_length=64)  # the payer's tab, for a live update
    created_at: datetime = utc_field(default_now=True)
    completed_at: datetime | None = utc_field(nullable=True)


class Payment(SQLModel, table=True):
    """Money received toward an invoice (online or recorded by staff)."""

    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    receipt_number: str = Field(max_length=20, unique=True)
    amount_minor: int = Field()
    currency: str = Field(max_length=3)
    method: str = Field(default=PaymentMethod.CARD, max_length=16)
    provider: str = Field(default="offline", max_length=10)  # stripe | test | offline
    # The provider's id for this payment (checkout session); unique, so a
    # redelivered or concurrent event can never record it twice.
    provider_ref: str | None = Field(default=None, max_length=255, unique=True)
    payment_intent_id: str = Field(default="", max_length=255)
    checkout_attempt_id: int | None = Field(default=None, foreign_key="checkout_attempt.id")
    refunded_minor: int = Field(default=0)
    # How this payment came to this invoice: "" = paid for it; "oldest_first" = its share
    # of a balance payment, applied to the open invoices oldest first.
    allocation: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    flag: str = Field(default="", max_length=300)  # why staff should look at it
    note: str = Field(default="", max_length=500)
    recorded_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    paid_at: datetime = utc_field(default_now=True)
    created_at: datetime = utc_field(default_now=True)


class Refund(SQLModel, table=True):
    __tablename__ = "refund"

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    amount_minor: int = Field()
    provider_refund_id: str | None = Field(default=None, max_length=255, unique=True)
    status: str = Field(default="succeeded", max_length=12)
    reason: str = Field(default="", max_length=300)
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)


class ProcessedEvent(SQLModel, table=True):
    """A provider webhook event already handled: inserted in the same
    transaction as its effect, so a redelivery is a no-op."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_processed_event"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=10)
    event_id: str = Field(max_length=255)
    event_type: str = Field(max_length=80)
    processed_at: datetime = utc_field(default_now=True)
