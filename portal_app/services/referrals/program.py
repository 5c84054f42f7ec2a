"""The referral program's settings (one row) and the rate a payment earns.

`get_program` makes the row with the defaults the first time it is read.
`rate_for` picks the rate of a payment: an override for the offer the invoice
sold, else for the service of the booking it bills, else the program's.
Saving the settings (and the "any client may join" switch that opens the app
to every client, `Business.apps_open`) is in `program_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from models import (
    Booking,
    Invoice,
    OfferPurchase,
    RateKind,
    ReferralProgram,
    ReferralRate,
)


def get_program(session: Session) -> ReferralProgram:
    """The program's settings; the row is made with the defaults on first use."""
    program = session.exec(select(ReferralProgram).order_by(ReferralProgram.id)).first()
    if program is None:
        program = ReferralProgram()
        session.add(program)
        session.flush()
    return program


@dataclass(frozen=True)
class Rate:
    kind: str  # RateKind
    rate_bp: int
    fixed_minor: int
    fixed_currency: str


def rate_for(session: Session, *, program: ReferralProgram, invoice: Invoice) -> Rate:
    """The rate for a payment of `invoice` (overrides: its offer, then its booking's service)."""
    offer_id = session.exec(select(OfferPurchase.offer_id).where(
        OfferPurchase.invoice_id == invoice.id)).first()
    override = None
    if offer_id is not None:
        override = session.exec(select(ReferralRate).where(
            ReferralRate.offer_id == offer_id)).first()
    if override is None and invoice.booking_id is not None:
        service_id = session.exec(select(Booking.service_id).where(
            Booking.id == invoice.booking_id)).first()
        if service_id is not None:
            override = session.exec(select(ReferralRate).where(
                ReferralRate.service_id == service_id)).first()
    source = override or program
    return Rate(kind=source.rate_kind, rate_bp=source.rate_bp, fixed_minor=source.fixed_minor,
                fixed_currency=program.currency)


def commission_on(rate: Rate, *, amount_minor: int, currency: str, full_minor: int) -> int:
    """The commission on `amount_minor` of a payment of `full_minor` (a percentage, rounded
    down; a fixed amount scaled by the share of the payment kept). 0 for a fixed rate in
    another currency than the payment's."""
    if amount_minor <= 0 or full_minor <= 0:
        return 0
    if rate.kind == RateKind.FIXED:
        if currency.upper() != rate.fixed_currency.upper():
            return 0
        return rate.fixed_minor * amount_minor // full_minor
    return amount_minor * rate.rate_bp // 10000
