"""The console home: approve and decline a request in place (the row stays, with its
new status), ids checked by the service, a non-staff caller refused, the client's
tabs told; the timeline on the client page in sentences."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from models import Booking, BookingStatus
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_client import ClientDetailState
from state.console_home import ConsoleHomeState
from state.live_pages import states_for
from tests import factories
from tests.state.harness import call, substate, tab_at


def _setup(session):
    factories.business(session, timezone="America/New_York")
    staff = factories.staff(session, full_name="Staff 1")
    svc = factories.service(session, providers=[staff], name="Massage (60 min)")
    ana = factories.client(session, full_name="Ana Ruiz")
    start = datetime.now(UTC) + timedelta(days=2)
    ids = []
    for offset in (0, 2):
        b = Booking(client_id=ana.id, service_id=svc.id, staff_id=staff.id,
                    start_at=start + timedelta(hours=offset),
                    end_at=start + timedelta(hours=offset + 1), status=BookingStatus.PENDING)
        session.add(b)
        session.flush()
        ids.append(b.id)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token, ana, ids


def _status(engine, booking_id):
    with Session(engine) as s:
        return s.get(Booking, booking_id).status


def test_approve_in_place_keeps_the_row_confirmed(engine, session):
    token, _, (first, second) = _setup(session)
    root = tab_at(token, "/console")
    call(root, ConsoleHomeState, "load")
    home = substate(root, ConsoleHomeState)
    assert [r["id"] for r in home.requests] == [str(first), str(second)]

    result = call(root, ConsoleHomeState, "approve", str(first))
    assert "Approved" in repr(result)
    assert _status(engine, first) == BookingStatus.CONFIRMED
    home = substate(root, ConsoleHomeState)
    rows = {r["id"]: r for r in home.requests}
    assert rows[str(first)]["status_label"] == "Confirmed"
    assert rows[str(second)]["status"] == BookingStatus.PENDING
    # The activity feed now says it in words.
    assert any(a["text"].startswith("Staff 1 approved Ana Ruiz's Massage")
               for a in home.activity)


def test_decline_asks_for_a_message_and_updates_the_row(engine, session):
    token, _, (first, _) = _setup(session)
    root = tab_at(token, "/console")
    call(root, ConsoleHomeState, "load")
    call(root, ConsoleHomeState, "ask_decline", str(first))
    home = substate(root, ConsoleHomeState)
    assert home.decline_open and home.decline_id == str(first)
    assert "Ana Ruiz" in home.decline_label
    result = call(root, ConsoleHomeState, "decline",
                  {"booking_id": str(first), "message": "Fully booked that day"})
    assert "Declined" in repr(result)
    with Session(engine) as s:
        b = s.get(Booking, first)
        assert (b.status, b.staff_message) == (BookingStatus.DECLINED, "Fully booked that day")
    home = substate(root, ConsoleHomeState)
    assert not home.decline_open
    assert {r["id"]: r["status_label"] for r in home.requests}[str(first)] == "Declined"


def test_unknown_or_settled_ids_are_refused(engine, session):
    token, _, (first, _) = _setup(session)
    root = tab_at(token, "/console")
    call(root, ConsoleHomeState, "load")
    call(root, ConsoleHomeState, "approve", str(first))
    for name, arg in (("approve", "999999"), ("approve", "x"), ("approve", str(first)),
                      ("decline", {"booking_id": "999999"}), ("ask_decline", "999999"),
                      ("ask_decline", str(first))):
        result = call(root, ConsoleHomeState, name, arg)
        assert "toast" in repr(result).lower() or "error" in repr(result).lower(), (name, arg)
    assert _status(engine, first) == BookingStatus.CONFIRMED


def test_a_signed_out_caller_cannot_approve(engine, session):
    _, _, (first, _) = _setup(session)
    root = tab_at(None, "/console")
    assert "/console/login" in repr(call(root, ConsoleHomeState, "approve", str(first)))
    assert _status(engine, first) == BookingStatus.PENDING


def test_the_home_reloads_on_a_live_push():
    assert ConsoleHomeState in states_for("/console")
    assert ConsoleHomeState in states_for("/console/")


def test_the_client_timeline_is_in_sentences(engine, session):
    token, ana, (first, _) = _setup(session)
    root = tab_at(token, "/console")
    call(root, ConsoleHomeState, "load")
    call(root, ConsoleHomeState, "approve", str(first))
    root = tab_at(token, f"/console/client?id={ana.id}")
    call(root, ClientDetailState, "load")
    labels = [e["label"] for e in substate(root, ClientDetailState).events]
    assert labels and labels[0].startswith("Staff 1 approved Ana Ruiz's Massage (60 min) on ")
    assert not any("booking.approved" in label for label in labels)


def test_a_clients_booking_change_refreshes_the_console(engine, session, monkeypatch):
    import state.bookings
    from state.bookings import BookingsState
    from tests.state.harness import new_tab, signed_in_client

    pushed = []
    monkeypatch.setattr(state.bookings.live, "staff_changed", lambda **kw: pushed.append(kw))
    factories.business(session)
    token, client = signed_in_client(session, "Carla Cancel")
    staff = factories.staff(session)
    svc = factories.service(session, providers=[staff])
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    booking = Booking(client_id=client.id, service_id=svc.id, staff_id=staff.id,
                      start_at=start, end_at=start + timedelta(hours=1))
    session.add(booking)
    session.commit()
    call(new_tab(token), BookingsState, "cancel", str(booking.id))
    assert _status(engine, booking.id) == BookingStatus.CANCELLED
    assert pushed == [{"about": "bookings"}]  # the week view shows it: it redraws


def test_forms_outstanding_show_once_the_forms_app_lists_them(engine, session, monkeypatch):
    from portal_app.services import console_home

    token, ana, _ = _setup(session)
    root = tab_at(token, "/console")
    call(root, ConsoleHomeState, "load")
    assert substate(root, ConsoleHomeState).forms == []
    monkeypatch.setattr(console_home, "forms_outstanding", lambda s, *, now: [
        console_home.FormOutstanding(ana.id, "Ana Ruiz", "Intake form",
                                     datetime(2026, 12, 1, 15, tzinfo=UTC))])
    call(root, ConsoleHomeState, "load")
    (row,) = substate(root, ConsoleHomeState).forms
    assert (row["client"], row["title"], row["url"]) == (
        "Ana Ruiz", "Intake form", f"/console/client?id={ana.id}")
    assert row["sent"].endswith("EST")
