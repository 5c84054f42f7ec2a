"""The console's payouts page, read side, and the payout CSV for the bank.

- `list_due`: every referrer with approved commissions or open adjustments, per
  currency: approved, adjustments (signed: a refund after payout is negative), the
  net due, and whether it reaches the program's minimum payout (the minimum is in
  the program's currency; another currency has none, as in `pay_out`).
- `approved_for_payout`: one referrer's approved commissions to choose from, with
  the invoice and the customer behind each (staff may see them; the referrer never).
- `list_payouts` / `get_payout_detail`: the history, paged, and what one payout paid.
- `payouts_csv`: payouts of a date range (days on the business's calendar) or chosen
  ones, one row each, for the bank. Cells that a spreadsheet would run as a formula
  are defused with the courses CSV's `safe_cell`.

Each listing sends a constant number of SQL statements, however many referrers,
commissions or payouts there are.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from models import (
    Client,
    Commission,
    CommissionAdjustment,
    CommissionState,
    Invoice,
    Payout,
    PayoutItem,
    PayoutMethod,
    PortalAccount,
    Referrer,
)
from portal_app import i18n
from portal_app.services.audit import record_audit
from portal_app.services.billing.dates import business_zone
from portal_app.services.business import get_business
from portal_app.services.courses.progress_csv import safe_cell
from portal_app.services.errors import NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.money import decimal_text
from portal_app.services.referrals.payouts import METHOD_LABELS, NO_PAYOUT
from portal_app.services.referrals.program import get_program
from portal_app.services.referrals.referrers import NO_REFERRER

PER_PAGE = 20
MAX_CSV_IDS = 500
BAD_DAY = "Enter a date as YYYY-MM-DD."
RANGE_BACKWARDS = "The end date is before the start date."
CSV_HEADERS = ("Payout number", "Date ({zone})", "Referrer", "Email", "Payout details",
               "Method", "Currency", "Amount", "Reference")


# --- due -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    referrer_id: int
    client_id: int
    name: str
    currency: str
    approved_minor: int
    approved_count: int
    adjustments_minor: int  # signed: refunds after an earlier payout are negative
    adjustment_count: int
    net_minor: int
    minimum_minor: int  # the program's minimum in this currency (0: none)
    reaches_minimum: bool
    method: str  # the referrer's own choice (PayoutMethod)


def _settled_adjustments():
    return select(PayoutItem.adjustment_id).where(PayoutItem.adjustment_id.is_not(None))


def list_due(session: Session) -> list[DueRow]:
    """Who is owed what, per referrer and currency (four statements in all)."""
    approved = session.exec(
        select(Commission.referrer_id, Commission.currency, func.sum(Commission.amount_minor),
               func.count(Commission.id))
        .where(Commission.state == CommissionState.APPROVED)
        .group_by(Commission.referrer_id, Commission.currency)).all()
    adjusted = session.exec(
        select(CommissionAdjustment.referrer_id, CommissionAdjustment.currency,
               func.sum(CommissionAdjustment.amount_minor), func.count(CommissionAdjustment.id))
        .where(CommissionAdjustment.id.not_in(_settled_adjustments()))
        .group_by(CommissionAdjustment.referrer_id, CommissionAdjustment.currency)).all()
    totals: dict[tuple[int, str], list[int]] = {}
    for referrer_id, currency, total, count in approved:
        totals.setdefault((referrer_id, currency), [0, 0, 0, 0])[0:2] = [int(total), int(count)]
    for referrer_id, currency, total, count in adjusted:
        totals.setdefault((referrer_id, currency), [0, 0, 0, 0])[2:4] = [int(total), int(count)]
    if not totals:
        return []
    program = get_program(session)
    people = {row[0]: row for row in session.exec(
        select(Referrer.id, Referrer.client_id, Client.full_name, Referrer.payout_method)
        .join(Client, Client.id == Referrer.client_id)
        .where(Referrer.id.in_({key[0] for key in totals}))).all()}
    rows = []
    for (referrer_id, currency), (ok, ok_count, adj, adj_count) in totals.items():
        _, client_id, name, method = people[referrer_id]
        minimum = program.min_payout_minor if currency == program.currency else 0
        net = ok + adj
        rows.append(DueRow(referrer_id, client_id, name, currency, ok, ok_count, adj, adj_count,
                           net, minimum, net > 0 and net >= minimum, method))
    return sorted(rows, key=lambda r: (r.name.lower(), r.referrer_id, r.currency))


# --- choosing commissions ------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovedRow:
    commission_id: int
    earned_at: datetime
    currency: str
    amount_minor: int
    invoice_number: str
    customer_name: str


@dataclass(frozen=True)
class PayeeCommissions:
    referrer_id: int
    client_id: int
    name: str
    method: str  # the referrer's own choice: the payout dialog's default
    payout_details: str
    commissions: list[ApprovedRow]


def approved_for_payout(session: Session, *, referrer_id: object, currency: object = ""
                        ) -> PayeeCommissions:
    """One referrer's approved commissions (of `currency` when given), oldest first,
    each with its invoice number and customer's name; NotFound for no referrer."""
    referrer = get_by_id(session, Referrer, referrer_id, NO_REFERRER)
    client = session.get(Client, referrer.client_id)
    query = (select(Commission.id, Commission.created_at, Commission.currency,
                    Commission.amount_minor, Invoice.number, Client.full_name)
             .join(Invoice, Invoice.id == Commission.invoice_id)
             .join(Client, Client.id == Invoice.client_id)
             .where(Commission.referrer_id == referrer.id,
                    Commission.state == CommissionState.APPROVED))
    code = str(currency or "").strip().upper()[:3]
    if code:
        query = query.where(Commission.currency == code)
    rows = [ApprovedRow(*row) for row in session.exec(
        query.order_by(Commission.created_at, Commission.id)).all()]
    return PayeeCommissions(referrer.id, referrer.client_id, client.full_name,
                            referrer.payout_method, client.payout_details, rows)


# --- history -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayoutRow:
    payout_id: int
    number: str
    created_at: datetime
    referrer_name: str
    method: str
    currency: str
    amount_minor: int
    reference: str
    credit_applied_minor: int  # account credit only: what paid the referrer's invoices
    credit_left_minor: int


@dataclass(frozen=True)
class PayoutPage:
    rows: list[PayoutRow]
    total: int
    page: int
    pages: int


def _payout_row(payout: Payout, name: str) -> PayoutRow:
    credit = payout.method == PayoutMethod.ACCOUNT_CREDIT
    applied = payout.amount_minor - payout.credit_left_minor if credit else 0
    return PayoutRow(payout.id, payout.number, payout.created_at, name, payout.method,
                     payout.currency, payout.amount_minor, payout.reference, applied,
                     payout.credit_left_minor if credit else 0)


def list_payouts(session: Session, *, page: object = 1, per_page: int = PER_PAGE
                 ) -> PayoutPage:
    """One page of payouts, newest first (two statements: the count and the page)."""
    total = int(session.exec(select(func.count(Payout.id))).one())
    pages = max(1, -(-total // per_page))
    try:
        number = int(page)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 1
    number = min(max(1, number), pages)
    rows = session.exec(
        select(Payout, Client.full_name)
        .join(Referrer, Referrer.id == Payout.referrer_id)
        .join(Client, Client.id == Referrer.client_id)
        .order_by(Payout.created_at.desc(), Payout.id.desc())
        .offset((number - 1) * per_page).limit(per_page)).all()
    return PayoutPage([_payout_row(p, name) for p, name in rows], total, number, pages)


@dataclass(frozen=True)
class PayoutLine:
    item_id: int
    kind: str  # "commission" or "adjustment"
    commission_id: int | None
    invoice_number: str  # of the commission (or of the commission an adjustment changes)
    customer_name: str
    reason: str  # an adjustment's (English, as stored: translate it to show it)
    amount_minor: int


@dataclass(frozen=True)
class PayoutDetail:
    payout: PayoutRow
    note: str
    lines: list[PayoutLine]


def get_payout_detail(session: Session, *, payout_id: object) -> PayoutDetail:
    """What one payout paid (staff): each commission with its invoice and customer,
    each adjustment with its reason. NotFound for no payout."""
    found = session.exec(
        select(Payout, Client.full_name)
        .join(Referrer, Referrer.id == Payout.referrer_id)
        .join(Client, Client.id == Referrer.client_id)
        .where(Payout.id == parse_id(payout_id, NO_PAYOUT))).first()
    if found is None:
        raise NotFound(NO_PAYOUT)
    payout, name = found
    adjusted = (select(CommissionAdjustment.id, CommissionAdjustment.commission_id,
                       CommissionAdjustment.reason).subquery())
    commission_id = func.coalesce(PayoutItem.commission_id, adjusted.c.commission_id)
    lines = session.exec(
        select(PayoutItem.id, PayoutItem.commission_id, PayoutItem.adjustment_id,
               PayoutItem.amount_minor, commission_id, adjusted.c.reason, Invoice.number,
               Client.full_name)
        .outerjoin(adjusted, adjusted.c.id == PayoutItem.adjustment_id)
        .outerjoin(Commission, Commission.id == commission_id)
        .outerjoin(Invoice, Invoice.id == Commission.invoice_id)
        .outerjoin(Client, Client.id == Invoice.client_id)
        .where(PayoutItem.payout_id == payout.id)
        .order_by(PayoutItem.adjustment_id.is_not(None), PayoutItem.id)).all()
    return PayoutDetail(_payout_row(payout, name), payout.note, [
        PayoutLine(item_id, "commission" if own is not None else "adjustment", cid,
                   number or "", customer or "", reason or "", amount)
        for item_id, own, _adj, amount, cid, reason, number, customer in lines])


# --- the CSV for the bank ------------------------------------------------------------------


def parse_day(raw: object, *, field: str) -> date | None:
    """An ISO day ("2026-12-31", what a date input sends); "" is None."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError(BAD_DAY, field=field) from None


def parse_range(raw_from: object, raw_to: object) -> tuple[date | None, date | None]:
    """The export's days (either may be open); the end not before the start."""
    start = parse_day(raw_from, field="date_from")
    end = parse_day(raw_to, field="date_to")
    if start and end and end < start:
        raise ServiceError(RANGE_BACKWARDS, field="date_to")
    return start, end


def parse_ids(raw: object) -> list[int]:
    """Payout ids from "3,5,8" (or a list); NotFound for anything that is not one."""
    items = raw if isinstance(raw, list | tuple) else str(raw or "").split(",")
    ids = [parse_id(i, NO_PAYOUT) for i in items if str(i).strip()]
    if len(ids) > MAX_CSV_IDS:
        raise ServiceError(f"Choose at most {MAX_CSV_IDS} payouts.")
    return list(dict.fromkeys(ids))


def _bounds(start: date | None, end: date | None, zone: str
            ) -> tuple[datetime | None, datetime | None]:
    tz = ZoneInfo(zone)
    low = datetime.combine(start, time(0), tz).astimezone(UTC) if start else None
    high = (datetime.combine(end + timedelta(days=1), time(0), tz).astimezone(UTC)
            if end else None)
    return low, high


def csv_file_name(start: date | None, end: date | None, chosen: bool) -> str:
    if chosen:
        return "payouts-selected.csv"
    if start or end:
        return f"payouts-{start or 'start'}-to-{end or 'today'}.csv"
    return "payouts-all.csv"


def payouts_csv(session: Session, *, staff_id: int, date_from: date | None = None,
                date_to: date | None = None, payout_ids: list[int] | None = None,
                lang: str = i18n.DEFAULT) -> tuple[str, str]:
    """(file name, CSV text): the chosen payouts, or those made between the two days
    on the business's calendar (either open), oldest first. One statement for the rows.
    An id that is no payout is NotFound. The export (referrers' bank details leave the
    portal) is audited."""
    zone = business_zone(get_business(session))
    query = (select(Payout, Client.full_name, Client.email, PortalAccount.email,
                    Client.payout_details)
             .join(Referrer, Referrer.id == Payout.referrer_id)
             .join(Client, Client.id == Referrer.client_id)
             .outerjoin(PortalAccount, PortalAccount.id == Client.account_id))
    if payout_ids is not None:
        query = query.where(Payout.id.in_(payout_ids))
    low, high = _bounds(date_from, date_to, zone)
    if low is not None:
        query = query.where(Payout.created_at >= low)
    if high is not None:
        query = query.where(Payout.created_at < high)
    rows = session.exec(query.order_by(Payout.created_at, Payout.id)).all()
    if payout_ids is not None and len(rows) != len(set(payout_ids)):
        raise NotFound(NO_PAYOUT)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(i18n.gettext(lang, h, zone=zone)) for h in CSV_HEADERS])
    tz = ZoneInfo(zone)
    for payout, name, client_email, portal_email, details in rows:
        writer.writerow([safe_cell(v) for v in (
            payout.number, payout.created_at.astimezone(tz).date().isoformat(), name,
            portal_email or client_email, details,
            i18n.gettext(lang, METHOD_LABELS.get(payout.method, payout.method)),
            payout.currency, decimal_text(payout.amount_minor, payout.currency),
            payout.reference)])
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="referrals.payouts_exported", count=len(rows),
                 numbers=[p.number for p, *_ in rows][:100],
                 date_from=str(date_from or ""), date_to=str(date_to or ""))
    return csv_file_name(date_from, date_to, payout_ids is not None), out.getvalue()
