"""/courses/lesson?id=: one lesson — text (Markdown), video (our media route or an
allowed embed), audio, a file, or a quiz — with "Mark complete" for manual lessons
and the previous / next lesson.

The lesson id comes from the URL once (`load`); every later handler (the player's
reports, Mark complete, the quiz) acts on the lesson this tab opened, checked again
by the services on each call: the Courses app, the grant to the course, the lesson
published, and open now (a locked lesson says until when, or after which lesson). The
player's usual report is checked in its one UPDATE against the page's mark (the drip
is decided again only when the report completes the lesson: services/courses/player.py).
The quiz's answer key stays on the server until no attempt remains or it is passed.
"""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.i18n import gettext
from portal_app.services.courses import progress, quiz
from portal_app.services.courses.drip import COMPLETE
from portal_app.services.courses.lesson_media import lesson_media, safe_embed_url
from portal_app.services.courses.markdown import render_markdown
from portal_app.services.courses.player import PlayerMark, mark_for
from portal_app.services.errors import NotFound, ServiceError
from state.assign import assign_changed
from state.courses.common import courses_event
from state.session import ClientState

MARKED = "Lesson complete."
SCORE = "You scored {score}% (pass mark {pass_mark}%)."
PASSED = "Passed. Well done!"
NOT_PASSED = "Not passed yet."
ATTEMPTS_LEFT = "Attempts left: {count}"
RIGHT_ANSWER = "Right answer: {answer}"


class LessonPageState(ClientState):
    status: str = ""  # open | complete | locked | missing
    locked_text: str = ""
    title: str = ""
    kind: str = ""
    body_html: str = ""  # the Markdown, rendered safe on the server
    course_title: str = ""
    course_href: str = ""
    media_url: str = ""
    media_name: str = ""
    embed_url: str = ""
    can_mark_complete: bool = False
    watched_pct: int = 0
    prev_href: str = ""
    prev_title: str = ""
    next_href: str = ""
    next_title: str = ""
    questions: list[dict[str, str]] = []  # id, field, kind, prompt, result, key, error
    options: list[list[dict[str, str]]] = []  # per question: value, label, field, right
    quiz_text: str = ""
    quiz_passed: bool = False
    quiz_closed: bool = False  # passed, or no attempt left
    attempts_text: str = ""
    submitted: bool = False
    _lesson_id: int | None = None
    _mark: PlayerMark | None = None  # for the player's next report (services/courses/player.py)

    def _show(self, session, facts, lesson) -> None:
        """The opened lesson's page (only what changed is assigned: a lesson opened
        again in the same tab sends nothing again)."""
        state = facts.states[lesson.id]
        row = facts.progress.get(lesson.id)
        self._lesson_id = lesson.id
        status = "complete" if state.status == COMPLETE else "open"
        shown = {**blank(), "status": status, "title": lesson.title, "kind": lesson.kind,
                 "body_html": render_markdown(lesson.body),
                 "course_title": facts.course.title,
                 "course_href": routes.course_page(facts.course.id),
                 "watched_pct": row.watched_pct if row else 0}
        self._mark = mark_for(lesson, facts.enrolment, row)
        media = lesson_media(session, lesson)
        if media is not None:
            start = f"#t={row.watched_seconds}" if row and row.watched_seconds else ""
            shown["media_url"] = routes.course_media(media.id) + (
                start if lesson.kind == "video" else "")
            shown["media_name"] = media.filename
        shown["embed_url"] = safe_embed_url(lesson.embed_url) if not media else ""
        shown["can_mark_complete"] = (status == "open" and lesson.kind != "quiz"
                                      and lesson.complete_rule == "manual")
        before, after = facts.neighbours(lesson.id)
        shown.update(prev_href=routes.lesson_page(before.id) if before else "",
                     prev_title=before.title if before else "",
                     next_href=routes.lesson_page(after.id) if after else "",
                     next_title=after.title if after else "")
        if lesson.kind == "quiz":
            shown.update(self._quiz_vars(*quiz.quiz_for(session, facts=facts, lesson=lesson)))
        assign_changed(self, shown)

    def _quiz_vars(self, shown, status) -> dict:
        return {
            "questions": [{"id": str(q.id), "field": f"q-{q.id}", "kind": q.kind,
                           "prompt": q.prompt, "result": "", "key": "", "error": ""}
                          for q in shown],
            # True/false options are stored as the English words: shown in the reader's.
            "options": [[{"value": str(i), "field": f"q-{q.id}-{i}", "right": "",
                          "label": self._tr(text) if q.kind == "truefalse" else text}
                         for i, text in q.options] for q in shown],
            "quiz_passed": status.passed,
            "quiz_closed": status.passed or status.attempts_left == 0,
            "submitted": False,
            "quiz_text": self._tr(PASSED) if status.passed else (
                self._tr(quiz.NO_ATTEMPTS) if status.attempts_left == 0 else ""),
            "attempts_text": ("" if status.attempts_left is None or status.passed else
                              gettext(self._lang, ATTEMPTS_LEFT, count=status.attempts_left))}

    @courses_event(page=True)
    def load(self, session, ctx):
        """on_load: open the lesson in the URL (?id=); a locked one says why."""
        self._lesson_id = None
        self._mark = None
        lesson_id = self.router.url.query_parameters.get("id", "")
        try:
            facts, lesson = progress.open_lesson(session, client_id=ctx.client_id,
                                                 lesson_id=lesson_id, zone=self._tz)
        except progress.LessonLocked as exc:
            shown = {**blank(), "status": "locked",
                     "locked_text": progress.locked_text(exc, lang=self._lang, zone=self._tz)}
            if exc.course is not None:
                shown["course_title"] = exc.course.title
                shown["course_href"] = routes.course_page(exc.course.id)
            assign_changed(self, shown)
            return None
        except NotFound as exc:
            assign_changed(self, {**blank(), "status": "missing"})
            return rx.toast.error(self._tr(exc.message))
        self._show(session, facts, lesson)
        return None

    @courses_event
    def mark_complete(self, session, ctx):
        """"Mark complete" (manual lessons only; the service checks)."""
        facts = progress.mark_complete(session, client_id=ctx.client_id,
                                       lesson_id=self._lesson_id, zone=self._tz)
        lesson = next(x for x in facts.lessons if x.id == self._lesson_id)
        self._show(session, facts, lesson)
        return rx.toast.success(self._tr(MARKED))

    def _quiet(self, exc: ServiceError) -> None:
        """A refused report says nothing: the player reports again in a few seconds."""

    @courses_event(on_error="_quiet")
    def report_progress(self, session, ctx, form: dict):
        """The player's report (position and duration, in seconds), every ~10 s while
        playing and on pause and end; kept only when plausible (the service checks)."""
        form = form if isinstance(form, dict) else {}
        report = progress.report_video(session, client_id=ctx.client_id,
                                       lesson_id=self._lesson_id,
                                       position=form.get("position"),
                                       duration=form.get("duration"), zone=self._tz,
                                       mark=self.get_value("_mark"))
        self._mark = report.mark
        self.watched_pct = report.watched_pct  # sent each time: the player's answer
        if report.completed and self.status != "complete":
            self.status = "complete"
            return rx.toast.success(self._tr(MARKED))
        return None

    def _quiz_refused(self, exc: ServiceError):
        """A bad form: the message beside the question at fault; nothing recorded."""
        if exc.field:
            self.questions = [{**q, "error": self._tr(exc.message) if q["field"] == exc.field
                               else ""} for q in self.questions]
            return None
        return rx.toast.error(self._tr(exc.message))

    @courses_event(on_error="_quiz_refused")
    def submit_quiz(self, session, ctx, form: dict):
        """Submit: graded on the server; which questions were right, and the right
        options only once the quiz is passed or no attempt remains."""
        result = quiz.submit_quiz(session, client_id=ctx.client_id, lesson_id=self._lesson_id,
                                  answers=form, zone=self._tz)
        by_id = {str(r.question_id): r for r in result.results}
        questions, options = [], []
        for q, opts in zip(self.questions, self.options, strict=False):
            r = by_id.get(q["id"])
            right = {str(i) for i in (r.correct or [])} if r else set()
            key = ", ".join(o["label"] for o in opts if o["value"] in right)
            questions.append({**q, "error": "", "result": "right" if r and r.right else "wrong",
                              "key": gettext(self._lang, RIGHT_ANSWER, answer=key)
                              if key and r and not r.right else ""})
            options.append([{**o, "right": "yes" if o["value"] in right else ""} for o in opts])
        self.questions, self.options = questions, options
        self.submitted = True
        self.quiz_passed = result.passed
        self.quiz_closed = result.passed or result.status.attempts_left == 0
        verdict = PASSED if result.passed else NOT_PASSED
        self.quiz_text = (gettext(self._lang, SCORE, score=result.score_pct,
                                  pass_mark=result.pass_mark_pct) + " " + self._tr(verdict))
        left = result.status.attempts_left
        self.attempts_text = ("" if left is None or result.passed else
                              gettext(self._lang, ATTEMPTS_LEFT, count=left))
        if result.passed:
            self.status, self.can_mark_complete = "complete", False
        return None

    @courses_event
    def try_again(self, session, ctx):
        """Another attempt: the questions again (in this attempt's order)."""
        facts, lesson = progress.open_lesson(session, client_id=ctx.client_id,
                                             lesson_id=self._lesson_id, zone=self._tz)
        self._show(session, facts, lesson)


# What the page shows before a lesson is opened: each of its vars' default.
_BLANK = {name: field.default_value() for name, field in LessonPageState.__fields__.items()
          if field._owner is LessonPageState and not name.startswith("_")}


def blank() -> dict:
    """The page's vars at their defaults (fresh lists: a state var is never shared)."""
    return {k: [] if isinstance(v, list) else v for k, v in _BLANK.items()}
