"""A statement as people read it: every figure and date already formatted in the
reader's language, days on the calendar of the statement's zone (named), through
the one formatter (`portal_app.i18n.formats`). The client's page and the PDF both
read this, so they say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import PaymentMethod
from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.billing.statements.model import (
    CurrencyStatement,
    Line,
    LineKind,
    Statement,
)
from portal_app.services.money import format_money

AGING_LABELS = ("Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days")


@dataclass(frozen=True)
class LineView:
    date: str
    kind: str  # LineKind
    description: str  # "Invoice INV-0003", "Payment RCT-0004 (Card)"
    detail: str  # "Paid INV-0003 $40.00 (applied oldest first) · Credit $5.00"
    amount: str  # signed
    balance: str
    invoice_id: int


@dataclass(frozen=True)
class CurrencyView:
    currency: str
    opening: str
    charges: str
    payments: str
    refunds: str
    voids: str
    closing: str
    closing_minor: int
    credit: str  # "" when none
    aging: tuple[tuple[str, str], ...]  # (label, amount), AGING_LABELS order
    aging_total: str
    lines: tuple[LineView, ...]


@dataclass(frozen=True)
class StatementView:
    period: str  # "Dec 1, 2026 – Dec 6, 2026"
    zone: str  # the IANA zone the days are on
    zone_note: str  # "Dates are in America/Chicago."
    currencies: tuple[CurrencyView, ...]
    unapplied: tuple[str, ...]  # payments in another currency than their invoice, as text
    lang: str


def _detail(line: Line, currency: str, lang: str) -> str:
    money = lambda minor: format_money(minor, currency, lang)  # noqa: E731
    parts = []
    if line.kind == LineKind.INVOICE and line.due_date:
        parts.append(i18n.gettext(lang, "Due {date}", date=formats.date_text(line.due_date, lang)))
    for alloc in line.allocations:
        key = ("Paid {number} {amount} (applied oldest first)" if alloc.oldest_first
               else "Paid {number} {amount}")
        parts.append(i18n.gettext(lang, key, number=alloc.invoice_number,
                                  amount=money(alloc.amount_minor)))
    if line.credit_minor:
        parts.append(i18n.gettext(lang, "Credit {amount}", amount=money(line.credit_minor)))
    return " · ".join(parts)


def _description(line: Line, lang: str) -> str:
    if line.kind == LineKind.INVOICE:
        return i18n.gettext(lang, "Invoice {number}", number=line.invoice_number)
    if line.kind == LineKind.PAYMENT:
        method = i18n.gettext(lang, PaymentMethod.LABELS.get(line.method, line.method or "Payment"))
        return i18n.gettext(lang, "Payment {number} ({method})", number=line.receipt_number,
                            method=method)
    if line.kind == LineKind.REFUND:
        return i18n.gettext(lang, "Refund of payment {number}", number=line.receipt_number)
    return i18n.gettext(lang, "Invoice {number} voided", number=line.invoice_number)


def line_view(line: Line, currency: str, lang: str) -> LineView:
    return LineView(date=formats.date_text(line.day, lang), kind=line.kind,
                    description=_description(line, lang), detail=_detail(line, currency, lang),
                    amount=format_money(line.amount_minor, currency, lang),
                    balance=format_money(line.balance_minor, currency, lang),
                    invoice_id=line.invoice_id)


def currency_view(part: CurrencyStatement, lang: str) -> CurrencyView:
    money = lambda minor: format_money(minor, part.currency, lang)  # noqa: E731
    aging = part.aging
    amounts = (aging.current_minor, aging.days_1_30_minor, aging.days_31_60_minor,
               aging.days_61_90_minor, aging.over_90_minor)
    return CurrencyView(
        currency=part.currency, opening=money(part.opening_minor),
        charges=money(part.charges_minor), payments=money(part.payments_minor),
        refunds=money(part.refunds_minor), voids=money(part.voids_minor),
        closing=money(part.closing_minor), closing_minor=part.closing_minor,
        credit=money(part.credit_minor) if part.credit_minor else "",
        aging=tuple((i18n.gettext(lang, label), money(amount))
                    for label, amount in zip(AGING_LABELS, amounts, strict=True)),
        aging_total=money(aging.total_minor),
        lines=tuple(line_view(line, part.currency, lang) for line in part.lines))


def statement_view(stmt: Statement, lang: str) -> StatementView:
    """The statement's texts in `lang` (its days are already on its zone's calendar)."""
    lang = i18n.pick(lang)
    unapplied = tuple(
        i18n.gettext(lang, "{date}: payment {number} of {amount} toward {invoice} is in another "
                     "currency than the invoice and is not counted here.",
                     date=formats.date_text(u.day, lang), number=u.receipt_number,
                     amount=format_money(u.amount_minor, u.currency, lang),
                     invoice=u.invoice_number)
        for u in stmt.unapplied)
    return StatementView(
        period=f"{formats.date_text(stmt.start, lang)} – {formats.date_text(stmt.end, lang)}",
        zone=stmt.zone, zone_note=i18n.gettext(lang, "Dates are in {zone}.", zone=stmt.zone),
        currencies=tuple(currency_view(part, lang) for part in stmt.currencies),
        unapplied=unapplied, lang=lang)
