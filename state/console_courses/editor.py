"""Console → one course (`/console/course?id=`): its settings, and its outline —
modules in order with their drip rule, lessons in order with kind, published,
drip and completion rule — with add, edit, move up/down and delete. The lesson
editor dialog is state/console_courses/lesson.py.

The course is a backend var set by `load` from the page's `id`; every module or
lesson id that comes from the browser is checked to belong to that course."""

from __future__ import annotations

import reflex as rx

from models import CourseStatus, DripKind
from portal_app import routes
from portal_app.providers import select as providers
from portal_app.services.courses import authoring
from portal_app.services.errors import ServiceError
from state.console_courses.common import (
    OPEN_COURSE_FIRST,
    drip_label,
    field_errors,
    kind_label,
    page_course_id,
    rule_label,
    status_label,
    ticked,
)
from state.console_format import tr
from state.guards import staff_event
from state.staff_session import StaffState


class CourseEditorState(StaffState):
    found: bool = False
    course: dict[str, str] = {}
    settings_errors: dict[str, str] = {}
    settings_key: int = 0
    outline: list[dict[str, str]] = []  # module rows and lesson rows, in order
    lesson_choices: list[dict[str, str]] = []  # for "after lesson …"
    students: str = "0"
    module_open: bool = False
    module_form: dict[str, str] = {}
    module_errors: dict[str, str] = {}
    module_drip: str = DripKind.NONE  # the dialog's chosen rule: which field it shows
    new_lesson_open: bool = False
    new_lesson_errors: dict[str, str] = {}
    _course_id: int = 0
    _module_id: int = 0
    _new_lesson_module: int = 0

    # --- loading ----------------------------------------------------------------------

    @rx.var
    def progress_url(self) -> str:
        """The course's Students and progress page."""
        return routes.CONSOLE_COURSE_PROGRESS + "?id=" + self.course.get("id", "")

    def _fill(self, session) -> None:
        course = authoring.get_course(session, course_id=self._course_id)
        self.found = True
        self.course = {"id": str(course.id), "title": course.title, "summary": course.summary,
                       "status": course.status, "status_label": status_label(course.status),
                       "in_order": "yes" if course.in_order else "",
                       "certificate": "yes" if course.certificate else "",
                       "unlock_hour": str(course.unlock_hour)}
        modules, lessons = authoring.outline(session, course.id)
        titles = {x.id: x.title for x in lessons}
        self.lesson_choices = [{"id": str(x.id), "title": x.title} for x in lessons]
        rows: list[dict[str, str]] = []
        for n, module in enumerate(modules):
            rows.append({"row": "module", "id": str(module.id), "title": module.title,
                         "number": str(n + 1), "first": "yes" if n == 0 else "",
                         "last": "yes" if n == len(modules) - 1 else "",
                         "drip": drip_label(module.drip_kind, module.drip_days,
                                            module.drip_date,
                                            titles.get(module.drip_after_lesson_id, ""))})
            for lesson in (x for x in lessons if x.module_id == module.id):
                rows.append({
                    "row": "lesson", "id": str(lesson.id), "title": lesson.title,
                    "kind": kind_label(lesson.kind),
                    "published": "yes" if lesson.published else "",
                    "state": tr("Published") if lesson.published else tr("Draft"),
                    "required": "" if lesson.required else tr("Optional"),
                    "drip": drip_label(lesson.drip_kind, lesson.drip_days, lesson.drip_date,
                                       titles.get(lesson.drip_after_lesson_id, "")),
                    "rule": rule_label(lesson.complete_rule, lesson.video_share_pct)})
        self.outline = rows
        self.students = str(authoring.student_count(session, course_id=course.id))

    def _clear(self) -> None:
        self._course_id = self._module_id = self._new_lesson_module = 0
        self.found, self.course, self.outline, self.lesson_choices = False, {}, [], []
        self.settings_errors, self.module_errors, self.new_lesson_errors = {}, {}, {}
        self.module_open = self.new_lesson_open = False
        self.module_form, self.students = {}, "0"

    @staff_event(on_error="_not_found")
    def load(self, session, ctx):
        """on_load: the course of the page's `id`."""
        self._clear()
        self._course_id = authoring.get_course(session, course_id=page_course_id(self)).id
        self._fill(session)
        self.settings_key += 1

    def _not_found(self, exc: ServiceError) -> None:
        """No such course: the page says so."""
        self._clear()

    @staff_event
    def refresh(self, session, ctx):
        """Reload the outline (after the lesson editor saved)."""
        if self._course_id:
            self._fill(session)

    def _course(self) -> int:
        if not self._course_id:
            raise ServiceError(OPEN_COURSE_FIRST)
        return self._course_id

    # --- settings ---------------------------------------------------------------------

    def _settings_refused(self, exc: ServiceError) -> None:
        self.settings_errors = field_errors(exc)

    @staff_event(on_error="_settings_refused")
    def save_settings(self, session, ctx, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        authoring.update_course(
            session, course_id=self._course(), title=data.get("title", ""),
            summary=data.get("summary", ""), in_order=ticked(data.get("in_order")),
            unlock_hour=data.get("unlock_hour", ""), certificate=ticked(data.get("certificate")),
            status=data.get("status", CourseStatus.DRAFT))
        self.settings_errors = {}
        self._fill(session)
        self.settings_key += 1
        return rx.toast.success(tr("Course saved."))

    # --- modules ----------------------------------------------------------------------

    @staff_event(on_error="_module_refused")
    def add_module(self, session, ctx, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        authoring.add_module(session, course_id=self._course(), title=data.get("title", ""))
        self.module_errors = {}
        self._fill(session)

    @staff_event
    def open_module(self, session, ctx, module_id: str):
        """Edit a module: its title and unlock rule."""
        module = authoring.get_module(session, module_id=module_id, course_id=self._course())
        self._module_id = module.id
        self.module_form = {
            "title": module.title, "drip_kind": module.drip_kind,
            "drip_days": str(module.drip_days or ""),
            "drip_date": module.drip_date.isoformat() if module.drip_date else "",
            "drip_after": str(module.drip_after_lesson_id or "")}
        self.module_drip = module.drip_kind
        self.module_errors, self.module_open = {}, True

    @staff_event
    def set_module_drip(self, session, ctx, value: str):
        """The module dialog's rule select: which field follows it."""
        self.module_drip = str(value) if value in DripKind.ALL else DripKind.NONE

    @staff_event
    def set_module_open(self, session, ctx, value: bool):
        self.module_open = bool(value) and self._module_id != 0
        self.module_errors = {}

    def _module_refused(self, exc: ServiceError) -> None:
        self.module_errors = field_errors(exc)

    @staff_event(on_error="_module_refused")
    def save_module(self, session, ctx, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        module = authoring.get_module(session, module_id=self._module_id,
                                      course_id=self._course())
        authoring.update_module(session, module_id=module.id, title=data.get("title", ""),
                                drip_kind=data.get("drip_kind", DripKind.NONE),
                                drip_days=data.get("drip_days", ""),
                                drip_date=data.get("drip_date", ""),
                                drip_after=data.get("drip_after", ""))
        self.module_open, self.module_errors = False, {}
        self._fill(session)
        return rx.toast.success(tr("Module saved."))

    @staff_event
    def move_module(self, session, ctx, module_id: str, direction: str):
        module = authoring.get_module(session, module_id=module_id, course_id=self._course())
        authoring.move_module(session, module_id=module.id, direction=str(direction))
        self._fill(session)

    @staff_event
    def delete_module(self, session, ctx, module_id: str):
        module = authoring.get_module(session, module_id=module_id, course_id=self._course())
        authoring.delete_module(session, module_id=module.id)
        self._fill(session)
        return rx.toast.success(tr("Module deleted."))

    # --- lessons ----------------------------------------------------------------------

    @staff_event
    def open_new_lesson(self, session, ctx, module_id: str):
        module = authoring.get_module(session, module_id=module_id, course_id=self._course())
        self._new_lesson_module = module.id
        self.new_lesson_errors, self.new_lesson_open = {}, True

    @staff_event
    def set_new_lesson_open(self, session, ctx, value: bool):
        self.new_lesson_open = bool(value) and self._new_lesson_module != 0
        self.new_lesson_errors = {}

    def _new_lesson_refused(self, exc: ServiceError) -> None:
        self.new_lesson_errors = field_errors(exc)

    @staff_event(on_error="_new_lesson_refused")
    def add_lesson(self, session, ctx, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        module = authoring.get_module(session, module_id=self._new_lesson_module,
                                      course_id=self._course())
        authoring.add_lesson(session, module_id=module.id, title=data.get("title", ""),
                             kind=data.get("kind", ""))
        self.new_lesson_open, self.new_lesson_errors = False, {}
        self._fill(session)

    @staff_event
    def move_lesson(self, session, ctx, lesson_id: str, direction: str):
        lesson = authoring.get_lesson(session, lesson_id=lesson_id, course_id=self._course())
        authoring.move_lesson(session, lesson_id=lesson.id, direction=str(direction))
        self._fill(session)

    @staff_event
    def toggle_published(self, session, ctx, lesson_id: str):
        lesson = authoring.get_lesson(session, lesson_id=lesson_id, course_id=self._course())
        authoring.set_published(session, lesson_id=lesson.id, published=not lesson.published)
        self._fill(session)

    @staff_event
    def delete_lesson(self, session, ctx, lesson_id: str):
        """Delete (after the confirm dialog); refused once a student started it."""
        lesson = authoring.get_lesson(session, lesson_id=lesson_id, course_id=self._course())
        _, orphan = authoring.delete_lesson(session, lesson_id=lesson.id)
        session.commit()
        if orphan:
            providers.current().storage.delete(orphan)
        self._fill(session)
        return rx.toast.success(tr("Lesson deleted."))
