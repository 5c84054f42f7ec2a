"""Staff's overrides from the progress table: unlock everything, shift by N days
(one student or several in one action, an enrolment made when missing), mark a
lesson complete, revoke a certificate; each audited, every id checked."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import AuditEvent, Certificate, Enrolment, LessonProgress
from portal_app.services.courses import overrides
from portal_app.services.courses.drip import OPEN
from portal_app.services.courses.roster import course_roster
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.unit import course_progress_helpers as h

NOW = h.utc(2026, 3, 10, 12)


@pytest.fixture
def world(session):
    factories.business(session)
    staff = factories.staff(session)
    course, lessons = h.course(session)
    ana = h.student(session, course, name="Ana", starts_at=NOW - timedelta(days=1))
    bo = h.student(session, course, name="Bo", starts_at=NOW - timedelta(days=2))
    stranger = factories.client(session, full_name="Stranger")
    other, other_lessons = h.course(session, title="Other")
    session.commit()
    return dict(staff=staff, course=course, lessons=lessons, ana=ana, bo=bo,
                stranger=stranger, other=other, other_lessons=other_lessons)


def _enrolment(session, course, client):
    return session.exec(select(Enrolment).where(Enrolment.course_id == course.id,
                                                Enrolment.client_id == client.id)).one()


def _audits(session, action):
    return session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_unlock_everything_for_several_students_enrols_and_opens_all(session, world):
    w = world
    overrides.unlock_everything(session, staff_id=w["staff"].id, course_id=str(w["course"].id),
                                client_ids=[str(w["ana"].id), w["bo"].id], now=NOW)

    for client in (w["ana"], w["bo"]):
        row = _enrolment(session, w["course"], client)
        assert row.unlocked_all_at == NOW
        # The enrolment's day 0 is the grant's start, not today.
        assert row.started_at < NOW - timedelta(hours=23)
    roster = course_roster(session, course_id=w["course"].id, now=NOW)
    assert all(st.status == OPEN for s in roster.students for st in s.states.values())
    assert len(_audits(session, "course.unlocked_all")) == 2


def test_shift_adds_days_and_checks_the_number(session, world):
    w = world
    overrides.shift_schedule(session, staff_id=w["staff"].id, course_id=w["course"].id,
                             client_ids=[w["ana"].id], days="3")
    overrides.shift_schedule(session, staff_id=w["staff"].id, course_id=w["course"].id,
                             client_ids=[w["ana"].id], days=-5)
    assert _enrolment(session, w["course"], w["ana"]).shift_days == -2
    assert [a.detail["days"] for a in _audits(session, "course.shifted")] == [3, -5]

    for bad in ("0", "366", "-366", "two", "", None, True, "1.5"):
        with pytest.raises(ServiceError) as err:
            overrides.shift_schedule(session, staff_id=w["staff"].id,
                                     course_id=w["course"].id, client_ids=[w["bo"].id],
                                     days=bad)
        assert err.value.field == "days"
    assert session.exec(select(Enrolment).where(Enrolment.client_id == w["bo"].id)).all() == []


def test_overrides_refuse_anyone_not_a_student_and_unknown_courses(session, world):
    w = world
    for ids in ([w["stranger"].id], [w["ana"].id, w["stranger"].id], [], "1", ["x"], [-1]):
        with pytest.raises(NotFound):
            overrides.unlock_everything(session, staff_id=w["staff"].id,
                                        course_id=w["course"].id, client_ids=ids)
    with pytest.raises(NotFound):  # a student of another course only
        overrides.shift_schedule(session, staff_id=w["staff"].id, course_id=w["other"].id,
                                 client_ids=[w["ana"].id], days=2)
    with pytest.raises(NotFound):
        overrides.unlock_everything(session, staff_id=w["staff"].id, course_id="9999",
                                    client_ids=[w["ana"].id])
    assert session.exec(select(Enrolment)).all() == []


def test_mark_complete_by_staff_once_and_only_a_lesson_of_the_course(session, world):
    w = world
    lesson = w["lessons"][2]  # still locked by the drip: staff may complete it anyway
    row = overrides.mark_complete_for(session, staff_id=w["staff"].id,
                                      course_id=w["course"].id, client_id=w["ana"].id,
                                      lesson_id=str(lesson.id), now=NOW)
    assert (row.completed_by, row.completed_at) == ("staff", NOW)
    with pytest.raises(NotAllowed):
        overrides.mark_complete_for(session, staff_id=w["staff"].id, course_id=w["course"].id,
                                    client_id=w["ana"].id, lesson_id=lesson.id)
    with pytest.raises(NotFound):
        overrides.mark_complete_for(session, staff_id=w["staff"].id, course_id=w["course"].id,
                                    client_id=w["ana"].id, lesson_id=w["other_lessons"][0].id)
    assert len(session.exec(select(LessonProgress)).all()) == 1
    assert len(_audits(session, "lesson.completed")) == 1


def test_revoke_certificate_needs_a_reason_and_the_right_course(session, world):
    w = world
    cert = h.certificate(session, w["ana"], w["course"])
    with pytest.raises(ServiceError) as err:
        overrides.revoke_certificate(session, staff_id=w["staff"].id, certificate_id=cert.id,
                                     reason="   ", course_id=w["course"].id)
    assert err.value.field == "reason"
    with pytest.raises(NotFound):
        overrides.revoke_certificate(session, staff_id=w["staff"].id, certificate_id=cert.id,
                                     reason="Copied answers", course_id=w["other"].id)
    overrides.revoke_certificate(session, staff_id=w["staff"].id, certificate_id=str(cert.id),
                                 reason="  Copied   answers ", course_id=w["course"].id)
    row = session.get(Certificate, cert.id)
    assert row.revoked_at is not None and row.revoke_reason == "Copied answers"
    with pytest.raises(NotAllowed):
        overrides.revoke_certificate(session, staff_id=w["staff"].id, certificate_id=cert.id,
                                     reason="again")
    assert len(_audits(session, "certificate.revoked")) == 1
