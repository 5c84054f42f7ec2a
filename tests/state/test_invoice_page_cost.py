"""The invoice page's load costs three statements however many lines and payments the
invoice has: the session check, the invoice (the client's, checked), and its lines
and payments in one statement (services/billing/invoice_details.py)."""

from datetime import UTC, datetime, timedelta

from models import InvoiceLine, Payment
from portal_app.services.billing.invoices import save_draft
from state.payments import InvoiceState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import call, signed_in_client, substate, tab_at


def _invoice(session, client, staff, *, lines: int, payments: int):
    invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                         form={"client_id": client.id, "kind": "invoice"},
                         lines=[{"description": "Session", "quantity": "1",
                                 "unit_price": "100.00"}])
    invoice.status = "partially_paid"
    session.add(invoice)
    for i in range(1, lines):
        session.add(InvoiceLine(invoice_id=invoice.id, position=i, description=f"Extra {i}",
                                amount_minor=100))
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    for i in range(payments):
        session.add(Payment(invoice_id=invoice.id, client_id=client.id,
                            receipt_number=f"R-{invoice.id}-{i}", amount_minor=100,
                            currency="USD", provider="offline", method="cash",
                            paid_at=start + timedelta(days=i)))
    session.commit()
    return invoice


def test_the_invoice_page_costs_three_statements_at_any_size(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Ana")
    small = _invoice(session, client, staff, lines=1, payments=1)
    large = _invoice(session, client, staff, lines=40, payments=25)

    def load(invoice):
        tab = tab_at(token, f"/payments/invoice?id={invoice.id}")
        call(tab, InvoiceState, "load")  # the session's first check is the full one
        sent = statements_of(engine, lambda: call(tab, InvoiceState, "load"))
        return len(sent), substate(tab, InvoiceState)

    few, small_page = load(small)
    many, large_page = load(large)
    assert (len(small_page.lines), len(small_page.payments)) == (1, 1)
    assert (len(large_page.lines), len(large_page.payments)) == (40, 25)
    assert large_page.lines[1]["description"] == "Extra 1"
    assert large_page.payments[0]["date"] == "Nov 1, 2026"
    assert few == many == 3, (few, many)
