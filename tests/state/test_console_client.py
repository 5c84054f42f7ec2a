"""The console's client page and its "View as client" preview: guarded handlers,
field errors beside their section, and the preview's shell vars (shared with
ClientState through a mixin)."""

from models import Client, PortalAccess
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_client import ClientDetailState, ClientPreviewState
from state.session import ClientShellVars, ClientState
from tests import factories
from tests.state.harness import call, new_tab, substate, tab_at


def _staff_token(session) -> str:
    staff = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


def test_the_preview_shows_the_clients_shell_read_only(engine, session):
    factories.business(session, portal_enabled=True)
    _, (alex, sam) = factories.household(session, names=("Alex", "Sam"), access="active")
    token = _staff_token(session)

    root = tab_at(token, f"/console/preview?id={alex.id}")
    assert call(root, ClientPreviewState, "load") is None
    preview = substate(root, ClientPreviewState)
    assert preview.preview is True and preview.can_sign_in is True
    assert (preview.client_id, preview.client_name, preview.selected_record) == (
        str(alex.id), alex.full_name, str(alex.id))
    assert {r["name"] for r in preview.record_options} == {alex.full_name, sam.full_name}
    assert preview.access["bookings"] is True and preview.actions
    # Read-only: the shell's buttons do nothing here.
    for name, args in (("logout", ()), ("open_bell", ()), ("mark_all_read", ()),
                       ("switch_record", (str(sam.id),)), ("open_notification", ("1",))):
        assert call(root, ClientPreviewState, name, *args) is None
    assert substate(root, ClientPreviewState).client_name == alex.full_name


def test_the_preview_of_an_unknown_client_goes_back_to_the_list(engine, session):
    factories.business(session)
    token = _staff_token(session)
    result = call(tab_at(token, "/console/preview?id=999999"), ClientPreviewState, "load")
    assert "/console/clients" in repr(result)


def test_the_preview_is_refused_to_a_signed_out_caller(engine, session):
    factories.business(session)
    _, (alex,) = factories.household(session, names=("Alex",), access="active")
    root = tab_at(None, f"/console/preview?id={alex.id}")
    assert "/console/login" in repr(call(root, ClientPreviewState, "load"))
    assert substate(root, ClientPreviewState).client_name == ""


def test_shell_vars_are_declared_once_and_both_states_have_them():
    shell = set(ClientShellVars.__annotations__)
    assert len(shell) >= 12
    for cls in (ClientState, ClientPreviewState):
        assert shell <= set(cls.base_vars), cls
    assert ClientState.get_fields()["preview"].default is False
    assert ClientPreviewState.get_fields()["preview"].default is True


def test_details_refused_beside_the_form_and_saved_with_a_toast(engine, session):
    factories.business(session)
    client = factories.client(session, full_name="Robin")
    token = _staff_token(session)
    root = tab_at(token, f"/console/client?id={client.id}")
    call(root, ClientDetailState, "load")
    assert substate(root, ClientDetailState).full_name == "Robin"

    assert call(root, ClientDetailState, "save_details", {"full_name": ""}) is None
    assert substate(root, ClientDetailState).error
    result = call(root, ClientDetailState, "save_details",
                  {"full_name": "Robin Hood", "email": client.email})
    assert "Details saved." in repr(result)
    state = substate(root, ClientDetailState)
    assert state.error == "" and state.full_name == "Robin Hood"
    session.expire_all()
    assert session.get(Client, client.id).full_name == "Robin Hood"


def test_removing_a_record_outside_the_household_is_refused(engine, session):
    factories.business(session)
    _, (alex, sam) = factories.household(session, names=("Alex", "Sam"), access="active")
    stranger = factories.client(session)
    token = _staff_token(session)
    root = tab_at(token, f"/console/client?id={alex.id}")
    call(root, ClientDetailState, "load")

    result = call(root, ClientDetailState, "remove_member", str(stranger.id))
    assert "That client is not in this household." in repr(result)
    result = call(root, ClientDetailState, "disable_access")
    assert "Portal access disabled." in repr(result)
    assert substate(root, ClientDetailState).status == PortalAccess.DISABLED
    assert sam.id in {int(m["id"]) for m in substate(root, ClientDetailState).members}


def test_a_signed_out_caller_changes_nothing_on_the_client_page(engine, session):
    factories.business(session)
    client = factories.client(session, full_name="Robin")
    root = new_tab(None)
    substate(root, ClientDetailState)._id = client.id
    assert "/console/login" in repr(call(root, ClientDetailState, "save_details",
                                         {"full_name": "Hacked"}))
    session.expire_all()
    assert session.get(Client, client.id).full_name == "Robin"


def test_the_client_page_shows_the_profile_fields_only_forms_fill(engine, session):
    from datetime import date

    factories.business(session, portal_enabled=True)
    _, (client,) = factories.household(session, names=("Dora",))
    token = _staff_token(session)
    root = tab_at(token, f"/console/client?id={client.id}")
    call(root, ClientDetailState, "load")
    assert substate(root, ClientDetailState).profile == []  # nothing filled: nothing shown

    client.date_of_birth, client.emergency_contact = date(1990, 2, 3), "Sam, +1 212 736 5000"
    session.add(client)
    session.commit()
    call(root, ClientDetailState, "load")
    assert substate(root, ClientDetailState).profile == [
        {"label": "Date of birth", "value": "Feb 3, 1990"},
        {"label": "Emergency contact", "value": "Sam, +1 212 736 5000"}]
