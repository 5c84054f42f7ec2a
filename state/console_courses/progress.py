"""/console/course/progress?id=<course id>: the lesson x student table of a course,
staff's overrides (unlock everything now, shift by N days, mark a lesson complete —
one student or the selected ones), certificates (revoke with a reason) and the CSV.

The course is a backend var set by `load` from the page's `id`; every client id,
lesson id and certificate id from the browser is checked by the services
(services/courses/overrides.py): a student of this course, a lesson of it, a
certificate of it, or NotFound."""

import reflex as rx

from portal_app import i18n, live, routes
from portal_app.api.course_progress_routes import console_course_progress_csv
from portal_app.i18n import formats
from portal_app.services.courses import overrides
from portal_app.services.courses.drip import LOCKED
from portal_app.services.courses.progress_csv import STATE_LABELS
from portal_app.services.courses.roster import Roster, StudentRow, course_roster
from portal_app.services.errors import ServiceError
from state.console_courses.common import OPEN_COURSE_FIRST
from state.console_format import console_zone, when
from state.guards import beside_field, staff_event
from state.staff_session import StaffState

NONE_SELECTED = "Select at least one student."
UNLOCKED = "Every lesson is open now for {count} student(s)."
SHIFTED = "The schedule moved by {days} day(s) for {count} student(s)."
MARKED = "Lesson marked complete."
REVOKED = "Certificate revoked."
SEVERAL = "{count} students"
FIELDS = ("days", "lesson", "reason")


def page_url(course_id: int | str) -> str:
    return f"{routes.CONSOLE_COURSE_PROGRESS}?id={course_id}"


class CourseProgressState(StaffState):
    found: bool = False
    course_title: str = ""
    course_link: str = ""
    csv_url: str = ""
    lesson_headers: list[dict[str, str]] = []  # id, title, module
    student_rows: list[dict] = []
    selected: list[str] = []
    # The dialogs: who an action is for, and the message beside a field.
    shift_open: bool = False
    mark_open: bool = False
    revoke_open: bool = False
    target_label: str = ""
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")
    _course_id: int = 0
    _targets: list[int] = []
    _certificate_id: int = 0

    # --- reading -----------------------------------------------------------------------

    def _cell(self, row: StudentRow, lesson_id: int) -> dict[str, str]:
        state = row.states[lesson_id]
        until = (when(state.unlocks_at, row.zone)
                 if state.status == LOCKED and state.unlocks_at else "")
        return {"status": state.status, "label": self._tr(STATE_LABELS[state.status]),
                "until": until}

    def _row(self, row: StudentRow, roster: Roster, zone: str) -> dict:
        cert = row.certificate
        return {
            "id": str(row.client_id), "name": row.name, "active": row.active,
            "link": routes.console_client(row.client_id),
            "cells": [self._cell(row, lesson.id) for lesson in roster.lessons],
            "percent": f"{row.percent}%", "percent_value": row.percent,
            "next_unlock": when(row.next_unlock, row.zone),
            "last_seen": when(row.last_seen_at, zone),
            "cert_id": str(cert.id) if cert else "", "cert_code": cert.code if cert else "",
            "cert_issued": formats.date_text(cert.issued_on, self._lang) if cert else "",
            "cert_revoked": bool(cert and cert.revoked_at is not None),
        }

    def _fill(self, session) -> Roster:
        roster = course_roster(session, course_id=self._course_id)
        zone = console_zone(session)
        module_titles = {m.id: m.title for m in roster.modules}
        self.found = True
        self.course_title = roster.course.title
        self.course_link = routes.console_course(roster.course.id)
        self.csv_url = console_course_progress_csv(roster.course.id)
        self.lesson_headers = [{"id": str(lesson.id), "title": lesson.title,
                                "module": module_titles.get(lesson.module_id, "")}
                               for lesson in roster.lessons]
        self.student_rows = [self._row(row, roster, zone) for row in roster.students]
        ids = {r["id"] for r in self.student_rows}
        self.selected = [i for i in self.selected if i in ids]
        return roster

    @staff_event
    def load(self, session, ctx):
        self._close()
        self.selected = []
        try:
            course = overrides.get_course(
                session, course_id=self.router.url.query_parameters.get("id", ""))
        except ServiceError:
            self._course_id = 0
            self.found = False
            self.course_title = ""
            self.student_rows = []
            self.lesson_headers = []
            return None
        self._course_id = course.id
        self._fill(session)
        return None

    # --- selection (display only; the services check every id) -------------------------

    @rx.event
    def toggle(self, client_id: str, on: bool):
        key = str(client_id)
        known = {r["id"] for r in self.student_rows}
        if key not in known:
            return
        rest = [i for i in self.selected if i != key]
        self.selected = [*rest, key] if on is True else rest

    @rx.event
    def toggle_all(self, on: bool):
        self.selected = [r["id"] for r in self.student_rows] if on is True else []

    def _course(self) -> int:
        if not self._course_id:
            raise ServiceError(OPEN_COURSE_FIRST)
        return self._course_id

    def _chosen(self, client_id: str) -> list[str]:
        """One student (a row's action) or the selection (the bulk action)."""
        chosen = [str(client_id)] if client_id else list(self.selected)
        if not chosen:
            raise ServiceError(NONE_SELECTED)
        return chosen

    def _name_of(self, ids: list) -> str:
        if len(ids) == 1:
            return next((r["name"] for r in self.student_rows if r["id"] == str(ids[0])), "")
        return i18n.gettext(self._lang, SEVERAL, count=len(ids))

    # --- overrides --------------------------------------------------------------------------

    @staff_event
    def unlock(self, session, ctx, client_id: str = ""):
        """"Unlock everything now" for one student (a row) or the selected ones."""
        ids = self._chosen(client_id)
        rows = overrides.unlock_everything(session, staff_id=ctx.staff_id,
                                           course_id=self._course(), client_ids=ids)
        self._fill(session)
        self._client_changed(*(r.client_id for r in rows), about=live.COURSES)
        return rx.toast.success(i18n.gettext(self._lang, UNLOCKED, count=len(rows)))

    @staff_event
    def open_shift(self, session, ctx, client_id: str = ""):
        """The "Shift by N days" dialog, for one student or the selected ones."""
        ids = self._chosen(client_id)
        overrides.check_students(session, course_id=self._course(), client_ids=ids)
        self._close()
        self._targets = [int(i) for i in ids]
        self.target_label = self._name_of(ids)
        self.shift_open = True

    @staff_event(on_error="_field_error")
    def apply_shift(self, session, ctx, form: dict):
        form = form if isinstance(form, dict) else {}
        if not self._targets:
            raise ServiceError(NONE_SELECTED)
        days = overrides.parse_shift(form.get("days"))
        rows = overrides.shift_schedule(session, staff_id=ctx.staff_id,
                                        course_id=self._course(), client_ids=self._targets,
                                        days=days)
        self._close()
        self._fill(session)
        self._client_changed(*(r.client_id for r in rows), about=live.COURSES)
        return rx.toast.success(i18n.gettext(self._lang, SHIFTED, days=days, count=len(rows)))

    @staff_event
    def open_mark(self, session, ctx, client_id: str):
        """The "Mark a lesson complete" dialog for one student."""
        (client,) = overrides.check_students(session, course_id=self._course(),
                                             client_ids=[client_id])
        self._close()
        self._targets = [client]
        self.target_label = self._name_of([client])
        self.mark_open = True

    @staff_event(on_error="_field_error")
    def apply_mark(self, session, ctx, form: dict):
        form = form if isinstance(form, dict) else {}
        if len(self._targets) != 1:
            raise ServiceError(NONE_SELECTED)
        if not form.get("lesson"):
            raise ServiceError("Choose a lesson.", field="lesson")
        try:
            overrides.mark_complete_for(session, staff_id=ctx.staff_id,
                                        course_id=self._course(), client_id=self._targets[0],
                                        lesson_id=form.get("lesson"))
        except ServiceError as exc:
            raise ServiceError(exc.message, field="lesson") from None
        client_id = self._targets[0]
        self._close()
        self._fill(session)
        self._client_changed(client_id, about=live.COURSES)
        return rx.toast.success(self._tr(MARKED))

    @staff_event
    def open_revoke(self, session, ctx, certificate_id: str):
        """The "Revoke certificate" dialog (the certificate must be of this course)."""
        row = next((r for r in self.student_rows if r["cert_id"] == str(certificate_id)), None)
        if row is None:
            raise ServiceError(overrides.NO_CERTIFICATE)
        self._close()
        self._certificate_id = int(row["cert_id"])
        self.target_label = f"{row['cert_code']} — {row['name']}"
        self.revoke_open = True

    @staff_event(on_error="_field_error")
    def apply_revoke(self, session, ctx, form: dict):
        form = form if isinstance(form, dict) else {}
        if not self._certificate_id:
            raise ServiceError(overrides.NO_CERTIFICATE)
        cert = overrides.revoke_certificate(session, staff_id=ctx.staff_id,
                                            certificate_id=self._certificate_id,
                                            reason=form.get("reason"),
                                            course_id=self._course())
        self._close()
        self._fill(session)
        self._client_changed(cert.client_id, about=live.COURSES)
        return rx.toast.success(self._tr(REVOKED))

    # --- dialogs ----------------------------------------------------------------------------

    def _close(self) -> None:
        self.shift_open = self.mark_open = self.revoke_open = False
        self.target_label = ""
        self.errors = dict.fromkeys(FIELDS, "")
        self._targets = []
        self._certificate_id = 0

    def _field_error(self, exc: ServiceError) -> None:
        return beside_field(self, exc, FIELDS)

    @rx.event
    def set_dialog_open(self, value: bool):
        """Closing any of the dialogs (Escape, Cancel)."""
        if value is not True:
            self._close()
