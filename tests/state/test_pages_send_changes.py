"""The dashboard, the bookings list and an invoice, opened again in the same tab, send
none of the page's vars they already hold (state/assign.py); a change sends what it
changed, and only that."""

from portal_app.services.billing.invoices import save_draft
from state.bookings import BookingsState
from state.client_pages import DashboardState
from state.payments import InvoiceState
from state.session import ClientState
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate, tab_at

DASHBOARD = {"upcoming", "total_due", "new_documents", "greeting", "next_step",
             "continue_course", "loaded"}


def _invoice(session, client, staff, price: str):
    invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                         form={"client_id": client.id, "kind": "invoice"},
                         lines=[{"description": "Session", "quantity": "1", "unit_price": price}])
    invoice.status = "sent"
    session.add(invoice)
    session.commit()
    return invoice


def test_the_dashboard_opened_again_sends_only_what_changed(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Ana")
    _invoice(session, client, staff, "40.00")
    tab = new_tab(token)
    call(tab, DashboardState, "load")
    page = substate(tab, DashboardState)
    assert page.total_due and page.greeting
    shell = substate(tab, ClientState)  # (the cards' vars are the shell's)

    def dirty():
        return page.dirty_vars | shell.dirty_vars

    tab._clean()
    call(tab, DashboardState, "load")
    assert not DASHBOARD & dirty()
    _invoice(session, client, staff, "60.00")
    call(tab, DashboardState, "load")
    assert "total_due" in dirty() and "greeting" not in dirty()
    assert "100.00" in page.total_due


def test_the_bookings_list_opened_again_sends_nothing_it_holds(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    factories.service(session, providers=[staff], name="Massage")
    token, _client = signed_in_client(session, "Ben")
    tab = new_tab(token)
    call(tab, BookingsState, "load")
    page = substate(tab, BookingsState)
    assert [s["name"] for s in page.services] == ["Massage"]
    tab._clean()
    call(tab, BookingsState, "load")
    assert not {"rows", "services", "zone_label", "error"} & page.dirty_vars
    factories.service(session, providers=[staff], name="Yoga")
    session.commit()
    call(tab, BookingsState, "load")
    assert "services" in page.dirty_vars and "rows" not in page.dirty_vars


def test_an_invoice_opened_again_sends_nothing_it_holds(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    token, client = signed_in_client(session, "Cy")
    invoice = _invoice(session, client, staff, "25.00")
    tab = tab_at(token, f"/payments/invoice?id={invoice.id}")
    call(tab, InvoiceState, "load")
    page = substate(tab, InvoiceState)
    assert page.found and page.lines
    tab._clean()
    call(tab, InvoiceState, "load")
    assert not {"inv", "lines", "payments", "found", "notice", "busy"} & page.dirty_vars
