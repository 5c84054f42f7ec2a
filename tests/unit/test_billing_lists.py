"""The console invoice list: flagged payments, literal search, forgiving paging."""

from sqlmodel import select

from models import Invoice, InvoiceStatus, Payment
from portal_app.services.billing import invoices
from tests import factories


def _invoice(session, staff, client, price="10.00"):
    inv = invoices.save_draft(session, staff_id=staff.id, invoice_id=None,
                              form={"client_id": client.id, "kind": "invoice"},
                              lines=[{"description": "x", "quantity": "1", "unit_price": price}])
    inv.status = InvoiceStatus.SENT
    session.add(inv)
    session.flush()
    return inv


def test_flagged_invoice_ids_names_only_invoices_with_a_flagged_payment(session):
    factories.business(session)
    staff = factories.staff(session)
    _, (client,) = factories.household(session, names=("Flag",))
    plain, flagged = _invoice(session, staff, client), _invoice(session, staff, client)
    for inv, flag in ((plain, ""), (flagged, "paid $1.00, expected $10.00")):
        session.add(Payment(invoice_id=inv.id, client_id=client.id,
                            receipt_number=f"RCT-{inv.id}", amount_minor=100, currency="USD",
                            flag=flag))
    session.flush()
    assert invoices.flagged_invoice_ids(session, [plain.id, flagged.id]) == {flagged.id}
    assert invoices.flagged_invoice_ids(session, []) == set()


def test_search_treats_wildcards_literally_and_paging_forgives_garbage(session):
    factories.business(session)
    staff = factories.staff(session)
    _, (percent,) = factories.household(session, names=("100% Fit",))
    _, (other,) = factories.household(session, names=("Other Person",))
    mine, _ = _invoice(session, staff, percent), _invoice(session, staff, other)
    rows, total = invoices.list_invoices(session, search="%")
    assert total == 1 and rows[0][0].id == mine.id
    rows, total = invoices.list_invoices(session, search="_")
    assert total == 0
    rows, total = invoices.list_invoices(session, page="abc")
    assert total == 2 and len(rows) == 2
    assert session.exec(select(Invoice)).all()
