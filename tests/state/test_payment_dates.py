"""One date everywhere: a card payment made late in the evening in the client's zone
(America/Chicago) is already the next day in UTC. Every surface that shows it to the
client (the receipt page, the invoice page's payment line, the Paid tab's receipt
and invoice rows, the receipt PDF, the receipt email, the data export) says the
client's day, from the one formatter, with the zone named."""

import io
from datetime import UTC, datetime

import pypdf
from sqlmodel import select

from models import InvoiceStatus, OutboxMessage, Payment, PaymentMethod
from portal_app.services.billing.invoices import save_draft, send_invoice
from portal_app.services.billing.payments import settle
from portal_app.services.billing.receipts import announce_payment
from portal_app.services.data_export import build_export
from portal_app.services.outbox_attachments import content as attachment_content
from portal_app.services.permissions import Access
from state.payments import InvoiceState, PaymentsState, ReceiptState
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate, tab_at

# 23:25 on Dec 5 in Chicago (CST, UTC-6) is 05:25 on Dec 6 in UTC.
PAID_AT = datetime(2026, 12, 6, 5, 25, tzinfo=UTC)
EXPECTED = "Dec 5, 2026, 11:25 PM CST"


def _flat(text: str) -> str:
    """Babel puts a narrow no-break space in "11:25 PM"; PDFs and HTML keep it."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def _paid_late_in_the_evening(session):
    factories.business(session, timezone="UTC")
    token, client = signed_in_client(session, "Dana")
    client.timezone = "America/Chicago"
    session.add(client)
    staff = factories.staff(session)
    draft = save_draft(session, staff_id=staff.id, invoice_id=None,
                       form={"client_id": client.id, "kind": "invoice"},
                       lines=[{"description": "Session", "quantity": "1",
                               "unit_price": "80.00"}])
    invoice = send_invoice(session, staff_id=staff.id, invoice_id=draft.id,
                           base_url="https://portal.test")
    # What the webhook's fulfilment does, at a fixed moment.
    payment = Payment(invoice_id=invoice.id, client_id=client.id, receipt_number="RCT-0001",
                      amount_minor=invoice.total_minor, currency=invoice.currency,
                      method=PaymentMethod.CARD, provider="stripe", provider_ref="cs_late",
                      paid_at=PAID_AT)
    session.add(payment)
    invoice.paid_minor += payment.amount_minor
    settle(invoice)
    session.add(invoice)
    session.flush()
    announce_payment(session, payment=payment, invoice=invoice, base_url="https://portal.test")
    session.commit()
    assert invoice.status == InvoiceStatus.PAID
    return token, invoice, payment


def test_a_payment_shows_the_clients_day_on_every_surface(engine, session):
    token, invoice, payment = _paid_late_in_the_evening(session)
    surfaces: dict[str, str] = {}

    root = tab_at(token, f"/payments/receipt?id={payment.id}")
    call(root, ReceiptState, "load")
    surfaces["receipt page"] = substate(root, ReceiptState).receipt["date"]

    root = tab_at(token, f"/payments/invoice?id={invoice.id}")
    call(root, InvoiceState, "load")
    surfaces["invoice page payment line"] = substate(root, InvoiceState).payments[0]["date"]

    root = new_tab(token)
    call(root, PaymentsState, "load")
    call(root, PaymentsState, "show_tab", "paid")
    paid = substate(root, PaymentsState)
    surfaces["Paid tab receipt row"] = paid.receipts[0]["date"]
    surfaces["Paid tab invoice row"] = paid.rows[0]["paid_line"]

    email = session.exec(select(OutboxMessage).where(
        OutboxMessage.idempotency_key == f"receipt-{payment.receipt_number}")).one()
    surfaces["receipt email (text)"] = email.body_text
    surfaces["receipt email (html)"] = email.body_html
    pdf = attachment_content(session, email.attachments[0])
    surfaces["receipt PDF"] = "\n".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)

    for name, text in surfaces.items():
        assert EXPECTED in _flat(text), f"{name}: {text!r}"
        assert "Dec 6" not in text, f"{name} shows the UTC date: {text!r}"

    # The data export: machine-readable, in the client's zone, the zone named.
    export = build_export(session, client_id=payment.client_id,
                          access=Access(bookings=True, messaging=True, billing=True, pay=True,
                                        documents=True, upload=True)).data
    assert export["timezone"] == "America/Chicago"
    (row,) = export["payments"]
    assert row["paid_at"] == "2026-12-05T23:25:00-06:00" and row["paid_on"] == "2026-12-05"


def test_paid_tab_lists_a_paid_invoice_at_its_total_with_what_was_paid_and_when(engine,
                                                                                session):
    token, invoice, _ = _paid_late_in_the_evening(session)
    root = new_tab(token)
    call(root, PaymentsState, "load")
    call(root, PaymentsState, "show_tab", "paid")
    row = substate(root, PaymentsState).rows[0]

    assert row["number"] == invoice.number
    assert row["amount"] == "$80.00"  # not its balance, "$0.00"
    assert _flat(row["paid_line"]) == f"Paid $80.00 on {EXPECTED}"
