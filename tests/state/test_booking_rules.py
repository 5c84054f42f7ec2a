"""Forged booking events: the server enforces the rules whatever the page shows."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from models import Booking, BookingStatus
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.bookings import BookingsState
from tests import factories
from tests.state.harness import call, new_tab, substate


def _signed_in(session, name):
    account, clients = factories.household(session, names=(name,), access="active")
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=clients[0].id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    return token, clients[0]


def _booking(session, client, *, hours: float):
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], change_window_hours=24)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
    booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                      start_at=start, end_at=start + timedelta(hours=1),
                      status=BookingStatus.CONFIRMED)
    session.add(booking)
    session.commit()
    return booking


def test_forged_cancel_inside_the_window_is_refused(engine, session):
    factories.business(session)
    token, client = _signed_in(session, "Forger")
    booking = _booking(session, client, hours=2)

    result = call(new_tab(token), BookingsState, "cancel", str(booking.id))

    assert "within 24 hours" in repr(result)
    session.expire_all()
    assert session.get(Booking, booking.id).status == BookingStatus.CONFIRMED


def test_forged_cancel_of_another_clients_booking_is_refused(engine, session):
    factories.business(session)
    token, _ = _signed_in(session, "Mallory")
    _, victim = _signed_in(session, "Victim")
    booking = _booking(session, victim, hours=72)

    call(new_tab(token), BookingsState, "cancel", str(booking.id))

    session.expire_all()
    assert session.get(Booking, booking.id).status == BookingStatus.CONFIRMED


def test_cancel_outside_the_window_works(engine, session):
    factories.business(session)
    token, client = _signed_in(session, "Olive")
    booking = _booking(session, client, hours=72)

    call(new_tab(token), BookingsState, "cancel", str(booking.id))

    session.expire_all()
    assert session.get(Booking, booking.id).status == BookingStatus.CANCELLED


def test_booking_permission_off_refuses_every_booking_handler(engine, session):
    """"Allow online appointment requests" off: no handler books, moves or cancels."""
    from models import Client

    factories.business(session)
    token, client = _signed_in(session, "NoBook")
    booking = _booking(session, client, hours=72)
    service_id = booking.service_id
    row = session.get(Client, client.id)
    row.perm_booking = False
    session.add(row)
    session.commit()

    tab = new_tab(token)
    assert "/dashboard" in repr(call(tab, BookingsState, "load"))
    call(tab, BookingsState, "choose_service", str(service_id))
    assert substate(tab, BookingsState).service_id == ""  # refused before choosing
    call(tab, BookingsState, "start_reschedule", str(booking.id))
    call(tab, BookingsState, "cancel", str(booking.id))

    session.expire_all()
    assert session.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    assert len(session.exec(select(Booking)).all()) == 1
