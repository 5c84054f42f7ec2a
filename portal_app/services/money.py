"""Money: integers in minor units plus an ISO 4217 currency. No floats anywhere.

Parsing takes decimal text ("80.00") and refuses more places than the
currency has; rounding is half-up on integers.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from portal_app.i18n import DEFAULT, formats
from portal_app.services.errors import ServiceError

# Currencies whose minor unit is not 1/100 (ISO 4217); all others use 2 decimals.
CURRENCY_DECIMALS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$",
           "NZD": "NZ$", "CHF": "CHF ", "INR": "₹"}
# Smallest online charge Stripe accepts, in minor units; others default to half a unit.
MINIMUM_CHARGE = {"USD": 50, "EUR": 50, "GBP": 30, "CAD": 50, "AUD": 50, "NZD": 50,
                  "CHF": 50, "JPY": 50, "INR": 50, "MXN": 1000, "SEK": 300, "NOK": 300,
                  "DKK": 250}
MAX_MINOR = 10_000_000_000  # a sanity ceiling in minor units ($100M, ₩10B)
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


def currency_decimals(currency: str) -> int:
    return CURRENCY_DECIMALS.get((currency or "").upper(), 2)


def minimum_charge(currency: str) -> int:
    code = (currency or "").upper()
    if code in MINIMUM_CHARGE:
        return MINIMUM_CHARGE[code]
    return max(1, 10 ** currency_decimals(code) // 2)


def parse_amount(raw: object, currency: str, *, field: str = "amount", what: str = "an amount",
                 allow_zero: bool = True) -> int:
    """Decimal text such as "80.00" -> minor units (8000). "" is 0 when allowed."""
    text = str(raw if raw is not None else "").strip()
    for symbol in (SYMBOLS.get((currency or "").upper(), ""), "$"):
        if symbol.strip() and text.startswith(symbol.strip()):
            text = text[len(symbol.strip()):].strip()
    if "," in text:
        # Only thousands grouping ("1,000.00"); a decimal comma ("12,50") is refused,
        # never silently read as 1250.
        if not _GROUPED.fullmatch(text):
            raise ServiceError("Use a point for decimals, such as 12.50.", field=field)
        text = text.replace(",", "")
    if not text:
        if allow_zero:
            return 0
        raise ServiceError(f"Enter {what}.", field=field)
    places = currency_decimals(currency)
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    example = "80" if places == 0 else "80." + "0" * places
    if value is None or not value.is_finite() or "e" in text.lower():
        raise ServiceError(f"Enter {what} such as {example}.", field=field)
    if value < 0:
        raise ServiceError("Amounts cannot be negative.", field=field)
    if -value.as_tuple().exponent > places:
        if places == 0:
            raise ServiceError(f"{currency} amounts have no decimals.", field=field)
        raise ServiceError(f"Use at most {places} decimal places.", field=field)
    minor = int(value.scaleb(places))
    if minor > MAX_MINOR:
        raise ServiceError("That amount is too high.", field=field)
    if minor == 0 and not allow_zero:
        raise ServiceError(f"Enter {what} above zero.", field=field)
    return minor


def decimal_text(minor: int, currency: str) -> str:
    """Minor units -> plain decimal text (8000, USD -> "80.00")."""
    places = currency_decimals(currency)
    return str(Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places)))


def format_money(minor: int, currency: str, lang: str = DEFAULT) -> str:
    """For people, in the reader's language: "$80.00", "¥5,000", "80,00 US$"."""
    code = (currency or "").upper()
    return formats.money(minor, code, currency_decimals(code), lang)


def parse_quantity(raw: object, *, field: str = "quantity") -> int:
    """"1.5" -> 150 hundredths; at most 2 decimals, above 0, at most 100,000."""
    text = str(raw if raw is not None else "").strip()
    try:
        value = Decimal(text or "1")
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "e" in text.lower():
        raise ServiceError("Enter a quantity such as 1 or 1.5.", field=field)
    if value <= 0 or value > 100000:
        raise ServiceError("The quantity must be above 0 and at most 100,000.", field=field)
    if -value.as_tuple().exponent > 2:
        raise ServiceError("Use at most 2 decimal places in a quantity.", field=field)
    return int(value.scaleb(2))


def quantity_text(hundredths: int) -> str:
    value = Decimal(hundredths).scaleb(-2).normalize()
    return f"{value:f}"


def parse_rate(raw: object, *, field: str = "tax_rate") -> int:
    """A percentage such as "8.25" -> basis points (825); 0–100 %, 2 decimals."""
    text = str(raw if raw is not None else "").strip().rstrip("%").strip()
    if not text:
        return 0
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "e" in text.lower():
        raise ServiceError("Enter a tax rate such as 8.25.", field=field)
    if value < 0 or value > 100:
        raise ServiceError("The tax rate must be between 0 and 100 %.", field=field)
    if -value.as_tuple().exponent > 2:
        raise ServiceError("Use at most 2 decimal places in the tax rate.", field=field)
    return int(value.scaleb(2))


def rate_text(basis_points: int) -> str:
    return f"{Decimal(basis_points).scaleb(-2).normalize():f}"


def _div_half_up(numerator: int, denominator: int) -> int:
    return (numerator * 2 + denominator) // (denominator * 2)


def line_amount(quantity_hundredths: int, unit_price_minor: int) -> int:
    return _div_half_up(quantity_hundredths * unit_price_minor, 100)


def totals(line_amounts: list[int], *, tax_rate_bp: int, discount_minor: int
           ) -> tuple[int, int, int]:
    """(subtotal, tax, total): the discount comes off before tax, never below zero."""
    subtotal = sum(line_amounts)
    taxable = max(subtotal - discount_minor, 0)
    tax = _div_half_up(taxable * tax_rate_bp, 10000)
    return subtotal, tax, taxable + tax
