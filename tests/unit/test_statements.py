"""Statements: the ledger of one client over a range, with running balance,
aging, allocations, zones, currencies, voids and refunds, in a constant number of
SQL statements."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing import payments as payment_service
from portal_app.services.billing import refunds as refund_service
from portal_app.services.billing.statements import (
    LineKind,
    last_month,
    parse_range,
    statement,
    this_month,
)
from portal_app.services.billing.statements.aging import bucket
from portal_app.services.errors import ServiceError
from tests import factories
from tests.sql import statements_of
from tests.unit import statement_helpers as h

ZONE = "America/Chicago"  # UTC−6 in winter, UTC−5 in summer


@pytest.fixture
def world(session):
    factories.business(session, timezone=ZONE, currency="USD")
    staff = factories.staff(session)
    client = factories.client(session)
    other = factories.client(session)
    session.commit()
    return staff, client, other


def _st(session, client, start, end, zone=ZONE):
    return statement(session, client_id=client.id, start=start, end=end, zone=zone)


# --- aging ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("late", "expected"), [
    (-5, "current"), (0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"),
    (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "over-90"), (400, "over-90")])
def test_aging_bucket_boundaries(late, expected):
    end = date(2030, 6, 30)
    assert bucket(end - timedelta(days=late), end) == expected


def test_aging_of_open_invoices_by_due_date(session, world):
    _staff, client, _other = world
    end = date(2030, 6, 30)
    for late, total in [(0, 1), (1, 10), (30, 100), (31, 1000), (60, 10_000),
                        (61, 100_000), (90, 1_000_000), (91, 10_000_000)]:
        due = end - timedelta(days=late)
        h.invoice(session, client, total=total, issued=due - timedelta(days=14), due=due)
    # Partly paid: only what is open is aged. No due date: due on its issue date.
    partly = h.invoice(session, client, total=500, issued=end - timedelta(days=45),
                       due=end - timedelta(days=5))
    h.pay(session, partly, 200, on=end - timedelta(days=3))
    h.invoice(session, client, total=7, issued=end - timedelta(days=100))
    # Due after the end date: current.
    h.invoice(session, client, total=3, issued=end, due=end + timedelta(days=14))
    usd = _st(session, client, date(2030, 6, 1), end).currency("USD")
    assert usd.aging.current_minor == 1 + 3
    assert usd.aging.days_1_30_minor == 10 + 100 + 300
    assert usd.aging.days_31_60_minor == 1000 + 10_000
    assert usd.aging.days_61_90_minor == 100_000 + 1_000_000
    assert usd.aging.over_90_minor == 10_000_000 + 7
    assert usd.aging.total_minor == usd.closing_minor and usd.credit_minor == 0


def test_aging_is_on_the_end_date_not_today(session, world):
    """An invoice paid after the end date was still open on it."""
    _staff, client, _other = world
    inv = h.invoice(session, client, total=5000, issued=date(2030, 1, 1), due=date(2030, 1, 15))
    h.pay(session, inv, 5000, on=date(2030, 3, 10))
    feb = _st(session, client, date(2030, 2, 1), date(2030, 2, 28)).currency("USD")
    assert feb.closing_minor == 5000 and feb.aging.days_31_60_minor == 5000
    march = _st(session, client, date(2030, 3, 1), date(2030, 3, 31)).currency("USD")
    assert march.closing_minor == 0 and march.aging.total_minor == 0


# --- lines, running balance, allocation -------------------------------------------------------


def test_lines_in_date_order_with_running_balance_and_allocations(session, world):
    _staff, client, _other = world
    older = h.invoice(session, client, total=10_000, issued=date(2030, 3, 20),
                      due=date(2030, 4, 3))
    newer = h.invoice(session, client, total=8_000, issued=date(2030, 4, 10),
                      due=date(2030, 4, 24))
    first = h.pay(session, older, 4_000, on=date(2030, 4, 5))
    second = h.pay(session, newer, 8_000, at=datetime(2030, 4, 12, 15, 0, tzinfo=UTC))
    h.refund(session, second, 1_000, at=datetime(2030, 4, 20, 15, 0, tzinfo=UTC))
    st = _st(session, client, date(2030, 4, 1), date(2030, 4, 30))
    usd = st.currency("USD")
    assert usd.opening_minor == 10_000  # the March invoice
    assert [(ln.kind, ln.day, ln.amount_minor, ln.balance_minor) for ln in usd.lines] == [
        (LineKind.PAYMENT, date(2030, 4, 5), -4_000, 6_000),
        (LineKind.INVOICE, date(2030, 4, 10), 8_000, 14_000),
        (LineKind.PAYMENT, date(2030, 4, 12), -8_000, 6_000),
        (LineKind.REFUND, date(2030, 4, 20), 1_000, 7_000)]
    pay1, _inv, pay2, _ref = usd.lines
    assert pay1.receipt_number == first.receipt_number and pay1.method == "cash"
    assert [(a.invoice_number, a.amount_minor, a.oldest_first) for a in pay1.allocations] == [
        (older.number, 4_000, False)]
    assert [(a.invoice_number, a.amount_minor) for a in pay2.allocations] == [
        (newer.number, 8_000)]
    assert usd.lines[1].due_date == date(2030, 4, 24)
    assert (usd.charges_minor, usd.payments_minor, usd.refunds_minor, usd.voids_minor) == (
        8_000, 12_000, 1_000, 0)
    assert usd.closing_minor == 7_000
    # The invoice pages' figures: each invoice's balance, and what the client owes.
    assert usd.closing_minor == older.balance_minor + newer.balance_minor
    assert usd.closing_minor == invoice_service.total_due(session, client_id=client.id)
    assert st.has_activity


def test_overpayment_is_credit_not_a_negative_invoice(session, world):
    """An online payment beyond the balance (two tabs paying at once): the invoice
    is paid, the rest is the client's credit, and the payment says so."""
    _staff, client, _other = world
    inv = h.invoice(session, client, total=5_000, issued=date(2030, 4, 1))
    h.pay(session, inv, 3_000, at=datetime(2030, 4, 2, 15, tzinfo=UTC))
    h.pay(session, inv, 3_000, at=datetime(2030, 4, 2, 16, tzinfo=UTC))
    usd = _st(session, client, date(2030, 4, 1), date(2030, 4, 30)).currency("USD")
    second = usd.lines[-1]
    assert [a.amount_minor for a in second.allocations] == [2_000]
    assert second.credit_minor == 1_000
    assert usd.closing_minor == -1_000 and usd.credit_minor == 1_000
    assert usd.aging.total_minor == 0 and inv.balance_minor == 0


def test_other_clients_and_drafts_and_estimates_are_left_out(session, world):
    staff, client, other = world
    h.invoice(session, other, total=999, issued=date(2030, 4, 2))
    draft = h.invoice(session, client, total=111, issued=date(2030, 4, 2))
    draft.status, draft.sent_at = "draft", None
    voided_draft = h.invoice(session, client, total=222, issued=date(2030, 4, 2))
    voided_draft.status, voided_draft.sent_at = "void", None
    estimate = h.invoice(session, client, total=333, issued=date(2030, 4, 2))
    estimate.kind = "estimate"
    session.add_all([draft, voided_draft, estimate])
    session.flush()
    st = _st(session, client, date(2030, 4, 1), date(2030, 4, 30))
    assert st.currencies == () and not st.has_activity


# --- voids and refunds ------------------------------------------------------------------------


def test_voided_invoice_is_its_own_line(session, world):
    staff, client, _other = world
    inv = h.invoice(session, client, total=6_000, issued=date(2030, 3, 28))
    h.void(session, inv, at=datetime(2030, 4, 3, 17, tzinfo=UTC), staff_id=staff.id)
    march = _st(session, client, date(2030, 3, 1), date(2030, 3, 31)).currency("USD")
    assert march.closing_minor == 6_000 and march.aging.total_minor == 6_000
    april = _st(session, client, date(2030, 4, 1), date(2030, 4, 30)).currency("USD")
    assert april.opening_minor == 6_000
    assert [(ln.kind, ln.amount_minor, ln.balance_minor) for ln in april.lines] == [
        (LineKind.VOID, -6_000, 0)]
    assert april.voids_minor == 6_000 and april.closing_minor == 0
    assert april.aging.total_minor == 0
    both = _st(session, client, date(2030, 3, 1), date(2030, 4, 30)).currency("USD")
    assert [ln.kind for ln in both.lines] == [LineKind.INVOICE, LineKind.VOID]
    assert both.closing_minor == 0


def test_refund_after_the_range_is_not_in_it(session, world):
    _staff, client, _other = world
    inv = h.invoice(session, client, total=4_000, issued=date(2030, 4, 1))
    payment = h.pay(session, inv, 4_000, at=datetime(2030, 4, 10, 15, tzinfo=UTC))
    h.refund(session, payment, 1_500, at=datetime(2030, 5, 2, 15, tzinfo=UTC))
    april = _st(session, client, date(2030, 4, 1), date(2030, 4, 30)).currency("USD")
    assert [ln.kind for ln in april.lines] == [LineKind.INVOICE, LineKind.PAYMENT]
    assert april.closing_minor == 0 and april.refunds_minor == 0
    may = _st(session, client, date(2030, 5, 1), date(2030, 5, 31)).currency("USD")
    assert may.opening_minor == 0
    assert [(ln.kind, ln.amount_minor) for ln in may.lines] == [(LineKind.REFUND, 1_500)]
    assert may.closing_minor == 1_500 == inv.balance_minor


def test_pending_and_failed_refunds_move_nothing(session, world):
    _staff, client, _other = world
    inv = h.invoice(session, client, total=4_000, issued=date(2030, 4, 1))
    payment = h.pay(session, inv, 4_000, at=datetime(2030, 4, 10, 15, tzinfo=UTC))
    from models import Refund
    for status in ("pending", "failed", "superseded"):
        session.add(Refund(payment_id=payment.id, amount_minor=100, status=status,
                           created_at=datetime(2030, 4, 11, tzinfo=UTC)))
    session.flush()
    usd = _st(session, client, date(2030, 4, 1), date(2030, 4, 30)).currency("USD")
    assert usd.closing_minor == 0 and usd.refunds_minor == 0



def test_a_payment_refunded_twice_is_one_payment_line_and_two_refund_lines(session, world):
    """The payments and their refunds are read together (one row per refund): the
    payment still counts once."""
    _staff, client, _other = world
    inv = h.invoice(session, client, total=4_000, issued=date(2030, 4, 1))
    payment = h.pay(session, inv, 4_000, at=datetime(2030, 4, 10, 15, tzinfo=UTC))
    h.refund(session, payment, 1_000, at=datetime(2030, 4, 12, 15, tzinfo=UTC))
    h.refund(session, payment, 500, at=datetime(2030, 4, 20, 15, tzinfo=UTC))
    h.refund(session, payment, 700, at=datetime(2030, 5, 3, 15, tzinfo=UTC))
    april = _st(session, client, date(2030, 4, 1), date(2030, 4, 30)).currency("USD")
    assert [(ln.kind, ln.amount_minor) for ln in april.lines] == [
        (LineKind.INVOICE, 4_000), (LineKind.PAYMENT, -4_000), (LineKind.REFUND, 1_000),
        (LineKind.REFUND, 500)]
    assert april.closing_minor == 1_500 and april.payments_minor == 4_000

# --- zones ------------------------------------------------------------------------------------


def test_payment_late_on_the_last_day_local_time_belongs_to_the_range(session, world):
    """23:30 in Chicago on April 30 is 04:30 UTC on May 1: April's statement has it."""
    _staff, client, _other = world
    inv = h.invoice(session, client, total=2_500, issued=date(2030, 4, 2))
    late = datetime(2030, 5, 1, 4, 30, tzinfo=UTC)  # 23:30 CDT on April 30
    h.pay(session, inv, 2_500, at=late)
    april = _st(session, client, date(2030, 4, 1), date(2030, 4, 30)).currency("USD")
    assert [(ln.kind, ln.day) for ln in april.lines][-1] == (LineKind.PAYMENT, date(2030, 4, 30))
    assert april.closing_minor == 0
    may = _st(session, client, date(2030, 5, 1), date(2030, 5, 31))
    assert may.currency("USD") is None  # nothing owed, nothing happened
    # In UTC the same payment is on May 1.
    utc_april = _st(session, client, date(2030, 4, 1), date(2030, 4, 30), zone="UTC")
    assert utc_april.currency("USD").closing_minor == 2_500


def test_payment_just_after_midnight_local_on_the_first_day_belongs_to_the_range(session, world):
    _staff, client, _other = world
    inv = h.invoice(session, client, total=2_500, issued=date(2030, 3, 20))
    h.pay(session, inv, 1_000, at=datetime(2030, 4, 1, 5, 10, tzinfo=UTC))  # 00:10 CDT Apr 1
    april = _st(session, client, date(2030, 4, 1), date(2030, 4, 30)).currency("USD")
    assert april.opening_minor == 2_500
    assert [ln.day for ln in april.lines] == [date(2030, 4, 1)]


def test_offline_payment_is_on_the_day_entered_in_any_zone(session, world):
    _staff, client, _other = world
    inv = h.invoice(session, client, total=2_500, issued=date(2030, 4, 2))
    h.pay(session, inv, 2_500, on=date(2030, 4, 30))
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC", ZONE):
        april = _st(session, client, date(2030, 4, 1), date(2030, 4, 30), zone=zone)
        assert april.currency("USD").lines[-1].day == date(2030, 4, 30), zone


# --- currencies -------------------------------------------------------------------------------


def test_currencies_are_never_added_together(session, world):
    _staff, client, _other = world
    usd = h.invoice(session, client, total=10_000, issued=date(2030, 4, 2), currency="USD")
    eur = h.invoice(session, client, total=7_000, issued=date(2030, 4, 3), currency="EUR")
    h.invoice(session, client, total=5_000, issued=date(2030, 4, 4), currency="JPY")
    h.pay(session, usd, 2_000, at=datetime(2030, 4, 5, 15, tzinfo=UTC))
    h.pay(session, eur, 7_000, at=datetime(2030, 4, 6, 15, tzinfo=UTC))
    # Paid in EUR on a USD invoice: not counted toward it (as on the invoice page), shown apart.
    odd = h.pay(session, usd, 3_000, at=datetime(2030, 4, 7, 15, tzinfo=UTC), currency="EUR")
    st = _st(session, client, date(2030, 4, 1), date(2030, 4, 30))
    assert [c.currency for c in st.currencies] == ["EUR", "JPY", "USD"]
    assert st.currency("USD").closing_minor == 8_000 == usd.balance_minor
    assert st.currency("EUR").closing_minor == 0 == eur.balance_minor
    assert st.currency("JPY").closing_minor == 5_000
    for part in st.currencies:
        assert part.closing_minor == part.lines[-1].balance_minor
    assert [(u.receipt_number, u.currency, u.amount_minor, u.invoice_number)
            for u in st.unapplied] == [(odd.receipt_number, "EUR", 3_000, usd.number)]


# --- through the real services ----------------------------------------------------------------


def test_same_figures_as_the_invoice_pages_through_the_services(session, world, monkeypatch):
    monkeypatch.setattr("portal_app.services.billing.printouts.receipt_pdf_bytes",
                        lambda session, *, payment, invoice, lang="": b"%PDF-stub")
    staff, client, _other = world
    first = datetime.now(UTC).date() - timedelta(days=40)
    inv = invoice_service.save_draft(
        session, staff_id=staff.id, invoice_id=None,
        form={"client_id": client.id, "kind": "invoice", "issue_date": first.isoformat(),
              "due_date": (first + timedelta(days=14)).isoformat(), "tax_rate": "",
              "discount": "", "notes": ""},
        lines=[{"description": "Session", "quantity": "1", "unit_price": "120.00"}])
    draft_only = _st(session, client, first, first + timedelta(days=30))
    assert draft_only.currencies == ()
    invoice_service.send_invoice(session, staff_id=staff.id, invoice_id=inv.id,
                                 base_url="http://portal.test")
    payment = payment_service.record_offline_payment(
        session, staff_id=staff.id, invoice_id=inv.id,
        form={"amount": "50.00", "method": "cash", "paid_on": (first + timedelta(days=20)).isoformat()},
        base_url="http://portal.test")
    reserved = refund_service.prepare_refund(session, staff_id=staff.id, payment_id=payment.id,
                                             form={"amount": "10.00"})
    refund_service.finish_refund(session, refund_id=reserved.id, provider_refund_id=None,
                                 staff_id=staff.id)
    today = datetime.now(UTC).date() + timedelta(days=1)
    usd = _st(session, client, first, today).currency("USD")
    assert [ln.kind for ln in usd.lines] == [LineKind.INVOICE, LineKind.PAYMENT, LineKind.REFUND]
    assert usd.closing_minor == inv.balance_minor == 12_000 - 5_000 + 1_000
    assert usd.closing_minor == invoice_service.total_due(session, client_id=client.id)


# --- input and cost ---------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "zone", "field"), [
    (date(2030, 5, 1), date(2030, 4, 30), ZONE, "start"),
    ("2030-04-01", date(2030, 4, 30), ZONE, "start"),
    (date(2030, 4, 1), None, ZONE, "end"),
    (date(2010, 1, 1), date(2030, 4, 30), ZONE, "start"),
    (date(2030, 4, 1), date(2030, 4, 30), "Mars/Olympus", "zone")])
def test_bad_ranges_are_refused(session, world, start, end, zone, field):
    _staff, client, _other = world
    with pytest.raises(ServiceError) as exc:
        statement(session, client_id=client.id, start=start, end=end, zone=zone)
    assert exc.value.field == field


def _history(session, client, n):
    start = date(2028, 1, 1)
    for i in range(n):
        day = start + timedelta(days=i * 3)
        inv = h.invoice(session, client, total=1_000 + i, issued=day, due=day + timedelta(days=14))
        if i % 2:
            payment = h.pay(session, inv, 500, at=h.noon(day + timedelta(days=1)))
            if i % 4 == 1:
                h.refund(session, payment, 100, at=h.noon(day + timedelta(days=2)))
    session.commit()


def test_sql_statements_do_not_grow_with_history(session, engine, world):
    _staff, client, other = world
    _history(session, client, 2)
    _history(session, other, 200)

    def sent(who):
        session.expunge_all()
        return statements_of(engine, lambda: _st(session, who, date(2028, 1, 1),
                                                date(2030, 12, 31)))

    small, large = sent(client), sent(other)
    assert len(small) == len(large) == 2
    large_st = _st(session, other, date(2028, 1, 1), date(2030, 12, 31)).currency("USD")
    assert len(large_st.lines) == 200 + 100 + 50


# --- ranges -----------------------------------------------------------------------------------


def test_month_ranges_in_the_zone():
    assert this_month(ZONE, today=date(2030, 3, 17)) == (date(2030, 3, 1), date(2030, 3, 17))
    assert last_month(ZONE, today=date(2030, 3, 17)) == (date(2030, 2, 1), date(2030, 2, 28))
    assert last_month(ZONE, today=date(2032, 3, 1)) == (date(2032, 2, 1), date(2032, 2, 29))
    assert last_month(ZONE, today=date(2030, 1, 5)) == (date(2029, 12, 1), date(2029, 12, 31))
    start, end = this_month("Pacific/Kiritimati")  # today, wherever the clock is
    assert start.day == 1 and start <= end


def test_a_typed_range_is_parsed_or_refused_beside_its_field():
    assert parse_range(" 2030-04-01 ", "2030-04-30") == (date(2030, 4, 1), date(2030, 4, 30))
    for start, end, field in [("April", "2030-04-30", "start"), ("2030-04-01", "", "end"),
                              ("2030-02-30", "2030-03-01", "start")]:
        with pytest.raises(ServiceError) as exc:
            parse_range(start, end)
        assert exc.value.field == field


def test_a_void_without_its_stamp_is_dated_by_its_last_change(session, world):
    staff, client, _other = world
    inv = h.invoice(session, client, total=900, issued=date(2030, 3, 28))
    h.void(session, inv, at=datetime(2030, 4, 3, 17, tzinfo=UTC), staff_id=staff.id)
    inv.voided_at, inv.updated_at = None, datetime(2030, 4, 9, 17, tzinfo=UTC)
    session.add(inv)
    session.flush()
    april = _st(session, client, date(2030, 4, 1), date(2030, 4, 30)).currency("USD")
    assert [(ln.kind, ln.day) for ln in april.lines] == [(LineKind.VOID, date(2030, 4, 9))]
