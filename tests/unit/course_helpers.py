"""Courses for the learner's tests, built on the models (authoring is another part of
the issue): a published course with modules and lessons, a student granted it."""

from __future__ import annotations

from datetime import UTC, datetime

from models import (
    CompleteRule,
    Course,
    CourseMedia,
    CourseModule,
    CourseStatus,
    GrantKind,
    GrantSource,
    Lesson,
    LessonKind,
    QuestionKind,
    QuizQuestion,
)
from portal_app import apps
from portal_app.services.hub import entitlements
from tests import factories


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def course(session, *, title="Calm Mind", modules=1, lessons_per_module=2, status=None,
           **fields) -> tuple[Course, list[CourseModule], list[Lesson]]:
    """A published course of manual text lessons, all published and required."""
    row = Course(title=title, summary="Breathe in, breathe out.",
                 status=status or CourseStatus.PUBLISHED, **fields)
    session.add(row)
    session.flush()
    mods, lessons = [], []
    for m in range(modules):
        mod = CourseModule(course_id=row.id, position=m, title=f"Module {m + 1}")
        session.add(mod)
        session.flush()
        mods.append(mod)
        for n in range(lessons_per_module):
            lesson = Lesson(course_id=row.id, module_id=mod.id, position=n,
                            title=f"Lesson {m + 1}.{n + 1}", body="**Hello**", published=True)
            session.add(lesson)
            lessons.append(lesson)
    session.flush()
    return row, mods, lessons


def make_video(session, lesson: Lesson, *, share=90) -> CourseMedia:
    media = CourseMedia(course_id=lesson.course_id, stored_name=f"m{lesson.id}x",
                        filename="intro.mp4", content_type="video/mp4", size_bytes=10)
    session.add(media)
    session.flush()
    lesson.kind, lesson.media_id = LessonKind.VIDEO, media.id
    lesson.complete_rule, lesson.video_share_pct = CompleteRule.VIDEO, share
    session.add(lesson)
    session.flush()
    return media


def make_quiz(session, lesson: Lesson, *, pass_mark=70, attempts=0, shuffle=False
              ) -> list[QuizQuestion]:
    """Three questions: single (right: 1), multiple (right: 0 and 2), true/false (0)."""
    lesson.kind, lesson.complete_rule = LessonKind.QUIZ, CompleteRule.QUIZ
    lesson.pass_mark_pct, lesson.attempts_limit, lesson.shuffle = pass_mark, attempts, shuffle
    session.add(lesson)
    questions = [
        QuizQuestion(lesson_id=lesson.id, position=0, kind=QuestionKind.SINGLE,
                     prompt="Which?", options=["a", "b", "c"], correct=[1]),
        QuizQuestion(lesson_id=lesson.id, position=1, kind=QuestionKind.MULTIPLE,
                     prompt="Which ones?", options=["x", "y", "z", "w"], correct=[0, 2]),
        QuizQuestion(lesson_id=lesson.id, position=2, kind=QuestionKind.TRUE_FALSE,
                     prompt="True?", options=["True", "False"], correct=[0]),
    ]
    session.add_all(questions)
    session.flush()
    return questions


def student(session, *, course_row: Course | None = None, name="Ana", timezone="",
            starts_at: datetime | None = None):
    """A client granted the course (or the whole app when `course_row` is None)."""
    _account, clients = factories.household(session, names=(name,), access="active")
    client = clients[0]
    client.timezone = timezone
    session.add(client)
    if course_row is None:
        entitlements.grant(session, client_id=client.id, kind=GrantKind.APP,
                           app_key=apps.COURSES, source=GrantSource.STAFF, starts_at=starts_at)
    else:
        entitlements.grant(session, client_id=client.id, kind=GrantKind.COURSE,
                           app_key=apps.COURSES, target_id=course_row.id,
                           source=GrantSource.STAFF, starts_at=starts_at)
    session.flush()
    return client


def all_right(questions) -> dict:
    form = {}
    for q in questions:
        if q.kind == QuestionKind.MULTIPLE:
            form.update({f"q-{q.id}-{i}": "on" for i in q.correct})
        else:
            form[f"q-{q.id}"] = str(q.correct[0])
    return form
