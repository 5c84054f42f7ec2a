"""Referrals (seed 002, issue 24): clients who bring customers earn commissions.

The program is one row of settings (`ReferralProgram`), with per-offer and
per-service rate overrides (`ReferralRate`). A client who joins becomes a
`Referrer` with a link code (`/r/<code>`) and an optional personal coupon code.
A visit through the link is a `ReferralClick`; a sign-up, booking or purchase
inside the window binds the customer's client record to one referrer, once
(`ReferralAttribution`, unique per client record, never recomputed).

A `Commission` is earned on one payment (unique per payment: a replayed webhook
makes no second one), in the payment's currency, in integer minor units. It is
pending until its hold ends (the refund window), then staff approve or reject
it; a refund before payout reduces it (to 0: reversed); after payout a refund
makes a negative `CommissionAdjustment` that the next payout deducts. A
`Payout` pays approved commissions and open adjustments of one currency; each is
one `PayoutItem`, whose unique `commission_id` / `adjustment_id` means the
database itself refuses to pay anything twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, true
from sqlmodel import Field, SQLModel

from models.base import utc_field


class JoinRule:
    ANY = "any"  # every client may join (the app is open to all)
    INVITATION = "invitation"  # staff invite (a grant from the console)
    OFFER = "offer"  # a granted offer opens the app
    ALL = (ANY, INVITATION, OFFER)


class RateKind:
    PERCENT = "percent"
    FIXED = "fixed"
    ALL = (PERCENT, FIXED)


class RateDuration:
    FIRST = "first"  # the customer's first payment only
    MONTHS = "months"  # payments in the first N months after attribution
    EVERY = "every"  # every payment
    ALL = (FIRST, MONTHS, EVERY)


class AttributionRule:
    FIRST_CLICK = "first"
    LAST_CLICK = "last"
    ALL = (FIRST_CLICK, LAST_CLICK)


class ReferralProgram(SQLModel, table=True):
    """The business's one referral program (one row)."""

    __tablename__ = "referral_program"

    id: int | None = Field(default=None, primary_key=True)
    join_rule: str = Field(default=JoinRule.ANY, max_length=12)
    rate_kind: str = Field(default=RateKind.PERCENT, max_length=8)
    rate_bp: int = Field(default=1000)  # basis points of the payment: 1000 = 10 %
    fixed_minor: int = Field(default=0)  # per payment, in `currency`
    currency: str = Field(default="USD", max_length=3)  # of fixed amounts and the minimum
    duration: str = Field(default=RateDuration.EVERY, max_length=8)
    duration_months: int = Field(default=12)
    window_days: int = Field(default=60)  # attribution window (the cookie's life)
    attribution_rule: str = Field(default=AttributionRule.FIRST_CLICK, max_length=6)
    hold_days: int = Field(default=30)  # the refund window before approval
    min_payout_minor: int = Field(default=0)
    coupons: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    terms: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    updated_at: datetime = utc_field(default_now=True)


class ReferralRate(SQLModel, table=True):
    """A rate that replaces the program's for payments of one offer or one service."""

    __tablename__ = "referral_rate"

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int | None = Field(default=None, foreign_key="offer.id", unique=True)
    service_id: int | None = Field(default=None, foreign_key="service.id", unique=True)
    rate_kind: str = Field(default=RateKind.PERCENT, max_length=8)
    rate_bp: int = Field(default=0)
    fixed_minor: int = Field(default=0)


class ReferrerStatus:
    ACTIVE = "active"
    DISABLED = "disabled"  # by staff: the link and coupon stop attributing


class PayoutMethod:
    BANK_TRANSFER = "bank_transfer"
    CASH = "cash"
    ACCOUNT_CREDIT = "account_credit"
    ALL = (BANK_TRANSFER, CASH, ACCOUNT_CREDIT)


class Referrer(SQLModel, table=True):
    __tablename__ = "referrer"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", unique=True)
    code: str = Field(max_length=16, unique=True)  # the link's /r/<code>
    coupon_code: str | None = Field(default=None, max_length=24, unique=True)  # upper case
    status: str = Field(default=ReferrerStatus.ACTIVE, max_length=10)
    payout_method: str = Field(default=PayoutMethod.ACCOUNT_CREDIT, max_length=16)
    joined_at: datetime = utc_field(default_now=True)
    disabled_at: datetime | None = utc_field(nullable=True)


class ReferralClick(SQLModel, table=True):
    """One visit through a referral link (a visitor's repeat visits count once a day)."""

    __tablename__ = "referral_click"
    __table_args__ = (Index("ix_referral_click_referrer_time", "referrer_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    referrer_id: int = Field(foreign_key="referrer.id")
    visitor: str = Field(default="", max_length=32)  # a hash of the visitor's cookie id
    created_at: datetime = utc_field(default_now=True)


class AttributionVia:
    LINK = "link"
    COUPON = "coupon"
    STAFF = "staff"


class AttributionEvent:
    SIGNUP = "signup"
    BOOKING = "booking"
    PURCHASE = "purchase"
    STAFF = "staff"


class ReferralAttribution(SQLModel, table=True):
    """The customer's record bound to the referrer who brought it: once, never recomputed."""

    __tablename__ = "referral_attribution"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", unique=True)
    referrer_id: int = Field(foreign_key="referrer.id", index=True)
    via: str = Field(max_length=8)  # AttributionVia
    event: str = Field(max_length=10)  # AttributionEvent
    click_id: int | None = Field(default=None, foreign_key="referral_click.id")
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    reason: str = Field(default="", max_length=300)  # staff's, when staff set or moved it
    attributed_at: datetime = utc_field(default_now=True)


class CommissionState:
    PENDING = "pending"  # inside the hold (the refund window)
    APPROVED = "approved"  # staff approved it; waits for a payout
    PAID = "paid"  # in a payout
    REVERSED = "reversed"  # refunded in full before payout
    REJECTED = "rejected"  # staff rejected it, with a reason
    ALL = (PENDING, APPROVED, PAID, REVERSED, REJECTED)


class Commission(SQLModel, table=True):
    __tablename__ = "commission"
    __table_args__ = (Index("ix_commission_referrer_state", "referrer_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    referrer_id: int = Field(foreign_key="referrer.id")
    attribution_id: int = Field(foreign_key="referral_attribution.id")
    payment_id: int = Field(foreign_key="payment.id", unique=True)  # once per payment
    invoice_id: int = Field(foreign_key="invoice.id")
    currency: str = Field(max_length=3)
    base_minor: int = Field()  # the payment it was earned on
    earned_minor: int = Field()  # the commission on the whole payment
    amount_minor: int = Field()  # now: less what refunds before payout took off
    state: str = Field(default=CommissionState.PENDING, max_length=10)
    reason: str = Field(default="", max_length=300)  # why reversed / rejected / reduced
    hold_until: datetime = utc_field()
    decided_at: datetime | None = utc_field(nullable=True)
    decided_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)


class CommissionAdjustment(SQLModel, table=True):
    """A change to a commission after it was paid (a refund: negative), settled by the
    next payout of its currency."""

    __tablename__ = "commission_adjustment"

    id: int | None = Field(default=None, primary_key=True)
    referrer_id: int = Field(foreign_key="referrer.id", index=True)
    commission_id: int = Field(foreign_key="commission.id", index=True)
    currency: str = Field(max_length=3)
    amount_minor: int = Field()
    reason: str = Field(default="", max_length=300)
    created_at: datetime = utc_field(default_now=True)


class Payout(SQLModel, table=True):
    __tablename__ = "payout"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    referrer_id: int = Field(foreign_key="referrer.id", index=True)
    method: str = Field(max_length=16)  # PayoutMethod
    currency: str = Field(max_length=3)
    amount_minor: int = Field()  # commissions less adjustments
    credit_left_minor: int = Field(default=0)  # account credit not yet applied to an invoice
    reference: str = Field(default="", max_length=120)  # the bank's reference, a receipt no.
    note: str = Field(default="", max_length=300)
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)


class PayoutItem(SQLModel, table=True):
    """One commission or adjustment a payout settles; each at most once (unique)."""

    __tablename__ = "payout_item"

    id: int | None = Field(default=None, primary_key=True)
    payout_id: int = Field(foreign_key="payout.id", index=True)
    commission_id: int | None = Field(default=None, foreign_key="commission.id", unique=True)
    adjustment_id: int | None = Field(default=None, foreign_key="commission_adjustment.id",
                                      unique=True)
    amount_minor: int = Field()


class CardFingerprint(SQLModel, table=True):
    """The card behind a provider payment, when the provider reports one (Stripe's
    `charge.succeeded`): a customer paying with the referrer's own card earns nothing."""

    __tablename__ = "card_fingerprint"

    id: int | None = Field(default=None, primary_key=True)
    payment_intent_id: str = Field(max_length=255, unique=True)
    fingerprint: str = Field(max_length=64, index=True)
    created_at: datetime = utc_field(default_now=True)
