"""The .ics a client gets (emailed with each notice, or from "Add to calendar") follows
the booking's changes: SEQUENCE goes up on every change, a cancellation is a
METHOD:CANCEL. Read back with vobject, a second iCalendar parser (the code writes
with `icalendar`), so the files are checked as another program reads them."""

import base64
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import vobject
from sqlmodel import select

from models import BookingStatus, Business, OutboxMessage, Service
from portal_app.services.calendar_ics import booking_calendar, booking_ics
from portal_app.services.scheduling import booking_changes
from tests import factories
from tests.unit.helpers import NOW

AT = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)  # a Monday; NOW is the Wednesday before
BASE = "https://portal.example.test"


def _setup(session, **service_fields):
    factories.business(session, timezone="America/Chicago")
    staff = factories.staff(session)
    factories.working_hours(session, staff, (0, "00:00", "23:55"))
    svc = factories.service(session, providers=[staff], duration_minutes=60, **service_fields)
    return staff, svc, factories.client(session)


def _parse(data: bytes):
    cal = vobject.readOne(data.decode())
    (event,) = cal.vevent_list
    return cal, event


def _emailed(session, to: str, event: str):
    """The .ics of the last `event` notice queued for `to`, parsed."""
    rows = session.exec(select(OutboxMessage).where(OutboxMessage.to == to)
                        .order_by(OutboxMessage.id)).all()
    (message,) = [m for m in rows if m.idempotency_key.split("-")[2] == event][-1:]
    (ics,) = [a for a in message.attachments if a["filename"] == "booking.ics"]
    return _parse(base64.b64decode(ics["content_b64"]))


def test_the_time_zone_reads_right_in_winter_summer_and_other_zones():
    """The VTIMEZONE is written with yearly rules, as calendar programs write it, so a
    second parser (vobject, like Outlook) reads each moment back exactly."""
    moments = [datetime(2026, 1, 6, 15, tzinfo=UTC), datetime(2026, 3, 8, 8, tzinfo=UTC),
               datetime(2026, 7, 6, 3, tzinfo=UTC), datetime(2027, 12, 6, 15, tzinfo=UTC)]
    for zone in ("America/Chicago", "Europe/Madrid", "Australia/Sydney", "Asia/Tokyo",
                 "America/St_Johns", "Africa/Casablanca"):
        for at in moments:
            data = booking_ics(uid="x", summary="s", start_at=at, end_at=at + timedelta(hours=1),
                               timezone=zone)
            cal, event = _parse(data)
            assert event.dtstart.value == at, (zone, at, event.dtstart.value)
            assert event.dtstart.value.utcoffset() == at.astimezone(ZoneInfo(zone)).utcoffset()


def _current(session, booking):
    data = booking_calendar(booking=booking, service=session.get(Service, booking.service_id),
                            business=session.exec(select(Business)).first(), base_url=BASE)
    return _parse(data)


def test_every_change_raises_the_sequence_and_a_cancel_is_a_cancel(session):
    staff, svc, client = _setup(session)
    booking = booking_changes.book_with_notice(session, client_id=client.id, service_id=svc.id,
                                               start_at=AT, now=NOW, base_url=BASE)
    cal, first = _emailed(session, client.email, "confirmed")
    assert cal.method.value == "PUBLISH"
    assert (first.sequence.value, first.status.value) == ("0", "CONFIRMED")
    # In the business's zone, and vobject reads the same moment back through the file's
    # own VTIMEZONE (it read May as winter time from icalendar's RDATE lists).
    assert first.dtstart.value == AT and first.dtstart.value.utcoffset() == timedelta(hours=-5)
    assert str(first.dtstart.value.tzinfo) != "UTC" and cal.vtimezone.tzid.value == (
        "America/Chicago")

    moved_to = AT + timedelta(hours=3)
    booking_changes.reschedule_with_notice(session, client_id=client.id, booking_id=booking.id,
                                           new_start=moved_to, now=NOW, base_url=BASE)
    _, moved = _emailed(session, client.email, "rescheduled")
    assert moved.uid.value == first.uid.value
    assert moved.sequence.value == "1" and moved.dtstart.value == moved_to
    booking_changes.reschedule_with_notice(session, client_id=None, booking_id=booking.id,
                                           new_start=AT + timedelta(hours=5), now=NOW,
                                           base_url=BASE, by_staff_id=staff.id)
    assert _emailed(session, client.email, "rescheduled")[1].sequence.value == "2"

    booking_changes.cancel_with_notice(session, client_id=client.id, booking_id=booking.id,
                                       now=NOW, base_url=BASE)
    cal, cancelled = _emailed(session, client.email, "cancelled")
    assert cal.method.value == "CANCEL" and cancelled.status.value == "CANCELLED"
    assert cancelled.uid.value == first.uid.value and cancelled.sequence.value == "3"
    # "Add to calendar" afterwards gives the same cancellation.
    cal, now_file = _current(session, booking)
    assert (cal.method.value, now_file.status.value, now_file.sequence.value) == (
        "CANCEL", "CANCELLED", "3")


def test_a_request_is_tentative_until_approved_and_a_decline_cancels_it(session):
    staff, svc, client = _setup(session, needs_approval=True)
    one = booking_changes.book_with_notice(session, client_id=client.id, service_id=svc.id,
                                           start_at=AT, now=NOW, base_url=BASE)
    two = booking_changes.book_with_notice(session, client_id=client.id, service_id=svc.id,
                                           start_at=AT + timedelta(hours=2), now=NOW,
                                           base_url=BASE)
    assert one.status == BookingStatus.PENDING
    cal, waiting = _current(session, one)
    assert (cal.method.value, waiting.status.value, waiting.sequence.value) == (
        "PUBLISH", "TENTATIVE", "0")

    booking_changes.approve_with_notice(session, staff_id=staff.id, booking_id=one.id,
                                        base_url=BASE)
    cal, approved = _emailed(session, client.email, "approved")
    assert (cal.method.value, approved.status.value, approved.sequence.value) == (
        "PUBLISH", "CONFIRMED", "1")

    booking_changes.decline_with_notice(session, staff_id=staff.id, booking_id=two.id,
                                        message="", base_url=BASE)
    cal, declined = _current(session, two)
    assert (cal.method.value, declined.status.value, declined.sequence.value) == (
        "CANCEL", "CANCELLED", "1")
