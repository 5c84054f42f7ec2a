"""The console's Services page loads its list (it failed with a TypeError after the
client pages learned languages: the price formatter needed one)."""

import state.console_scheduling  # noqa: F401  (registers the states before the app does)
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_scheduling import ServicesState
from tests import factories
from tests.state.harness import call, new_tab, substate


def test_services_page_lists_each_service_with_its_price(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    factories.service(session, providers=[staff], name="Massage", price_minor=8000,
                      currency="USD", needs_approval=True)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()

    root = new_tab(token)
    call(root, ServicesState, "load")

    rows = substate(root, ServicesState).rows
    assert [(r["name"], r["price"], r["approval"]) for r in rows] == [
        ("Massage", "$80.00", "Needs approval")]
