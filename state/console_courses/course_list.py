"""Console → Courses: every course with its status and counts, and "New course"."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.services.courses import authoring
from portal_app.services.errors import ServiceError
from state.console_courses.common import field_errors, status_label
from state.console_format import tr
from state.guards import staff_event
from state.staff_session import StaffState


class CourseListState(StaffState):
    rows: list[dict[str, str]] = []
    new_open: bool = False
    new_errors: dict[str, str] = {}

    def _fill(self, session) -> None:
        self.rows = [{"id": str(r.id), "title": r.title, "status": r.status,
                      "status_label": status_label(r.status), "modules": str(r.modules),
                      "lessons": tr("{published} of {total} published",
                                    published=r.published_lessons, total=r.lessons),
                      "students": str(r.students), "url": routes.console_course(r.id)}
                     for r in authoring.course_rows(session)]

    @staff_event
    def load(self, session, ctx):
        """on_load: the list."""
        self.new_open, self.new_errors = False, {}
        self._fill(session)

    @staff_event
    def set_new_open(self, session, ctx, value: bool):
        self.new_open, self.new_errors = bool(value), {}

    def _new_refused(self, exc: ServiceError) -> None:
        self.new_errors = field_errors(exc)

    @staff_event(on_error="_new_refused")
    def create(self, session, ctx, form_data: dict):
        """New course: a draft with this title; the editor opens on it."""
        data = form_data if isinstance(form_data, dict) else {}
        course = authoring.create_course(session, title=data.get("title", ""),
                                         summary=data.get("summary", ""))
        self.new_open, self.new_errors = False, {}
        return rx.redirect(routes.console_course(course.id))
