"""Reminders are queued once per booking, whatever runs the job and how often."""

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from models import Booking, BookingStatus, OutboxMessage, PortalAccount
from portal_app.jobs import remind_once
from tests import factories


def _confirmed_booking(session, *, starts_in: timedelta, mobile: str = "") -> Booking:
    factories.business(session, reminder_hours=24, timezone="America/New_York")
    account, (client,) = factories.household(session, names=("Remy",), mobile=mobile,
                                             access="active")
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff])
    start = datetime.now(UTC).replace(microsecond=0) + starts_in
    booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                      start_at=start, end_at=start + timedelta(hours=1),
                      status=BookingStatus.CONFIRMED)
    session.add(booking)
    session.commit()
    return booking


def _reminders(session, to: str) -> list[OutboxMessage]:
    session.expire_all()
    return [m for m in session.exec(select(OutboxMessage).where(OutboxMessage.to == to)).all()
            if m.subject.startswith("Reminder")]


def test_reminder_is_queued_once_when_due(engine, session):
    booking = _confirmed_booking(session, starts_in=timedelta(hours=3))
    email = session.get(PortalAccount, 1).email

    assert remind_once() == 1
    assert remind_once() == 0  # a second pass (or a restarted worker) sends nothing
    sent = _reminders(session, email)
    assert len(sent) == 1
    assert any(a["filename"] == "booking.ics" for a in sent[0].attachments)
    assert "(America/New_York)" in sent[0].body_text  # the zone is named
    session.expire_all()
    assert session.get(Booking, booking.id).reminder_sent_at is not None


def test_reminder_is_not_queued_before_its_time(engine, session):
    _confirmed_booking(session, starts_in=timedelta(hours=48))

    assert remind_once() == 0


def test_two_workers_at_once_queue_one_reminder(engine, session):
    _confirmed_booking(session, starts_in=timedelta(hours=1))
    email = session.get(PortalAccount, 1).email
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        counts.append(remind_once())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(counts) == 1
    assert len(_reminders(session, email)) == 1
