"""Bookings: statuses, double-booking races, change window, reschedule, decline, lists,
reminders."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, insert
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel, select

from models import AuditEvent, Booking, BookingLock, BookingStatus
from portal_app.db import make_engine
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.scheduling import booking_groups as groups
from portal_app.services.scheduling import bookings, slots
from portal_app.services.scheduling.bookings import SlotTaken
from tests import factories
from tests.unit.helpers import NOW

AT = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)  # a Monday; NOW is the Wednesday before


def _setup(session, **service_fields):
    factories.business(session, timezone="UTC")
    staff = factories.staff(session)
    factories.working_hours(session, staff, (0, "09:00", "17:00"))
    svc = factories.service(session, providers=[staff], duration_minutes=60, **service_fields)
    return staff, svc


@pytest.fixture
def world(session):
    staff, svc = _setup(session)
    return staff, svc, factories.client(session), factories.client(session)


def _book(session, client, svc, at=AT, **kw):
    return bookings.book_slot(session, client_id=client.id, service_id=svc.id, start_at=at,
                              now=NOW, **kw)


def _lock_units(session, booking_id):
    return session.exec(select(BookingLock.unit_start).where(
        BookingLock.booking_id == booking_id).order_by(BookingLock.unit_start)).all()


def test_book_confirms_and_writes_one_lock_per_unit(session, world):
    _staff, svc, alice, _bob = world
    b = _book(session, alice, svc)
    assert b.status == BookingStatus.CONFIRMED
    assert b.end_at == AT + timedelta(hours=1)
    units = _lock_units(session, b.id)
    assert len(units) == 12 and units[0] == AT and units[-1] == AT + timedelta(minutes=55)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "booking.created")).first()


def test_lock_rows_cover_buffers(session):
    _staff, svc = _setup(session, buffer_before_minutes=10, buffer_after_minutes=15)
    b = _book(session, factories.client(session), svc, AT + timedelta(hours=1))
    units = _lock_units(session, b.id)
    assert units[0] == AT + timedelta(minutes=50)
    assert units[-1] == AT + timedelta(hours=2, minutes=10)
    assert len(units) == (10 + 60 + 15) // 5


def test_needs_approval_makes_client_bookings_pending_but_not_staff_ones(session):
    _staff, svc = _setup(session, needs_approval=True)
    c = factories.client(session)
    assert _book(session, c, svc).status == BookingStatus.PENDING
    staff_made = _book(session, c, svc, AT + timedelta(hours=2), created_by="staff")
    assert staff_made.status == BookingStatus.CONFIRMED


def test_second_booking_of_the_same_time_is_slot_taken(session, world):
    _staff, svc, alice, bob = world
    _book(session, alice, svc)
    with pytest.raises(SlotTaken) as exc:
        _book(session, bob, svc, AT + timedelta(minutes=30))
    assert exc.value.message == "That time was just taken. Please choose another."


def test_lock_conflict_on_flush_becomes_slot_taken(session, world, monkeypatch):
    """Simulate the race: the free check passes but another booking already holds the units."""
    _staff, svc, alice, bob = world
    first = _book(session, alice, svc)
    session.commit()
    monkeypatch.setattr(bookings, "free_staff_at", lambda *a, **k: [first.staff_id])
    with pytest.raises(SlotTaken):
        _book(session, bob, svc)
    assert session.exec(select(func.count()).select_from(Booking)).one() == 1


def test_client_booking_respects_notice_staff_booking_does_not(session):
    _staff, svc = _setup(session, min_notice_minutes=24 * 60)
    c = factories.client(session)
    soon = datetime(2030, 5, 6, 10, 0, tzinfo=UTC)
    with pytest.raises(SlotTaken):
        bookings.book_slot(session, client_id=c.id, service_id=svc.id, start_at=soon,
                           now=soon - timedelta(hours=2))
    b = bookings.book_slot(session, client_id=c.id, service_id=svc.id, start_at=soon,
                           now=soon - timedelta(hours=2), created_by="staff")
    assert b.id
    # Outside working hours is refused for staff too.
    with pytest.raises(SlotTaken):
        bookings.book_slot(session, client_id=c.id, service_id=svc.id,
                           start_at=soon.replace(hour=18), now=NOW, created_by="staff")


def test_inactive_service_and_foreign_staff_are_refused(session, world):
    _staff, svc, alice, _bob = world
    other = factories.staff(session)
    with pytest.raises(ServiceError) as exc:
        _book(session, alice, svc, staff_id=other.id)
    assert exc.value.field == "staff_id"
    svc.active = False
    session.add(svc)
    session.flush()
    with pytest.raises(ServiceError):
        _book(session, alice, svc)


# --- races ---------------------------------------------------------------------------------


def _race(engine, threads=20):
    with Session(engine, expire_on_commit=False) as s:
        _staff, svc = _setup(s)
        client_ids = [factories.client(s).id for _ in range(threads)]
        service_id = svc.id
        s.commit()
    barrier = threading.Barrier(threads)
    outcomes, lock = [], threading.Lock()

    def attempt(client_id):
        with Session(engine, expire_on_commit=False) as s:
            barrier.wait(timeout=30)
            try:
                bookings.book_slot(s, client_id=client_id, service_id=service_id, start_at=AT,
                                   now=NOW)
                s.commit()
                outcome = "booked"
            except SlotTaken:
                s.rollback()
                outcome = "taken"
            except OperationalError:  # "database is locked" counts as a loss
                s.rollback()
                outcome = "locked"
            except Exception as exc:  # reported, not swallowed
                s.rollback()
                outcome = f"error: {exc!r}"
        with lock:
            outcomes.append(outcome)

    workers = [threading.Thread(target=attempt, args=(cid,)) for cid in client_ids]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert len(outcomes) == threads, "a worker did not finish"
    with Session(engine) as s:
        holding = s.exec(select(Booking).where(
            Booking.start_at < AT + timedelta(hours=1), Booking.end_at > AT,
            Booking.status.in_(BookingStatus.HOLDS_TIME))).all()
    return outcomes, holding


def test_twenty_concurrent_bookings_of_one_slot_sqlite(engine):
    outcomes, holding = _race(engine)
    assert outcomes.count("booked") == 1, outcomes
    assert all(o in ("booked", "taken", "locked") for o in outcomes), outcomes
    assert len(holding) == 1


@pytest.mark.postgres
def test_twenty_concurrent_bookings_of_one_slot_postgres(pg_url):
    engine = make_engine(pg_url)
    try:
        SQLModel.metadata.create_all(engine)
        outcomes, holding = _race(engine)
    finally:
        engine.dispose()
    assert outcomes.count("booked") == 1, outcomes
    assert outcomes.count("taken") == 19, outcomes
    assert len(holding) == 1


# --- change window, ownership, reschedule, cancel, decline ---------------------------------


def test_change_window_boundary_is_closed(session, world):
    """Rule: a client may change only while now < start - change_window_hours."""
    _staff, svc, alice, _bob = world
    b = _book(session, alice, svc)
    boundary = AT - timedelta(hours=24)
    assert not bookings.change_window_open(b, svc, boundary)
    assert bookings.change_window_open(b, svc, boundary - timedelta(seconds=1))
    assert bookings.change_refusal(b, svc, boundary) == (
        "Changes are not possible within 24 hours of the start. Please contact us.")
    assert bookings.change_refusal(b, svc, boundary - timedelta(seconds=1)) == ""
    with pytest.raises(ServiceError) as exc:
        bookings.cancel_booking(session, client_id=alice.id, booking_id=b.id, now=boundary)
    assert "within 24 hours" in exc.value.message
    assert b.status == BookingStatus.CONFIRMED
    done = bookings.cancel_booking(session, client_id=alice.id, booking_id=b.id,
                                   now=boundary - timedelta(seconds=1))
    assert done.status == BookingStatus.CANCELLED
    assert _lock_units(session, b.id) == []
    # Staff may cancel inside the window (here: a second booking at the boundary).
    b2 = _book(session, alice, svc)
    staff_done = bookings.cancel_booking(session, client_id=None, booking_id=b2.id, now=boundary,
                                         by_staff_id=1, message="Sorry, we are closed.")
    assert staff_done.status == BookingStatus.CANCELLED
    assert staff_done.staff_message == "Sorry, we are closed."


def test_get_booking_for_checks_ownership(session, world):
    _staff, svc, alice, bob = world
    b = _book(session, alice, svc)
    assert bookings.get_booking_for(session, client_id=alice.id, booking_id=b.id).id == b.id
    with pytest.raises(NotFound):
        bookings.get_booking_for(session, client_id=bob.id, booking_id=b.id)
    with pytest.raises(NotFound):
        bookings.cancel_booking(session, client_id=bob.id, booking_id=b.id, now=NOW)
    with pytest.raises(NotFound):
        bookings.reschedule_booking(session, client_id=bob.id, booking_id=b.id,
                                    new_start=AT + timedelta(hours=2), now=NOW)
    with pytest.raises(NotFound):
        bookings.get_booking_for(session, client_id=alice.id, booking_id="nope")


def test_reschedule_moves_the_locks(session, world):
    staff, svc, alice, bob = world
    b = _book(session, alice, svc)
    new = AT + timedelta(hours=3)
    moved = bookings.reschedule_booking(session, client_id=alice.id, booking_id=b.id,
                                        new_start=new, now=NOW)
    assert moved.start_at == new and moved.end_at == new + timedelta(hours=1)
    assert _lock_units(session, b.id)[0] == new
    assert slots.is_free(session, service_id=svc.id, staff_id=staff.id, start_at=AT, now=NOW)
    assert not slots.is_free(session, service_id=svc.id, staff_id=staff.id, start_at=new, now=NOW)
    # An overlapping move of its own booking is fine (its old locks are excluded).
    bookings.reschedule_booking(session, client_id=alice.id, booking_id=b.id,
                                new_start=new + timedelta(minutes=30), now=NOW)
    # Moving onto someone else's booking is refused.
    other = _book(session, bob, svc, AT)
    with pytest.raises(SlotTaken):
        bookings.reschedule_booking(session, client_id=bob.id, booking_id=other.id,
                                    new_start=new, now=NOW)


def test_client_reschedule_of_approval_service_goes_back_to_pending(session):
    _staff, svc = _setup(session, needs_approval=True)
    c = factories.client(session)
    b = _book(session, c, svc)
    bookings.approve_booking(session, staff_id=1, booking_id=b.id)
    assert b.status == BookingStatus.CONFIRMED
    bookings.reschedule_booking(session, client_id=c.id, booking_id=b.id,
                                new_start=AT + timedelta(hours=2), now=NOW)
    assert b.status == BookingStatus.PENDING
    bookings.approve_booking(session, staff_id=1, booking_id=b.id)
    bookings.reschedule_booking(session, client_id=None, by_staff_id=1, booking_id=b.id,
                                new_start=AT + timedelta(hours=4), now=AT)  # inside window
    assert b.status == BookingStatus.CONFIRMED


def test_decline_frees_the_time(session):
    staff, svc = _setup(session, needs_approval=True)
    c = factories.client(session)
    b = _book(session, c, svc)
    assert not slots.is_free(session, service_id=svc.id, staff_id=staff.id, start_at=AT, now=NOW)
    bookings.decline_booking(session, staff_id=staff.id, booking_id=b.id, message="Fully booked.")
    assert b.status == BookingStatus.DECLINED and b.staff_message == "Fully booked."
    assert slots.is_free(session, service_id=svc.id, staff_id=staff.id, start_at=AT, now=NOW)
    with pytest.raises(ServiceError):
        bookings.approve_booking(session, staff_id=staff.id, booking_id=b.id)
    with pytest.raises(ServiceError):
        bookings.cancel_booking(session, client_id=c.id, booking_id=b.id, now=NOW)


# --- lists and reminders -------------------------------------------------------------------


def test_client_lists_split_upcoming_and_past(session, world):
    staff, svc, alice, bob = world
    first = _book(session, alice, svc)
    second = _book(session, alice, svc, AT + timedelta(days=7))
    cancelled = _book(session, alice, svc, AT + timedelta(hours=2))
    bookings.cancel_booking(session, client_id=alice.id, booking_id=cancelled.id, now=NOW)
    _book(session, bob, svc, AT + timedelta(hours=4))
    up = bookings.list_client_bookings(session, client_id=alice.id, now=NOW, upcoming=True)
    assert [v.id for v in up] == [first.id, second.id]
    assert up[0].service_name == svc.name and up[0].staff_name == staff.full_name
    assert up[0].change_window_hours == 24
    past = bookings.list_client_bookings(session, client_id=alice.id, now=NOW, upcoming=False)
    assert [v.id for v in past] == [cancelled.id]
    later = AT + timedelta(days=1)
    past = bookings.list_client_bookings(session, client_id=alice.id, now=later, upcoming=False)
    assert [v.id for v in past] == [cancelled.id, first.id]  # newest first
    staff_view = bookings.list_staff_bookings(session, now=NOW)
    assert [v.start_at for v in staff_view] == sorted(v.start_at for v in staff_view)
    assert {v.client_name for v in staff_view} == {alice.full_name, bob.full_name}
    assert cancelled.id not in [v.id for v in staff_view]  # the one rule: not upcoming
    assert [v.id for v in bookings.list_staff_bookings(
        session, now=NOW, group=groups.CANCELLED)] == [cancelled.id]


@pytest.mark.parametrize("history", [10, 1000])
def test_client_list_query_count_is_constant(session, engine, world, history):
    staff, svc, alice, _bob = world
    session.connection().execute(insert(Booking), [
        {"client_id": alice.id, "service_id": svc.id, "staff_id": staff.id,
         "start_at": NOW - timedelta(days=i + 1),
         "end_at": NOW - timedelta(days=i + 1, hours=-1),
         "status": BookingStatus.CONFIRMED, "created_by": "client", "staff_message": "",
         "created_at": NOW, "updated_at": NOW} for i in range(history)])
    client_id = alice.id
    session.commit()
    session.expire_all()
    statements = []
    listener = lambda *a, **k: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        past = bookings.list_client_bookings(session, client_id=client_id, now=NOW,
                                             upcoming=False)
        bookings.list_client_bookings(session, client_id=client_id, now=NOW, upcoming=True)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(past) == min(history, 50)
    assert len(statements) == 2, statements


def test_reminders_due_and_claimed_once(engine, session, world):
    _staff, svc, alice, _bob = world
    soon = _book(session, alice, svc)
    far = _book(session, alice, svc, AT + timedelta(days=7))
    session.commit()
    lead = timedelta(hours=24)
    assert bookings.due_reminders(session, now=AT - timedelta(hours=25), lead=lead) == []
    now = AT - timedelta(hours=24)  # start - lead <= now
    assert bookings.due_reminders(session, now=now, lead=lead) == [soon.id]
    assert far.id not in bookings.due_reminders(session, now=now, lead=lead)
    assert bookings.due_reminders(session, now=AT, lead=lead) == []  # started: not due
    with Session(engine) as one, Session(engine) as two:
        first = bookings.claim_reminder(one, booking_id=soon.id, now=now)
        one.commit()
        second = bookings.claim_reminder(two, booking_id=soon.id, now=now)
        two.commit()
    assert (first, second) == (True, False)
    session.expire_all()
    assert bookings.due_reminders(session, now=now, lead=lead) == []


def test_staff_created_booking_audits_the_staff_member(session, world):
    staff, svc, client, _ = world

    _book(session, client, svc, created_by="staff", by_staff_id=staff.id)

    event = session.exec(select(AuditEvent).where(AuditEvent.action == "booking.created")).one()
    assert (event.actor_kind, event.actor_id) == ("staff", staff.id)


# --- which list a booking is in: one rule (booking_groups) ----------------------------------


@pytest.mark.parametrize(("status", "ends_in", "group"), [
    (BookingStatus.CONFIRMED, timedelta(hours=1), groups.UPCOMING),
    (BookingStatus.PENDING, timedelta(days=3), groups.UPCOMING),
    (BookingStatus.CONFIRMED, timedelta(0), groups.ENDED),  # ends now: over
    (BookingStatus.CONFIRMED, -timedelta(days=1), groups.ENDED),
    (BookingStatus.PENDING, -timedelta(days=1), groups.ENDED),
    (BookingStatus.CANCELLED, timedelta(days=3), groups.CANCELLED),  # ahead, yet not upcoming
    (BookingStatus.DECLINED, timedelta(days=3), groups.CANCELLED),
    (BookingStatus.CANCELLED, -timedelta(days=3), groups.CANCELLED),
])
def test_booking_group_rule(status, ends_in, group):
    assert groups.group_of(status=status, end_at=NOW + ends_in, now=NOW) == group


def test_client_and_console_lists_follow_the_one_rule(session, world):
    """Every booking lands where `group_of` says, in the client's lists and the console's."""
    staff, svc, alice, _bob = world
    made = {}
    for n, (status, ends_in) in enumerate([
            (BookingStatus.CONFIRMED, timedelta(hours=1)),
            (BookingStatus.PENDING, timedelta(days=2)),
            (BookingStatus.CONFIRMED, timedelta(0)),
            (BookingStatus.CONFIRMED, -timedelta(days=1)),
            (BookingStatus.CANCELLED, timedelta(days=3)),
            (BookingStatus.DECLINED, timedelta(days=4)),
            (BookingStatus.CANCELLED, -timedelta(days=2))]):
        end = NOW + ends_in + timedelta(minutes=n)  # distinct times, same side of NOW
        if ends_in == timedelta(0):
            end = NOW
        b = Booking(client_id=alice.id, service_id=svc.id, staff_id=staff.id,
                    start_at=end - timedelta(hours=1), end_at=end, status=status)
        session.add(b)
        session.flush()
        made[b.id] = groups.group_of(status=status, end_at=end, now=NOW)

    def ids(views):
        return {v.id for v in views}

    up = ids(bookings.list_client_bookings(session, client_id=alice.id, now=NOW, upcoming=True))
    past = ids(bookings.list_client_bookings(session, client_id=alice.id, now=NOW,
                                             upcoming=False))
    assert up == {i for i, g in made.items() if g == groups.UPCOMING}
    assert past == {i for i, g in made.items() if g != groups.UPCOMING}
    assert ids(bookings.list_staff_bookings(session, now=NOW)) == up
    assert ids(bookings.list_staff_bookings(session, now=NOW, group=groups.CANCELLED,
                                            since=NOW - timedelta(days=30))) == {
        i for i, g in made.items() if g == groups.CANCELLED}
