"""Statement e-mails: to one client from the console, to every client with activity in
a month (staff's bulk send), and the same each month on a chosen day (the job).

The e-mail says a statement for a range is ready, gives the closing balance per
currency and links to the portal's Statements page. It carries no attachment:
the statement is private and stays behind sign-in.

Who is sent what, once: the bulk and monthly sends first claim a
`BillingDocumentSend` row whose `dedupe_key` is unique ("statement:<client>:<period
start>:bulk|monthly"), in the same transaction as the outbox row, so a double click,
two workers or a rerun after a crash never e-mail twice. `claim_send` is the pattern
for any billing document (superbills reuse it with their own key).

Who had activity in a month (`clients_with_activity`) is read for all clients in
three statements: invoices issued or voided, payments, refunds, each dated on the
business's calendar as the statement dates them (ledger.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, delete, select

from models import (
    BillingDocumentSend,
    Business,
    Client,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    PortalAccount,
    Refund,
)
from models.base import utcnow
from portal_app import routes
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.services.audit import record_audit
from portal_app.services.billing.dates import business_zone, client_zone, paid_on_day
from portal_app.services.billing.statements import statement
from portal_app.services.billing.statements.ledger import SENT_STATUSES, local_day
from portal_app.services.billing.statements.ranges import month_of, today_in
from portal_app.services.business import get_business
from portal_app.services.clients import get_client, portal_email_of
from portal_app.services.crypto import new_token
from portal_app.services.emails import client_language
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.services.outbox import enqueue_email

KIND = "statement"
TEMPLATE = "statement_ready"
STATEMENTS_PAGE = routes.PAYMENTS_STATEMENTS  # the client's Statements tab (Payments)
STAFF, BULK, MONTHLY = "staff", "bulk", "monthly"
AUTO_DAYS = tuple(range(0, 29))  # 0 = off; 1–28 exist in every month
BAD_AUTO_DAY = "Choose a day from 1 to 28, or Off."
BAD_MONTH = "Choose a month."
NO_ADDRESS = "This client has no email address."


# --- periods ------------------------------------------------------------------------------


def parse_month(raw: object) -> date:
    """"2026-11" -> the first day of that month; refused beside the field otherwise."""
    text = str(raw or "").strip()
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise ServiceError(BAD_MONTH, field="month") from None


def month_key(first: date) -> str:
    """A month as the console's select sends it: "2026-11" (`parse_month` reads it)."""
    return first.isoformat()[:7]


def recent_months(today: date, count: int = 12) -> list[date]:
    """The first days of this month and the `count - 1` before it, newest first."""
    first = today.replace(day=1)
    months = [first]
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


def dedupe_key(client_id: int, period_start: date, trigger: str) -> str:
    return f"{KIND}:{client_id}:{period_start.isoformat()}:{trigger}"


def statements_url(base_url: str, start: date, end: date) -> str:
    return f"{base_url}{STATEMENTS_PAGE}?start={start.isoformat()}&end={end.isoformat()}"


# --- who had activity ---------------------------------------------------------------------


def _utc_window(start: date, end: date) -> tuple[datetime, datetime]:
    """Every moment that falls on a day from `start` to `end` in some zone (UTC−12 to
    UTC+14) lies in this window; the exact day is decided in Python afterwards."""
    return (datetime.combine(start - timedelta(days=2), time(0), tzinfo=ZoneInfo("UTC")),
            datetime.combine(end + timedelta(days=2), time(0), tzinfo=ZoneInfo("UTC")))


def clients_with_activity(session: Session, *, start: date, end: date, zone: str) -> set[int]:
    """The client records with an invoice issued or voided, a payment or a refund dated
    from `start` to `end` on the calendar of `zone`: three statements, any number of
    clients. Only what a statement lists counts (a draft, or a draft voided, never
    reached the client)."""
    low, high = _utc_window(start, end)
    active: set[int] = set()
    sent = or_(Invoice.status.in_(SENT_STATUSES),
               and_(Invoice.status == InvoiceStatus.VOID, Invoice.sent_at.is_not(None)))
    rows = session.exec(select(Invoice.client_id, Invoice.issue_date, Invoice.status,
                               Invoice.voided_at, Invoice.updated_at).where(
        Invoice.kind == InvoiceKind.INVOICE, sent,
        or_(and_(Invoice.issue_date >= start, Invoice.issue_date <= end),
            and_(Invoice.status == InvoiceStatus.VOID,
                 or_(and_(Invoice.voided_at >= low, Invoice.voided_at < high),
                     and_(Invoice.voided_at.is_(None), Invoice.updated_at >= low,
                          Invoice.updated_at < high)))))).all()
    for client_id, issued, status, voided_at, updated_at in rows:
        voided = (local_day(voided_at or updated_at, zone)
                  if status == InvoiceStatus.VOID else None)
        if start <= issued <= end or (voided is not None and start <= voided <= end):
            active.add(client_id)
    # Offline payments are stored at noon UTC of the day entered: inside the window too.
    for pay in session.exec(select(Payment).where(Payment.paid_at >= low,
                                                  Payment.paid_at < high)).all():
        if start <= paid_on_day(pay, zone) <= end:
            active.add(pay.client_id)
    refunds = session.exec(select(Payment.client_id, Refund.created_at)
                           .join(Payment, Payment.id == Refund.payment_id)
                           .where(Refund.status == "succeeded", Refund.created_at >= low,
                                  Refund.created_at < high)).all()
    for client_id, created_at in refunds:
        if start <= local_day(created_at, zone) <= end:
            active.add(client_id)
    return active


# --- the claim ----------------------------------------------------------------------------


def claim_send(session: Session, *, client_id: int, kind: str, period_start: date,
               period_end: date, trigger: str, key: str,
               staff_id: int | None = None) -> BillingDocumentSend | None:
    """Take the once-only mark `key` for this document. None when it is taken already:
    by an earlier send, or by another transaction at this very moment (the database
    makes the second insert wait for the first and then skip, under the unique key)."""
    values = {"client_id": client_id, "kind": kind, "period_start": period_start,
              "period_end": period_end, "trigger": trigger, "dedupe_key": key,
              "sent_by_staff_id": staff_id, "created_at": utcnow()}
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    new_id = session.execute(
        insert(BillingDocumentSend).values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(BillingDocumentSend.id)).scalar_one_or_none()  # rowcount is -1 on psycopg
    return session.get(BillingDocumentSend, new_id) if new_id is not None else None


def sent_clients(session: Session, *, kind: str, period_start: date) -> set[int]:
    """Clients already sent this period's document by a bulk or monthly send (one query)."""
    return set(session.exec(select(BillingDocumentSend.client_id).where(
        BillingDocumentSend.kind == kind, BillingDocumentSend.period_start == period_start,
        BillingDocumentSend.dedupe_key.is_not(None))).all())


# --- the e-mail ---------------------------------------------------------------------------


def _address(client: Client, portal_email: str | None) -> str:
    return (portal_email or client.email or "").strip()


def _queue(session: Session, *, client: Client, to: str, business: Business, start: date,
           end: date, base_url: str, idempotency_key: str):
    """The statement e-mail in the client's language, with closing balances on the
    client's calendar (what their Statements page shows). None: withheld (Email OK)."""
    lang = client_language(client, business)
    shown = statement(session, client_id=client.id, start=start, end=end,
                      zone=client_zone(client, business))
    balances = [format_money(c.closing_minor, c.currency, lang) for c in shown.currencies]
    return enqueue_email(
        session, to=to, template=TEMPLATE, business=business,
        idempotency_key=idempotency_key, lang=lang, client_name=client.full_name,
        period=f"{formats.date_text(start, lang)} – {formats.date_text(end, lang)}",
        balances=balances, url=statements_url(base_url, start, end))


@dataclass(frozen=True)
class OneSend:
    queued: bool  # False: held back, the client has not agreed to e-mail
    to: str


def send_statement(session: Session, *, staff_id: int, client_id: object, start: date,
                   end: date, base_url: str) -> OneSend:
    """Staff's "Send statement": e-mail one client that a statement for the range is
    ready. Recorded (a send row, an audit line) only when it was queued."""
    client = get_client(session, client_id=client_id)
    to = _address(client, portal_email_of(session, client))
    if not to:
        raise ServiceError(NO_ADDRESS)
    business = get_business(session)
    message = _queue(session, client=client, to=to, business=business, start=start, end=end,
                     base_url=base_url,
                     idempotency_key=f"statement-{client.id}-{start}-{end}-{new_token()[:12]}")
    if message is None:
        return OneSend(queued=False, to=to)
    session.add(BillingDocumentSend(client_id=client.id, kind=KIND, period_start=start,
                                    period_end=end, trigger=STAFF, outbox_id=message.id,
                                    sent_by_staff_id=staff_id))
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="statement.sent",
                 client_id=client.id, start=start.isoformat(), end=end.isoformat())
    session.flush()
    return OneSend(queued=True, to=to)


# --- a month for everyone -----------------------------------------------------------------


@dataclass
class MonthReport:
    """What a bulk or monthly send did, for staff ("Sent N, skipped M (no consent), K
    already sent") and the job's log."""

    sent: int = 0
    no_consent: int = 0
    no_email: int = 0
    already: int = 0
    sent_to: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Recipient:
    client_id: int
    to: str


@dataclass
class MonthPlan:
    start: date
    end: date
    recipients: list[Recipient]
    report: MonthReport


def plan_month(session: Session, *, period_start: date) -> MonthPlan:
    """Who gets the statement of the month starting `period_start`: the clients with
    activity on the business's calendar, less those without e-mail consent or address
    (counted) and those already sent it by a bulk or monthly send. Six statements,
    whatever the number of clients."""
    start, end = month_of(period_start)
    business = get_business(session)
    report = MonthReport()
    active = clients_with_activity(session, start=start, end=end,
                                   zone=business_zone(business))
    done = sent_clients(session, kind=KIND, period_start=start) & active
    report.already = len(done)
    recipients = []
    wanted = sorted(active - done)
    rows = session.exec(select(Client, PortalAccount.email)
                        .outerjoin(PortalAccount, PortalAccount.id == Client.account_id)
                        .where(Client.id.in_(wanted)).order_by(Client.id)).all() if wanted else []
    for client, portal_email in rows:
        to = _address(client, portal_email)
        if not client.email_ok:
            report.no_consent += 1
        elif not to:
            report.no_email += 1
        else:
            recipients.append(Recipient(client.id, to))
    return MonthPlan(start, end, recipients, report)


def send_one_of_month(session: Session, *, plan: MonthPlan, recipient: Recipient,
                      trigger: str, base_url: str, staff_id: int | None = None) -> str:
    """Claim and queue one client's statement of the planned month: "sent", "already"
    (claimed before) or "withheld" (the outbox held it back: the claim is given up so
    a later run sends it once consent is given)."""
    client = session.get(Client, recipient.client_id)
    key = dedupe_key(client.id, plan.start, trigger)
    claim = claim_send(session, client_id=client.id, kind=KIND, period_start=plan.start,
                       period_end=plan.end, trigger=trigger, key=key, staff_id=staff_id)
    if claim is None:
        return "already"
    message = _queue(session, client=client, to=recipient.to, business=get_business(session),
                     start=plan.start, end=plan.end, base_url=base_url, idempotency_key=key)
    if message is None:
        session.exec(delete(BillingDocumentSend).where(BillingDocumentSend.id == claim.id))
        return "withheld"
    claim.outbox_id = message.id
    session.add(claim)
    record_audit(session, actor_kind="staff" if staff_id else "system", actor_id=staff_id,
                 action="statement.sent", client_id=client.id, start=plan.start.isoformat(),
                 end=plan.end.isoformat(), trigger=trigger)
    session.flush()
    return "sent"


def tally(report: MonthReport, outcome: str, client_id: int) -> None:
    if outcome == "sent":
        report.sent += 1
        report.sent_to.append(client_id)
    elif outcome == "already":
        report.already += 1
    else:
        report.no_consent += 1


def send_month(session: Session, *, period_start: date, trigger: str, base_url: str,
               staff_id: int | None = None) -> MonthReport:
    """Send the month's statements in this one transaction."""
    plan = plan_month(session, period_start=period_start)
    for recipient in plan.recipients:
        outcome = send_one_of_month(session, plan=plan, recipient=recipient, trigger=trigger,
                                    base_url=base_url, staff_id=staff_id)
        tally(plan.report, outcome, recipient.client_id)
    return plan.report


def send_month_in_steps(*, period_start: date, trigger: str, base_url: str,
                        staff_id: int | None = None) -> MonthReport:
    """Send the month's statements one client per transaction (the bulk send and the
    monthly job): the write lock is never held for the whole run, one client's
    failure leaves the others sent, and a rerun picks up where a crash stopped."""
    with session_scope() as session:
        plan = plan_month(session, period_start=period_start)
    for recipient in plan.recipients:
        with session_scope() as session:
            outcome = send_one_of_month(session, plan=plan, recipient=recipient,
                                        trigger=trigger, base_url=base_url, staff_id=staff_id)
        tally(plan.report, outcome, recipient.client_id)
    return plan.report


# --- the monthly setting and its day ------------------------------------------------------


def set_statement_auto_day(session: Session, *, staff_id: int, day: object) -> int:
    """The day of the month (1–28, in the business's zone) last month's statements go
    out by themselves; 0 turns it off."""
    try:
        value = int(str(day).strip())
    except (TypeError, ValueError):
        raise ServiceError(BAD_AUTO_DAY, field="statement_auto_day") from None
    if value not in AUTO_DAYS:
        raise ServiceError(BAD_AUTO_DAY, field="statement_auto_day")
    business = get_business(session)
    if business.statement_auto_day != value:
        business.statement_auto_day = value
        session.add(business)
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="settings.statement_auto_day", day=value)
        session.flush()
    return value


def monthly_period_due(business: Business, today: date | None = None) -> date | None:
    """The first day of last month when the monthly send is on and today (in the
    business's zone) is its day or later; else None."""
    day = int(business.statement_auto_day or 0)
    if day not in AUTO_DAYS or day == 0:
        return None
    today = today or today_in(business_zone(business))
    if today.day < day:
        return None
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
