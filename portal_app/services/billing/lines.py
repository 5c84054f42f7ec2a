"""Line items of an invoice or estimate as typed: the checked lines a draft is
saved with, and the live preview of their amounts and totals while staff type.

Both read the same texts with the same parsers, so the preview shows the
amounts the saved document will have (the server computes them; the browser
only sends text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from portal_app.services.errors import ServiceError
from portal_app.services.money import (
    format_money,
    line_amount,
    parse_amount,
    parse_quantity,
    parse_rate,
    rate_text,
    totals,
)

MAX_LINES = 100


@dataclass(frozen=True)
class CleanLine:
    description: str
    quantity_hundredths: int
    unit_price_minor: int
    amount_minor: int


def clean_lines(raw_lines: object, currency: str) -> list[CleanLine]:
    """Submitted lines -> checked lines; blank rows are dropped."""
    if not isinstance(raw_lines, list):
        raise ServiceError("The line items could not be read.", field="lines")
    lines = []
    for index, raw in enumerate(raw_lines):
        if not isinstance(raw, dict):
            raise ServiceError("The line items could not be read.", field="lines")
        description = str(raw.get("description") or "").strip()
        price_text = str(raw.get("unit_price") or "").strip()
        if not description and not price_text:
            continue
        where = f"Line {index + 1}: "
        if not description:
            raise ServiceError(where + "enter a description.", field="lines")
        if len(description) > 300:
            raise ServiceError(where + "keep the description under 300 characters.",
                               field="lines")
        try:
            quantity = parse_quantity(raw.get("quantity"))
            price = parse_amount(price_text, currency, what="a unit price")
        except ServiceError as exc:
            text = exc.message  # "Use at most…" -> "use at most…", but "JPY…" stays
            if text[1:2].islower():
                text = text[0].lower() + text[1:]
            raise ServiceError(where + text, field="lines") from None
        lines.append(CleanLine(description, quantity, price, line_amount(quantity, price)))
    if len(lines) > MAX_LINES:
        raise ServiceError(f"An invoice holds at most {MAX_LINES} lines.", field="lines")
    return lines


# --- the preview while typing ---------------------------------------------------------------


@dataclass(frozen=True)
class LinePreview:
    """One line as typed: its amount as text ("" when blank or unreadable) and why
    it cannot be read ("" when it can)."""

    amount: str
    error: str


@dataclass(frozen=True)
class DraftPreview:
    lines: list[LinePreview]
    totals: dict[str, str]  # subtotal, discount, tax_label, tax, total (display text)


def _line_amount(line: Mapping[str, object], currency: str) -> tuple[int | None, str]:
    description = str(line.get("description") or "")
    price_text = str(line.get("unit_price") or "")
    if not description.strip() and not price_text.strip():
        return None, ""
    try:
        quantity = parse_quantity(line.get("quantity"))
        price = parse_amount(price_text, currency, what="a unit price")
    except ServiceError as exc:
        return None, exc.message
    return line_amount(quantity, price), ""


def preview_draft(lines: Sequence[Mapping[str, object]], *, tax_rate: object, discount: object,
                  currency: str) -> DraftPreview:
    """Each line's amount (or its error) and the totals, from the texts of a draft form:
    `lines` hold description, quantity and unit_price. A blank line counts for
    nothing; an unreadable one shows its error and counts for nothing; an
    unreadable tax rate or discount leaves only the subtotal ("—" for the rest)."""
    amounts, previews = [], []
    for line in lines:
        amount, error = _line_amount(line, currency)
        if amount is not None:
            amounts.append(amount)
        previews.append(LinePreview("" if amount is None else format_money(amount, currency),
                                    error))
    money = lambda minor: format_money(minor, currency)  # noqa: E731
    try:
        rate = parse_rate(tax_rate)
        discount_minor = parse_amount(discount, currency, field="discount", what="a discount")
    except ServiceError:
        return DraftPreview(previews, {"subtotal": money(sum(amounts)), "discount": "",
                                       "tax_label": "Tax", "tax": "—", "total": "—"})
    subtotal, tax, total = totals(amounts, tax_rate_bp=rate, discount_minor=discount_minor)
    return DraftPreview(previews, {
        "subtotal": money(subtotal),
        "discount": f"-{money(discount_minor)}" if discount_minor else "",
        "tax_label": f"Tax ({rate_text(rate)}%)" if rate else "Tax",
        "tax": money(tax), "total": money(total)})
