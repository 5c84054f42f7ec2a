""""A new lesson is open": lessons opened by time since the last notice, one notice
per course and client a day (in the client's zone), through the bell and — when the
client chose it, and Email OK is on — the outbox; idempotent under reruns and a
second runner; nothing for access that ended, drafts, or staff unlocks."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from models import CourseNotice, Enrolment, Entitlement, Notification, OutboxMessage
from portal_app.services.courses.notices import send_lesson_notices
from portal_app.services.hub.entitlements import revoke_grant
from portal_app.services.notifications import title_of
from tests import factories
from tests.unit import course_progress_helpers as h

START = h.utc(2026, 3, 2, 14)  # Mar 2, 09:00 in New York
# Module 2 opens 7 days later at 08:00 New York (EDT from Mar 8): Mar 9 12:00 UTC.
OPENS = h.utc(2026, 3, 9, 12)


@pytest.fixture
def world(session):
    factories.business(session, timezone="America/New_York")
    course, lessons = h.course(session, lessons_per_module=(1, 2), drip_days=7)
    ana = h.student(session, course, name="Ana", starts_at=START,
                    email_notifications=["message", "course"])
    session.add(Enrolment(course_id=course.id, client_id=ana.id, started_at=START))
    session.commit()
    return {"course": course, "lessons": lessons, "ana": ana}


def _notes(session):
    session.expire_all()
    return session.exec(select(Notification).order_by(Notification.id)).all()


def _mails(session):
    return session.exec(select(OutboxMessage).where(
        OutboxMessage.template == "course_lessons_open")).all()


def test_the_lessons_that_opened_by_time_are_announced_once(session, world):
    assert send_lesson_notices(session, base_url="https://p.test", now=OPENS - timedelta(
        minutes=1)) == 0
    assert send_lesson_notices(session, base_url="https://p.test", now=OPENS) == 1
    session.commit()

    (note,) = _notes(session)
    assert note.kind == "course"
    assert note.link == f"/courses/course?id={world['course'].id}"
    assert title_of(note, lang="en", zone="UTC") == "2 new lessons open in Calm Mind"
    assert title_of(note, lang="es", zone="UTC") == "2 lecciones nuevas disponibles en Calm Mind"
    (mail,) = _mails(session)
    assert "Lesson 2.1" in mail.body_text and "Lesson 2.2" in mail.body_text
    assert mail.to == world["ana"].email
    # Rerun the same day, the next day, a week later: nothing new is open.
    for later in (OPENS + timedelta(hours=1), OPENS + timedelta(days=1),
                  OPENS + timedelta(days=8)):
        assert send_lesson_notices(session, base_url="", now=later) == 0
    assert len(_notes(session)) == 1
    (notice,) = session.exec(select(CourseNotice)).all()
    assert notice.sent_on.isoformat() == "2026-03-09"
    assert sorted(notice.lesson_ids) == sorted(lesson.id for lesson in world["lessons"][1:])


def test_at_most_one_notice_a_day_the_rest_the_next_day(session, world):
    course, lessons = world["course"], world["lessons"]
    lessons[2].drip_kind, lessons[2].drip_days = "days", 8  # one day after the module
    session.add(lessons[2])
    session.commit()
    assert send_lesson_notices(session, base_url="", now=OPENS) == 1
    # Lesson 2.2 opens Mar 10 at 08:00 New York; the same local day as... no: the next day.
    assert send_lesson_notices(session, base_url="", now=OPENS + timedelta(hours=5)) == 0
    assert send_lesson_notices(session, base_url="", now=OPENS + timedelta(days=1)) == 1
    notes = _notes(session)
    assert [title_of(n, lang="en", zone="UTC") for n in notes] == [
        "New lesson open in Calm Mind: Lesson 2.1", "New lesson open in Calm Mind: Lesson 2.2"]
    assert len(session.exec(select(CourseNotice).where(
        CourseNotice.course_id == course.id)).all()) == 2


def test_a_second_runner_finds_the_days_notice_taken(engine, session, world):
    other = Session(engine, expire_on_commit=False)
    assert send_lesson_notices(session, base_url="", now=OPENS) == 1
    session.commit()
    # The other worker read before the first committed? The unique key still holds.
    assert send_lesson_notices(other, base_url="", now=OPENS + timedelta(minutes=1)) == 0
    other.commit()
    other.close()
    assert len(_notes(session)) == 1


def test_the_claim_loses_cleanly_on_the_unique_key(session, world):
    """Two runners that both saw no notice: the loser's savepoint rolls back alone."""
    session.add(CourseNotice(course_id=world["course"].id, client_id=world["ana"].id,
                             sent_on=OPENS.date(), lesson_ids=[], created_at=START))
    session.commit()
    from portal_app.services.courses import notices

    assert notices._announce(session, client=world["ana"], course=world["course"],
                             lessons=world["lessons"][1:], today=OPENS.date(), now=OPENS,
                             base_url="", business=None) is False
    session.commit()
    assert _notes(session) == []


def test_email_only_when_chosen_and_email_ok(session, world):
    ana = world["ana"]
    ana.email_notifications = ["message"]
    session.add(ana)
    session.commit()
    assert send_lesson_notices(session, base_url="", now=OPENS) == 1
    assert len(_notes(session)) == 1 and _mails(session) == []

    bo = h.student(session, world["course"], name="Bo", starts_at=START,
                   email_notifications=["course"], email_ok=False)
    session.add(Enrolment(course_id=world["course"].id, client_id=bo.id, started_at=START))
    session.commit()
    assert send_lesson_notices(session, base_url="", now=OPENS) == 1
    assert _mails(session) == []  # the outbox held it back: Email OK is off


def test_no_notice_without_access_for_drafts_or_after_staff_unlock(session, world):
    course, ana = world["course"], world["ana"]
    grant_id = session.exec(select(Entitlement.id).where(Entitlement.client_id == ana.id)).one()
    revoke_grant(session, grant_id=grant_id, staff_id=None)
    session.commit()
    assert send_lesson_notices(session, base_url="", now=OPENS) == 0

    cy = h.student(session, course, name="Cy", starts_at=START)
    session.add(Enrolment(course_id=course.id, client_id=cy.id, started_at=START,
                          unlocked_all_at=START + timedelta(days=1)))
    session.commit()
    assert send_lesson_notices(session, base_url="", now=OPENS) == 0

    course.status = "draft"
    session.add(course)
    dee = h.student(session, course, name="Dee", starts_at=START)
    session.add(Enrolment(course_id=course.id, client_id=dee.id, started_at=START))
    session.commit()
    assert send_lesson_notices(session, base_url="", now=OPENS) == 0
    assert _notes(session) == []


def test_the_day_is_the_clients_own(session, world):
    """A student in Tokyo: module 2 opens at 08:00 Tokyo; the notice is dated there."""
    tokyo = h.student(session, world["course"], name="Kenji", timezone="Asia/Tokyo",
                      starts_at=START)
    session.add(Enrolment(course_id=world["course"].id, client_id=tokyo.id, started_at=START))
    session.commit()
    # Day 0 in Tokyo is Mar 2 (23:00 there): Mar 9 08:00 JST = Mar 8 23:00 UTC.
    assert send_lesson_notices(session, base_url="", now=h.utc(2026, 3, 8, 23)) == 1
    notice = session.exec(select(CourseNotice).where(CourseNotice.client_id == tokyo.id)).one()
    assert notice.sent_on.isoformat() == "2026-03-09"


def test_the_reminder_job_sends_the_notices_under_its_lock(engine, session, world):
    from portal_app import jobs

    jobs._course_notices_last[0] = None  # this worker's schedule, as at its start
    jobs.remind_once(now=OPENS)
    jobs.remind_once(now=OPENS + timedelta(minutes=5))  # a second pass: nothing new
    assert len(_notes(session)) == 1
    assert len(session.exec(select(CourseNotice)).all()) == 1


def test_the_notice_pass_runs_at_most_every_quarter_hour_per_worker(engine, session, world):
    """The daily digest's pass is not run on every reminder pass (every 30 s): at most
    once per COURSE_NOTICES_EVERY per worker; a lesson that opened meanwhile is
    announced by the next pass; a clock set back runs it at once."""
    from portal_app import jobs

    jobs._course_notices_last[0] = None
    assert timedelta(minutes=15) == jobs.COURSE_NOTICES_EVERY
    before = OPENS - timedelta(minutes=1)
    jobs.remind_once(now=before)  # the first pass: nothing open yet
    assert _notes(session) == []
    jobs.remind_once(now=OPENS + timedelta(minutes=5))  # opened, but the pass is not due
    assert _notes(session) == []
    jobs.remind_once(now=before + timedelta(minutes=15))  # due again: announced
    assert len(_notes(session)) == 1
    assert jobs.course_notices_due(OPENS - timedelta(days=1))  # the clock went back
    assert not jobs.course_notices_due(OPENS - timedelta(days=1) + timedelta(minutes=14))


def test_finding_whom_to_tell_costs_the_same_for_2_and_30_students(engine, session, world):
    from tests.sql import statements_of

    def grow(count):
        for i in range(count):
            c = h.student(session, world["course"], name=f"S{i}", starts_at=START)
            session.add(Enrolment(course_id=world["course"].id, client_id=c.id,
                                  started_at=START))
        session.commit()
        session.expire_all()
        return statements_of(engine, lambda: send_lesson_notices(
            session, base_url="", now=START + timedelta(days=1)))  # nothing due yet

    small = grow(1)
    big = grow(28)
    assert len(small) == len(big) <= 8
