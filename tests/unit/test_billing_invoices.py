"""Invoices and estimates: numbering, drafts, validation, sending, voiding, invoices
from bookings, the staff list, and what a client may see and answer."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func
from sqlmodel import select

from models import (
    AuditEvent,
    Booking,
    BookingStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    NumberSequence,
    OutboxMessage,
)
from portal_app.i18n import formats
from portal_app.services.billing import invoices
from portal_app.services.billing.payments import record_offline_payment
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.unit.helpers import count

BASE = "http://portal.test"
LINES = [{"description": "Consultation", "quantity": "1", "unit_price": "80.00"}]
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_receipt_pdf(monkeypatch):
    """Receipts are set-up noise here (test_billing_payments checks the real PDF)."""
    monkeypatch.setattr("portal_app.services.billing.printouts.receipt_pdf_bytes",
                        lambda session, *, payment, invoice, lang="": b"%PDF-1.4 stub")


@pytest.fixture
def world(session):
    """Business, one staff member, two clients with portal accounts; committed, so a
    rollback after a refused call removes only what that call wrote."""
    factories.business(session)
    staff = factories.staff(session)
    alice_account, (alice,) = factories.household(session, names=("Alice",))
    _bob_account, (bob,) = factories.household(session, names=("Bob",))
    # The client record's own email differs from the portal sign-in email.
    alice.email = "alice-records@example.test"
    session.add(alice)
    session.commit()
    return staff, alice, bob, alice_account


def _draft(session, staff, client, *, kind="invoice", lines=LINES, **form):
    return invoices.save_draft(session, staff_id=staff.id, invoice_id=None,
                               form={"client_id": client.id, "kind": kind, **form}, lines=lines)


def _send(session, staff, invoice, **kw):
    return invoices.send_invoice(session, staff_id=staff.id, invoice_id=invoice.id,
                                 base_url=BASE, **kw)


def _sent(session, staff, client, **kw):
    return _send(session, staff, _draft(session, staff, client, **kw))


def _pay(session, staff, invoice, amount):
    return record_offline_payment(session, staff_id=staff.id, invoice_id=invoice.id,
                                  form={"amount": amount, "method": "cash"}, base_url=BASE)


def _lines(session, invoice_id):
    return session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
                        .order_by(InvoiceLine.position)).all()


def _audits(session, action):
    return session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def _fresh(session, model, row_id):
    """The row as the database has it now (not the identity map's copy)."""
    session.expire_all()
    return session.get(model, row_id)


# --- numbering ------------------------------------------------------------------------------


def test_numbers_run_per_series(session, world):
    staff, alice, bob, _ = world
    first = _draft(session, staff, alice)
    second = _draft(session, staff, bob)
    estimate = _draft(session, staff, alice, kind="estimate")
    third = _draft(session, staff, alice)
    assert [first.number, second.number, estimate.number, third.number] == [
        "INV-0001", "INV-0002", "EST-0001", "INV-0003"]
    assert estimate.kind == InvoiceKind.ESTIMATE
    _send(session, staff, first)
    payment = _pay(session, staff, first, "10.00")
    assert payment.receipt_number == "RCT-0001"
    assert _pay(session, staff, first, "10.00").receipt_number == "RCT-0002"
    rows = {s.name: s.next_value for s in session.exec(select(NumberSequence)).all()}
    assert rows == {"invoice": 4, "estimate": 2, "receipt": 3}
    assert invoices.next_number(session, "invoice") == "INV-0004"
    assert invoices.next_number(session, "receipt") == "RCT-0003"


def test_numbers_pass_four_digits(session, world):
    session.add(NumberSequence(name="invoice", next_value=9999))
    session.flush()
    assert invoices.next_number(session, "invoice") == "INV-9999"
    assert invoices.next_number(session, "invoice") == "INV-10000"


def test_a_refused_save_consumes_no_number(session, world):
    staff, alice, _bob, _ = world
    with pytest.raises(ServiceError):
        _draft(session, staff, alice, tax_rate="abc")
    session.rollback()
    assert _draft(session, staff, alice).number == "INV-0001"


# --- drafts ---------------------------------------------------------------------------------


def test_save_draft_creates_lines_and_totals(session, world):
    staff, alice, _bob, _ = world
    inv = _draft(session, staff, alice, lines=[
        {"description": "Session", "quantity": "1.5", "unit_price": "80.00"},
        {"description": "", "quantity": "", "unit_price": ""},  # a blank row is dropped
        {"description": "Report", "quantity": "2", "unit_price": "25.50"},
    ], tax_rate="8.25", discount="10.00", issue_date="2030-05-01", due_date="2030-05-15",
        notes="  Thank you.  ")
    session.commit()
    row = _fresh(session, Invoice, inv.id)
    assert row.status == InvoiceStatus.DRAFT and row.kind == InvoiceKind.INVOICE
    assert row.client_id == alice.id and row.created_by_staff_id == staff.id
    assert row.currency == "USD"
    assert row.issue_date == date(2030, 5, 1) and row.due_date == date(2030, 5, 15)
    assert row.tax_rate_bp == 825 and row.discount_minor == 1000
    # 120.00 + 51.00 = 171.00; less 10.00 = 161.00; 8.25 % = 13.2825 -> 13.28
    assert (row.subtotal_minor, row.tax_minor, row.total_minor) == (17100, 1328, 17428)
    assert row.paid_minor == 0 and row.balance_minor == 17428
    assert row.notes == "Thank you."
    lines = _lines(session, inv.id)
    assert [(ln.position, ln.description, ln.quantity_hundredths, ln.unit_price_minor,
             ln.amount_minor) for ln in lines] == [
        (0, "Session", 150, 8000, 12000), (1, "Report", 200, 2550, 5100)]
    created = _audits(session, "invoice.created")
    assert len(created) == 1 and created[0].detail["invoice"] == "INV-0001"
    assert created[0].client_id == alice.id


def test_save_draft_without_issue_date_uses_today(session, world):
    staff, alice, _bob, _ = world
    inv = _draft(session, staff, alice)
    assert _fresh(session, Invoice, inv.id).issue_date == datetime.now(UTC).date()


def test_save_draft_update_replaces_lines_and_recomputes(session, world):
    staff, alice, bob, _ = world
    inv = _draft(session, staff, alice, lines=[
        {"description": "A", "quantity": "1", "unit_price": "10"},
        {"description": "B", "quantity": "1", "unit_price": "20"},
        {"description": "C", "quantity": "1", "unit_price": "30"}])
    session.commit()
    updated = invoices.save_draft(
        session, staff_id=staff.id, invoice_id=str(inv.id),
        form={"client_id": bob.id, "tax_rate": "10", "due_date": ""},
        lines=[{"description": "Only", "quantity": "3", "unit_price": "33.33"}])
    session.commit()
    assert updated.id == inv.id
    row = _fresh(session, Invoice, inv.id)
    assert row.number == "INV-0001" and row.client_id == bob.id
    assert (row.subtotal_minor, row.tax_minor, row.total_minor) == (9999, 1000, 10999)
    assert [(ln.description, ln.amount_minor) for ln in _lines(session, inv.id)] == [
        ("Only", 9999)]
    assert count(session, InvoiceLine) == 1
    assert len(_audits(session, "invoice.updated")) == 1


VALIDATION = [
    ({"kind": "bill"}, LINES, "kind", "Choose invoice or estimate."),
    ({"issue_date": "2030-13-01"}, LINES, "issue_date",
     "Enter the issue date as a date (YYYY-MM-DD)."),
    ({"due_date": "tomorrow"}, LINES, "due_date", "Enter the due date as a date (YYYY-MM-DD)."),
    ({"issue_date": "2030-05-10", "due_date": "2030-05-09"}, LINES, "due_date",
     "The due date cannot be before the issue date."),
    ({"tax_rate": "abc"}, LINES, "tax_rate", "Enter a tax rate such as 8.25."),
    ({"tax_rate": "101"}, LINES, "tax_rate", "The tax rate must be between 0 and 100 %."),
    ({"discount": "abc"}, LINES, "discount", "Enter a discount such as 80.00."),
    ({"discount": "80.01"}, LINES, "discount", "The discount cannot be more than the subtotal."),
    ({"notes": "x" * 5001}, LINES, "notes", "Keep the notes under 5,000 characters."),
    ({}, "not a list", "lines", "The line items could not be read."),
    ({}, ["not a dict"], "lines", "The line items could not be read."),
    ({}, [{"description": "", "unit_price": "10"}], "lines", "Line 1: enter a description."),
    ({}, [*LINES, {"description": "x" * 301, "unit_price": "1"}], "lines",
     "Line 2: keep the description under 300 characters."),
    ({}, [{"description": "A", "unit_price": "8.505"}], "lines",
     "Line 1: use at most 2 decimal places."),
    ({}, [{"description": "A", "unit_price": "-5"}], "lines", "Line 1: amounts cannot be negative."),
    ({}, [*LINES, {"description": "A", "quantity": "0", "unit_price": "5"}], "lines",
     "Line 2: the quantity must be above 0 and at most 100,000."),
    ({}, [{"description": f"L{i}", "unit_price": "1"} for i in range(101)], "lines",
     "An invoice holds at most 100 lines."),
    ({}, [{"description": "Big", "quantity": "100000", "unit_price": "1000000"}], "lines",
     "That total is too high."),
]


@pytest.mark.parametrize(("form", "lines", "field", "message"), VALIDATION,
                         ids=[f"{v[2]}-{i}" for i, v in enumerate(VALIDATION)])
def test_refused_save_names_the_field_and_leaves_no_rows(session, world, form, lines, field,
                                                         message):
    staff, alice, _bob, _ = world
    with pytest.raises(ServiceError) as exc:
        _draft(session, staff, alice, lines=lines, **form)
    assert exc.value.field == field
    assert exc.value.message == message
    session.rollback()
    assert count(session, Invoice) == 0
    assert count(session, InvoiceLine) == 0
    assert count(session, NumberSequence) == 0
    assert _audits(session, "invoice.created") == []


def test_refused_update_leaves_the_draft_as_it_was(session, world):
    staff, alice, _bob, _ = world
    inv = _draft(session, staff, alice, tax_rate="5")
    session.commit()
    with pytest.raises(ServiceError) as exc:
        invoices.save_draft(session, staff_id=staff.id, invoice_id=inv.id,
                            form={"tax_rate": "7", "discount": "1000"},
                            lines=[{"description": "New", "unit_price": "1"}])
    assert exc.value.field == "discount"
    session.rollback()
    row = _fresh(session, Invoice, inv.id)
    assert row.tax_rate_bp == 500 and row.discount_minor == 0 and row.total_minor == 8400
    assert [ln.description for ln in _lines(session, inv.id)] == ["Consultation"]


def test_unknown_client_or_invoice_is_not_found(session, world):
    staff, alice, _bob, _ = world
    for raw in (9999, "", None, "abc", True):
        with pytest.raises(NotFound) as exc:
            invoices.save_draft(session, staff_id=staff.id, invoice_id=None,
                                form={"client_id": raw}, lines=LINES)
        assert exc.value.message == "Choose a client."
    with pytest.raises(NotFound):
        invoices.save_draft(session, staff_id=staff.id, invoice_id="nope", form={}, lines=LINES)
    with pytest.raises(NotFound):
        invoices.save_draft(session, staff_id=staff.id, invoice_id=4242, form={}, lines=LINES)
    session.rollback()
    assert count(session, Invoice) == 0


def test_editing_a_sent_invoice_is_refused(session, world):
    staff, alice, _bob, _ = world
    inv = _sent(session, staff, alice)
    session.commit()
    with pytest.raises(NotAllowed) as exc:
        invoices.save_draft(session, staff_id=staff.id, invoice_id=inv.id, form={},
                            lines=[{"description": "Sneaky", "unit_price": "1"}])
    assert exc.value.message.startswith("Only drafts can be changed.")
    session.rollback()
    row = _fresh(session, Invoice, inv.id)
    assert row.status == InvoiceStatus.SENT and row.total_minor == 8000
    assert [ln.description for ln in _lines(session, inv.id)] == ["Consultation"]


# --- sending --------------------------------------------------------------------------------


def test_send_marks_sent_and_emails_the_portal_address_once(session, world):
    staff, alice, _bob, alice_account = world
    inv = _draft(session, staff, alice, due_date="2099-01-31")
    assert count(session, OutboxMessage) == 0
    _send(session, staff, inv, message="  See you soon.  ")
    session.commit()
    row = _fresh(session, Invoice, inv.id)
    assert row.status == InvoiceStatus.SENT and row.sent_at is not None
    messages = session.exec(select(OutboxMessage)).all()
    assert len(messages) == 1
    message = messages[0]
    assert message.to == alice_account.email != alice.email
    assert message.subject == "Invoice INV-0001 from Test Studio — $80.00 due"
    assert f"{BASE}/payments/invoice?id={inv.id}" in message.body_text
    assert f"/payments/invoice?id={inv.id}" in message.body_html
    assert "See you soon." in message.body_text and "Jan 31, 2099" in message.body_text  # Babel, en_US
    assert len(_audits(session, "invoice.sent")) == 1


def test_sending_again_reminds_without_changing_sent_at(session, world):
    staff, alice, _bob, alice_account = world
    inv = _sent(session, staff, alice)
    session.commit()
    first_sent_at = _fresh(session, Invoice, inv.id).sent_at
    _send(session, staff, inv)
    session.commit()
    row = _fresh(session, Invoice, inv.id)
    assert row.status == InvoiceStatus.SENT and row.sent_at == first_sent_at
    messages = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(messages) == 2
    assert not messages[0].subject.startswith("Reminder")
    assert messages[1].subject.startswith("Reminder: Invoice INV-0001")
    assert messages[1].to == alice_account.email
    assert messages[0].idempotency_key != messages[1].idempotency_key
    assert len(_audits(session, "invoice.resent")) == 1


def test_a_partially_paid_invoice_can_be_reminded(session, world):
    staff, alice, _bob, _ = world
    inv = _sent(session, staff, alice)
    _pay(session, staff, inv, "30.00")
    _send(session, staff, inv)
    reminder = session.exec(select(OutboxMessage).where(
        OutboxMessage.subject.startswith("Reminder"))).one()
    assert "$50.00" in reminder.subject
    assert _fresh(session, Invoice, inv.id).status == InvoiceStatus.PARTIALLY_PAID


def test_estimate_email_says_estimate(session, world):
    staff, alice, _bob, _ = world
    est = _sent(session, staff, alice, kind="estimate")
    message = session.exec(select(OutboxMessage)).one()
    assert message.subject == "Estimate EST-0001 from Test Studio"
    assert "accept or decline" in message.body_text
    assert est.status == InvoiceStatus.SENT


@pytest.mark.parametrize("lines", [[], [{"description": "Free", "unit_price": "0"}]],
                         ids=["no-lines", "zero-total"])
def test_send_refused_without_an_amount(session, world, lines):
    staff, alice, _bob, _ = world
    inv = _draft(session, staff, alice, lines=lines)
    session.commit()
    with pytest.raises(ServiceError) as exc:
        _send(session, staff, inv)
    assert exc.value.field == "lines"
    assert exc.value.message == "Add at least one line with an amount before sending."
    session.rollback()
    assert _fresh(session, Invoice, inv.id).status == InvoiceStatus.DRAFT
    assert count(session, OutboxMessage) == 0


def test_send_refuses_a_long_message(session, world):
    staff, alice, _bob, _ = world
    inv = _draft(session, staff, alice)
    with pytest.raises(ServiceError) as exc:
        _send(session, staff, inv, message="x" * 2001)
    assert exc.value.field == "message"


def test_paid_and_void_invoices_cannot_be_sent(session, world):
    staff, alice, _bob, _ = world
    paid = _sent(session, staff, alice)
    _pay(session, staff, paid, "80.00")
    void = _sent(session, staff, alice)
    invoices.void_invoice(session, staff_id=staff.id, invoice_id=void.id)
    session.commit()
    before = count(session, OutboxMessage)
    with pytest.raises(NotAllowed) as exc:
        _send(session, staff, paid)
    assert exc.value.message == "A paid invoice cannot be sent."
    with pytest.raises(NotAllowed) as exc:
        _send(session, staff, void)
    assert exc.value.message == "A void invoice cannot be sent."
    session.rollback()
    assert count(session, OutboxMessage) == before


def test_an_answered_estimate_cannot_be_sent_and_the_message_reads_well(session, world):
    """(Was a minor bug: "A accepted estimate cannot be sent.")"""
    staff, alice, _bob, _ = world
    est = _sent(session, staff, alice, kind="estimate")
    invoices.respond_to_estimate(session, client_id=alice.id, invoice_id=est.id, accept=True)
    with pytest.raises(NotAllowed) as exc:
        _send(session, staff, est)
    assert exc.value.message == "An accepted estimate cannot be sent."


# --- void and delete ------------------------------------------------------------------------


def test_void_sets_status_and_is_idempotent(session, world):
    staff, alice, _bob, _ = world
    inv = _sent(session, staff, alice)
    invoices.void_invoice(session, staff_id=staff.id, invoice_id=inv.id)
    session.commit()
    row = _fresh(session, Invoice, inv.id)
    assert row.status == InvoiceStatus.VOID and row.voided_at is not None
    invoices.void_invoice(session, staff_id=staff.id, invoice_id=inv.id)
    assert len(_audits(session, "invoice.voided")) == 1


def test_void_refused_while_payments_stand(session, world):
    staff, alice, _bob, _ = world
    inv = _sent(session, staff, alice)
    _pay(session, staff, inv, "10.00")
    session.commit()
    with pytest.raises(NotAllowed) as exc:
        invoices.void_invoice(session, staff_id=staff.id, invoice_id=inv.id)
    assert "Refund them before voiding" in exc.value.message
    session.rollback()
    row = _fresh(session, Invoice, inv.id)
    assert row.status == InvoiceStatus.PARTIALLY_PAID and row.voided_at is None


def test_delete_draft_removes_it_and_its_lines(session, world):
    staff, alice, _bob, _ = world
    keep = _draft(session, staff, alice)
    gone = _draft(session, staff, alice, lines=[*LINES, *LINES])
    invoices.delete_draft(session, staff_id=staff.id, invoice_id=str(gone.id))
    session.commit()
    assert session.exec(select(Invoice.id)).all() == [keep.id]
    assert {ln.invoice_id for ln in session.exec(select(InvoiceLine)).all()} == {keep.id}
    deleted = _audits(session, "invoice.deleted")
    assert len(deleted) == 1 and deleted[0].detail["invoice"] == "INV-0002"
    with pytest.raises(NotFound):
        invoices.delete_draft(session, staff_id=staff.id, invoice_id=gone.id)


def test_delete_of_a_sent_invoice_is_refused(session, world):
    staff, alice, _bob, _ = world
    inv = _sent(session, staff, alice)
    session.commit()
    with pytest.raises(NotAllowed):
        invoices.delete_draft(session, staff_id=staff.id, invoice_id=inv.id)
    session.rollback()
    assert _fresh(session, Invoice, inv.id) is not None
    assert count(session, InvoiceLine) == 1


# --- invoices from bookings -----------------------------------------------------------------


def _booking(session, client, *, start, status=BookingStatus.CONFIRMED, price=9000):
    staff = factories.staff(session)
    svc = factories.service(session, providers=[staff], name=f"Massage {next(_seq)}",
                            price_minor=price)
    booking = Booking(client_id=client.id, service_id=svc.id, staff_id=staff.id,
                      start_at=start, end_at=start + timedelta(hours=1), status=status)
    session.add(booking)
    session.flush()
    return booking, svc


def test_invoice_from_a_past_booking_uses_the_service_price(session, world):
    staff, alice, _bob, _ = world
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    booking, svc = _booking(session, alice, start=start)
    inv = invoices.invoice_from_booking(session, staff_id=staff.id, booking_id=str(booking.id))
    session.commit()
    row = _fresh(session, Invoice, inv.id)
    assert row.number == "INV-0001" and row.status == InvoiceStatus.DRAFT
    assert row.booking_id == booking.id and row.client_id == alice.id
    assert row.total_minor == 9000 and row.subtotal_minor == 9000
    assert row.due_date == row.issue_date + timedelta(days=14)
    (line,) = _lines(session, inv.id)
    assert line.description == f"{svc.name} — {formats.local_date_text(start, 'UTC')}"
    assert (line.quantity_hundredths, line.unit_price_minor, line.amount_minor) == (100, 9000,
                                                                                   9000)
    audit = _audits(session, "invoice.created")
    assert len(audit) == 1 and audit[0].detail["booking_id"] == booking.id


def test_invoice_from_a_booking_names_the_clients_day_not_the_utc_one(session, world):
    staff, alice, _bob, _ = world
    alice.timezone = "America/Chicago"
    session.add(alice)
    # 03:00 UTC on Jan 10 is 21:00 on Jan 9 in Chicago.
    booking, svc = _booking(session, alice, start=datetime(2025, 1, 10, 3, 0, tzinfo=UTC))
    inv = invoices.invoice_from_booking(session, staff_id=staff.id, booking_id=booking.id)
    (line,) = _lines(session, inv.id)
    assert line.description == f"{svc.name} — Jan 9, 2025"


@pytest.mark.parametrize(("offset", "status"), [
    (timedelta(days=2), BookingStatus.CONFIRMED),       # in the future
    (timedelta(minutes=-30), BookingStatus.CONFIRMED),  # under way: ends in 30 minutes
    (timedelta(days=-2), BookingStatus.CANCELLED),
    (timedelta(days=-2), BookingStatus.PENDING),
    (timedelta(days=-2), BookingStatus.DECLINED),
])
def test_invoice_from_booking_refused_unless_confirmed_and_over(session, world, offset, status):
    staff, alice, _bob, _ = world
    booking, _svc = _booking(session, alice, start=datetime.now(UTC) + offset, status=status)
    session.commit()
    with pytest.raises(NotAllowed) as exc:
        invoices.invoice_from_booking(session, staff_id=staff.id, booking_id=booking.id)
    assert exc.value.message == "Only a confirmed booking that has taken place can be invoiced."
    session.rollback()
    assert count(session, Invoice) == 0


def test_a_booking_is_invoiced_once_until_that_invoice_is_void(session, world):
    staff, alice, _bob, _ = world
    booking, _svc = _booking(session, alice, start=datetime.now(UTC) - timedelta(days=3))
    first = invoices.invoice_from_booking(session, staff_id=staff.id, booking_id=booking.id)
    session.commit()
    with pytest.raises(NotAllowed) as exc:
        invoices.invoice_from_booking(session, staff_id=staff.id, booking_id=booking.id)
    assert exc.value.message == "This booking is already on invoice INV-0001."
    session.rollback()
    assert count(session, Invoice) == 1
    assert invoices.invoiced_booking_ids(session, [booking.id, 999]) == {booking.id: "INV-0001"}
    invoices.void_invoice(session, staff_id=staff.id, invoice_id=first.id)
    second = invoices.invoice_from_booking(session, staff_id=staff.id, booking_id=booking.id)
    assert second.number == "INV-0002"
    assert invoices.invoiced_booking_ids(session, [booking.id]) == {booking.id: "INV-0002"}
    assert invoices.invoiced_booking_ids(session, []) == {}


def test_invoice_from_unknown_booking_is_not_found(session, world):
    staff, *_ = world
    for raw in (12345, "x", None):
        with pytest.raises(NotFound):
            invoices.invoice_from_booking(session, staff_id=staff.id, booking_id=raw)


# --- the staff list -------------------------------------------------------------------------


@pytest.fixture
def mixed(session, world):
    """INV-0001 draft (Alice), INV-0002 open (Alice), INV-0003 paid (Bob),
    INV-0004 void (Bob), EST-0001 awaiting an answer (Alice)."""
    staff, alice, bob, _ = world
    draft = _draft(session, staff, alice)
    open_ = _sent(session, staff, alice)
    paid = _sent(session, staff, bob)
    _pay(session, staff, paid, "80.00")
    void = _sent(session, staff, bob)
    invoices.void_invoice(session, staff_id=staff.id, invoice_id=void.id)
    estimate = _sent(session, staff, alice, kind="estimate")
    session.commit()
    return {"draft": draft, "open": open_, "paid": paid, "void": void, "estimate": estimate}


def _numbers(result):
    rows, total = result
    return [inv.number for inv, _name in rows], total


@pytest.mark.parametrize(("status", "expected"), [
    ("all", ["EST-0001", "INV-0004", "INV-0003", "INV-0002", "INV-0001"]),
    ("draft", ["INV-0001"]),
    ("open", ["INV-0002"]),
    ("paid", ["INV-0003"]),
    ("void", ["INV-0004"]),
    ("estimates", ["EST-0001"]),
])
def test_list_invoices_filters_by_status(session, mixed, status, expected):
    assert _numbers(invoices.list_invoices(session, status=status)) == (expected, len(expected))


def test_list_invoices_rows_carry_the_client_name(session, world, mixed):
    _staff_, alice, bob, _ = world
    rows, _total = invoices.list_invoices(session)
    names = {inv.number: name for inv, name in rows}
    assert names["INV-0001"] == alice.full_name and names["INV-0003"] == bob.full_name


def test_list_invoices_search_by_client_name_and_number(session, world, mixed):
    _staff_, alice, bob, _ = world
    assert _numbers(invoices.list_invoices(session, search=alice.full_name.upper())) == (
        ["EST-0001", "INV-0002", "INV-0001"], 3)
    assert _numbers(invoices.list_invoices(session, search="bob")) == (
        ["INV-0004", "INV-0003"], 2)
    assert _numbers(invoices.list_invoices(session, search=" inv-0003 ")) == (["INV-0003"], 1)
    assert _numbers(invoices.list_invoices(session, search="EST-")) == (["EST-0001"], 1)
    assert _numbers(invoices.list_invoices(session, search="nobody")) == ([], 0)
    assert _numbers(invoices.list_invoices(session, status="void", search="alice")) == ([], 0)


def test_list_invoices_client_filter(session, world, mixed):
    _staff_, alice, bob, _ = world
    assert _numbers(invoices.list_invoices(session, client_id=str(bob.id))) == (
        ["INV-0004", "INV-0003"], 2)
    assert _numbers(invoices.list_invoices(session, client_id=alice.id, status="open")) == (
        ["INV-0002"], 1)
    with pytest.raises(NotFound):
        invoices.list_invoices(session, client_id="abc")


def test_list_invoices_pages_newest_first(session, world):
    staff, alice, _bob, _ = world
    for _ in range(7):
        _draft(session, staff, alice)
    session.commit()
    pages = [_numbers(invoices.list_invoices(session, page=p, per_page=3)) for p in (1, 2, 3, 4)]
    assert pages == [(["INV-0007", "INV-0006", "INV-0005"], 7),
                     (["INV-0004", "INV-0003", "INV-0002"], 7),
                     (["INV-0001"], 7), ([], 7)]
    assert _numbers(invoices.list_invoices(session, page=0, per_page=3)) == pages[0]


def _statements(engine, fn):
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        result = fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return result, seen


def _bulk_invoices(session, clients, n, start):
    for i in range(n):
        session.add(Invoice(number=f"BULK-{start + i:05d}", client_id=clients[i % 2].id,
                            issue_date=date(2030, 5, 1), status=InvoiceStatus.SENT,
                            total_minor=1000))
    session.commit()


def test_list_invoices_issues_the_same_statements_at_5_and_200(engine, session, world):
    _staff_, alice, bob, _ = world
    alice_id = alice.id

    def listing():
        rows, total = invoices.list_invoices(session, search="", per_page=500)
        # Touch everything a page shows: no lazy loads may follow.
        return [(inv.number, inv.status, inv.total_minor, name) for inv, name in rows], total

    _bulk_invoices(session, [alice, bob], 5, 0)
    session.expire_all()
    (small, small_total), small_sql = _statements(engine, listing)
    _bulk_invoices(session, [alice, bob], 195, 5)
    session.expire_all()
    (large, large_total), large_sql = _statements(engine, listing)
    assert (len(small), small_total, len(large), large_total) == (5, 5, 200, 200)
    assert len(small_sql) == len(large_sql) <= 2, large_sql
    # The same with filters and search.
    session.expire_all()
    _, filtered_sql = _statements(engine, lambda: invoices.list_invoices(
        session, status="open", search="bulk", client_id=alice_id))
    assert len(filtered_sql) <= 2, filtered_sql


# --- the client's view ----------------------------------------------------------------------


def test_get_invoice_for_returns_only_the_clients_sent_documents(session, world, mixed):
    _staff_, alice, bob, _ = world
    assert invoices.get_invoice_for(session, client_id=alice.id,
                                    invoice_id=mixed["open"].id).id == mixed["open"].id
    assert invoices.get_invoice_for(session, client_id=alice.id,
                                    invoice_id=str(mixed["estimate"].id)).kind == "estimate"
    assert invoices.get_invoice_for(session, client_id=bob.id,
                                    invoice_id=mixed["paid"].id).status == InvoiceStatus.PAID
    refused = [
        (bob.id, mixed["open"].id),        # someone else's
        (alice.id, mixed["paid"].id),      # someone else's
        (alice.id, mixed["draft"].id),     # a draft
        (bob.id, mixed["void"].id),        # void
        (alice.id, "abc"), (alice.id, None), (alice.id, True), (alice.id, False),
        (alice.id, ""), (alice.id, 99999), (alice.id, [mixed["open"].id]),
        (alice.id, {"id": mixed["open"].id}),
    ]
    for client_id, raw in refused:
        with pytest.raises(NotFound) as exc:
            invoices.get_invoice_for(session, client_id=client_id, invoice_id=raw)
        assert exc.value.message == "That invoice does not exist.", raw


def test_client_documents_tabs(session, world, mixed):
    staff, alice, bob, _ = world
    partly = _sent(session, staff, alice, due_date="2099-01-01")
    _pay(session, staff, partly, "20.00")
    paid = _sent(session, staff, alice)
    _pay(session, staff, paid, "80.00")
    declined = _sent(session, staff, alice, kind="estimate")
    invoices.respond_to_estimate(session, client_id=alice.id, invoice_id=declined.id,
                                 accept=False)
    session.commit()
    open_tab = [i.number for i in invoices.client_documents(session, client_id=alice.id,
                                                            tab="open")]
    assert sorted(open_tab) == sorted([mixed["open"].number, mixed["estimate"].number,
                                       partly.number])
    done_tab = [i.number for i in invoices.client_documents(session, client_id=alice.id,
                                                            tab="paid")]
    assert done_tab == [declined.number, paid.number]  # newest first
    assert [i.number for i in invoices.client_documents(session, client_id=bob.id,
                                                        tab="paid")] == [mixed["paid"].number]
    assert invoices.client_documents(session, client_id=bob.id, tab="open") == []


def test_total_due_sums_only_open_invoices(session, world):
    staff, alice, bob, _ = world
    _sent(session, staff, alice)                                   # 80.00 open
    partly = _sent(session, staff, alice, lines=[{"description": "A", "unit_price": "100"}])
    _pay(session, staff, partly, "30.00")                          # 70.00 left
    _draft(session, staff, alice, lines=[{"description": "D", "unit_price": "50"}])
    void = _sent(session, staff, alice, lines=[{"description": "V", "unit_price": "40"}])
    invoices.void_invoice(session, staff_id=staff.id, invoice_id=void.id)
    _sent(session, staff, alice, kind="estimate",
          lines=[{"description": "E", "unit_price": "60"}])
    paid = _sent(session, staff, alice, lines=[{"description": "P", "unit_price": "20"}])
    _pay(session, staff, paid, "20.00")
    _sent(session, staff, bob, lines=[{"description": "B", "unit_price": "999"}])
    session.commit()
    assert invoices.total_due(session, client_id=alice.id) == 15000
    assert invoices.total_due(session, client_id=bob.id) == 99900
    assert invoices.total_due(session, client_id=424242) == 0


def test_respond_to_estimate_once(session, world):
    _staff_, alice, bob, _ = world
    staff = world[0]
    yes = _sent(session, staff, alice, kind="estimate")
    no = _sent(session, staff, alice, kind="estimate")
    session.commit()
    invoices.respond_to_estimate(session, client_id=alice.id, invoice_id=str(yes.id),
                                 accept=True)
    invoices.respond_to_estimate(session, client_id=alice.id, invoice_id=no.id, accept=False)
    session.commit()
    row_yes, row_no = _fresh(session, Invoice, yes.id), session.get(Invoice, no.id)
    assert row_yes.status == InvoiceStatus.ACCEPTED and row_yes.responded_at is not None
    assert row_no.status == InvoiceStatus.DECLINED and row_no.responded_at is not None
    assert len(_audits(session, "estimate.accepted")) == 1
    assert len(_audits(session, "estimate.declined")) == 1
    with pytest.raises(NotAllowed) as exc:
        invoices.respond_to_estimate(session, client_id=alice.id, invoice_id=yes.id,
                                     accept=False)
    assert exc.value.message == "You already answered this estimate (accepted)."
    with pytest.raises(NotAllowed):
        invoices.respond_to_estimate(session, client_id=alice.id, invoice_id=no.id, accept=True)
    session.rollback()
    assert _fresh(session, Invoice, yes.id).status == InvoiceStatus.ACCEPTED
    assert session.get(Invoice, no.id).status == InvoiceStatus.DECLINED


def test_respond_to_estimate_refuses_invoices_drafts_and_other_clients(session, world):
    staff, alice, bob, _ = world
    inv = _sent(session, staff, alice)
    draft_estimate = _draft(session, staff, alice, kind="estimate")
    estimate = _sent(session, staff, alice, kind="estimate")
    session.commit()
    for client_id, invoice_id in [(alice.id, inv.id), (alice.id, draft_estimate.id),
                                  (bob.id, estimate.id), (alice.id, "x")]:
        with pytest.raises(NotFound):
            invoices.respond_to_estimate(session, client_id=client_id, invoice_id=invoice_id,
                                         accept=True)
    session.rollback()
    assert _fresh(session, Invoice, estimate.id).status == InvoiceStatus.SENT
    assert _fresh(session, Invoice, inv.id).status == InvoiceStatus.SENT
    assert session.exec(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.like("estimate.%"))).one() == 0


def test_status_label(session, world):
    staff, alice, _bob, _ = world
    est = _sent(session, staff, alice, kind="estimate")
    inv = _sent(session, staff, alice)
    assert invoices.status_label(est) == "Awaiting your answer"
    assert invoices.status_label(inv) == "Open"


def test_the_upcoming_number_is_read_without_taking_it(session, world):
    from portal_app.services.billing.numbering import upcoming_number

    staff, alice, _bob, _ = world
    assert upcoming_number(session, "invoice") == "INV-0001"  # series never used
    assert upcoming_number(session, "invoice") == "INV-0001"
    assert _draft(session, staff, alice).number == "INV-0001"
    assert upcoming_number(session, "invoice") == "INV-0002"
    assert upcoming_number(session, "estimate") == "EST-0001"
    assert _draft(session, staff, alice).number == "INV-0002"
    assert session.exec(select(func.count()).select_from(NumberSequence)).one() == 1
