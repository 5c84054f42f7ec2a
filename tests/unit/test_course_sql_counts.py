"""The lesson page, a progress report and a quiz submission send the same number of SQL
statements whether the course has 3 lessons or 30, one student or 20, and a short or
a long history."""

from datetime import timedelta

from sqlalchemy import insert

from models import LessonProgress, QuizAttempt
from portal_app.services.courses import progress, quiz
from tests import factories
from tests.sql import statements_of
from tests.unit import course_helpers as h

T0 = h.utc(2026, 3, 1, 12)


def _course(session, n_lessons: int, n_students: int, history: int):
    course, _m, lessons = h.course(session, title=f"C{n_lessons}", modules=1,
                                   lessons_per_module=n_lessons)
    h.make_video(session, lessons[0], share=95)
    questions = h.make_quiz(session, lessons[1], attempts=0)
    students = [h.student(session, course_row=course, name=f"S{i}") for i in range(n_students)]
    me = students[0]
    for other in students:
        rows = [{"client_id": other.id, "course_id": course.id, "lesson_id": x.id,
                 "opened_at": T0, "watched_seconds": 0, "watched_pct": 0,
                 "completed_at": T0, "completed_by": "student"}
                for x in lessons[2:2 + history]]
        if rows:
            session.execute(insert(LessonProgress), rows)
        session.execute(insert(QuizAttempt), [
            {"client_id": other.id, "lesson_id": lessons[1].id, "answers": {}, "score_pct": 0,
             "passed": False, "created_at": T0}] * history)
    session.commit()
    return course, lessons, questions, me


def _counts(engine, session, lessons, questions, me):
    def page():
        facts, lesson = progress.open_lesson(session, client_id=me.id,
                                             lesson_id=lessons[1].id, zone="UTC", now=T0)
        quiz.quiz_for(session, facts=facts, lesson=lesson)
        session.commit()

    def report():
        progress.report_video(session, client_id=me.id, lesson_id=lessons[0].id,
                              position=5, duration=100, zone="UTC", now=T0)
        session.commit()

    def submit():
        quiz.submit_quiz(session, client_id=me.id, lesson_id=lessons[1].id,
                         answers=h.all_right(questions), zone="UTC",
                         now=T0 + timedelta(minutes=1))
        session.commit()

    progress.open_lesson(session, client_id=me.id, lesson_id=lessons[0].id, zone="UTC",
                         now=T0)  # the enrolment exists, as on any later visit
    session.commit()
    session.expire_all()
    return (len(statements_of(engine, page)), len(statements_of(engine, report)),
            len(statements_of(engine, submit)))


def test_the_lesson_page_a_report_and_a_submission_cost_constant_statements(engine, session):
    factories.business(session)
    small = _course(session, 3, 1, 1)
    big = _course(session, 30, 20, 25)
    few = _counts(engine, session, *small[1:])
    session.expire_all()
    many = _counts(engine, session, *big[1:])
    assert few == many, (few, many)
    assert max(few) <= 16, few


def test_opening_a_text_lesson_again_is_three_statements_whatever_the_course(engine, session):
    """The lesson with its course, the grant and the enrolment (one), the modules with
    their lessons and the student's progress (one), and "where you left off" written."""
    factories.business(session)
    counts = []
    for n in (3, 30):
        course, _m, lessons = h.course(session, title=f"T{n}", modules=1,
                                       lessons_per_module=n)
        me = h.student(session, course_row=course, name=f"T{n}")
        lesson_id, client_id = lessons[0].id, me.id
        session.commit()
        progress.open_lesson(session, client_id=client_id, lesson_id=lesson_id, zone="UTC",
                             now=T0)
        session.commit()
        session.expire_all()

        def page(lesson_id=lesson_id, client_id=client_id):
            progress.open_lesson(session, client_id=client_id, lesson_id=lesson_id,
                                 zone="UTC", now=T0 + timedelta(minutes=1))
            session.commit()

        counts.append(len(statements_of(engine, page)))
    assert counts == [3, 3]


def test_where_you_left_off_is_written_on_every_open_first_visit_included(engine, session):
    """The lesson opened and when are in the enrolment row (written by one UPDATE, the
    enrolment read with the lesson) and in the facts the page goes on with."""
    from sqlmodel import select

    from models import Enrolment

    factories.business(session)
    course, _m, lessons = h.course(session, title="Left", modules=1, lessons_per_module=3)
    me = h.student(session, course_row=course, name="Leftie")
    session.commit()
    seen = []
    for n, lesson in enumerate((lessons[0], lessons[1], lessons[1])):
        at = T0 + timedelta(minutes=n)
        facts, _lesson = progress.open_lesson(session, client_id=me.id, lesson_id=lesson.id,
                                              zone="UTC", now=at)
        assert (facts.enrolment.last_lesson_id, facts.enrolment.last_seen_at) == (lesson.id, at)
        session.commit()
        session.expire_all()
        row = session.exec(select(Enrolment).where(Enrolment.client_id == me.id)).one()
        seen.append((row.last_lesson_id, row.last_seen_at))
    assert seen == [(lessons[0].id, T0), (lessons[1].id, T0 + timedelta(minutes=1)),
                    (lessons[1].id, T0 + timedelta(minutes=2))]


def test_the_facts_read_in_one_statement_keep_every_module_and_course_order(session):
    """Modules in order with none left out (one without published lessons too), the
    published lessons in module then lesson order, an unpublished lesson and its
    progress left out, and the student's progress of the others."""
    from models import CourseModule

    factories.business(session)
    course, mods, lessons = h.course(session, title="Order", modules=2, lessons_per_module=3)
    mods[0].position, mods[1].position = 5, 1  # the second module comes first
    lessons[1].position = 9  # 1.2 goes last in its module
    lessons[4].published = False
    empty = CourseModule(course_id=course.id, position=3, title="Empty")
    session.add_all([*mods, lessons[1], lessons[4], empty])
    me = h.student(session, course_row=course, name="Order")
    session.flush()
    for lesson in (lessons[0], lessons[4]):
        session.add(LessonProgress(client_id=me.id, course_id=course.id, lesson_id=lesson.id,
                                   opened_at=T0, completed_at=T0, completed_by="student"))
    session.commit()
    session.expire_all()
    facts = progress.course_outline(session, client_id=me.id, course_id=course.id, zone="UTC",
                                    now=T0)
    assert [m.title for m in facts.modules] == ["Module 2", "Empty", "Module 1"]
    assert [x.title for x in facts.lessons] == [
        "Lesson 2.1", "Lesson 2.3", "Lesson 1.1", "Lesson 1.3", "Lesson 1.2"]
    assert set(facts.progress) == {lessons[0].id} and facts.completed == {lessons[0].id}


def test_the_lesson_pages_plain_records_say_what_the_orm_objects_say(session):
    """The lesson page reads plain records (plain_rows.py), the writing paths ORM
    objects: the same columns, drip states and progress from both."""
    from models import Course, CourseModule, Enrolment, Lesson

    factories.business(session)
    course, mods, lessons = h.course(session, title="Plain", modules=2, lessons_per_module=2,
                                     in_order=True)
    h.make_video(session, lessons[1], share=80)
    me = h.student(session, course_row=course, name="Plain")
    session.flush()
    session.add(LessonProgress(client_id=me.id, course_id=course.id, lesson_id=lessons[0].id,
                               opened_at=T0, completed_at=T0, completed_by="student"))
    session.add(LessonProgress(client_id=me.id, course_id=course.id, lesson_id=lessons[1].id,
                               opened_at=T0, watched_seconds=30, watched_pct=25))
    session.commit()
    progress.open_lesson(session, client_id=me.id, lesson_id=lessons[1].id, zone="UTC", now=T0)
    session.commit()
    session.expire_all()
    got = {}
    for plain in (True, False):
        facts, lesson = progress.open_facts(session, client_id=me.id, lesson_id=lessons[1].id,
                                            zone="UTC", now=T0 + timedelta(days=1), plain=plain)
        assert isinstance(lesson, tuple) is plain

        def cols(obj, model):
            return {c.key: getattr(obj, c.key) for c in model.__table__.c}

        got[plain] = (cols(lesson, Lesson), cols(facts.course, Course),
                      cols(facts.enrolment, Enrolment),
                      [cols(m, CourseModule) for m in facts.modules],
                      [cols(x, Lesson) for x in facts.lessons],
                      {k: cols(v, LessonProgress) for k, v in facts.progress.items()},
                      facts.states)
        session.expire_all()
    assert got[True] == got[False]
    assert got[True][6][lessons[2].id].status == "locked"  # in order: 1.2 not complete
