"""Which notice a booking change sends (queued in the change's own transaction), and
the change-window refusal a client's booking list shows: rules in the services, no Reflex."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models import Booking, BookingStatus, OutboxMessage
from portal_app.services.errors import ServiceError
from portal_app.services.scheduling import booking_changes, bookings
from portal_app.services.scheduling.bookings import SlotTaken
from tests import factories
from tests.unit.helpers import NOW

AT = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)  # a Monday; NOW is the Wednesday before
BASE = "https://portal.example.test"


def _setup(session, **service_fields):
    factories.business(session, timezone="UTC")
    staff = factories.staff(session)
    factories.working_hours(session, staff, (0, "09:00", "17:00"))
    svc = factories.service(session, providers=[staff], duration_minutes=60, **service_fields)
    return staff, svc, factories.client(session)


def _events(session) -> list[str]:
    """The booking notices queued, in order, by event name (from the idempotency key)."""
    keys = session.exec(select(OutboxMessage.idempotency_key).order_by(OutboxMessage.id)).all()
    return [k.split("-")[2] for k in keys if k.startswith("booking-")]


def _book(session, client, svc, at=AT, **kw):
    return booking_changes.book_with_notice(session, client_id=client.id, service_id=svc.id,
                                            start_at=at, now=NOW, base_url=BASE, **kw)


def test_an_instant_booking_is_confirmed_and_a_request_is_acknowledged(session):
    _staff, svc, client = _setup(session)
    _book(session, client, svc)
    _staff2, wait, _ = _setup(session, needs_approval=True)
    pending = _book(session, client, wait, AT + timedelta(hours=3))
    assert pending.status == BookingStatus.PENDING
    assert _events(session) == ["confirmed", "requested"]


def test_staff_booking_of_an_approval_service_is_confirmed(session):
    staff, svc, client = _setup(session, needs_approval=True)
    booking = _book(session, client, svc, by_staff_id=staff.id)
    assert (booking.status, booking.created_by) == (BookingStatus.CONFIRMED, "staff")
    assert _events(session) == ["confirmed"]


def test_a_clients_move_that_needs_approval_says_change_requested(session):
    staff, svc, client = _setup(session, needs_approval=True)
    booking = _book(session, client, svc, by_staff_id=staff.id)
    booking_changes.reschedule_with_notice(session, client_id=client.id, booking_id=booking.id,
                                           new_start=AT + timedelta(hours=2), now=NOW,
                                           base_url=BASE)
    assert booking.status == BookingStatus.PENDING
    # Staff moving a booking that still waits for approval: a plain "moved".
    booking_changes.reschedule_with_notice(session, client_id=None, booking_id=booking.id,
                                           new_start=AT + timedelta(hours=4), now=NOW,
                                           base_url=BASE, by_staff_id=staff.id)
    assert _events(session) == ["confirmed", "rescheduled_pending", "rescheduled"]


def test_an_instant_move_cancel_approve_and_decline_each_send_theirs(session):
    staff, svc, client = _setup(session)
    booking = _book(session, client, svc)
    booking_changes.reschedule_with_notice(session, client_id=client.id, booking_id=booking.id,
                                           new_start=AT + timedelta(hours=1), now=NOW,
                                           base_url=BASE)
    booking_changes.cancel_with_notice(session, client_id=client.id, booking_id=booking.id,
                                       now=NOW, base_url=BASE)
    _s, wait, _c = _setup(session, needs_approval=True)
    one = _book(session, client, wait, AT + timedelta(hours=5))
    two = _book(session, client, wait, AT + timedelta(hours=6))
    booking_changes.approve_with_notice(session, staff_id=staff.id, booking_id=one.id,
                                        base_url=BASE)
    booking_changes.decline_with_notice(session, staff_id=staff.id, booking_id=two.id,
                                        message="  Fully booked. ", base_url=BASE)
    assert two.staff_message == "Fully booked."
    assert _events(session) == ["confirmed", "rescheduled", "cancelled", "requested",
                                "requested", "approved", "declined"]


def test_a_refused_change_queues_no_notice(session):
    _staff, svc, client = _setup(session)
    booking = _book(session, client, svc)
    session.commit()
    other = factories.client(session)
    with pytest.raises(SlotTaken):
        _book(session, other, svc, AT + timedelta(minutes=30))
    with pytest.raises(ServiceError):  # inside the 24-hour window
        booking_changes.cancel_with_notice(session, client_id=client.id, booking_id=booking.id,
                                           now=AT - timedelta(hours=2), base_url=BASE)
    assert _events(session) == ["confirmed"]


# --- the change window as a list shows it ---------------------------------------------------


def _view(session, client, *, now):
    (view,) = [*bookings.list_client_bookings(session, client_id=client.id, now=now,
                                              upcoming=True),
               *bookings.list_client_bookings(session, client_id=client.id, now=now,
                                              upcoming=False)]
    return view


@pytest.mark.parametrize(("now", "refusal", "shown"), [
    (AT - timedelta(hours=25), "", ""),
    (AT - timedelta(hours=24), "Changes are not possible within 24 hours of the start. "
     "Please contact us.", "same"),
    (AT + timedelta(minutes=10), "This appointment has already started. Please contact us.",
     "same"),
    (AT + timedelta(hours=2), "This appointment has already started. Please contact us.", ""),
])
def test_a_listed_booking_gives_the_services_refusal(session, now, refusal, shown):
    _staff, svc, client = _setup(session)
    booking = bookings.book_slot(session, client_id=client.id, service_id=svc.id, start_at=AT,
                                 now=NOW)
    view = _view(session, client, now=now)
    assert view.change_refusal(now) == refusal == bookings.change_refusal(booking, svc, now)
    assert view.refusal_shown(now) == (refusal if shown == "same" else "")


def test_a_cancelled_booking_shows_no_refusal_and_a_one_hour_window_says_one_hour(session):
    _staff, svc, client = _setup(session, change_window_hours=1)
    booking = bookings.book_slot(session, client_id=client.id, service_id=svc.id, start_at=AT,
                                 now=NOW)
    view = _view(session, client, now=AT - timedelta(minutes=30))
    assert view.refusal_shown(AT - timedelta(minutes=30)) == (
        "Changes are not possible within 1 hour of the start. Please contact us.")
    bookings.cancel_booking(session, client_id=client.id, booking_id=booking.id, now=NOW)
    view = _view(session, client, now=NOW)
    assert view.change_refusal(NOW) == "This booking is no longer active."
    assert view.refusal_shown(NOW) == ""
    assert session.get(Booking, booking.id).status == BookingStatus.CANCELLED
