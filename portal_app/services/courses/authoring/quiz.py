"""A quiz lesson's questions: single choice (two or more options, exactly one
right), multiple choice (two or more options, one or more right), true/false
(the two options fixed; one of them right). The answer key stays on the server:
the console edits it; nothing here hands it to a client."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from models import LessonKind, QuestionKind, QuizQuestion
from portal_app.services.courses.authoring.common import (
    get_course,
    get_lesson,
    get_question,
    touch,
)
from portal_app.services.courses.authoring.modules import DOWN, UP, renumber
from portal_app.services.errors import ServiceError

TRUE_FALSE_OPTIONS = ["True", "False"]
MAX_PROMPT = 2000
MAX_OPTION = 300
MAX_OPTIONS = 10


def _indexes(raw: object, count: int) -> list[int]:
    values = raw if isinstance(raw, list | tuple | set) else [raw]
    out: set[int] = set()
    for value in values:
        if isinstance(value, bool) or value is None or value == "":
            continue
        try:
            index = int(value)
        except (TypeError, ValueError):
            raise ServiceError("Mark the right answer.", field="correct") from None
        if not 0 <= index < count:
            raise ServiceError("Mark the right answer.", field="correct")
        out.add(index)
    return sorted(out)


def clean_question(*, kind: object, prompt: object, options: object,
                   correct: object) -> tuple[str, str, list[str], list[int]]:
    kind = str(kind or "")
    if kind not in QuestionKind.ALL:
        raise ServiceError("Choose the kind of question.", field="question_kind")
    prompt = str(prompt or "").strip()
    if not prompt:
        raise ServiceError("Enter the question.", field="prompt")
    if len(prompt) > MAX_PROMPT:
        raise ServiceError(f"Keep the question to {MAX_PROMPT} characters.", field="prompt")
    if kind == QuestionKind.TRUE_FALSE:
        opts = list(TRUE_FALSE_OPTIONS)
    else:
        raw = options if isinstance(options, list | tuple) else str(options or "").split("\n")
        opts = [" ".join(str(o or "").split()) for o in raw]
        opts = [o for o in opts if o]
        if len(opts) < 2:
            raise ServiceError("Give at least two options.", field="options")
        if len(opts) > MAX_OPTIONS:
            raise ServiceError(f"Give at most {MAX_OPTIONS} options.", field="options")
        if any(len(o) > MAX_OPTION for o in opts):
            raise ServiceError(f"Keep each option to {MAX_OPTION} characters.",
                               field="options")
        if len(set(opts)) != len(opts):
            raise ServiceError("Each option must be different.", field="options")
    right = _indexes(correct, len(opts))
    if kind == QuestionKind.MULTIPLE:
        if not right:
            raise ServiceError("Mark at least one right answer.", field="correct")
    elif len(right) != 1:
        raise ServiceError("Mark exactly one right answer.", field="correct")
    return kind, prompt, opts, right


def _quiz_lesson(session: Session, lesson_id: object):
    lesson = get_lesson(session, lesson_id=lesson_id)
    if lesson.kind != LessonKind.QUIZ:
        raise ServiceError("Questions belong to quiz lessons.")
    return lesson


def questions_for(session: Session, *, lesson_id: int) -> list[QuizQuestion]:
    return list(session.exec(select(QuizQuestion).where(QuizQuestion.lesson_id == lesson_id)
                             .order_by(QuizQuestion.position, QuizQuestion.id)).all())


def add_question(session: Session, *, lesson_id: object, kind: object, prompt: object,
                 options: object, correct: object) -> QuizQuestion:
    lesson = _quiz_lesson(session, lesson_id)
    kind, prompt, opts, right = clean_question(kind=kind, prompt=prompt, options=options,
                                               correct=correct)
    last = session.exec(select(func.max(QuizQuestion.position))
                        .where(QuizQuestion.lesson_id == lesson.id)).one()
    question = QuizQuestion(lesson_id=lesson.id, kind=kind, prompt=prompt, options=opts,
                            correct=right, position=0 if last is None else last + 1)
    session.add(question)
    touch(session, get_course(session, course_id=lesson.course_id))
    session.flush()
    return question


def update_question(session: Session, *, question_id: object, kind: object, prompt: object,
                    options: object, correct: object) -> QuizQuestion:
    question = get_question(session, question_id=question_id)
    kind, prompt, opts, right = clean_question(kind=kind, prompt=prompt, options=options,
                                               correct=correct)
    question.kind, question.prompt, question.options, question.correct = (kind, prompt, opts,
                                                                           right)
    session.add(question)
    session.flush()
    return question


def delete_question(session: Session, *, question_id: object) -> QuizQuestion:
    """Remove a question; the last question of a published quiz stays (unpublish first)."""
    question = get_question(session, question_id=question_id)
    lesson = get_lesson(session, lesson_id=question.lesson_id)
    rest = [q for q in questions_for(session, lesson_id=lesson.id) if q.id != question.id]
    if lesson.published and not rest:
        raise ServiceError("A published quiz needs a question: unpublish it first.")
    session.delete(question)
    renumber(rest)
    session.add_all(rest)
    session.flush()
    return question


def move_question(session: Session, *, question_id: object, direction: str) -> QuizQuestion:
    question = get_question(session, question_id=question_id)
    rows = questions_for(session, lesson_id=question.lesson_id)
    i = next(n for n, q in enumerate(rows) if q.id == question.id)
    j = i - 1 if direction == UP else i + 1
    if direction in (UP, DOWN) and 0 <= j < len(rows):
        rows[i], rows[j] = rows[j], rows[i]
        renumber(rows)
        session.add_all(rows)
        session.flush()
    return question
