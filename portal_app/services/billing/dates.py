"""The dates of billing documents as people read them, through the one formatter
(`portal_app.i18n.formats`), so the receipt page, the invoice page, the Paid tab,
the receipt PDF and the receipt email all say the same thing.

A client reads them in their own zone (their profile's, else the business's); the
business reads its copies in the business's zone. A moment is shown with its zone
named; a day someone entered (an offline payment's date) is shown as that day.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from models import Business, Client, Payment
from portal_app import i18n
from portal_app.i18n import formats


def client_zone(client: Client | None, business: Business | None) -> str:
    """The zone a client reads times in: theirs, else the business's, else UTC."""
    return ((client.timezone if client else "") or (business.timezone if business else "")
            or "UTC")


def business_zone(business: Business | None) -> str:
    return (business.timezone if business else "") or "UTC"


def business_today(business: Business | None) -> date:
    """Today on the business's calendar (an invoice's issue date)."""
    return datetime.now(ZoneInfo(business_zone(business))).date()


def entered_day(payment: Payment) -> date | None:
    """The day staff entered for an offline payment (stored at noon UTC, which a zone
    13 hours ahead would move to the next day); None for a moment (online payment)."""
    return payment.paid_at.date() if payment.provider == "offline" else None


def paid_on_day(payment: Payment, zone: str) -> date:
    """The day of a payment on the calendar of `zone` (or the day staff entered)."""
    day = entered_day(payment)
    return day if day is not None else payment.paid_at.astimezone(ZoneInfo(zone or "UTC")).date()


def paid_on_text(payment: Payment, zone: str, lang: str = i18n.DEFAULT) -> str:
    """"Dec 5, 2026, 11:25 PM CST" in `zone` for an online payment; "Dec 5, 2026" for
    one recorded by hand (only its day is known)."""
    day = entered_day(payment)
    if day is not None:
        return formats.date_text(day, lang)
    return formats.when_medium(payment.paid_at, zone, lang)
