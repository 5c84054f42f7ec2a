"""The staff's lesson x student table: who the students are (granted, or enrolled
before), each lesson's state in the student's own zone, % complete, the next
unlock, the certificate; and a constant number of statements as it grows."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import CourseModule, Enrolment, Entitlement, Lesson
from portal_app.services.courses.drip import COMPLETE, LOCKED, OPEN
from portal_app.services.courses.roster import course_roster
from portal_app.services.errors import NotFound
from portal_app.services.hub.entitlements import revoke_grant
from tests import factories
from tests.sql import statements_of
from tests.unit import course_progress_helpers as h

NOW = h.utc(2026, 3, 10, 12)


def _states(row, lessons):
    return [row.states[lesson.id].status for lesson in lessons]


def test_roster_lists_granted_and_formerly_enrolled_students(session):
    factories.business(session, timezone="America/New_York")
    course, lessons = h.course(session)
    ana = h.student(session, course, name="Ana", starts_at=NOW - timedelta(days=2))
    bo = h.student(session, course, name="Bo", whole_app=True, starts_at=NOW - timedelta(days=9))
    gone = h.student(session, course, name="Cy", starts_at=NOW - timedelta(days=20))
    session.add(Enrolment(course_id=course.id, client_id=gone.id,
                          started_at=NOW - timedelta(days=20)))
    revoke_grant(session, grant_id=session.exec(
        select(Entitlement.id).where(Entitlement.client_id == gone.id)).one(), staff_id=None)
    factories.client(session, full_name="Not a student")
    other, _ = h.course(session, title="Other")
    h.student(session, other, name="Elsewhere")
    h.complete(session, ana, lessons[0])
    h.certificate(session, bo, course)

    roster = course_roster(session, course_id=course.id, now=NOW)

    assert [s.name for s in roster.students] == ["Ana", "Bo", "Cy"]
    by = {s.name: s for s in roster.students}
    assert (by["Ana"].active, by["Bo"].active, by["Cy"].active) == (True, True, False)
    assert _states(by["Ana"], lessons) == [COMPLETE, OPEN, LOCKED]
    assert by["Ana"].percent == 33
    assert _states(by["Bo"], lessons) == [OPEN, OPEN, OPEN]  # 9 days in: module 2 open
    assert by["Bo"].certificate.code == "CM-ABCD-1234"
    assert by["Ana"].certificate is None


def test_next_unlock_is_at_the_courses_hour_in_the_students_zone(session):
    factories.business(session, timezone="America/New_York")
    course, lessons = h.course(session, unlock_hour=8)
    tokyo = h.student(session, course, name="Tokyo", timezone="Asia/Tokyo",
                      starts_at=h.utc(2026, 3, 9, 0))
    h.student(session, course, name="York", starts_at=h.utc(2026, 3, 9, 0))
    session.add(Enrolment(course_id=course.id, client_id=tokyo.id, started_at=h.utc(2026, 3, 9)))

    roster = course_roster(session, course_id=course.id, now=NOW)

    by = {s.name: s for s in roster.students}
    # Day 0 is Mar 9 in Tokyo (09:00 there): 7 days later at 08:00 Tokyo = Mar 15 23:00 UTC.
    assert by["Tokyo"].next_unlock == h.utc(2026, 3, 15, 23)
    assert by["Tokyo"].zone == "Asia/Tokyo"
    # New York: Mar 8 local (20:00 EST) -> Mar 15 08:00 EDT = 12:00 UTC.
    assert by["York"].next_unlock == h.utc(2026, 3, 15, 12)
    assert by["York"].zone == "America/New_York"


def test_unlock_everything_and_shift_show_in_the_table(session):
    factories.business(session)
    course, lessons = h.course(session)
    ana = h.student(session, course, name="Ana", starts_at=NOW - timedelta(days=1))
    bo = h.student(session, course, name="Bo", starts_at=NOW - timedelta(days=1))
    session.add(Enrolment(course_id=course.id, client_id=ana.id, started_at=NOW - timedelta(days=1),
                          unlocked_all_at=NOW - timedelta(hours=1)))
    session.add(Enrolment(course_id=course.id, client_id=bo.id, started_at=NOW - timedelta(days=1),
                          shift_days=3))

    by = {s.name: s for s in course_roster(session, course_id=course.id, now=NOW).students}

    assert _states(by["Ana"], lessons) == [OPEN, OPEN, OPEN]
    assert by["Ana"].next_unlock is None
    # Only day-based unlocks move: module 2 opens 7 + 3 days after the start.
    assert _states(by["Bo"], lessons) == [OPEN, OPEN, LOCKED]
    assert by["Bo"].next_unlock == h.utc(2026, 3, 19, 8)


def test_an_unknown_course_is_not_found(session):
    factories.business(session)
    with pytest.raises(NotFound):
        course_roster(session, course_id="999")
    with pytest.raises(NotFound):
        course_roster(session, course_id="x")


def _grow(session, course, lessons, count, start):
    for i in range(count):
        c = h.student(session, course, name=f"S{start + i}", starts_at=NOW - timedelta(days=i))
        session.add(Enrolment(course_id=course.id, client_id=c.id,
                              started_at=NOW - timedelta(days=i), last_seen_at=NOW))
        h.complete(session, c, lessons[i % len(lessons)])
        if i % 3 == 0:
            h.certificate(session, c, course, code=f"C-{start + i}")
    session.commit()


def test_the_table_costs_the_same_statements_for_2_and_40_students(engine, session):
    factories.business(session)
    course, lessons = h.course(session, lessons_per_module=(2, 1))
    _grow(session, course, lessons, 2, 0)
    session.expire_all()
    small = statements_of(engine, lambda: course_roster(session, course_id=course.id, now=NOW))
    module = CourseModule(course_id=course.id, position=5, title="More")
    session.add(module)
    session.flush()
    for p in range(8):
        session.add(Lesson(course_id=course.id, module_id=module.id, position=p,
                           title=f"Extra {p}", published=True))
    _grow(session, course, lessons, 38, 100)
    session.expire_all()
    roster = None

    def run():
        nonlocal roster
        roster = course_roster(session, course_id=course.id, now=NOW)

    big = statements_of(engine, run)
    assert (len(roster.students), len(roster.lessons)) == (40, 11)
    assert len(small) == len(big) <= 10
