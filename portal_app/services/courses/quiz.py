"""Quizzes, graded on the server: the answer key (`QuizQuestion.correct`) never
leaves it while the student may still try again.

- `quiz_for`: the questions to show — prompts and options only — in the author's
  order, or shuffled when the lesson says so: a new order for each attempt, the
  same order for that attempt however often the page is reloaded.
- `submit_quiz`: grades single-choice and true/false (the one right option) and
  multiple-choice (exactly the right set) questions; the score in whole percent
  against the lesson's pass mark; the attempts limit ("No attempts left");
  passing completes the lesson. The result says which questions were right; the
  right options of the wrong ones only once no attempt remains or the quiz is
  passed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models import Lesson, LessonKind, QuestionKind, QuizAttempt, QuizQuestion
from models.base import utcnow
from portal_app.services.courses.progress import CourseFacts, complete_lesson, open_facts
from portal_app.services.errors import NotAllowed, ServiceError

NO_QUIZ = "This lesson has no quiz."
NO_QUESTIONS = "This quiz has no questions yet."
NO_ATTEMPTS = "No attempts left."
PASSED_ALREADY = "You have already passed this quiz."
ANSWER_ALL = "Answer every question."
ONE_ANSWER = "Choose one answer."
_FIELD = re.compile(r"^q-(\d{1,18})(?:-(\d{1,3}))?$")


@dataclass(frozen=True)
class ShownQuestion:
    id: int
    kind: str
    prompt: str
    options: list[tuple[int, str]]  # (the option's index as stored, its text), in shown order


@dataclass(frozen=True)
class QuizStatus:
    attempts_used: int
    attempts_left: int | None  # None: no limit
    passed: bool
    best_pct: int | None


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    right: bool
    correct: list[int] | None  # the right options, only when the key may be shown


@dataclass(frozen=True)
class QuizResult:
    score_pct: int
    passed: bool
    pass_mark_pct: int
    results: list[QuestionResult]
    status: QuizStatus


def _status(lesson: Lesson, attempts: list[tuple[int, bool]]) -> QuizStatus:
    used = len(attempts)
    left = max(lesson.attempts_limit - used, 0) if lesson.attempts_limit > 0 else None
    return QuizStatus(used, left, any(p for _, p in attempts),
                      max((s for s, _ in attempts), default=None))


def _attempts(session: Session, *, client_id: int, lesson_id: int) -> list[tuple[int, bool]]:
    return [(int(s), bool(p)) for s, p in session.exec(
        select(QuizAttempt.score_pct, QuizAttempt.passed).where(
            QuizAttempt.client_id == client_id, QuizAttempt.lesson_id == lesson_id)).all()]


def _questions(session: Session, lesson_id: int) -> list[QuizQuestion]:
    return list(session.exec(select(QuizQuestion).where(QuizQuestion.lesson_id == lesson_id)
                             .order_by(QuizQuestion.position, QuizQuestion.id)).all())


def shown_order(questions: list[QuizQuestion], *, shuffle: bool, client_id: int,
                lesson_id: int, attempt_no: int) -> list[ShownQuestion]:
    """The questions as the student sees them (no key). Shuffled questions and options
    follow a seed of (student, lesson, attempt number): stable within an attempt."""
    rng = random.Random(f"{client_id}:{lesson_id}:{attempt_no}")
    shown = []
    for q in questions:
        options = [(i, str(text)) for i, text in enumerate(q.options or [])]
        if shuffle:
            rng.shuffle(options)
        shown.append(ShownQuestion(q.id, q.kind, q.prompt, options))
    if shuffle:
        rng.shuffle(shown)
    return shown


def quiz_for(session: Session, *, facts: CourseFacts, lesson: Lesson
             ) -> tuple[list[ShownQuestion], QuizStatus]:
    """The questions of an open quiz lesson for this attempt, and the attempts so far."""
    client_id = facts.enrolment.client_id
    attempts = _attempts(session, client_id=client_id, lesson_id=lesson.id)
    questions = _questions(session, lesson.id)
    shown = shown_order(questions, shuffle=lesson.shuffle, client_id=client_id,
                        lesson_id=lesson.id, attempt_no=len(attempts) + 1)
    return shown, _status(lesson, attempts)


def parse_answers(form: object) -> dict[int, set[int]]:
    """A submitted form's answers: "q-<question>" = "<option>" (a radio group) and
    "q-<question>-<option>" = on (a checkbox). Anything else is ignored."""
    chosen: dict[int, set[int]] = {}
    if not isinstance(form, dict):
        return chosen
    for key, value in list(form.items())[:500]:
        match = _FIELD.match(str(key))
        if not match:
            continue
        qid = int(match.group(1))
        if match.group(2) is not None:
            if value in (True, "on", "true", "1", 1):
                chosen.setdefault(qid, set()).add(int(match.group(2)))
        else:
            try:
                chosen.setdefault(qid, set()).add(int(str(value)))
            except ValueError:
                chosen.setdefault(qid, set())
    return chosen


def grade(questions: list[QuizQuestion], chosen: dict[int, set[int]]) -> list[bool]:
    """Right or wrong per question (every question answered, see `check_answered`)."""
    return [chosen.get(q.id, set()) == {int(c) for c in (q.correct or [])} for q in questions]


def check_answered(questions: list[QuizQuestion], chosen: dict[int, set[int]]) -> None:
    """Refuse (beside the first question at fault) an unanswered question, a second
    answer where one is asked, or an option the question does not have."""
    for q in questions:
        picked = chosen.get(q.id, set())
        count = len(q.options or [])
        if not picked or any(not 0 <= i < count for i in picked):
            raise ServiceError(ANSWER_ALL, field=f"q-{q.id}")
        if q.kind != QuestionKind.MULTIPLE and len(picked) != 1:
            raise ServiceError(ONE_ANSWER, field=f"q-{q.id}")


def submit_quiz(session: Session, *, client_id: int, lesson_id: object, answers: object,
                zone: str, now: datetime | None = None) -> QuizResult:
    """Grade one attempt of an open quiz lesson; passing completes the lesson. A bad
    form is refused before anything is recorded (it uses no attempt)."""
    now = now or utcnow()
    facts, lesson = open_facts(session, client_id=client_id, lesson_id=lesson_id, zone=zone,
                                now=now)
    if lesson.kind != LessonKind.QUIZ:
        raise NotAllowed(NO_QUIZ)
    attempts = _attempts(session, client_id=client_id, lesson_id=lesson.id)
    status = _status(lesson, attempts)
    if status.passed:
        raise NotAllowed(PASSED_ALREADY)
    if status.attempts_left == 0:
        raise NotAllowed(NO_ATTEMPTS)
    questions = _questions(session, lesson.id)
    if not questions:
        raise NotAllowed(NO_QUESTIONS)
    chosen = parse_answers(answers)
    check_answered(questions, chosen)
    rights = grade(questions, chosen)
    score = int(100 * sum(rights) // len(questions))
    passed = score >= lesson.pass_mark_pct
    session.add(QuizAttempt(client_id=client_id, lesson_id=lesson.id, score_pct=score,
                            passed=passed, created_at=now,
                            answers={str(q.id): sorted(chosen[q.id]) for q in questions}))
    session.flush()
    after = _status(lesson, [*attempts, (score, passed)])
    if passed:
        complete_lesson(session, facts, lesson, by="quiz", zone=zone, now=now)
    show_key = passed or after.attempts_left == 0
    results = [QuestionResult(q.id, right,
                              sorted(int(c) for c in q.correct or []) if show_key else None)
               for q, right in zip(questions, rights, strict=True)]
    return QuizResult(score, passed, lesson.pass_mark_pct, results, after)
