"""The questions of a quiz lesson, inside the lesson editor: list, add, edit,
move, delete. The answer key is shown to staff only (this is the console); the
question and lesson ids from the browser are checked to be of the page's course."""

from __future__ import annotations

import reflex as rx

from models import LessonKind, QuestionKind
from portal_app.services.courses import authoring
from portal_app.services.errors import ServiceError
from state.console_courses.common import field_errors, page_course_id
from state.console_format import tr
from state.guards import staff_event
from state.staff_session import StaffState

NO_QUIZ = "Open a quiz lesson first."


def question_kind_label(kind: str) -> str:
    return {QuestionKind.SINGLE: tr("Single choice"), QuestionKind.MULTIPLE: tr("Multiple choice"),
            QuestionKind.TRUE_FALSE: tr("True or false")}.get(kind, kind)


def _numbers(raw: object) -> list[int]:
    """"1, 3" (option numbers as people count) -> [0, 2]; anything else is refused."""
    out = []
    for part in str(raw or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) < 1:
            raise ServiceError("Enter the numbers of the right options, like 1 or 1, 3.",
                               field="correct")
        out.append(int(part) - 1)
    return out


class QuizState(StaffState):
    is_quiz: bool = False
    questions: list[dict[str, str]] = []
    editing: bool = False
    q_form: dict[str, str] = {}
    q_kind: str = QuestionKind.SINGLE
    q_errors: dict[str, str] = {}
    q_key: int = 0
    _course_id: int = 0
    _lesson_id: int = 0
    _question_id: int = 0

    @staff_event(on_error="_no_course")
    def load(self, session, ctx):
        """on_load of the course page: remember its course (the page's `id`)."""
        self._lesson_id = self._question_id = 0
        self.is_quiz, self.questions, self.editing = False, [], False
        self._course_id = authoring.get_course(session, course_id=page_course_id(self)).id

    def _no_course(self, exc: ServiceError) -> None:
        self._course_id = self._lesson_id = 0

    def _quiz(self, session):
        if not self._course_id or not self._lesson_id:
            raise ServiceError(NO_QUIZ)
        lesson = authoring.get_lesson(session, lesson_id=self._lesson_id,
                                      course_id=self._course_id)
        if lesson.kind != LessonKind.QUIZ:
            raise ServiceError(NO_QUIZ)
        return lesson

    def _question(self, session, question_id: object):
        lesson = self._quiz(session)
        return authoring.get_question(session, question_id=question_id, lesson_id=lesson.id)

    def _fill(self, session) -> None:
        lesson = self._quiz(session)
        rows = []
        for n, q in enumerate(authoring.questions_for(session, lesson_id=lesson.id)):
            options = [tr(o) if q.kind == QuestionKind.TRUE_FALSE else o for o in q.options]
            rows.append({"id": str(q.id), "number": str(n + 1), "prompt": q.prompt,
                         "kind": question_kind_label(q.kind),
                         "options": " · ".join(options),
                         "correct": ", ".join(options[i] for i in q.correct
                                              if 0 <= i < len(options))})
        self.questions = rows

    @staff_event
    def show(self, session, ctx, lesson_id: str):
        """The lesson editor opened on `lesson_id`: its questions when it is a quiz."""
        self._lesson_id, self._question_id, self.editing = 0, 0, False
        self.is_quiz, self.questions = False, []
        if not self._course_id:
            return
        lesson = authoring.get_lesson(session, lesson_id=lesson_id, course_id=self._course_id)
        self._lesson_id = lesson.id
        if lesson.kind == LessonKind.QUIZ:
            self.is_quiz = True
            self._fill(session)

    @staff_event
    def new_question(self, session, ctx):
        self._quiz(session)
        self._question_id = 0
        self.q_form = {"kind": QuestionKind.SINGLE, "prompt": "", "options": "", "correct": "",
                       "truth": "0"}
        self.q_kind, self.q_errors, self.editing = QuestionKind.SINGLE, {}, True
        self.q_key += 1

    @staff_event
    def edit_question(self, session, ctx, question_id: str):
        q = self._question(session, question_id)
        self._question_id = q.id
        self.q_form = {"kind": q.kind, "prompt": q.prompt, "options": "\n".join(q.options),
                       "correct": ", ".join(str(i + 1) for i in q.correct),
                       "truth": str(q.correct[0]) if q.correct else "0"}
        self.q_kind, self.q_errors, self.editing = q.kind, {}, True
        self.q_key += 1

    @staff_event
    def set_q_kind(self, session, ctx, value: str):
        self.q_kind = str(value) if value in QuestionKind.ALL else QuestionKind.SINGLE

    @staff_event
    def cancel(self, session, ctx):
        self.editing, self.q_errors, self._question_id = False, {}, 0

    def _q_refused(self, exc: ServiceError) -> None:
        self.q_errors = field_errors(exc)

    @staff_event(on_error="_q_refused")
    def save_question(self, session, ctx, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        lesson = self._quiz(session)
        kind = str(data.get("kind", ""))
        correct = ([data.get("truth", "")] if kind == QuestionKind.TRUE_FALSE
                   else _numbers(data.get("correct", "")))
        fields = {"kind": kind, "prompt": data.get("prompt", ""),
                  "options": str(data.get("options", "")), "correct": correct}
        if self._question_id:
            q = self._question(session, self._question_id)
            authoring.update_question(session, question_id=q.id, **fields)
        else:
            authoring.add_question(session, lesson_id=lesson.id, **fields)
        self.editing, self.q_errors, self._question_id = False, {}, 0
        self._fill(session)
        return rx.toast.success(tr("Question saved."))

    @staff_event
    def move_question(self, session, ctx, question_id: str, direction: str):
        q = self._question(session, question_id)
        authoring.move_question(session, question_id=q.id, direction=str(direction))
        self._fill(session)

    @staff_event
    def delete_question(self, session, ctx, question_id: str):
        q = self._question(session, question_id)
        authoring.delete_question(session, question_id=q.id)
        self._fill(session)
        return rx.toast.success(tr("Question deleted."))
