"""Shared checks of course authoring: titles, whole numbers in a range, and the
staff-side lookups (any course, module, lesson or question by id; NotFound
otherwise). Staff see every course, so these check existence, not ownership."""

from __future__ import annotations

from sqlmodel import Session

from models import Course, CourseModule, Lesson, QuizQuestion
from models.base import utcnow
from portal_app.services.errors import NotFound, ServiceError, get_by_id

NO_COURSE = "That course does not exist."
NO_MODULE = "That module does not exist."
NO_LESSON = "That lesson does not exist."
NO_QUESTION = "That question does not exist."
MAX_TITLE = 160
MAX_SUMMARY = 4000
MAX_BODY = 100_000


def clean_title(value: object, *, field: str = "title") -> str:
    title = " ".join(str(value or "").split())
    if len(title) < 2:
        raise ServiceError("Enter a title of at least 2 characters.", field=field)
    if len(title) > MAX_TITLE:
        raise ServiceError(f"Keep the title to {MAX_TITLE} characters.", field=field)
    return title


def whole(value: object, *, low: int, high: int, field: str, message: str) -> int:
    """`value` as a whole number in low..high, or ServiceError(message) on `field`."""
    if isinstance(value, bool):
        raise ServiceError(message, field=field)
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise ServiceError(message, field=field) from None
    if not low <= number <= high:
        raise ServiceError(message, field=field)
    return number


def get_course(session: Session, *, course_id: object) -> Course:
    return get_by_id(session, Course, course_id, NO_COURSE)


def get_module(session: Session, *, module_id: object,
               course_id: int | None = None) -> CourseModule:
    """A module (of `course_id`, when given: another course's module is NotFound)."""
    module = get_by_id(session, CourseModule, module_id, NO_MODULE)
    if course_id is not None and module.course_id != course_id:
        raise NotFound(NO_MODULE)
    return module


def get_lesson(session: Session, *, lesson_id: object, course_id: int | None = None) -> Lesson:
    lesson = get_by_id(session, Lesson, lesson_id, NO_LESSON)
    if course_id is not None and lesson.course_id != course_id:
        raise NotFound(NO_LESSON)
    return lesson


def get_question(session: Session, *, question_id: object,
                 lesson_id: int | None = None) -> QuizQuestion:
    question = get_by_id(session, QuizQuestion, question_id, NO_QUESTION)
    if lesson_id is not None and question.lesson_id != lesson_id:
        raise NotFound(NO_QUESTION)
    return question


def touch(session: Session, course: Course) -> None:
    course.updated_at = utcnow()
    session.add(course)
