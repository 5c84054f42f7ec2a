"""The player's usual report (issue 18): with the page's mark, one or two UPDATEs
however big the course and its history, deciding exactly as the full path does; a
revoked grant, an unpublished course or lesson, a staff change to the lesson or
another tab's report makes the mark miss, and the full path decides (completion and
the certificate are only ever decided there)."""

from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import select

from models import Enrolment, Entitlement, Lesson, LessonProgress
from models.base import utcnow
from portal_app.services.courses import progress
from portal_app.services.errors import NotFound
from tests import factories
from tests.sql import statements_of
from tests.unit import course_helpers as h


def _course(session, *, lessons: int = 3, students: int = 1, history: int = 0):
    course, _m, rows = h.course(session, title=f"C{lessons}", lessons_per_module=lessons)
    h.make_video(session, rows[0], share=90)
    clients = [h.student(session, course_row=course, name=f"S{i}") for i in range(students)]
    for other in clients[1:] if history else ():
        session.execute(insert(LessonProgress), [
            {"client_id": other.id, "course_id": course.id, "lesson_id": x.id,
             "opened_at": utcnow(), "watched_seconds": 0, "watched_pct": 0,
             "completed_at": utcnow(), "completed_by": "student"} for x in rows[1:1 + history]])
    session.commit()
    return course, rows[0].id, clients


class Player:
    """One tab's player: reports with the mark of its last answer (or none)."""

    def __init__(self, session, client, lesson_id, start, *, marks=True):
        self.session, self.client_id, self.lesson_id = session, client.id, lesson_id
        self.marks = marks
        facts, lesson = progress.open_lesson(session, client_id=client.id, lesson_id=lesson_id,
                                             zone="UTC", now=start)
        session.commit()
        self.mark = progress.mark_for(lesson, facts.enrolment, facts.progress.get(lesson.id))

    def report(self, position, at, duration=100):
        answer = progress.report_video(self.session, client_id=self.client_id,
                                       lesson_id=self.lesson_id, position=position,
                                       duration=duration, zone="UTC", now=at,
                                       mark=self.mark if self.marks else None)
        self.session.commit()
        self.mark = answer.mark
        return answer


def _rows(session, client, lesson_id):
    session.expire_all()
    row = session.exec(select(LessonProgress).where(LessonProgress.client_id == client.id,
                                                    LessonProgress.lesson_id == lesson_id)
                       ).one()
    enrolment = session.exec(select(Enrolment).where(Enrolment.client_id == client.id)).one()
    return (row.watched_seconds, row.watched_pct, row.completed_at, row.completed_by,
            enrolment.last_lesson_id, enrolment.last_seen_at, enrolment.completed_at)


def test_a_marked_report_is_one_or_two_updates_however_big_the_course(engine, session):
    factories.business(session)
    start = utcnow() + timedelta(seconds=5)
    costs = []
    for shape in ({"lessons": 3}, {"lessons": 30, "students": 20, "history": 25}):
        _c, lesson_id, (me, *_others) = _course(session, **shape)
        player = Player(session, me, lesson_id, start)
        player.report(10, start + timedelta(seconds=10))  # the first: makes the row
        assert player.mark is not None
        costs.append([len(statements_of(engine, lambda p=p, s=s: player.report(
            p, start + timedelta(seconds=s)))) for p, s in ((20, 20), (5, 30), (30, 40))])
        assert _rows(session, me, lesson_id)[:2] == (30, 30)
    assert costs == [[2, 1, 2], [2, 1, 2]], costs


def test_marked_reports_decide_as_the_full_path_does(engine, session):
    """Two students send the same reports, one with the page's marks and one without:
    the same answers and the same rows, through a jump, a rewind, a nonsense report, a
    duration that disagrees, and the report that completes the lesson."""
    factories.business(session)
    start = utcnow() + timedelta(seconds=5)
    course, lesson_id, (ana, bea) = _course(session, lessons=1, students=2)
    marked = Player(session, ana, lesson_id, start)
    plain = Player(session, bea, lesson_id, start, marks=False)
    answers, short = [], []
    reports = [(10, 10), (20, 20), (95, 25), (5, 30), ("nan", 31), (25, 40), (30, 45, 60),
               (40, 50), (60, 60), (80, 70), (89, 75), (90, 80), (95, 85)]
    for position, seconds, *length in reports:
        at = start + timedelta(seconds=seconds)
        got = []
        sql = statements_of(engine, lambda at=at: got.append(marked.report(position, at,
                                                                           *length)))
        one, other = got[0], plain.report(position, at, *length)
        short.append(len(sql) <= 2)
        assert (one.accepted, one.watched_pct, one.completed) == (
            other.accepted, other.watched_pct, other.completed), (position, one, other)
        answers.append(one.accepted)
        assert _rows(session, ana, lesson_id)[:4] == _rows(session, bea, lesson_id)[:4]
    assert answers.count(False) == 3  # the jump, the nonsense, the other duration
    # In place but for the first (no row yet) and the one that completes the lesson.
    assert short == [False] + [True] * 10 + [False, True], short
    assert one.completed and _rows(session, ana, lesson_id)[3] == "video"
    done = [_rows(session, who, lesson_id)[6] for who in (ana, bea)]
    assert done[0] is not None and done[0] == done[1]  # the one-lesson course is complete


@pytest.mark.parametrize("change", ["grant revoked", "lesson unpublished",
                                    "course unpublished"])
def test_the_mark_misses_when_access_ends_and_the_full_path_refuses(engine, session, change):
    factories.business(session)
    start = utcnow() + timedelta(seconds=5)
    course, lesson_id, (me,) = _course(session)
    player = Player(session, me, lesson_id, start)
    player.report(10, start + timedelta(seconds=10))
    if change == "grant revoked":
        grant = session.exec(select(Entitlement).where(Entitlement.client_id == me.id)).one()
        grant.revoked_at = utcnow()
    elif change == "lesson unpublished":
        session.get(Lesson, lesson_id).published = False
    else:
        course.status = "draft"
    session.commit()
    with pytest.raises(NotFound):
        player.report(20, start + timedelta(seconds=20))
    session.rollback()
    assert _rows(session, me, lesson_id)[:2] == (10, 10)


def test_a_staff_change_to_the_share_or_another_tabs_report_makes_the_mark_miss(
        engine, session):
    factories.business(session)
    start = utcnow() + timedelta(seconds=5)
    course, lesson_id, (me,) = _course(session)
    tab_a = Player(session, me, lesson_id, start)
    tab_a.report(10, start + timedelta(seconds=10))
    tab_b = Player(session, me, lesson_id, start + timedelta(seconds=11))
    tab_b.report(20, start + timedelta(seconds=19))
    tab_b.report(30, start + timedelta(seconds=39))
    # Tab A's mark (10 s at +10 s) would allow 60 s at +40 s; the row says 30 s at +39 s.
    late = tab_a.report(60, start + timedelta(seconds=40))
    assert not late.accepted and _rows(session, me, lesson_id)[:2] == (30, 30)

    session.get(Lesson, lesson_id).video_share_pct = 35  # staff lower the share
    session.commit()
    cost = statements_of(engine, lambda: tab_b.report(36, start + timedelta(seconds=45)))
    assert len(cost) > 2  # the full path
    assert _rows(session, me, lesson_id)[2] is not None  # complete at the new share


def test_marked_reports_on_postgresql(pg_url):
    """The checked UPDATE (its EXISTS and timestamps) as PostgreSQL runs it."""
    from sqlmodel import Session, SQLModel

    from portal_app.db import make_engine

    engine = make_engine(pg_url)
    SQLModel.metadata.create_all(engine)
    start = utcnow() + timedelta(seconds=5)
    with Session(engine, expire_on_commit=False) as session:
        factories.business(session)
        _c, lesson_id, (me,) = _course(session)
        player = Player(session, me, lesson_id, start)
        player.report(10, start + timedelta(seconds=10))
        cost = statements_of(engine, lambda: player.report(20, start + timedelta(seconds=20)))
        assert len(cost) == 2, cost
        assert not player.report(90, start + timedelta(seconds=21)).accepted  # a jump
        assert _rows(session, me, lesson_id)[:2] == (20, 20)
    engine.dispose()
