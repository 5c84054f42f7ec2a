"""Monthly superbills: on the business's chosen day (1-28, in its zone), last month's
superbill for every client with attended sessions then.

Each client is claimed first (`BillingDocumentSend`, unique `dedupe_key`) in the
same transaction that issues or holds the superbill, so a rerun, a crash or a
second worker never does it twice. A superbill that passes the pre-flight is
issued and the client e-mailed a link (only with Email OK: the outbox holds it
back otherwise); one with data missing is held, and staff are told."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import (
    BillingDocumentSend,
    Booking,
    BookingStatus,
    Client,
    Superbill,
    SuperbillStatus,
)
from models.base import utcnow
from portal_app import routes
from portal_app.i18n import formats
from portal_app.services.audit import record_audit
from portal_app.services.billing.dates import business_zone
from portal_app.services.billing.statements.ranges import last_month
from portal_app.services.billing.superbills.build import build_superbill
from portal_app.services.billing.superbills.requests import issue_superbill, open_for, tell_staff
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.emails import client_language
from portal_app.services.outbox import enqueue_email

ISSUED, HELD, DONE = "issued", "held", "done"


def dedupe_key(client_id: int, period_start: date) -> str:
    return f"superbill:{client_id}:{period_start.isoformat()}:monthly"


def monthly_period(session: Session, *, now: datetime | None = None) -> tuple[date, date] | None:
    """Last month, once the business's day has come this month; None when the run is
    off (superbills off, or no day chosen) or the day is not reached yet."""
    business = get_business(session)
    day = business.superbill_auto_day or 0
    if not business.superbills_enabled or not 1 <= day <= 28:
        return None
    zone = business_zone(business)
    today = (now or utcnow()).astimezone(ZoneInfo(zone)).date()
    if today.day < day:
        return None
    return last_month(zone, today)


def clients_with_sessions(session: Session, *, start: date, end: date,
                          now: datetime | None = None) -> list[int]:
    """Clients with an attended booking in the range (the business's calendar): one query."""
    tz = ZoneInfo(business_zone(get_business(session)))
    lo = datetime.combine(start, time(0), tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    return list(session.exec(
        select(Booking.client_id).where(
            Booking.status == BookingStatus.CONFIRMED, Booking.start_at >= lo,
            Booking.start_at < hi, Booking.end_at <= (now or utcnow()))
        .distinct().order_by(Booking.client_id)
    ).all())


def run_monthly_for(session: Session, *, client_id: int, start: date, end: date,
                    base_url: str, now: datetime | None = None) -> str:
    """One client's monthly superbill: "done" when already claimed, else "issued" or
    "held". The claim and the outcome commit together (the caller's transaction)."""
    key = dedupe_key(client_id, start)
    if session.exec(select(BillingDocumentSend.id)
                    .where(BillingDocumentSend.dedupe_key == key)).first() is not None:
        return DONE
    claim = BillingDocumentSend(client_id=client_id, kind="superbill", period_start=start,
                                period_end=end, trigger="monthly", dedupe_key=key)
    session.add(claim)
    session.flush()  # a concurrent claim fails here: the whole transaction rolls back
    client = session.get(Client, client_id)
    business = get_business(session)
    doc = build_superbill(session, client_id=client_id, start=start, end=end, now=now)
    row = open_for(session, client_id=client_id, start=start, end=end)
    if row is None:
        row = Superbill(client_id=client_id, start_date=start, end_date=end, source="monthly")
    if doc.problems:
        row.status = SuperbillStatus.HELD
        session.add(row)
        session.flush()
        record_audit(session, actor_kind="system", actor_id=None, action="superbill.held",
                     client_id=client_id, superbill_id=row.id, problems=len(doc.problems))
        tell_staff(session, business=business, template="superbill_held", client=client,
                    row=row, base_url=base_url,
                    problems=[p.text() for p in doc.problems])
        return HELD
    issue_superbill(session, row=row, staff_id=None, base_url=base_url, client=client, email=False)
    to = portal_email_of(session, client) or client.email
    if to:
        lang = client_language(client, business)
        message = enqueue_email(
            session, to=to, template="superbill_ready", business=business, lang=lang,
            idempotency_key=key, client_name=client.full_name,
            start=formats.date_text(start, lang), end=formats.date_text(end, lang),
            url=f"{base_url}{routes.PAYMENTS_SUPERBILLS}")
        if message is not None:
            claim.outbox_id = message.id
            session.add(claim)
            session.flush()
    return ISSUED
