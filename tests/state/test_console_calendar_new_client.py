"""Console → Calendar, "New client" inside the "New booking" dialog: staff only;
the client is made by the clients list's sequence (Email OK, invitation, the
"when a client is created" packets), once, picked for the booking, and booked;
bad input is said beside its field and nothing is created."""

from sqlmodel import select

from models import Booking, Client, FormRequest, Invitation, OutboxMessage, PortalAccess
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.templates import create_template
from state.console_calendar import CalendarState
from tests.state.harness import call, substate
from tests.state.test_console_billing import client_token, tab
from tests.state.test_console_calendar import (
    MONDAY,
    _at,
    _week,
    world,  # noqa: F401  (the fixture)
)
from tests.unit.forms_helpers import INTAKE_FIELDS

ZED = {"full_name": "Zed Nuevo", "email": "zed@example.test", "mobile": "",
       "email_ok": "on", "invite": "on"}


def _clients(session) -> list[str]:
    session.expire_all()
    return sorted(session.exec(select(Client.full_name)).all())


def _open_dialog(token, start="2030-06-04T10:00"):
    root, page = _week(token)
    call(root, CalendarState, "open_slot", start)
    call(root, CalendarState, "search_clients", "Zed")
    assert page.new_open and page.new_results == []
    call(root, CalendarState, "show_new_client", True)
    assert page.new_client_open and page.new_client_activation == "manual"
    return root, page


def test_a_client_made_in_the_dialog_is_picked_then_booked(world, session):  # noqa: F811
    intake = create_template(session, staff_id=world["staff"].id, title="Intake",
                             fields=INTAKE_FIELDS)
    create_packet(session, staff_id=world["staff"].id, name="New client",
                  template_ids=[intake.id], trigger="client_created")
    session.commit()
    root, page = _open_dialog(world["token"])

    result = call(root, CalendarState, "add_client", dict(ZED))
    assert "Client added: Zed Nuevo" in repr(result)
    assert (page.new_client_name, page.new_client_open, page.new_client_error) == (
        "Zed Nuevo", False, "")
    # A second submit of the same form (a double click) adds no one.
    call(root, CalendarState, "add_client", dict(ZED))
    assert _clients(session) == ["Ana Ruiz", "Ben Ortiz", "Zed Nuevo"]
    zed = session.exec(select(Client).where(Client.full_name == "Zed Nuevo")).one()
    assert (zed.email, zed.email_ok, zed.portal_access) == (
        "zed@example.test", True, PortalAccess.INVITED)
    assert len(session.exec(select(Invitation).where(Invitation.client_id == zed.id)).all()) == 1
    assert [r.template_id for r in session.exec(select(FormRequest).where(
        FormRequest.client_id == zed.id)).all()] == [intake.id]
    assert session.exec(select(OutboxMessage.to)).all().count("zed@example.test") >= 1

    call(root, CalendarState, "create_booking", {"service_id": str(world["service"].id)})
    assert page.new_error == "" and not page.new_open
    booking = session.exec(select(Booking).where(Booking.client_id == zed.id)).one()
    assert booking.start_at == _at(MONDAY.replace(day=4), 10)
    assert any(b["client"] == "Zed Nuevo" for b in page.blocks)


def test_bad_input_is_said_beside_its_field_and_creates_nothing(world, session):  # noqa: F811
    root, page = _open_dialog(world["token"])
    before = _clients(session)
    for form, field, words in (
        ({**ZED, "full_name": "  "}, "full_name", "Enter your full name."),
        ({**ZED, "email": "not an email"}, "email", "Enter a valid email address."),
        ({**ZED, "mobile": "12"}, "mobile", ""),
        ({**ZED, "email_ok": ""}, "email_ok", "Email OK"),  # invited without consent
        ({**ZED, "email": ""}, "email", ""),  # invited without an address
    ):
        assert call(root, CalendarState, "add_client", form) is None
        assert page.new_client_error_field == field, form
        assert words in page.new_client_error and page.new_client_error
        assert page.new_client_open and page.new_client_name == ""
        assert _clients(session) == before
    assert session.exec(select(Invitation)).all() == []
    # Nobody picked: the booking is refused beside the client field.
    call(root, CalendarState, "create_booking", {"service_id": str(world["service"].id)})
    assert page.new_error_field == "client"
    assert session.exec(select(Booking).where(Booking.client_id != world["ben"].id)).all() == []


def test_only_staff_with_the_dialog_open_can_add_a_client(world, session):  # noqa: F811
    outsider = tab(client_token(session))
    before = _clients(session)
    result = call(outsider, CalendarState, "add_client", dict(ZED))
    assert "/console/login" in repr(result)
    assert "/console/login" in repr(call(outsider, CalendarState, "show_new_client", True))
    assert not substate(outsider, CalendarState).new_client_open
    # Staff, but no "New booking" dialog open: the form is not there, nothing is added.
    root, page = _week(world["token"])
    call(root, CalendarState, "show_new_client", True)
    assert not page.new_client_open
    assert call(root, CalendarState, "add_client", dict(ZED)) is None
    assert _clients(session) == before
    # A new time clicked starts with the form closed.
    root, page = _open_dialog(world["token"])
    call(root, CalendarState, "open_slot", "2030-06-05T10:00")
    assert not page.new_client_open and page.new_client_error == ""
