"""Building courses: every field's range and refusal (nothing changed), drip rules
without loops, reordering, deleting with and without student progress."""

from datetime import date

import pytest
from sqlmodel import select

from models import (
    CompleteRule,
    Course,
    CourseStatus,
    DripKind,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
    QuestionKind,
    QuizQuestion,
)
from portal_app.services.courses import authoring as A
from portal_app.services.errors import NotFound, ServiceError
from tests import factories


def refused(fn, field=None, **kwargs):
    with pytest.raises(ServiceError) as caught:
        fn(**kwargs)
    if field is not None:
        assert caught.value.field == field, caught.value.message
    return caught.value


@pytest.fixture
def course(session):
    c = A.create_course(session, title="Calm Mind", summary="Breathe.")
    m1 = A.add_module(session, course_id=c.id, title="Week one")
    m2 = A.add_module(session, course_id=c.id, title="Week two")
    l1 = A.add_lesson(session, module_id=m1.id, title="Welcome", kind=LessonKind.TEXT)
    l2 = A.add_lesson(session, module_id=m1.id, title="Breathing", kind=LessonKind.TEXT)
    l3 = A.add_lesson(session, module_id=m2.id, title="Check", kind=LessonKind.QUIZ)
    return {"course": c, "m1": m1, "m2": m2, "l1": l1, "l2": l2, "l3": l3}


def settings(course, **over):
    return {"course_id": course.id, "title": course.title, "summary": course.summary,
            "in_order": course.in_order, "unlock_hour": course.unlock_hour,
            "certificate": course.certificate, "status": course.status, **over}


def lesson_fields(lesson, **over):
    return {"lesson_id": lesson.id, "title": lesson.title, "kind": lesson.kind, **over}


def test_create_course_checks_title_and_starts_as_draft(session):
    refused(A.create_course, "title", session=session, title=" a ")
    refused(A.create_course, "title", session=session, title="x" * 161)
    course = A.create_course(session, title="  Calm   Mind ")
    assert (course.title, course.status) == ("Calm Mind", CourseStatus.DRAFT)
    assert session.exec(select(Course)).all() == [course]


def test_course_settings_are_checked_before_anything_changes(session, course):
    c = course["course"]
    for field, value in (("unlock_hour", 24), ("unlock_hour", -1), ("unlock_hour", "8am"),
                         ("status", "live"), ("title", "")):
        refused(A.update_course, field, session=session, **settings(c, **{field: value}))
    assert (c.unlock_hour, c.status, c.title) == (8, CourseStatus.DRAFT, "Calm Mind")
    A.update_course(session, **settings(c, unlock_hour="23", certificate=False, in_order=True))
    assert (c.unlock_hour, c.certificate, c.in_order) == (23, False, True)


def test_a_course_is_published_only_with_a_published_lesson(session, course):
    c = course["course"]
    refused(A.update_course, "status", session=session, **settings(c, status="published"))
    A.update_lesson(session, **lesson_fields(course["l1"], published=True))
    A.update_course(session, **settings(c, status="published"))
    assert c.status == CourseStatus.PUBLISHED


def test_lesson_ranges_and_rules_by_kind(session, course):
    text, quiz = course["l1"], course["l3"]
    refused(A.update_lesson, "complete_rule", session=session,
            **lesson_fields(text, complete_rule=CompleteRule.VIDEO))
    refused(A.update_lesson, "complete_rule", session=session,
            **lesson_fields(text, complete_rule=CompleteRule.QUIZ))
    video = A.add_lesson(session, module_id=course["m1"].id, title="Watch", kind="video")
    for share in (9, 101, "x"):
        refused(A.update_lesson, "video_share_pct", session=session,
                **lesson_fields(video, complete_rule="video", video_share_pct=share))
    A.update_lesson(session, **lesson_fields(video, complete_rule="video", video_share_pct=10))
    assert (video.complete_rule, video.video_share_pct) == ("video", 10)
    for field, value in (("pass_mark_pct", 101), ("pass_mark_pct", -1),
                         ("attempts_limit", 21), ("attempts_limit", -1)):
        refused(A.update_lesson, field, session=session, **lesson_fields(quiz, **{field: value}))
    A.update_lesson(session, **lesson_fields(quiz, pass_mark_pct=0, attempts_limit=20,
                                             shuffle=True, complete_rule="manual"))
    assert (quiz.pass_mark_pct, quiz.attempts_limit, quiz.shuffle, quiz.complete_rule) == (
        0, 20, True, CompleteRule.QUIZ)
    refused(A.update_lesson, "kind", session=session, **lesson_fields(text, kind="podcast"))


def test_publishing_needs_the_lesson_content(session, course):
    video = A.add_lesson(session, module_id=course["m1"].id, title="Watch", kind="video")
    refused(A.update_lesson, "published", session=session,
            **lesson_fields(video, published=True))
    refused(A.update_lesson, "published", session=session,
            **lesson_fields(course["l3"], published=True))
    A.update_lesson(session, **lesson_fields(video, published=True,
                                             embed_url="https://youtu.be/dQw4w9WgXcQ"))
    assert video.published and video.embed_url == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")


@pytest.mark.parametrize(("raw", "canonical"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("youtube.com/watch?v=dQw4w9WgXcQ&t=10", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
    ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ("", ""),
])
def test_embed_urls_become_canonical_player_urls(raw, canonical):
    assert A.canonical_embed_url(raw) == canonical


@pytest.mark.parametrize("raw", [
    "https://evil.example/watch?v=dQw4w9WgXcQ", "javascript:alert(1)",
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://user@youtube.com/watch?v=dQw4w9WgXcQ", "https://youtube.com:8080/embed/dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=short", "https://vimeo.com/channels/staff",
    "https://player.vimeo.com/video/12ab", "ftp://youtu.be/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ/../x", "https://youtu.be/dQw4w9WgXcQ\"onload=x",
])
def test_other_embed_urls_are_refused_beside_the_field(raw):
    assert refused(A.canonical_embed_url, "embed_url", raw=raw)


def test_drip_rules_ranges(session, course):
    lesson = course["l2"]
    for field, over in (("drip_days", {"drip_kind": "days", "drip_days": 0}),
                        ("drip_days", {"drip_kind": "days", "drip_days": 366}),
                        ("drip_date", {"drip_kind": "date", "drip_date": "31/12/2026"}),
                        ("drip_after", {"drip_kind": "after", "drip_after": lesson.id}),
                        ("drip_after", {"drip_kind": "after", "drip_after": "nope"}),
                        ("drip_kind", {"drip_kind": "weekly"})):
        refused(A.update_lesson, field, session=session, **lesson_fields(lesson, **over))
    other = A.create_course(session, title="Other")
    om = A.add_module(session, course_id=other.id, title="Mod")
    foreign = A.add_lesson(session, module_id=om.id, title="Foreign")
    refused(A.update_lesson, "drip_after", session=session,
            **lesson_fields(lesson, drip_kind="after", drip_after=foreign.id))
    assert lesson.drip_kind == DripKind.NONE
    A.update_lesson(session, **lesson_fields(lesson, drip_kind="date", drip_date="2027-01-05"))
    assert (lesson.drip_kind, lesson.drip_date) == ("date", date(2027, 1, 5))
    A.update_module(session, module_id=course["m2"].id, title="Week two", drip_kind="days",
                    drip_days=7)
    assert (course["m2"].drip_kind, course["m2"].drip_days) == ("days", 7)


def test_after_rules_never_make_a_loop(session, course):
    l1, l2, l3 = course["l1"], course["l2"], course["l3"]
    A.update_lesson(session, **lesson_fields(l2, drip_kind="after", drip_after=l1.id))
    # l1 after l2 would close l1 -> l2 -> l1.
    refused(A.update_lesson, "drip_after", session=session,
            **lesson_fields(l1, drip_kind="after", drip_after=l2.id))
    # Through a module: week one waiting for its own lesson l2 (which waits for l1,
    # which is in week one, so waits for l2).
    refused(A.update_module, "drip_after", session=session, module_id=course["m1"].id,
            title="Week one", drip_kind="after", drip_after=l2.id)
    # Week two waiting for a lesson of week one is fine.
    A.update_module(session, module_id=course["m2"].id, title="Week two", drip_kind="after",
                    drip_after=l2.id)
    # l1 waiting for l3 now loops through week two's rule (l3 -> l2 -> l1).
    refused(A.update_lesson, "drip_after", session=session,
            **lesson_fields(l1, drip_kind="after", drip_after=l3.id))
    A.update_module(session, module_id=course["m2"].id, title="Week two", drip_kind="none")
    # "In order" with l1 waiting for the later l3 would loop: refused beside in_order.
    A.update_lesson(session, **lesson_fields(l1, drip_kind="after", drip_after=l3.id))
    refused(A.update_course, "in_order", session=session,
            **settings(course["course"], in_order=True))
    assert course["course"].in_order is False
    assert l1.drip_after_lesson_id == l3.id and l1.drip_kind == "after"


def test_moving_modules_and_lessons(session, course):
    l1, l2 = course["l1"], course["l2"]
    A.move_lesson(session, lesson_id=l2.id, direction="up")
    assert (l2.position, l1.position) == (0, 1)
    A.move_lesson(session, lesson_id=l2.id, direction="up")  # top of the first module: stays
    assert (l2.module_id, l2.position) == (course["m1"].id, 0)
    A.move_lesson(session, lesson_id=l1.id, direction="down")  # into week two, first
    assert (l1.module_id, l1.position, course["l3"].position) == (course["m2"].id, 0, 1)
    A.move_module(session, module_id=course["m2"].id, direction="up")
    assert (course["m2"].position, course["m1"].position) == (0, 1)
    A.move_module(session, module_id=course["m2"].id, direction="up")
    assert course["m2"].position == 0


def test_moving_under_in_order_refuses_a_loop(session, course):
    l1, l2 = course["l1"], course["l2"]
    A.update_lesson(session, **lesson_fields(l2, drip_kind="after", drip_after=l1.id))
    A.update_course(session, **settings(course["course"], in_order=True))
    refused(A.move_lesson, "order", session=session, lesson_id=l2.id, direction="up")
    assert (l1.position, l2.position) == (0, 1)


def test_delete_a_lesson_with_progress_is_refused_unpublish_instead(session, course):
    l1 = course["l1"]
    A.update_lesson(session, **lesson_fields(l1, published=True))
    client = factories.client(session)
    session.add(LessonProgress(client_id=client.id, course_id=l1.course_id, lesson_id=l1.id))
    session.flush()
    error = refused(A.delete_lesson, session=session, lesson_id=l1.id)
    assert error.message == A.HAS_PROGRESS
    A.set_published(session, lesson_id=l1.id, published=False)
    assert session.get(Lesson, l1.id).published is False
    assert session.exec(select(LessonProgress)).one().lesson_id == l1.id


def test_delete_lesson_and_module(session, course):
    l1, l2, l3 = course["l1"], course["l2"], course["l3"]
    A.update_lesson(session, **lesson_fields(l2, drip_kind="after", drip_after=l1.id))
    refused(A.delete_lesson, session=session, lesson_id=l1.id)  # l2 waits for it
    A.add_question(session, lesson_id=l3.id, kind="truefalse", prompt="Sky is blue?",
                   options=[], correct=[0])
    client = factories.client(session)
    session.add(Enrolment(course_id=l3.course_id, client_id=client.id, last_lesson_id=l3.id))
    session.flush()
    refused(A.delete_module, session=session, module_id=course["m2"].id)
    A.delete_lesson(session, lesson_id=l3.id)
    assert session.exec(select(QuizQuestion)).all() == []
    assert session.exec(select(Enrolment)).one().last_lesson_id is None
    A.delete_module(session, module_id=course["m2"].id)
    assert [m.title for m in A.outline(session, course["course"].id)[0]] == ["Week one"]


def test_quiz_questions(session, course):
    quiz = course["l3"]
    for field, over in (("prompt", {"prompt": " "}),
                        ("options", {"options": ["Only one"], "correct": [0]}),
                        ("correct", {"options": ["A", "B"], "correct": [0, 1]}),
                        ("correct", {"options": ["A", "B"], "correct": []}),
                        ("correct", {"options": ["A", "B"], "correct": [2]}),
                        ("question_kind", {"kind": "essay"})):
        args = {"lesson_id": quiz.id, "kind": "single", "prompt": "Q?", "options": ["A", "B"],
                "correct": [0], **over}
        refused(A.add_question, field, session=session, **args)
    refused(A.add_question, "correct", session=session, lesson_id=quiz.id, kind="multiple",
            prompt="Q?", options=["A", "B", "C"], correct=[])
    multi = A.add_question(session, lesson_id=quiz.id, kind="multiple", prompt="Pick",
                           options="A\n\nB\nC", correct=["0", "2"])
    assert (multi.options, multi.correct) == (["A", "B", "C"], [0, 2])
    tf = A.add_question(session, lesson_id=quiz.id, kind=QuestionKind.TRUE_FALSE,
                        prompt="True?", options=["Yes", "No", "Maybe"], correct=[1])
    assert (tf.options, tf.correct) == (["True", "False"], [1])
    refused(A.add_question, session=session, lesson_id=course["l1"].id, kind="single",
            prompt="Q", options=["A", "B"], correct=[0])  # not a quiz lesson
    A.move_question(session, question_id=tf.id, direction="up")
    assert [q.id for q in A.questions_for(session, lesson_id=quiz.id)] == [tf.id, multi.id]
    A.update_lesson(session, **lesson_fields(quiz, published=True))
    A.delete_question(session, question_id=multi.id)
    refused(A.delete_question, session=session, question_id=tf.id)  # the last of a published quiz
    with pytest.raises(NotFound):
        A.update_question(session, question_id=multi.id, kind="single", prompt="x",
                          options=["a", "b"], correct=[0])


def test_course_rows_count_in_constant_statements(session, engine, course):
    from tests.sql import statements_of

    A.update_lesson(session, **lesson_fields(course["l1"], published=True))
    session.add(Enrolment(course_id=course["course"].id, client_id=factories.client(session).id))
    session.flush()
    rows = []
    first = statements_of(engine, lambda: rows.extend(A.course_rows(session)))
    assert [(r.title, r.modules, r.lessons, r.published_lessons, r.students) for r in rows] == [
        ("Calm Mind", 2, 3, 1, 1)]
    for n in range(3):
        c = A.create_course(session, title=f"More {n}")
        A.add_lesson(session, module_id=A.add_module(session, course_id=c.id, title="Mod").id,
                     title="Les")
    session.flush()
    more = statements_of(engine, lambda: rows.extend(A.course_rows(session)))
    assert len(rows) == 5
    assert len(more) == len(first) == 4


def test_editing_while_students_are_enrolled_loses_nothing(session, course):
    from datetime import UTC, datetime

    from models import QuizAttempt

    l1, l2, l3 = course["l1"], course["l2"], course["l3"]
    client = factories.client(session)
    session.add(Enrolment(course_id=l1.course_id, client_id=client.id, last_lesson_id=l2.id))
    session.add(LessonProgress(client_id=client.id, course_id=l1.course_id, lesson_id=l1.id,
                               completed_at=datetime.now(UTC), completed_by="student"))
    session.add(QuizAttempt(client_id=client.id, lesson_id=l3.id, score_pct=50))
    session.flush()
    A.update_course(session, **settings(course["course"], title="Calm Mind 2", in_order=True))
    A.move_lesson(session, lesson_id=l1.id, direction="down")
    A.move_lesson(session, lesson_id=l3.id, direction="up")  # into week one, last
    A.update_lesson(session, **lesson_fields(l2, title="Breathing, again", kind="video"))
    A.add_module(session, course_id=course["course"].id, title="Week three")
    refused(A.delete_lesson, session=session, lesson_id=l3.id)  # it has an attempt
    progress = session.exec(select(LessonProgress)).one()
    assert session.get(Lesson, progress.lesson_id) is not None and progress.lesson_id == l1.id
    assert session.exec(select(Enrolment)).one().last_lesson_id == l2.id
    assert l3.module_id == course["m1"].id
