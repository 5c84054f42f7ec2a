"""Money: decimal text <-> integer minor units, formatting, quantities, tax rates,
half-up rounding and invoice totals. No floats anywhere."""

import random
from decimal import Decimal

import pytest

from portal_app.services.errors import ServiceError
from portal_app.services.money import (
    CURRENCY_DECIMALS,
    currency_decimals,
    decimal_text,
    format_money,
    line_amount,
    minimum_charge,
    parse_amount,
    parse_quantity,
    parse_rate,
    quantity_text,
    rate_text,
    totals,
)

# The sanity ceiling for one amount, in minor units ($100,000,000.00; ₩10,000,000,000),
# the same as an invoice's total ceiling.
CEILING = 10_000_000_000

# --- parse_amount ----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "minor"), [
    ("80", 8000),
    ("80.5", 8050),
    ("80.50", 8050),
    ("0.01", 1),
    ("1,000.00", 100000),
    ("123,456.78", 12345678),
])
def test_parse_amount_usd_decimal_text_becomes_cents(text, minor):
    result = parse_amount(text, "USD")
    assert result == minor
    assert type(result) is int


@pytest.mark.parametrize(("text", "minor"), [
    ("$12.00", 1200), ("$ 12", 1200), ("  7.25 ", 725), ("+3", 300), ("1000000", 100000000),
    ("100,000,000.00", CEILING),
])
def test_parse_amount_usd_accepts_symbol_spaces_and_the_ceiling(text, minor):
    assert parse_amount(text, "USD") == minor


def test_parse_amount_strips_the_currency_own_symbol():
    assert parse_amount("€12.50", "EUR") == 1250
    assert parse_amount("£0.30", "GBP") == 30
    assert parse_amount("¥5000", "JPY") == 5000


def test_parse_amount_float_traps_are_exact():
    """Values whose float * 100 is not an integer (0.29 * 100 = 28.999...)."""
    for text, minor in [("0.29", 29), ("1.15", 115), ("4.35", 435), ("8.20", 820),
                        ("1.13", 113), ("999999.99", 99999999), ("0.57", 57)]:
        assert parse_amount(text, "USD") == minor, text


@pytest.mark.parametrize(("text", "message"), [
    ("80.505", "Use at most 2 decimal places."),
    ("80.001", "Use at most 2 decimal places."),
    ("-1", "Amounts cannot be negative."),
    ("-0.50", "Amounts cannot be negative."),
    ("abc", "Enter an amount such as 80.00."),
    ("1e3", "Enter an amount such as 80.00."),
    ("1E3", "Enter an amount such as 80.00."),
    ("NaN", "Enter an amount such as 80.00."),
    ("Infinity", "Enter an amount such as 80.00."),
    ("12.3.4", "Enter an amount such as 80.00."),
    ("100000000.01", "That amount is too high."),
    ("99999999999999999999", "That amount is too high."),
])
def test_parse_amount_usd_refusals_name_the_field(text, message):
    with pytest.raises(ServiceError) as exc:
        parse_amount(text, "USD", field="discount")
    assert exc.value.message == message
    assert exc.value.field == "discount"


def test_parse_amount_blank_is_zero_only_when_allowed():
    assert parse_amount("", "USD") == 0
    assert parse_amount(None, "USD") == 0
    assert parse_amount("  ", "USD") == 0
    with pytest.raises(ServiceError) as exc:
        parse_amount("", "USD", allow_zero=False, what="a unit price")
    assert exc.value.message == "Enter a unit price."
    assert exc.value.field == "amount"
    with pytest.raises(ServiceError) as exc:
        parse_amount("0.00", "USD", allow_zero=False)
    assert exc.value.message == "Enter an amount above zero."


def test_parse_amount_jpy_has_no_decimals():
    assert parse_amount("5000", "JPY") == 5000
    assert parse_amount("5,000", "JPY") == 5000
    for text in ("50.5", "5000.0"):
        with pytest.raises(ServiceError) as exc:
            parse_amount(text, "JPY")
        assert exc.value.message == "JPY amounts have no decimals."
    with pytest.raises(ServiceError) as exc:
        parse_amount("x", "JPY")
    assert exc.value.message == "Enter an amount such as 80."


def test_parse_amount_kwd_has_three_places():
    assert currency_decimals("KWD") == 3
    assert parse_amount("12.345", "KWD") == 12345
    assert parse_amount("12.5", "KWD") == 12500
    assert parse_amount("1", "kwd") == 1000
    with pytest.raises(ServiceError) as exc:
        parse_amount("12.3456", "KWD")
    assert exc.value.message == "Use at most 3 decimal places."
    with pytest.raises(ServiceError) as exc:
        parse_amount("x", "KWD")
    assert exc.value.message == "Enter an amount such as 80.000."


def test_parse_amount_refuses_a_comma_that_is_not_a_thousands_separator():
    """A European "12,50" (twelve euros fifty) must never become 1250.00 EUR: a comma
    that is not a thousands separator (groups of three) is refused, or read as the
    decimal mark, never dropped. (Was a bug: every comma was deleted.)"""
    for text, intended in [("12,50", 1250), ("0,99", 99), ("1,5", 150), ("1,0000", None),
                           ("1,00,000", None), (",5", None)]:
        try:
            minor = parse_amount(text, "EUR", field="unit_price")
        except ServiceError as exc:
            assert exc.field == "unit_price"
            continue
        assert minor == intended, f"{text!r} EUR parsed as {minor} minor units"
    assert parse_amount("1,234,567.5", "EUR") == 123456750


def test_parse_amount_accepts_ordinary_amounts_in_small_unit_currencies():
    """₩2,000,000 is about US$1,400 and 5,000,000 ₫ about US$200. (Was a bug: the
    ceiling was 1,000,000 *major* units for every currency.)"""
    assert parse_amount("2000000", "KRW") == 2_000_000
    assert parse_amount("5,000,000", "VND") == 5_000_000
    assert parse_amount(str(CEILING), "KRW") == CEILING
    with pytest.raises(ServiceError) as exc:
        parse_amount(str(CEILING + 1), "KRW")
    assert exc.value.message == "That amount is too high."
    assert parse_amount("10000000.000", "KWD") == CEILING
    with pytest.raises(ServiceError):
        parse_amount("10000000.001", "KWD")


def test_parse_amount_of_a_float_is_refused_unless_its_text_is_exact():
    assert parse_amount(80.5, "USD") == 8050
    with pytest.raises(ServiceError):
        parse_amount(0.1 + 0.2, "USD")  # "0.30000000000000004"


# --- the property: decimal text round-trips exactly --------------------------------------------


@pytest.mark.parametrize("currency", ["USD", "JPY", "KWD", "EUR"])
def test_decimal_text_round_trips_through_parse_amount_for_random_integers(currency):
    rng = random.Random(20300501)
    places = currency_decimals(currency)
    ceiling = CEILING
    samples = [0, 1, 9, 10, 99, 100, 101, ceiling - 1, ceiling]
    samples += [rng.randint(0, ceiling) for _ in range(3000)]
    samples += [rng.randint(0, 10**places * 100) for _ in range(1000)]  # small amounts
    for minor in samples:
        text = decimal_text(minor, currency)
        # The text is built from integer arithmetic alone (no float formatting).
        whole, frac = divmod(minor, 10**places)
        expected = f"{whole}.{frac:0{places}d}" if places else str(whole)
        assert text == expected, (minor, text)
        back = parse_amount(text, currency)
        assert type(back) is int
        assert back == minor, (minor, text, back)
        # A float would lose exactness here for some samples; Decimal must not.
        assert Decimal(text) * 10**places == minor


def test_minor_units_above_float_precision_stay_exact():
    """2**53 + 1 is not representable as a float; integer minor units must survive."""
    big = 2**53 + 1
    assert decimal_text(big, "USD") == "90071992547409.93"
    assert line_amount(100, big) == big
    assert totals([big, 1], tax_rate_bp=0, discount_minor=0) == (big + 1, 0, big + 1)


# --- format_money ----------------------------------------------------------------------------


@pytest.mark.parametrize(("minor", "currency", "text"), [
    (8000, "USD", "$80.00"),
    (5, "USD", "$0.05"),
    (0, "USD", "$0.00"),
    (123456789, "USD", "$1,234,567.89"),
    (8000, "usd", "$80.00"),
    (5000, "JPY", "¥5,000"),
    (1250, "EUR", "€12.50"),
    (12500, "KWD", "KWD12.500"),
    (1250, "XYZ", "XYZ12.50"),
    (5000, "KRW", "₩5,000"),
    (-500, "USD", "-$5.00"),
    (-1, "EUR", "-€0.01"),
    (-1250, "XYZ", "-XYZ12.50"),
])
def test_format_money(minor, currency, text):
    assert format_money(minor, currency) == text


@pytest.mark.parametrize(("minor", "currency", "text"), [
    (8000, "USD", "80,00\xa0US$"),
    (123456789, "EUR", "1.234.567,89\xa0€"),
    (5000, "JPY", "5.000\xa0JPY"),
    (12500, "KWD", "12,500\xa0KWD"),
    (-500, "EUR", "-5,00\xa0€"),
])
def test_format_money_in_spanish_uses_spanish_separators(minor, currency, text):
    assert format_money(minor, currency, "es") == text


def test_format_money_matches_decimal_text():
    rng = random.Random(7)
    for _ in range(500):
        minor = rng.randint(0, 10**9)
        assert format_money(minor, "XYZ") == f"XYZ{Decimal(decimal_text(minor, 'XYZ')):,}"


# --- minimum charge --------------------------------------------------------------------------


@pytest.mark.parametrize(("currency", "minor"), [
    ("USD", 50), ("usd", 50), ("EUR", 50), ("GBP", 30), ("JPY", 50), ("MXN", 1000),
    ("KWD", 500), ("XYZ", 50), ("KRW", 1), ("", 50),
])
def test_minimum_charge(currency, minor):
    assert minimum_charge(currency) == minor


def test_currency_decimals_defaults_to_two():
    assert currency_decimals("USD") == 2
    assert currency_decimals("jpy") == 0
    assert currency_decimals("") == 2
    assert all(v in (0, 3) for v in CURRENCY_DECIMALS.values())


# --- quantities and rates --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "hundredths"), [
    ("1", 100), ("1.5", 150), ("1.50", 150), ("0.01", 1), ("2", 200), (" 3 ", 300),
    ("", 100), (None, 100), ("100000", 10000000),
])
def test_parse_quantity(text, hundredths):
    assert parse_quantity(text) == hundredths


@pytest.mark.parametrize(("text", "message"), [
    ("0", "The quantity must be above 0 and at most 100,000."),
    ("-1", "The quantity must be above 0 and at most 100,000."),
    ("100000.01", "The quantity must be above 0 and at most 100,000."),
    ("1.555", "Use at most 2 decimal places in a quantity."),
    ("abc", "Enter a quantity such as 1 or 1.5."),
    ("1e2", "Enter a quantity such as 1 or 1.5."),
    ("NaN", "Enter a quantity such as 1 or 1.5."),
])
def test_parse_quantity_refusals(text, message):
    with pytest.raises(ServiceError) as exc:
        parse_quantity(text)
    assert exc.value.message == message
    assert exc.value.field == "quantity"


@pytest.mark.parametrize(("hundredths", "text"), [
    (100, "1"), (150, "1.5"), (125, "1.25"), (1, "0.01"), (1000, "10"), (10000000, "100000"),
])
def test_quantity_text(hundredths, text):
    assert quantity_text(hundredths) == text
    assert parse_quantity(text) == hundredths


@pytest.mark.parametrize(("text", "bp"), [
    ("8.25", 825), ("8.25%", 825), (" 8.25 % ", 825), ("0", 0), ("", 0), (None, 0),
    ("100", 10000), ("0.5", 50), ("20", 2000),
])
def test_parse_rate(text, bp):
    assert parse_rate(text) == bp


@pytest.mark.parametrize(("text", "message"), [
    ("100.01", "The tax rate must be between 0 and 100 %."),
    ("-1", "The tax rate must be between 0 and 100 %."),
    ("8.255", "Use at most 2 decimal places in the tax rate."),
    ("abc", "Enter a tax rate such as 8.25."),
    ("1e1", "Enter a tax rate such as 8.25."),
])
def test_parse_rate_refusals(text, message):
    with pytest.raises(ServiceError) as exc:
        parse_rate(text)
    assert exc.value.message == message
    assert exc.value.field == "tax_rate"


@pytest.mark.parametrize(("bp", "text"), [(825, "8.25"), (1000, "10"), (0, "0"), (50, "0.5"),
                                          (10000, "100")])
def test_rate_text(bp, text):
    assert rate_text(bp) == text
    assert parse_rate(text) == bp


# --- rounding and totals ---------------------------------------------------------------------


@pytest.mark.parametrize(("quantity", "price", "amount"), [
    (150, 333, 500),    # 499.5 -> 500 (half up)
    (149, 333, 496),    # 496.17 -> 496
    (250, 1, 3),        # 2.5 -> 3 (banker's rounding would give 2)
    (350, 1, 4),        # 3.5 -> 4
    (50, 1, 1),         # 0.5 -> 1
    (49, 1, 0),         # 0.49 -> 0
    (100, 999, 999),
    (150, 8000, 12000),
    (33, 3, 1),         # 0.99 -> 1
    (150, 0, 0),
])
def test_line_amount_rounds_half_up(quantity, price, amount):
    result = line_amount(quantity, price)
    assert result == amount
    assert type(result) is int


def test_line_amount_matches_decimal_half_up_for_random_values():
    from decimal import ROUND_HALF_UP

    rng = random.Random(99)
    for _ in range(2000):
        q, p = rng.randint(1, 10000000), rng.randint(0, 10**8)
        expected = int((Decimal(q) * p / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert line_amount(q, p) == expected, (q, p)


def test_totals_discount_comes_off_before_tax():
    # 30.00 - 5.00 = 25.00 taxable; 8.25 % of 25.00 = 2.0625 -> 2.06
    assert totals([1000, 2000], tax_rate_bp=825, discount_minor=500) == (3000, 206, 2706)


def test_totals_tax_rounds_half_up():
    assert totals([1000], tax_rate_bp=825, discount_minor=0) == (1000, 83, 1083)  # 82.5 -> 83
    assert totals([1000], tax_rate_bp=824, discount_minor=0) == (1000, 82, 1082)  # 82.4 -> 82
    assert totals([1], tax_rate_bp=5000, discount_minor=0) == (1, 1, 2)  # 0.5 -> 1


def test_totals_discount_larger_than_subtotal_floors_at_zero():
    assert totals([1000], tax_rate_bp=1000, discount_minor=5000) == (1000, 0, 0)


def test_totals_of_nothing_is_zero_and_all_ints():
    result = totals([], tax_rate_bp=825, discount_minor=0)
    assert result == (0, 0, 0)
    assert all(type(v) is int for v in totals([333, 667], tax_rate_bp=825, discount_minor=1))
