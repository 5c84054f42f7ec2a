"""/courses/course?id=: a course's outline — modules, lessons with complete / open /
locked (the unlock moment in the client's zone, zone named, or "after <lesson>"),
the progress, and the certificate once earned (Download, its verify link).

The course id comes from the URL and is checked by services/courses/access.py (a
draft, another record's course or a revoked grant are the same "not available")."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.i18n import formats, gettext
from portal_app.services.courses import certificates, progress
from portal_app.services.courses.drip import LOCKED
from portal_app.services.errors import NotFound
from state.courses.common import courses_event
from state.courses.list_page import PERCENT_LABEL
from state.session import ClientState

OPENS = "Opens {when}"
AFTER = "After “{lesson}”"


class CourseState(ClientState):
    title: str = ""
    summary: str = ""
    percent: int = 0
    percent_label: str = ""
    rows: list[dict[str, str]] = []  # type: module | lesson
    continue_href: str = ""
    continue_title: str = ""
    certificate: dict[str, str] = {}
    missing: bool = False

    def _clear(self) -> None:
        self.title = self.summary = self.percent_label = ""
        self.percent = 0
        self.rows, self.certificate = [], {}
        self.continue_href = self.continue_title = ""

    def _lesson_row(self, facts, lesson) -> dict[str, str]:
        state = facts.states[lesson.id]
        note = ""
        if state.status == LOCKED and state.unlocks_at is not None:
            note = gettext(self._lang, OPENS,
                           when=formats.when_long(state.unlocks_at, self._tz, self._lang))
        elif state.status == LOCKED and state.waits_for is not None:
            note = gettext(self._lang, AFTER, lesson=facts.title_of(state.waits_for))
        return {"type": "lesson", "id": str(lesson.id), "title": lesson.title,
                "kind": lesson.kind, "status": state.status, "note": note,
                "href": routes.lesson_page(lesson.id) if state.status != LOCKED else ""}

    @courses_event(page=True)
    def load(self, session, ctx):
        """on_load: the outline of the course in the URL (?id=)."""
        self._clear()
        self.missing = False
        course_id = self.router.url.query_parameters.get("id", "")
        try:
            facts = progress.course_outline(session, client_id=ctx.client_id,
                                            course_id=course_id, zone=self._tz)
        except NotFound as exc:
            self.missing = True
            return rx.toast.error(self._tr(exc.message))
        course = facts.course
        self.title, self.summary = course.title, course.summary
        self.percent = progress.percent(facts.lessons, facts.completed)
        self.percent_label = gettext(self._lang, PERCENT_LABEL, title=course.title,
                                     percent=self.percent)
        rows: list[dict[str, str]] = []
        for module in facts.modules:
            lessons = [x for x in facts.lessons if x.module_id == module.id]
            if not lessons:
                continue
            rows.append({"type": "module", "id": str(module.id), "title": module.title,
                         "kind": "", "status": "", "note": "", "href": ""})
            rows += [self._lesson_row(facts, x) for x in lessons]
        self.rows = rows
        last = facts.enrolment.last_lesson_id
        if (last is not None and facts.enrolment.completed_at is None
                and facts.states.get(last) is not None
                and facts.states[last].status != LOCKED):
            self.continue_href = routes.lesson_page(last)
            self.continue_title = facts.title_of(last)
        row = certificates.certificate_of(session, course_id=course.id,
                                          client_id=ctx.client_id)
        if row is not None:
            self.certificate = {
                "code": certificates.display_code(row.code),
                "pdf": routes.certificate_pdf(row.code),
                "verify": routes.verify_certificate(row.code),
                "issued": formats.date_text(row.issued_on, self._lang),
                "revoked": formats.local_date_text(row.revoked_at, self._tz, self._lang)
                if row.revoked_at else ""}
        return None

