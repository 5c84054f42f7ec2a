"""The demo's month of billing history: this month's statement of the demo client has
aging in two buckets and an allocated payment, its figures are the invoices' own, and
the superbill data is complete and valid."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from models import (
    Booking,
    BookingStatus,
    Business,
    Client,
    ClientDiagnosis,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Notification,
    OutboxMessage,
    Payment,
    PortalAccount,
    Refund,
    Service,
    Superbill,
)
from portal_app.services.billing.invoices import total_due
from portal_app.services.billing.statements import LineKind, last_month, statement, this_month
from portal_app.services.billing.superbills.codes import npi_valid
from portal_app.services.demo import DEMO_CLIENT, seed_demo
from portal_app.services.demo_billing_history import seed_billing_history
from tests import factories

ZONE = "America/New_York"
SINCE = date.today() - timedelta(days=365)  # before the whole demo history
# Open after the seed: the intake 180.00 (overdue), the video session 140.00 less 60.00
# paid, the last session 140.00, and the older demo invoice INV-0001 95.00.
OPEN_TOTAL = 18000 + 8000 + 14000 + 9500


def _demo_client(session) -> Client:
    account = session.exec(select(PortalAccount).where(PortalAccount.email == DEMO_CLIENT)).one()
    return session.exec(select(Client).where(Client.account_id == account.id)
                        .order_by(Client.id)).first()


def _invoices(session, client_id: int) -> dict[str, Invoice]:
    rows = session.exec(select(Invoice).where(Invoice.client_id == client_id,
                                              Invoice.kind == InvoiceKind.INVOICE)).all()
    return {inv.number: inv for inv in rows}


def test_demo_statement_this_month_has_aging_an_allocation_and_the_invoices_figures(session):
    seed_demo(session, base_url="http://demo.test")
    client = _demo_client(session)
    start, end = this_month(ZONE)
    got = statement(session, client_id=client.id, start=start, end=end, zone=ZONE)

    (usd,) = got.currencies
    assert usd.currency == "USD"
    assert usd.closing_minor == OPEN_TOTAL == total_due(session, client_id=client.id)
    assert usd.credit_minor == 0
    # Two buckets: the intake is 45–47 days past due; the rest is not due yet.
    assert (usd.aging.current_minor, usd.aging.days_1_30_minor, usd.aging.days_31_60_minor,
            usd.aging.days_61_90_minor, usd.aging.over_90_minor) == (
        8000 + 14000 + 9500, 0, 18000, 0, 0)
    # The opening is last month's closing, and the lines lead from it to the closing.
    before = statement(session, client_id=client.id, start=SINCE,
                       end=start - timedelta(days=1), zone=ZONE)
    assert usd.opening_minor == (before.currencies[0].closing_minor if before.currencies else 0)
    assert usd.opening_minor + sum(line.amount_minor for line in usd.lines) == usd.closing_minor
    assert usd.opening_minor + usd.charges_minor - usd.payments_minor + usd.refunds_minor \
        - usd.voids_minor == usd.closing_minor

    # The bank transfer is paid this month and names the invoice it paid.
    invoices = _invoices(session, client.id)
    partial = next(inv for inv in invoices.values()
                   if inv.status == InvoiceStatus.PARTIALLY_PAID)
    transfers = [line for line in usd.lines if line.kind == LineKind.PAYMENT
                 and line.method == "bank_transfer"]
    assert len(transfers) == 1
    (allocation,) = transfers[0].allocations
    assert (allocation.invoice_id, allocation.invoice_number, allocation.amount_minor,
            allocation.oldest_first) == (partial.id, partial.number, 6000, False)
    assert transfers[0].credit_minor == 0


def test_every_demo_invoice_balance_is_the_statements_open_amount(session):
    seed_demo(session)
    client = _demo_client(session)
    whole = statement(session, client_id=client.id, start=SINCE,
                      end=this_month(ZONE)[1], zone=ZONE)
    (usd,) = whole.currencies
    assert usd.opening_minor == 0
    open_by_invoice: dict[int, int] = defaultdict(int)
    for line in usd.lines:
        open_by_invoice[line.invoice_id] += line.amount_minor
    invoices = _invoices(session, client.id)
    assert len(invoices) == 6  # INV-0001 and the five of the history
    for inv in invoices.values():
        expected = 0 if inv.status == InvoiceStatus.VOID else inv.balance_minor
        assert open_by_invoice[inv.id] == expected, inv.number
    assert sorted(inv.status for inv in invoices.values()) == sorted([
        InvoiceStatus.SENT, InvoiceStatus.SENT, InvoiceStatus.SENT, InvoiceStatus.PAID,
        InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.VOID])
    kinds = [line.kind for line in usd.lines]
    assert (kinds.count(LineKind.INVOICE), kinds.count(LineKind.PAYMENT),
            kinds.count(LineKind.REFUND), kinds.count(LineKind.VOID)) == (6, 3, 1, 1)
    assert sum(inv.balance_minor for inv in invoices.values()
               if inv.status in InvoiceStatus.OPEN) == usd.closing_minor == OPEN_TOTAL


def test_demo_payments_and_refund_are_the_services_own(session):
    seed_demo(session)
    client = _demo_client(session)
    payments = session.exec(select(Payment).where(Payment.client_id == client.id)
                            .order_by(Payment.paid_at)).all()
    assert [(p.method, p.provider, p.amount_minor, p.refunded_minor) for p in payments] == [
        ("card", "test", 14000, 0), ("card", "test", 14000, 14000),
        ("bank_transfer", "offline", 6000, 0)]
    assert [p.receipt_number for p in payments] == ["RCT-0001", "RCT-0002", "RCT-0003"]
    (refund,) = session.exec(select(Refund).where(  # the client's (the referrals demo has more)
        Refund.payment_id.in_([p.id for p in payments]))).all()
    assert (refund.payment_id, refund.amount_minor, refund.status) == (
        payments[1].id, 14000, "succeeded")
    assert refund.provider_refund_id.startswith("test_re_refund-")
    # Month-old side effects: no receipt or invoice email is queued now, the bell lines
    # are dated and read.
    assert session.exec(select(OutboxMessage).where(
        OutboxMessage.template.in_(("receipt", "invoice_sent")))).all() == []
    bell = session.exec(select(Notification).where(Notification.client_id == client.id)).all()
    assert bell and all(n.read_at is not None for n in bell
                        if n.kind in ("payment", "invoice"))
    now = datetime.now(UTC)
    assert all(p.paid_at < now for p in payments)


def test_demo_sessions_are_attended_bookings_on_invoices(session):
    seed_demo(session)
    client = _demo_client(session)
    now = datetime.now(UTC)
    bookings = session.exec(select(Booking).where(Booking.client_id == client.id)
                            .order_by(Booking.start_at)).all()
    assert len(bookings) == 4
    assert all(b.status == BookingStatus.CONFIRMED and b.end_at < now for b in bookings)
    linked = {inv.booking_id: inv for inv in _invoices(session, client.id).values()
              if inv.booking_id}
    assert set(linked) == {b.id for b in bookings}
    names = {s.id: s.name for s in session.exec(select(Service)).all()}
    assert names[bookings[0].service_id] == "Intake assessment (60 min)"
    zone = ZoneInfo(ZONE)
    for booking in bookings:
        local = booking.start_at.astimezone(zone)
        assert local.weekday() < 5 and local.time() == time(10)
        assert linked[booking.id].issue_date == local.date()
    overdue = linked[bookings[0].id]
    assert overdue.status == InvoiceStatus.SENT
    assert (datetime.now(zone).date() - overdue.due_date).days >= 40


def test_demo_superbill_data_is_complete_and_valid(session):
    seed_demo(session)
    client = _demo_client(session)
    business = session.exec(select(Business)).one()
    assert business.superbills_enabled
    assert (business.legal_name, business.npi_individual, business.tax_id, business.tax_id_kind,
            business.license_number, business.license_state, business.taxonomy_code) == (
        "Harbor Wellness Studio LLC", "1234567893", "12-3456789", "ein", "CC12345", "ME",
        "101YM0800X")
    assert npi_valid(business.npi_individual)
    codes = {s.name: (s.cpt_code, s.pos_code, s.modifiers)
             for s in session.exec(select(Service)).all()}
    assert codes["Intake assessment (60 min)"] == ("90791", "11", "")
    assert codes["Therapy session (50 min)"] == ("90834", "11", "")
    assert codes["Video therapy session (50 min)"] == ("90834", "02", "95")
    assert codes["Massage (60 min)"][0] == ""  # left for the pre-flight check to name
    assert (client.date_of_birth, client.insurance_member_id, client.address) == (
        date(1988, 3, 14), "XKM123456789", "45 Harbor Lane, Portland, ME 04101")
    # The provider block's address and phone come from the business's contact details.
    assert business.address and business.contact_phone
    (diagnosis,) = session.exec(select(ClientDiagnosis)).all()
    first = session.exec(select(Booking).where(Booking.client_id == client.id)
                         .order_by(Booking.start_at)).first()
    assert (diagnosis.client_id, diagnosis.code, diagnosis.description) == (
        client.id, "F41.1", "Generalized anxiety disorder")
    assert diagnosis.from_date < first.start_at.astimezone(ZoneInfo(ZONE)).date()
    (bill,) = session.exec(select(Superbill)).all()
    assert (bill.client_id, bill.status, bill.source) == (client.id, "issued", "staff")
    assert (bill.start_date, bill.end_date) == last_month(ZONE)
    assert bill.issued_at is not None and bill.issued_by_staff_id is not None


@pytest.mark.parametrize("today", [date(2026, 3, 1), date(2026, 1, 31), date(2025, 12, 29),
                                   date(2026, 2, 14)])
def test_history_on_any_day_gives_two_aging_buckets_and_a_payment_this_month(session, today):
    """The first of a month, the last, a Monday, a Saturday: the story still fits."""
    factories.business(session, timezone=ZONE, currency="USD", address="12 Quay Street")
    staff = factories.staff(session)
    for weekday in range(5):
        factories.working_hours(session, staff, (weekday, "09:00", "12:00"))
    client = factories.client(session, timezone=ZONE)
    now = datetime.combine(today, time(15), tzinfo=ZoneInfo(ZONE)).astimezone(UTC)
    made = seed_billing_history(session, staff_id=staff.id, client_id=client.id, now=now)
    start, end = this_month(ZONE, today)
    (usd,) = statement(session, client_id=client.id, start=start, end=end, zone=ZONE).currencies
    assert usd.closing_minor == 18000 + 8000 + 14000
    assert usd.aging.days_31_60_minor == 18000
    assert usd.aging.current_minor == 8000 + 14000
    paid = [a for line in usd.lines for a in line.allocations]
    assert (made.partial_id, 6000) in {(a.invoice_id, a.amount_minor) for a in paid}
    bill = session.get(Superbill, made.superbill_id)
    assert (bill.start_date, bill.end_date) == last_month(ZONE, today)
