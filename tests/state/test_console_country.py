"""Console settings: the business's country (the PDFs' paper) is saved from the form;
a code that is no country is refused beside the field and changes nothing."""

from models import Business
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_settings import PortalSettingsState
from tests import factories
from tests.state.harness import call, new_tab, substate


def test_staff_set_the_country_and_see_the_paper(engine, session):
    factories.business(session, timezone="America/Chicago")
    staff = factories.staff(session)
    token, _ = redeem_ticket(session, raw_ticket=create_ticket(session, kind="staff",
                                                               staff_id=staff.id),
                             timeouts=session_timeouts())
    session.commit()
    root = new_tab(token)
    call(root, PortalSettingsState, "load")
    page = substate(root, PortalSettingsState)
    assert page.country == ""
    assert page.country_note == "PDFs print on Letter (United States, from the time zone)."

    call(root, PortalSettingsState, "save_country", {"country": "XX"})
    assert page.country_error == "Choose a country from the list."
    session.expire_all()
    assert session.get(Business, 1).country == ""

    call(root, PortalSettingsState, "save_country", {"country": "ES"})
    assert page.country_error == "" and page.country == "ES"
    assert page.country_note == "PDFs print on A4 (Spain)."
    session.expire_all()
    assert session.get(Business, 1).country == "ES"
