"""Profile handlers: the selected record from the session, field errors that
change nothing, the interface switching language on save, the browser's time
zone stored once from the dashboard, and the closure request that staff see
and dismiss in the console."""

from sqlmodel import select

from models import AuditEvent, Client, OutboxMessage
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.brand import BrandState
from state.client_pages import DashboardState
from state.console_client import ClientDetailState
from state.profile import ProfileState
from tests import factories
from tests.state.harness import (
    all_vars,
    call,
    new_tab,
    page_events,
    signed_in_client,
    substate,
    tab_at,
)

FORM = {"full_name": "Rosa Díaz", "mobile": "+1 555 010 0200",
        "timezone": "America/Mexico_City", "language": "es"}


def fresh(session, client_id) -> Client:
    session.expire_all()
    return session.get(Client, client_id)


def test_load_shows_the_selected_records_profile(engine, session):
    factories.business(session, timezone="Europe/Lisbon")
    token, client = signed_in_client(session, "Loader")
    tab = new_tab(token)

    assert page_events(call(tab, ProfileState, "load")) == []

    state = substate(tab, ProfileState)
    assert state.full_name == client.full_name
    assert state.timezone == "Europe/Lisbon"  # none chosen yet: the business's zone
    assert state.zone_options == []  # drawn when the field is first focused
    call(tab, ProfileState, "show_zones")
    offered = [o["value"] for o in state.zone_options]
    assert "Europe/Lisbon" in offered and "Asia/Kolkata" in offered
    assert "Asia/Calcutta" not in offered and len(offered) == len(set(offered))
    assert state.language == "en"
    assert state.email_kinds["message"] is True
    assert state.closure_requested_on == ""


def test_a_saved_alias_zone_shows_as_its_canonical_zone(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Alias")
    client.timezone = "US/Eastern"
    session.add(client)
    session.commit()
    tab = new_tab(token)
    call(tab, ProfileState, "load")
    assert substate(tab, ProfileState).timezone == "America/New_York"


def test_a_zone_not_in_the_list_is_refused_beside_the_field(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Offset")
    before = fresh(session, client.id).model_dump()
    tab = new_tab(token)
    assert call(tab, ProfileState, "save_profile", {**FORM, "timezone": "Etc/GMT+5"}) is None
    state = substate(tab, ProfileState)
    assert state.timezone_error.startswith("Choose a time zone")
    assert state.full_name_error == state.mobile_error == ""
    assert fresh(session, client.id).model_dump() == before


def test_the_devices_zone_fills_the_field_as_its_canonical_zone(engine, session):
    factories.business(session)
    token, _client = signed_in_client(session, "Device")
    tab = new_tab(token)
    asked = call(tab, ProfileState, "use_device_zone")
    assert "resolvedOptions().timeZone" in repr(asked) and "fill_device_zone" in repr(asked)
    filled = call(tab, ProfileState, "fill_device_zone", "Asia/Calcutta")
    assert "field_timezone" in repr(filled) and "Asia/Kolkata" in repr(filled)
    assert call(tab, ProfileState, "fill_device_zone", "Mars/Base") is None
    assert substate(tab, ProfileState).timezone_error.startswith("Choose a time zone")


def test_save_profile_stores_the_fields_and_switches_the_interface(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Saver")
    tab = new_tab(token)
    call(tab, ProfileState, "load")

    events = call(tab, ProfileState, "save_profile", dict(FORM))

    saved = fresh(session, client.id)
    assert (saved.full_name, saved.mobile, saved.timezone, saved.language) == (
        "Rosa Díaz", "+1 555 010 0200", "America/Mexico_City", "es")
    assert saved.timezone_detected_at is not None
    assert any("choose_language" in repr(e) and "es" in repr(e) for e in events)
    state = substate(tab, ProfileState)
    assert state.client_name == "Rosa Díaz"  # the header too
    assert state.language == "es"
    # the event the handler returned switches the interface when run
    call(tab, BrandState, "choose_language", "es")
    assert substate(tab, BrandState).lang == "es"


def test_bad_input_shows_errors_by_field_and_changes_nothing(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Wrong")
    before = fresh(session, client.id).model_dump()
    tab = new_tab(token)

    result = call(tab, ProfileState, "save_profile",
                  {**FORM, "mobile": "not a number", "timezone": "Atlantis/Capital"})

    assert result is None
    state = substate(tab, ProfileState)
    assert state.mobile_error.startswith("Enter a mobile number")
    assert state.timezone_error.startswith("Choose a time zone")
    assert state.full_name_error == "" and state.language_error == ""
    assert fresh(session, client.id).model_dump() == before
    assert session.exec(select(AuditEvent).where(
        AuditEvent.action == "client.profile_updated")).all() == []


def test_profile_handlers_refuse_a_signed_out_tab(engine, session):
    factories.business(session)
    session.commit()
    tab = new_tab(None)
    for name, args in (("load", ()), ("save_profile", (dict(FORM),)),
                       ("save_notifications", ({"email_message": "on"},)),
                       ("request_closure", ({"reason": "x"},))):
        assert "/login" in repr(call(tab, ProfileState, name, *args)), name


def test_a_household_without_a_selected_record_is_sent_to_pick_one(engine, session):
    factories.business(session)
    account, clients = factories.household(session, names=("One", "Two"), access="active")
    ticket = create_ticket(session, kind="client", account_id=account.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    tab = new_tab(token)

    assert "/select-account" in repr(call(tab, ProfileState, "save_profile", dict(FORM)))
    assert "/select-account" in repr(call(tab, ProfileState, "request_closure", {}))
    assert all(fresh(session, c.id).closure_requested_at is None for c in clients)
    assert all(fresh(session, c.id).full_name != "Rosa Díaz" for c in clients)


# --- the browser's time zone --------------------------------------------------------------


def test_dashboard_asks_the_browser_for_its_zone_until_one_is_stored(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Traveller")
    tab = new_tab(token)

    asked = call(tab, DashboardState, "load")
    assert "Intl.DateTimeFormat().resolvedOptions().timeZone" in repr(asked)
    assert "store_browser_timezone" in repr(asked)

    call(tab, DashboardState, "store_browser_timezone", "Australia/Perth")
    assert fresh(session, client.id).timezone == "Australia/Perth"

    assert page_events(call(new_tab(token), DashboardState, "load")) == []  # not asked again
    call(tab, DashboardState, "store_browser_timezone", "Europe/Oslo")  # a forged second answer
    assert fresh(session, client.id).timezone == "Australia/Perth"


def test_a_forged_zone_is_not_stored(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Forger")
    tab = new_tab(token)
    for forged in ("Nowhere/Land", "<script>", "", "x" * 300):
        call(tab, DashboardState, "store_browser_timezone", forged)
    saved = fresh(session, client.id)
    assert saved.timezone == "" and saved.timezone_detected_at is None


def test_a_zone_chosen_in_the_profile_counts_as_set(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Chooser")
    tab = new_tab(token)
    call(tab, ProfileState, "save_profile", dict(FORM))

    assert page_events(call(tab, DashboardState, "load")) == []
    call(tab, DashboardState, "store_browser_timezone", "Asia/Tokyo")
    assert fresh(session, client.id).timezone == "America/Mexico_City"


def test_detection_stores_on_the_callers_record_only(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Mine")
    _, other = signed_in_client(session, "Theirs")
    call(new_tab(token), DashboardState, "store_browser_timezone", "Africa/Nairobi")
    assert fresh(session, client.id).timezone == "Africa/Nairobi"
    untouched = fresh(session, other.id)
    assert untouched.timezone == "" and untouched.timezone_detected_at is None


# --- closing the account, and the console ---------------------------------------------------


def staff_tab(session, client_id):
    staff = factories.staff(session, role="owner")
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    tab = tab_at(token, f"/console/client?id={client_id}")
    call(tab, ClientDetailState, "load")
    return tab, staff


def test_closure_request_reaches_the_business_and_the_console_banner(engine, session):
    factories.business(session, contact_email="owner@studio.test")
    token, client = signed_in_client(session, "Leaver")
    tab = new_tab(token)
    call(tab, ProfileState, "load")
    call(tab, ProfileState, "set_closure_open", True)

    call(tab, ProfileState, "request_closure", {"reason": "Moving to Lisbon"})

    state = substate(tab, ProfileState)
    assert state.closure_requested_on != "" and state.closure_open is False
    saved = fresh(session, client.id)
    assert saved.closure_reason == "Moving to Lisbon" and saved.portal_access == "active"
    (mail,) = session.exec(select(OutboxMessage).where(
        OutboxMessage.to == "owner@studio.test")).all()
    assert client.full_name in mail.subject

    console, staff = staff_tab(session, client.id)
    detail = substate(console, ClientDetailState)
    assert detail.closure_requested_on.endswith("UTC")
    assert detail.closure_reason == "Moving to Lisbon"

    call(console, ClientDetailState, "dismiss_closure")
    assert fresh(session, client.id).closure_requested_at is None
    assert detail.closure_requested_on == ""
    dismissed = session.exec(select(AuditEvent).where(
        AuditEvent.action == "client.closure_dismissed")).one()
    assert dismissed.actor_id == staff.id and dismissed.client_id == client.id


def test_closure_twice_shows_the_message_and_sends_nothing_more(engine, session):
    factories.business(session, contact_email="owner@studio.test")
    token, client = signed_in_client(session, "Twice")
    tab = new_tab(token)
    call(tab, ProfileState, "request_closure", {"reason": "One"})
    call(tab, ProfileState, "request_closure", {"reason": "Two"})
    assert "already asked" in substate(tab, ProfileState).closure_error
    assert fresh(session, client.id).closure_reason == "One"
    assert len(session.exec(select(OutboxMessage)).all()) == 1


def test_dismiss_needs_a_staff_session(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Asker")
    call(new_tab(token), ProfileState, "request_closure", {"reason": "Bye"})
    # A client's cookie on the console handler: refused, the request stays.
    result = call(tab_at(token, f"/console/client?id={client.id}"), ClientDetailState,
                  "dismiss_closure")
    assert "/console/login" in repr(result)
    assert fresh(session, client.id).closure_requested_at is not None


def test_profile_shows_nothing_of_another_household(engine, session):
    factories.business(session)
    token, _ = signed_in_client(session, "Viewer")
    _, other = signed_in_client(session, "Hiddenperson")
    tab = new_tab(token)
    call(tab, ProfileState, "load")
    assert "Hiddenperson" not in all_vars(tab)
