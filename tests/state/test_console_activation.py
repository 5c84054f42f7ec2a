"""Console wiring of portal activation and Email OK (seeds 003 and 004): the
settings card, the create dialog, the clients list's status / invitation age /
paper-clip, and the warnings of the client page, the share dialog and the
invoice send dialog."""

from sqlmodel import select

import state.console_billing  # noqa: F401  (registers the states before the app does)
import state.console_documents  # noqa: F401
from models import Business, Client, Invitation, OutboxMessage, PortalAccess, PortalActivation
from portal_app.services import portal_settings
from portal_app.services.invitations import invite_client
from state.console_billing import InvoiceEditorState as E
from state.console_client import ClientDetailState
from state.console_clients import ClientListState
from state.console_documents import SHARE_EMAIL_NOTE
from state.console_documents import ClientDocumentsState as D
from state.console_settings import PortalSettingsState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import call, substate, tab_at
from tests.state.test_console_billing import editor_at, fill_draft, new_id, staff_token

SHARE_BANNER = "This client will get access to the client portal"


def _world(session, mode=PortalActivation.MANUAL):
    factories.business(session, portal_activation=mode)
    token, staff = staff_token(session)
    return token, staff


def test_the_settings_card_saves_the_activation_moment_or_says_why_not(engine, session):
    token, _ = _world(session)
    root = tab_at(token, "/console/settings")
    call(root, PortalSettingsState, "load")
    page = substate(root, PortalSettingsState)
    assert page.activation == PortalActivation.MANUAL

    assert call(root, PortalSettingsState, "save_activation",
                {"portal_activation": "whenever"}) is None
    assert "Choose when" in page.activation_error
    result = call(root, PortalSettingsState, "save_activation",
                  {"portal_activation": PortalActivation.FIRST_SHARE})

    assert "Activation saved" in repr(result)
    assert (page.activation, page.activation_error) == (PortalActivation.FIRST_SHARE, "")
    session.expire_all()
    assert session.exec(select(Business)).one().portal_activation == PortalActivation.FIRST_SHARE


def test_creating_with_invite_but_without_email_ok_creates_nothing(engine, session):
    token, _ = _world(session)
    root = tab_at(token, "/console/clients")
    call(root, ClientListState, "load")

    call(root, ClientListState, "create_client",
         {"full_name": "Quiet Client", "email": "quiet@example.test", "invite": "on"})

    assert "Email OK" in substate(root, ClientListState).error
    assert session.exec(select(Client)).all() == []


def test_creating_activates_when_the_business_activates_on_creation(engine, session):
    token, _ = _world(session, PortalActivation.ON_CREATE)
    root = tab_at(token, "/console/clients")
    call(root, ClientListState, "load")
    assert substate(root, ClientListState).activation == PortalActivation.ON_CREATE

    result = call(root, ClientListState, "create_client",
                  {"full_name": "New Client", "email": "new@example.test", "email_ok": "on"})

    assert "/console/client" in repr(result)
    session.expire_all()
    client = session.exec(select(Client)).one()
    assert (client.email_ok, client.portal_access) == (True, PortalAccess.INVITED)
    assert session.exec(select(OutboxMessage.to)).all() == ["new@example.test"]


def test_the_list_shows_status_in_words_the_invitation_age_and_the_paper_clip(engine, session):
    token, staff = _world(session)
    plain = factories.client(session, full_name="A Plain")
    invited = factories.client(session, full_name="B Invited")
    quiet = factories.client(session, full_name="C Quiet", email_ok=False, perm_upload=False)
    invite_client(session, staff_id=staff.id, client_id=invited.id,
                  base_url="http://portal.test")
    session.commit()
    root = tab_at(token, "/console/clients")
    call(root, ClientListState, "load")
    rows = {r["name"]: r for r in substate(root, ClientListState).rows}

    assert (rows["A Plain"]["status_label"], rows["A Plain"]["age"]) == ("Not invited", "")
    assert rows["B Invited"]["status_label"] == "Invited — not signed in yet"
    assert rows["B Invited"]["age"] == "invited today"
    assert (rows["C Quiet"]["email_ok"], rows["C Quiet"]["upload"]) == ("", "")
    assert (rows["A Plain"]["email_ok"], rows["A Plain"]["upload"]) == ("yes", "yes")

    result = call(root, ClientListState, "toggle_upload", str(plain.id))
    assert "Uploads turned off" in repr(result)
    call(root, ClientListState, "toggle_upload", str(quiet.id))
    session.expire_all()
    assert session.get(Client, plain.id).perm_upload is False
    assert session.get(Client, quiet.id).perm_upload is True
    assert "not on this page" in repr(call(root, ClientListState, "toggle_upload", "999999"))


def test_the_client_page_records_email_ok_and_warns_when_it_is_off(engine, session):
    token, _ = _world(session)
    client = factories.client(session, full_name="Robin")
    session.commit()
    root = tab_at(token, f"/console/client?id={client.id}")
    call(root, ClientDetailState, "load")
    assert substate(root, ClientDetailState).email_ok is True

    call(root, ClientDetailState, "save_details",
         {"full_name": "Robin", "email": client.email})  # the box left unticked

    assert substate(root, ClientDetailState).email_ok is False
    assert any(e["label"].endswith("turned Email OK off for Robin")
               for e in substate(root, ClientDetailState).events)
    call(root, ClientDetailState, "send_invitation", {"message": ""})
    session.expire_all()
    assert session.exec(select(Invitation)).all() == []


def test_the_share_dialog_says_sharing_gives_portal_access(engine, session):
    token, staff = _world(session, PortalActivation.FIRST_SHARE)
    fresh = factories.client(session, full_name="Fresh")
    quiet = factories.client(session, full_name="Quiet", email_ok=False)
    active = factories.client(session, full_name="Active", portal_access=PortalAccess.ACTIVE)
    session.commit()

    def notes(client):
        root = tab_at(token, f"/console/client?id={client.id}")
        call(root, D, "load")
        call(root, D, "open_share")
        page = substate(root, D)
        return page.share_portal_note, page.share_email_note

    fresh_notes, quiet_notes, active_notes = notes(fresh), notes(quiet), notes(active)

    assert fresh_notes[0].startswith(SHARE_BANNER) and fresh_notes[1] == ""
    assert "Email OK is off" in quiet_notes[0] and quiet_notes[1] == ""
    assert active_notes == ("", "")
    portal_settings.set_activation_mode(session, staff_id=staff.id, mode="manual")
    session.commit()
    assert notes(fresh) == ("", "")
    assert notes(quiet) == ("", SHARE_EMAIL_NOTE)  # manual: only the email warning


def test_the_invoice_send_dialog_warns_when_email_ok_is_off(engine, session):
    token, _ = _world(session)
    quiet = factories.client(session, full_name="Quiet", email_ok=False)
    loud = factories.client(session, full_name="Loud")
    session.commit()

    def note(client):
        root, _, _ = editor_at(token, f"/console/invoice?new=invoice&client={client.id}")
        fill_draft(root, lines=[("Session", "1", "80.00")])
        invoice_id = new_id(call(root, E, "save"))
        root, ed, _ = editor_at(token, f"/console/invoice?id={invoice_id}")
        call(root, E, "set_send_open", True)
        return ed.send_email_note

    assert "Email OK is off" in note(quiet)
    assert note(loud) == ""


def test_the_list_loads_in_the_same_number_of_statements_for_5_or_200_clients(engine, session):
    token, _ = _world(session)
    for i in range(5):
        factories.client(session, full_name=f"Few {i}")
    session.commit()
    root = tab_at(token, "/console/clients")

    def statements() -> int:
        return len(statements_of(engine, lambda: call(root, ClientListState, "load")))

    few = statements()
    for i in range(195):
        factories.client(session, full_name=f"Many {i:03d}", email_ok=i % 2 == 0,
                         perm_upload=i % 3 == 0)
    session.commit()
    many = statements()

    assert few == many
    assert len(substate(root, ClientListState).rows) == 50
