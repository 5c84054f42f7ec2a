"""The console in the staff member's language and the header search: the choice is
saved on the staff member and applied at the next sign-in; server-made texts
(toasts, status labels, times, activity sentences) follow it; the search finds what
it should, moves with the arrows and opens with Enter, and refuses the signed out."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from models import Booking, BookingStatus, StaffUser
from portal_app.i18n import gettext
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.bookings import STATUS_LABELS
from state.console_home import ConsoleHomeState
from state.console_search import ConsoleSearchState
from state.staff_session import StaffState
from tests import factories
from tests.state.harness import call, new_tab, substate, tab_at


def _setup(session, *, language=""):
    factories.business(session, timezone="America/New_York")
    staff = factories.staff(session, full_name="Olivia Owner")
    staff.language = language
    session.add(staff)
    svc = factories.service(session, providers=[staff], name="Massage")
    ana = factories.client(session, full_name="Ana Ruiz", email="ana@ruiz.test")
    start = datetime.now(UTC) + timedelta(days=2)
    booking = Booking(client_id=ana.id, service_id=svc.id, staff_id=staff.id, start_at=start,
                      end_at=start + timedelta(hours=1), status=BookingStatus.PENDING)
    session.add(booking)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token, staff.id, ana, booking.id


def _language(engine, staff_id):
    with Session(engine) as s:
        return s.get(StaffUser, staff_id).language


def test_choosing_spanish_is_saved_and_switches_the_page(engine, session):
    token, staff_id, _, _ = _setup(session)
    root = tab_at(token, "/console")
    result = call(root, StaffState, "choose_console_language", "es")
    assert "choose_language" in repr(result)
    assert _language(engine, staff_id) == "es"


def test_an_unknown_language_is_refused_and_nothing_is_saved(engine, session):
    token, staff_id, _, _ = _setup(session)
    root = tab_at(token, "/console")
    result = call(root, StaffState, "choose_console_language", "xx")
    assert "Choose a language from the list." in repr(result)
    assert _language(engine, staff_id) == ""


def test_signed_out_caller_cannot_choose(engine, session):
    _, staff_id, _, _ = _setup(session)
    result = call(new_tab(None), StaffState, "choose_console_language", "es")
    assert "/console/login" in repr(result)


def test_the_saved_language_applies_at_sign_in_and_to_server_texts(engine, session):
    token, _, _, booking_id = _setup(session, language="es")
    root = tab_at(token, "/console")
    first = call(root, ConsoleHomeState, "load")
    assert "choose_language" in repr(first)  # the page's texts switch to Spanish
    assert "choose_language" not in repr(call(root, ConsoleHomeState, "load"))  # once
    home = substate(root, ConsoleHomeState)
    (row,) = home.requests
    assert row["status_label"] == gettext("es", STATUS_LABELS[BookingStatus.PENDING])
    assert row["status_label"] != STATUS_LABELS[BookingStatus.PENDING]
    assert any(month in home.today for month in ("enero", "febrero", "marzo", "abril", "mayo",
                                                  "junio", "julio", "agosto", "septiembre",
                                                  "octubre", "noviembre", "diciembre"))
    toast = call(root, ConsoleHomeState, "approve", str(booking_id))
    assert "Aprobada: se avisa al cliente por correo." in repr(toast)
    home = substate(root, ConsoleHomeState)
    assert any(a["text"].startswith("Olivia Owner aprobó Massage de Ana Ruiz")
               for a in home.activity), home.activity


def test_english_stays_english(engine, session):
    token, _, _, booking_id = _setup(session)
    root = tab_at(token, "/console")
    assert "choose_language" not in repr(call(root, ConsoleHomeState, "load"))
    assert "Approved: the client is told by email." in repr(
        call(root, ConsoleHomeState, "approve", str(booking_id)))


def test_search_finds_groups_and_opens_with_the_keyboard(engine, session):
    token, _, ana, _ = _setup(session)
    root = tab_at(token, "/console")
    call(root, ConsoleSearchState, "search", "ana")
    box = substate(root, ConsoleSearchState)
    assert [(h["group"], h["title"], h["first"]) for h in box.search_hits] == [
        ("Clients", "Ana Ruiz", "yes"), ("Bookings", "Ana Ruiz · Massage", "yes")]
    assert box.search_active == 0
    call(root, ConsoleSearchState, "search_key", "ArrowDown")
    assert substate(root, ConsoleSearchState).search_active == 1
    call(root, ConsoleSearchState, "search_key", "ArrowDown")  # wraps to the top
    call(root, ConsoleSearchState, "search_key", "ArrowUp")
    assert substate(root, ConsoleSearchState).search_active == 1
    call(root, ConsoleSearchState, "search_key", "ArrowUp")
    opened = call(root, ConsoleSearchState, "search_key", "Enter")
    assert f"/console/client?id={ana.id}" in repr(opened)
    assert substate(root, ConsoleSearchState).search_hits == []


def test_search_speaks_the_staff_language(engine, session):
    token, _, _, _ = _setup(session, language="es")
    root = tab_at(token, "/console")
    call(root, ConsoleSearchState, "search", "ruiz")
    assert [h["group"] for h in substate(root, ConsoleSearchState).search_hits] == [
        gettext("es", "Clients"), gettext("es", "Bookings")]


def test_signed_out_search_finds_nothing(engine, session):
    _setup(session)
    root = new_tab(None)
    result = call(root, ConsoleSearchState, "search", "ana")
    assert "/console/login" in repr(result)
    assert substate(root, ConsoleSearchState).search_hits == []
    assert call(root, ConsoleSearchState, "search_key", "Enter") is None


def test_the_client_forms_offer_the_zone_picker_in_the_staff_language(engine, session):
    from state.console_client import ClientDetailState
    from state.console_clients import ClientListState

    token, _, ana, _ = _setup(session, language="es")
    root = tab_at(token, "/console/clients")
    call(root, ClientListState, "load")
    options = {o["value"]: o["label"] for o in substate(root, ClientListState).zone_options}
    assert len(options) > 300
    assert options["America/New_York"].startswith("Nueva York, Estados Unidos (UTC")
    page = tab_at(token, f"/console/client?id={ana.id}")
    call(page, ClientDetailState, "load")
    assert len(substate(page, ClientDetailState).zone_options) == len(options)


def test_a_staff_member_sets_their_own_zone_and_console_times_follow_it(engine, session):
    from models import AuditEvent
    from state.console_client import ClientDetailState
    from state.console_me import ConsoleMeState

    token, staff_id, ana, _ = _setup(session)
    session.add(AuditEvent(at=datetime(2026, 12, 6, 3, 0, tzinfo=UTC), actor_kind="client",
                           actor_id=ana.id, action="client.sign_in", client_id=ana.id))
    ana.last_sign_in_at = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
    session.add(ana)
    session.commit()
    root = tab_at(token, "/console/settings")
    call(root, ConsoleMeState, "load")
    me = substate(root, ConsoleMeState)
    assert (me.my_timezone, me.business_timezone) == ("", "America/New_York")
    assert len(me.zone_options) > 300

    assert call(root, ConsoleMeState, "save_my_zone", {"timezone": "Mars/Base"}) is None
    assert substate(root, ConsoleMeState).my_zone_error.startswith("Choose a time zone")
    with Session(engine) as s:
        assert s.get(StaffUser, staff_id).timezone == ""

    assert "saved" in repr(call(root, ConsoleMeState, "save_my_zone",
                                {"timezone": "Europe/Madrid"}))
    with Session(engine) as s:
        assert s.get(StaffUser, staff_id).timezone == "Europe/Madrid"
    page = tab_at(token, f"/console/client?id={ana.id}")
    call(page, ClientDetailState, "load")
    assert substate(page, ClientDetailState).last_sign_in == "Dec 6, 2026, 4:00\u202fAM CET"

    call(root, ConsoleMeState, "save_my_zone", {"timezone": ""})  # back to the business's
    call(page, ClientDetailState, "load")
    assert substate(page, ClientDetailState).last_sign_in == "Dec 5, 2026, 10:00\u202fPM EST"
