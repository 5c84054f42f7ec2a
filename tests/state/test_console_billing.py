"""Console billing handlers, called the way the websocket calls them, with a
real staff session cookie: drafting, sending, payments, refunds, voiding,
invoicing a booking, the list, and refusals for anyone who is not staff."""

import hashlib
import inspect
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from reflex.istate.data import RouterData
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text
from sqlmodel import select

import state.console_billing  # noqa: F401  (registers the states before the app does)
from models import (
    Booking,
    BookingStatus,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    OutboxMessage,
    Payment,
    Refund,
)
from portal_app import routes
from portal_app.providers.payments import PaymentProviderError, TestModeGateway
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing import refunds as refund_service
from portal_app.services.sessions import create_ticket, redeem_ticket, revoke_token
from portal_app.settings import get_settings
from portal_app.timeouts import session_timeouts
from state.console_billing import InvoiceEditorState as E
from state.console_billing import InvoiceListState as L
from state.console_scheduling import StaffBookingsState
from tests import factories
from tests.state.harness import all_vars, call, new_tab, substate

# --- helpers ------------------------------------------------------------------------------


def staff_token(session):
    staff = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token, staff


def client_token(session):
    account, records = factories.household(session, names=("Outsider",), access="active")
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=records[0].id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


def tab(token, url: str = "/"):
    """A new tab whose router is at `url` (path and query), as after navigation."""
    root = new_tab(token)
    data = {**root.router_data, "pathname": url.split("?")[0], "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


def editor_at(token, url: str):
    root = tab(token, url)
    result = call(root, E, "load")
    return root, substate(root, E), result


def fill_draft(root, *, lines=(), **fields):
    """Type into the draft form: fields by name, lines as (description, qty, price)."""
    ed = substate(root, E)
    for name, value in fields.items():
        call(root, E, "set_field", name, value)
    for i, (description, quantity, price) in enumerate(lines):
        if i >= len(ed.lines):
            call(root, E, "add_line")
        key = ed.lines[i]["key"]
        call(root, E, "set_line", key, "description", description)
        call(root, E, "set_line", key, "quantity", quantity)
        call(root, E, "set_line", key, "unit_price", price)
    return ed


def new_id(result) -> int:
    """The invoice id from the redirect after the first save."""
    marker = f"{routes.CONSOLE_INVOICE}?id="
    text_ = repr(result)
    assert marker in text_, text_
    return int(text_.split(marker, 1)[1].split("'", 1)[0].split('"', 1)[0])


def invoices(session):
    session.expire_all()
    return session.exec(select(Invoice).order_by(Invoice.id)).all()


def sent_invoice(session, token, client, *, price="100.00"):
    root, _, _ = editor_at(token, f"/console/invoice?new=invoice&client={client.id}")
    fill_draft(root, lines=[("Session", "1", price)])
    result = call(root, E, "send", {"message": ""})
    invoice_id = new_id(result)
    return invoice_id


@pytest.fixture
def world(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    client = factories.client(session, full_name="Dana Client")
    session.commit()
    return {"token": token, "staff": staff, "client": client}


# --- drafting -------------------------------------------------------------------------------


def test_draft_totals_are_computed_on_the_server(world, session):
    client = world["client"]
    root, ed, result = editor_at(world["token"], f"/console/invoice?new=invoice&client={client.id}")
    assert result is None and ed.found and ed.editable and ed.is_new
    assert ed.draft["client_id"] == str(client.id)
    assert invoices(session) == []  # nothing is written until Save

    fill_draft(root, lines=[("Consultation", "2", "80.00"), ("Materials", "1.5", "10.00")],
               tax_rate="8.25", discount="5.00", notes="Thank you")
    assert [ln["amount"] for ln in ed.lines] == ["$160.00", "$15.00"]
    assert ed.preview == {"subtotal": "$175.00", "discount": "-$5.00",
                          "tax_label": "Tax (8.25%)", "tax": "$14.03", "total": "$184.03"}
    assert invoices(session) == []

    invoice_id = new_id(call(root, E, "save"))
    # A second click before the redirect lands saves the same draft again.
    assert "Draft saved" in repr(call(root, E, "save"))
    [invoice] = invoices(session)
    assert invoice.id == invoice_id and invoice.status == InvoiceStatus.DRAFT
    assert (invoice.subtotal_minor, invoice.discount_minor, invoice.tax_minor,
            invoice.total_minor) == (17500, 500, 1403, 18403)
    assert invoice.tax_rate_bp == 825 and invoice.notes == "Thank you"
    lines = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
                         .order_by(InvoiceLine.position)).all()
    assert [(ln.quantity_hundredths, ln.unit_price_minor, ln.amount_minor) for ln in lines] == [
        (200, 8000, 16000), (150, 1000, 1500)]

    # Reopened from its URL: the same draft, editable, and a change is saved in place.
    root, ed, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    assert ed.editable and not ed.is_new and ed.inv["number"] == invoice.number
    assert ed.draft["tax_rate"] == "8.25" and ed.draft["discount"] == "5.00"
    assert [ln["unit_price"] for ln in ed.lines] == ["80.00", "10.00"]
    call(root, E, "remove_line", ed.lines[1]["key"])
    assert "Draft saved" in repr(call(root, E, "save"))
    [invoice] = invoices(session)
    assert invoice.subtotal_minor == 16000 and invoice.total_minor == 16779  # 15500 + 1279 tax


def test_yen_amounts_have_no_decimals(engine, session):
    factories.business(session, currency="JPY")
    token, _ = staff_token(session)
    client = factories.client(session)
    session.commit()
    root, ed, _ = editor_at(token, f"/console/invoice?new=invoice&client={client.id}")
    assert ed.draft["discount"] == "0"
    fill_draft(root, lines=[("Cut", "3", "1500")], tax_rate="10")
    assert ed.preview["total"] == "¥4,950"
    new_id(call(root, E, "save"))
    [invoice] = invoices(session)
    assert (invoice.currency, invoice.subtotal_minor, invoice.tax_minor,
            invoice.total_minor) == ("JPY", 4500, 450, 4950)

    root, ed, _ = editor_at(token, f"/console/invoice?new=invoice&client={client.id}")
    fill_draft(root, lines=[("Cut", "1", "1500.5")])
    assert ed.lines[0]["error"] == "JPY amounts have no decimals."
    call(root, E, "save")
    assert ed.errors["lines"].lower() == "line 1: jpy amounts have no decimals."
    assert len(invoices(session)) == 1


@pytest.mark.parametrize("line,fields,key,message", [
    (("Session", "1", "-5.00"), {}, "lines", "Amounts cannot be negative."),
    (("Session", "1", "10.005"), {}, "lines", "Use at most 2 decimal places."),
    (("", "1", "10.00"), {}, "lines", "Line 1: enter a description."),
    (("Session", "1", "10.00"), {"issue_date": "2030-05-10", "due_date": "2030-05-01"},
     "due_date", "The due date cannot be before the issue date."),
    (("Session", "1", "10.00"), {"tax_rate": "abc"}, "tax_rate", "Enter a tax rate"),
    (("Session", "1", "10.00"), {"client_id": ""}, "client_id", "Choose a client."),
])
def test_bad_draft_input_shows_a_message_and_writes_nothing(world, session, line, fields,
                                                            key, message):
    client = world["client"]
    root, ed, _ = editor_at(world["token"], f"/console/invoice?new=invoice&client={client.id}")
    fill_draft(root, lines=[line], **fields)

    result = call(root, E, "save")

    assert routes.CONSOLE_INVOICE not in repr(result)
    assert message.lower() in ed.errors[key].lower()
    assert invoices(session) == []
    # Sending is refused the same way, and writes nothing either.
    call(root, E, "send", {"message": ""})
    assert message.lower() in ed.errors[key].lower()
    assert invoices(session) == []
    assert session.exec(select(OutboxMessage)).all() == []


def test_send_emails_the_client_and_locks_the_draft(world, session):
    client = world["client"]
    root, ed, _ = editor_at(world["token"], f"/console/invoice?new=invoice&client={client.id}")
    fill_draft(root, lines=[("Session", "1", "120.00")])
    invoice_id = new_id(call(root, E, "save"))

    stale, stale_ed, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    assert stale_ed.editable
    root, ed, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    call(root, E, "set_send_open", True)
    assert ed.send_open
    result = call(root, E, "send", {"message": "See you next week"})

    assert "sent to the client" in repr(result) and not ed.send_open
    [invoice] = invoices(session)
    assert invoice.status == InvoiceStatus.SENT and invoice.sent_at is not None
    assert not ed.editable and ed.inv["status_label"] == "Open"
    [mail] = session.exec(select(OutboxMessage)).all()
    assert mail.to == client.email
    assert f"{get_settings().base_url}{routes.invoice_page(invoice_id)}" in mail.body_text
    assert "See you next week" in mail.body_text

    # The tab still showing the draft form cannot change the sent invoice.
    fill_draft(stale, lines=[("Session", "1", "1.00")])
    assert "Only drafts can be changed" in repr(call(stale, E, "save"))
    # Nor can the current page (its form is gone) or a forged field change.
    call(root, E, "set_field", "notes", "changed")
    assert "Only drafts can be changed" in repr(call(root, E, "save"))
    call(root, E, "delete_draft")
    [invoice] = invoices(session)
    assert invoice.total_minor == 12000 and invoice.notes == ""

    # Resend: the same document, a second email.
    assert "sent again" in repr(call(root, E, "send", {"message": ""}))
    assert len(session.exec(select(OutboxMessage)).all()) == 2


def test_the_send_dialog_names_the_number_the_draft_will_get(world, session):
    client = world["client"]
    sent_invoice(session, world["token"], client)  # INV-0001 is taken
    root, ed, _ = editor_at(world["token"], f"/console/invoice?new=invoice&client={client.id}")
    fill_draft(root, lines=[("Session", "1", "80.00")])
    call(root, E, "set_send_open", True)
    assert ed.send_open and ed.send_target == "Invoice INV-0002"
    call(root, E, "set_send_open", False)
    call(root, E, "set_send_open", True)  # looking twice takes no number
    assert ed.send_target == "Invoice INV-0002"
    new_id(call(root, E, "send", {"message": ""}))
    assert [i.number for i in invoices(session)] == ["INV-0001", "INV-0002"]
    # A saved document is named by its own number.
    root, ed, _ = editor_at(world["token"], routes.console_invoice(invoices(session)[0].id))
    call(root, E, "set_send_open", True)
    assert ed.send_target == "Invoice INV-0001"


def test_estimate_is_drafted_and_sent(world, session):
    client = world["client"]
    root, ed, _ = editor_at(world["token"], f"/console/invoice?new=estimate&client={client.id}")
    assert ed.inv["heading"] == "New estimate" and ed.draft["due_date"] == ""
    fill_draft(root, lines=[("Wedding package", "1", "1500.00")])
    estimate_id = new_id(call(root, E, "send", {"message": ""}))
    root, ed, _ = editor_at(world["token"], routes.console_invoice(estimate_id))
    assert ed.inv["number"].startswith("EST-") and ed.inv["status_label"] == "Sent"
    assert ed.inv["can_pay"] == "" and ed.inv["balance"] == ""


def test_delete_draft(world, session):
    root, ed, _ = editor_at(world["token"],
                            f"/console/invoice?new=invoice&client={world['client'].id}")
    fill_draft(root, lines=[("Session", "1", "10.00")])
    invoice_id = new_id(call(root, E, "save"))
    root, ed, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    result = call(root, E, "delete_draft")
    assert routes.CONSOLE_INVOICES in repr(result)
    assert invoices(session) == []


# --- payments, refunds, voiding ---------------------------------------------------------


def test_offline_payments_partial_then_full_and_overpay_refused(world, session):
    invoice_id = sent_invoice(session, world["token"], world["client"], price="100.00")
    root, ed, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    assert ed.inv["can_pay"] == "yes"

    call(root, E, "open_payment")
    assert ed.payment_open and ed.payment_defaults["amount"] == "100.00"
    call(root, E, "record_payment", {"amount": "40.00", "method": "cash",
                                     "paid_on": date.today().isoformat(), "note": ""})
    [invoice] = invoices(session)
    assert invoice.status == InvoiceStatus.PARTIALLY_PAID and invoice.paid_minor == 4000
    assert ed.inv["balance"] == "$60.00" and not ed.payment_open
    assert [p["amount"] for p in ed.payments] == ["$40.00"]

    call(root, E, "open_payment")
    assert ed.payment_defaults["amount"] == "60.00"
    call(root, E, "record_payment", {"amount": "70.00", "method": "cash", "paid_on": "",
                                     "note": ""})
    assert ed.payment_error == "That is more than the balance ($60.00)."
    assert ed.payment_open
    call(root, E, "record_payment", {"amount": "60.00", "method": "crypto", "paid_on": "",
                                     "note": ""})
    assert ed.payment_error == "Choose how it was paid."
    assert len(session.exec(select(Payment)).all()) == 1

    call(root, E, "record_payment", {"amount": "60.00", "method": "bank_transfer",
                                     "paid_on": "", "note": "Ref 123"})
    [invoice] = invoices(session)
    assert invoice.status == InvoiceStatus.PAID and invoice.paid_minor == 10000
    assert ed.inv["status_label"] == "Paid" and ed.inv["can_pay"] == ""
    assert "nothing left" not in repr(ed.payments)
    assert "balance" in repr(call(root, E, "open_payment"))  # refused: nothing left to pay
    assert not ed.payment_open


def test_offline_refund_lowers_what_was_paid(world, session):
    invoice_id = sent_invoice(session, world["token"], world["client"], price="100.00")
    root, ed, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    call(root, E, "open_payment")
    call(root, E, "record_payment", {"amount": "100.00", "method": "cash", "paid_on": "",
                                     "note": ""})
    [payment] = session.exec(select(Payment)).all()
    assert ed.payments[0]["refund_label"] == "Record refund"

    call(root, E, "open_refund", str(payment.id))
    assert ed.refund_open and ed.refund_info["amount"] == "100.00"
    assert ed.refund_info["button"] == "Record refund"
    call(root, E, "refund", {"amount": "100.01", "reason": ""})
    assert ed.refund_error == "At most $100.00 can be refunded."
    result = call(root, E, "refund", {"amount": "25.00", "reason": "Left early"})

    assert "Refund recorded" in repr(result) and not ed.refund_open
    session.expire_all()
    invoice = session.get(Invoice, invoice_id)
    assert invoice.paid_minor == 7500 and invoice.status == InvoiceStatus.PARTIALLY_PAID
    [refund] = session.exec(select(Refund)).all()
    assert (refund.amount_minor, refund.status, refund.provider_refund_id,
            refund.reason) == (2500, "succeeded", None, "Left early")
    assert session.get(Payment, payment.id).refunded_minor == 2500
    assert ed.payments[0]["refunded"] == "$25.00" and ed.inv["balance"] == "$25.00"


def _card_payment(session, invoice_id, *, amount=10000):
    invoice = session.get(Invoice, invoice_id)
    payment = Payment(invoice_id=invoice.id, client_id=invoice.client_id,
                      receipt_number="RCT-9001", amount_minor=amount, currency=invoice.currency,
                      provider="test", provider_ref="test_cs_1", payment_intent_id="pi_test_1")
    invoice.paid_minor += amount
    invoice.status = InvoiceStatus.PAID
    session.add(payment)
    session.add(invoice)
    session.commit()
    return payment


def test_card_refund_goes_through_the_test_gateway(world, session):
    assert get_settings().payments_backend == "test"
    invoice_id = sent_invoice(session, world["token"], world["client"], price="100.00")
    payment = _card_payment(session, invoice_id)
    root, ed, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    assert ed.payments[0]["refund_label"] == "Refund"

    call(root, E, "open_refund", str(payment.id))
    result = call(root, E, "refund", {"amount": "", "reason": "Cancelled"})

    assert "Refunded" in repr(result)
    session.expire_all()
    [refund] = session.exec(select(Refund)).all()
    assert refund.status == "succeeded" and refund.amount_minor == 10000
    assert refund.provider_refund_id == f"test_re_refund-{refund.id}"
    invoice = session.get(Invoice, invoice_id)
    assert invoice.paid_minor == 0 and invoice.status == InvoiceStatus.SENT
    assert "fully refunded" in repr(call(root, E, "open_refund", str(payment.id)))


def test_card_refund_refused_by_the_provider_changes_nothing(world, session, monkeypatch):
    invoice_id = sent_invoice(session, world["token"], world["client"], price="100.00")
    payment = _card_payment(session, invoice_id)

    def refuse(self, **kwargs):
        raise PaymentProviderError("The payment provider refused the request.")

    monkeypatch.setattr(TestModeGateway, "refund", refuse)
    root, ed, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    call(root, E, "open_refund", str(payment.id))
    result = call(root, E, "refund", {"amount": "30.00", "reason": ""})

    assert "refused the request" in repr(result)
    assert ed.refund_error == "The payment provider refused the request."
    session.expire_all()
    [refund] = session.exec(select(Refund)).all()
    assert refund.status == "failed"
    assert session.get(Payment, payment.id).refunded_minor == 0
    assert session.get(Invoice, invoice_id).paid_minor == 10000
    with session.no_autoflush:
        assert refund_service.refundable(session, session.get(Payment, payment.id)) == 10000


def test_refund_of_another_invoices_payment_is_refused(world, session):
    first = sent_invoice(session, world["token"], world["client"], price="100.00")
    other = sent_invoice(session, world["token"], world["client"], price="50.00")
    payment = _card_payment(session, other, amount=5000)
    root, ed, _ = editor_at(world["token"], routes.console_invoice(first))
    assert "does not exist" in repr(call(root, E, "open_refund", str(payment.id)))
    assert not ed.refund_open
    call(root, E, "refund", {"amount": "", "reason": ""})
    assert session.exec(select(Refund)).all() == []


def test_void_refused_with_payments_allowed_without(world, session):
    paid_id = sent_invoice(session, world["token"], world["client"], price="100.00")
    root, ed, _ = editor_at(world["token"], routes.console_invoice(paid_id))
    call(root, E, "open_payment")
    call(root, E, "record_payment", {"amount": "10.00", "method": "check", "paid_on": "",
                                     "note": ""})
    assert "Refund them before voiding" in repr(call(root, E, "void"))
    session.expire_all()
    assert session.get(Invoice, paid_id).status == InvoiceStatus.PARTIALLY_PAID

    unpaid_id = sent_invoice(session, world["token"], world["client"], price="100.00")
    root, ed, _ = editor_at(world["token"], routes.console_invoice(unpaid_id))
    assert "is void" in repr(call(root, E, "void"))
    session.expire_all()
    assert session.get(Invoice, unpaid_id).status == InvoiceStatus.VOID
    assert ed.inv["status_label"] == "Void" and ed.inv["can_void"] == ""
    assert ed.inv["can_send"] == "" and ed.inv["can_pay"] == ""


# --- invoicing a booking ----------------------------------------------------------------


def _booking(session, client, *, hours: float, status=BookingStatus.CONFIRMED):
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], price_minor=9000)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
    booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                      start_at=start, end_at=start + timedelta(hours=1), status=status)
    session.add(booking)
    session.commit()
    return booking


def test_create_invoice_from_a_past_booking(world, session):
    past = _booking(session, world["client"], hours=-30)
    future = _booking(session, world["client"], hours=30)
    root = tab(world["token"], routes.CONSOLE_BOOKINGS)
    call(root, StaffBookingsState, "load")
    call(root, StaffBookingsState, "show", "ended")
    call(root, StaffBookingsState, "load")  # what show() chains to
    bookings = substate(root, StaffBookingsState)
    [row] = bookings.rows
    assert row["id"] == str(past.id) and row["ended"] == "yes" and row["invoice_number"] == ""

    result = call(root, StaffBookingsState, "invoice_booking", str(past.id))

    invoice_id = new_id(result)
    invoice = session.get(Invoice, invoice_id)
    assert invoice.booking_id == past.id and invoice.status == InvoiceStatus.DRAFT
    assert invoice.total_minor == 9000 and invoice.client_id == world["client"].id
    assert "already on invoice" in repr(call(root, StaffBookingsState, "invoice_booking",
                                             str(past.id)))
    assert "has taken place" in repr(call(root, StaffBookingsState, "invoice_booking",
                                          str(future.id)))
    assert len(invoices(session)) == 1

    call(root, StaffBookingsState, "load")
    [row] = bookings.rows
    assert row["invoice_number"] == invoice.number
    _, ed, _ = editor_at(world["token"], row["invoice_url"])
    assert ed.found and ed.inv["number"] == invoice.number and ed.editable

    call(root, StaffBookingsState, "show", "all")
    call(root, StaffBookingsState, "load")
    assert [r["id"] for r in bookings.rows] == [str(future.id)]
    assert bookings.rows[0]["ended"] == ""


# --- the list -----------------------------------------------------------------------------


def test_list_filters_search_and_client(world, session):
    token, alice = world["token"], world["client"]
    bob = factories.client(session, full_name="Bob Other")
    session.commit()
    root, _, _ = editor_at(token, f"/console/invoice?new=invoice&client={alice.id}")
    fill_draft(root, lines=[("Draft work", "1", "10.00")])
    draft_id = new_id(call(root, E, "save"))
    open_id = sent_invoice(session, token, bob, price="20.00")
    void_id = sent_invoice(session, token, bob, price="30.00")
    editor, _, _ = editor_at(token, routes.console_invoice(void_id))
    call(editor, E, "void")
    root, _, _ = editor_at(token, f"/console/invoice?new=estimate&client={alice.id}")
    fill_draft(root, lines=[("Quote", "1", "40.00")])
    estimate_id = new_id(call(root, E, "save"))

    root = tab(token, routes.CONSOLE_INVOICES)
    assert call(root, L, "load") is None
    lst = substate(root, L)
    ids = lambda: [int(r["id"]) for r in lst.rows]  # noqa: E731
    assert ids() == [estimate_id, void_id, open_id, draft_id] and lst.total == 4
    call(root, L, "show", "draft")
    assert ids() == [estimate_id, draft_id]
    call(root, L, "show", "open")
    assert ids() == [open_id]
    assert lst.rows[0]["balance"] == "$20.00" and lst.rows[0]["status_label"] == "Open"
    assert lst.rows[0]["client"] == "Bob Other"
    assert lst.rows[0]["client_url"] == routes.console_client(bob.id)
    call(root, L, "show", "void")
    assert ids() == [void_id]
    call(root, L, "show", "estimates")
    assert ids() == [estimate_id] and lst.rows[0]["kind"] == "Estimate"
    call(root, L, "show", "nonsense")
    assert lst.status == "all" and len(ids()) == 4

    call(root, L, "apply_search", {"search": "bob"})
    assert ids() == [void_id, open_id]
    number = session.get(Invoice, draft_id).number
    call(root, L, "apply_search", {"search": number.lower()})
    assert ids() == [draft_id]
    call(root, L, "apply_search", {"search": ""})
    call(root, L, "go_to_page", 7)
    assert lst.page == 1 and len(ids()) == 4

    root = tab(token, f"{routes.CONSOLE_INVOICES}?client={alice.id}")
    call(root, L, "load")
    lst = substate(root, L)
    assert ids() == [estimate_id, draft_id] and lst.client_name == alice.full_name
    assert lst.new_invoice_url == f"{routes.CONSOLE_INVOICE}?new=invoice&client={alice.id}"
    assert lst.new_estimate_url.endswith(f"?new=estimate&client={alice.id}")


def test_list_pages_by_fifty(world, session):
    for n in range(51):
        invoice_service.save_draft(session, staff_id=world["staff"].id, invoice_id=None,
                                   form={"client_id": world["client"].id, "kind": "invoice"},
                                   lines=[{"description": f"Item {n}", "quantity": "1",
                                           "unit_price": "1.00"}])
    session.commit()
    root = tab(world["token"], routes.CONSOLE_INVOICES)
    call(root, L, "load")
    lst = substate(root, L)
    assert (lst.total, lst.pages, len(lst.rows)) == (51, 2, 50)
    call(root, L, "go_to_page", 2)
    assert lst.page == 2 and len(lst.rows) == 1


def test_unknown_invoice_goes_back_to_the_list(world, session):
    _, ed, result = editor_at(world["token"], "/console/invoice?id=999")
    assert routes.CONSOLE_INVOICES in repr(result) and not ed.found
    _, ed, result = editor_at(world["token"], "/console/invoice?new=bogus")
    assert routes.CONSOLE_INVOICES in repr(result) and not ed.found


# --- refusals -----------------------------------------------------------------------------


def db_digest(engine) -> dict[str, str]:
    out = {}
    with engine.connect() as conn:
        for table in sorted(sa_inspect(conn).get_table_names()):
            rows = [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {table}"))]
            out[table] = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()
    return out


def own_handlers(cls):
    return sorted(name for name in cls.event_handlers
                  if name != "setvar" and name in cls.__dict__)


def forged_args(fn, ids: dict) -> list:
    form = {"amount": "1.00", "method": "cash", "paid_on": "", "note": "", "message": "hi",
            "reason": "", "search": "", "client_id": str(ids["client"])}
    args = []
    for name, param in list(inspect.signature(fn).parameters.items())[1:]:
        annotation = str(param.annotation)
        if "dict" in annotation:
            args.append(dict(form))
        elif "bool" in annotation:
            args.append(True)
        elif "int" in annotation:
            args.append(1)
        elif name == "payment_id":
            args.append(str(ids["payment"]))
        elif name == "field":
            args.append("notes")
        else:
            args.append(str(ids["invoice"]))
    return args


@pytest.fixture
def billed(world, session):
    """A sent, part-paid invoice with a marker only staff may see, and a draft."""
    client = factories.client(session, full_name="Secretname Q")
    session.commit()
    invoice_id = sent_invoice(session, world["token"], client, price="100.00")
    root, _, _ = editor_at(world["token"], routes.console_invoice(invoice_id))
    call(root, E, "open_payment")
    call(root, E, "record_payment", {"amount": "10.00", "method": "cash", "paid_on": "",
                                     "note": ""})
    payment = session.exec(select(Payment)).one()
    return {"invoice": invoice_id, "payment": payment.id, "client": client.id}


@pytest.mark.parametrize("who", ["anonymous", "client", "revoked staff"])
@pytest.mark.parametrize("cls", [L, E], ids=["list", "editor"])
def test_non_staff_callers_are_sent_to_console_sign_in(who, cls, world, billed, engine,
                                                       session):
    url = (routes.console_invoice(billed["invoice"]) if cls is E
           else f"{routes.CONSOLE_INVOICES}?client={billed['client']}")
    if who == "revoked staff":
        # A tab that staff had open (ids in its backend vars), after signing out.
        root, _, _ = editor_at(world["token"], url) if cls is E else (tab(world["token"], url),
                                                                       None, None)
        call(root, cls, "load")
        call(root, E, "open_refund", str(billed["payment"])) if cls is E else None
        revoke_token(session, raw_token=world["token"])
        session.commit()
    else:
        root = tab(client_token(session) if who == "client" else None, url)
    before = db_digest(engine)

    for name in own_handlers(cls):
        fn = cls.event_handlers[name].fn
        result = call(root, cls, name, *forged_args(fn, billed))
        assert routes.CONSOLE_LOGIN in repr(result), f"{name} did not refuse {who}"
        assert db_digest(engine) == before, f"{name} changed the database for {who}"
        if who != "revoked staff":
            assert "Secretname" not in all_vars(root) + repr(result), f"{name} revealed data"

    assert set(own_handlers(E)) >= {"load", "save", "send", "set_field", "set_line", "add_line",
                                    "remove_line", "delete_draft", "void", "open_payment",
                                    "record_payment", "open_refund", "refund", "set_send_open",
                                    "set_payment_open", "set_refund_open"}
    assert set(own_handlers(L)) == {"load", "show", "apply_search", "go_to_page"}


def test_non_staff_cannot_invoice_a_booking(world, engine, session):
    past = _booking(session, world["client"], hours=-30)
    for token in (None, client_token(session)):
        before = db_digest(engine)
        root = tab(token, routes.CONSOLE_BOOKINGS)
        result = call(root, StaffBookingsState, "invoice_booking", str(past.id))
        assert routes.CONSOLE_LOGIN in repr(result)
        assert db_digest(engine) == before


def test_client_picker_search_keeps_the_chosen_client(world, session):
    bob = factories.client(session, full_name="Bob Finder")
    factories.client(session, full_name="Carol Else")
    session.commit()
    client = world["client"]
    root, ed, _ = editor_at(world["token"], f"/console/invoice?new=invoice&client={client.id}")
    assert {o["name"] for o in ed.client_options} >= {"Bob Finder", "Carol Else", "Dana Client"}
    call(root, E, "find_clients", {"client_search": "finder"})
    assert [o["name"] for o in ed.client_options] == ["Dana Client", "Bob Finder"]
    call(root, E, "set_field", "client_id", str(bob.id))
    fill_draft(root, lines=[("Session", "1", "10.00")])
    invoice_id = new_id(call(root, E, "save"))
    assert session.get(Invoice, invoice_id).client_id == bob.id
