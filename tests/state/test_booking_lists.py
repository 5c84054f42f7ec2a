"""A booking cancelled for a future date is listed the same way on both sides
(booking_groups): not Upcoming for the client, the dashboard or the console; under
Past for the client and under Cancelled in the console."""

from datetime import UTC, datetime, timedelta

from models import Booking, BookingStatus
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.bookings import BookingsState
from state.console_scheduling import StaffBookingsState
from state.upcoming import upcoming_cards
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate


def _staff_tab(session):
    staff = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return new_tab(token)


def test_a_future_booking_cancelled_is_past_for_the_client_and_cancelled_in_the_console(
        engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Carla Cancel")
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff])
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    kept, dropped = (Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                             start_at=start + timedelta(hours=h),
                             end_at=start + timedelta(hours=h + 1),
                             status=BookingStatus.CONFIRMED) for h in (0, 2))
    session.add_all([kept, dropped])
    session.commit()

    client_tab = new_tab(token)
    call(client_tab, BookingsState, "cancel", str(dropped.id))
    session.expire_all()
    assert session.get(Booking, dropped.id).status == BookingStatus.CANCELLED

    page = substate(client_tab, BookingsState)
    call(client_tab, BookingsState, "load")
    assert [r["id"] for r in page.rows] == [str(kept.id)]
    call(client_tab, BookingsState, "show_tab", "past")
    call(client_tab, BookingsState, "load")
    assert [(r["id"], r["status_label"]) for r in page.rows] == [(str(dropped.id), "Cancelled")]
    assert [c["service"] for c in upcoming_cards(session, client_id=client.id,
                                                  zone="UTC")] == [service.name]

    console = _staff_tab(session)
    listing = substate(console, StaffBookingsState)
    call(console, StaffBookingsState, "load")
    mine = [r for r in listing.rows if r["client"] == client.full_name]
    assert [r["id"] for r in mine] == [str(kept.id)]
    call(console, StaffBookingsState, "show", "cancelled")
    call(console, StaffBookingsState, "load")
    mine = [r for r in listing.rows if r["client"] == client.full_name]
    assert [(r["id"], r["status_label"]) for r in mine] == [(str(dropped.id), "Cancelled")]
