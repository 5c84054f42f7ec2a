"""The lesson editor dialog of the course page: every setting of one lesson (kind,
Markdown body with a preview, embed URL, published, required, drip rule,
completion rule, quiz settings) and its media file (upload, remove, play).

The page's course is a backend var set by `load`; the lesson id from the browser
is checked to be a lesson of that course. The upload handler checks the staff
session before it touches the file, and the file goes to the storage in chunks
from Reflex's spooled upload (never read into memory whole)."""

from __future__ import annotations

import asyncio

import reflex as rx

from models import CompleteRule, CourseMedia, DripKind, LessonKind
from portal_app import routes
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.courses import authoring
from portal_app.services.courses.authoring.common import MAX_BODY
from portal_app.services.courses.markdown import render_markdown
from portal_app.services.courses.media import attach_media, remove_media
from portal_app.services.documents.names import format_size
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_courses.common import field_errors, page_course_id, ticked
from state.console_courses.editor import CourseEditorState
from state.console_courses.quiz import QuizState
from state.console_format import lang, tr
from state.guards import refusal, staff_event
from state.staff_session import StaffState

MEDIA_UPLOAD_ID = "course-media-upload"
NO_LESSON = "Open a lesson first."


def media_url(media_id: int) -> str:
    return routes.API_CONSOLE_COURSE_MEDIA.replace("{media_id:int}", str(media_id))


class LessonEditorState(StaffState):
    open: bool = False
    form: dict[str, str] = {}
    errors: dict[str, str] = {}
    form_key: int = 0
    kind: str = LessonKind.TEXT
    drip_kind: str = DripKind.NONE  # the dialog's chosen unlock rule: which field it shows
    preview_html: str = ""  # the body's Markdown, rendered safely on the server
    media: dict[str, str] = {}
    lesson_choices: list[dict[str, str]] = []
    max_media: str = ""
    _course_id: int = 0
    _lesson_id: int = 0

    @staff_event(on_error="_no_course")
    def load(self, session, ctx):
        """on_load of the course page: remember its course (the page's `id`)."""
        self._lesson_id, self.open, self.form, self.errors, self.media = 0, False, {}, {}, {}
        self._course_id = authoring.get_course(session, course_id=page_course_id(self)).id

    def _no_course(self, exc: ServiceError) -> None:
        self._course_id = self._lesson_id = 0

    def _lesson(self, session, lesson_id: object):
        if not self._course_id:
            raise ServiceError(NO_LESSON)
        return authoring.get_lesson(session, lesson_id=lesson_id, course_id=self._course_id)

    def _fill(self, session, lesson) -> None:
        self.form = {
            "id": str(lesson.id), "title": lesson.title, "kind": lesson.kind,
            "body": lesson.body, "embed_url": lesson.embed_url,
            "published": "yes" if lesson.published else "",
            "required": "yes" if lesson.required else "",
            "drip_kind": lesson.drip_kind, "drip_days": str(lesson.drip_days or ""),
            "drip_date": lesson.drip_date.isoformat() if lesson.drip_date else "",
            "drip_after": str(lesson.drip_after_lesson_id or ""),
            "complete_rule": lesson.complete_rule,
            "video_share_pct": str(lesson.video_share_pct),
            "pass_mark_pct": str(lesson.pass_mark_pct),
            "attempts_limit": str(lesson.attempts_limit),
            "shuffle": "yes" if lesson.shuffle else ""}
        self.kind, self.preview_html = lesson.kind, render_markdown(lesson.body)
        self.drip_kind = lesson.drip_kind
        _, lessons = authoring.outline(session, lesson.course_id)
        self.lesson_choices = [{"id": str(x.id), "title": x.title} for x in lessons
                               if x.id != lesson.id]
        self.media = {}
        if lesson.media_id:
            media = session.get(CourseMedia, lesson.media_id)
            if media is not None:
                self.media = {"name": media.filename, "size": format_size(media.size_bytes,
                                                                          lang()),
                              "type": media.content_type, "url": media_url(media.id)}
        self.max_media = format_size(get_settings().course_media_max_bytes, lang())
        self.form_key += 1

    @staff_event
    def open_lesson(self, session, ctx, lesson_id: str):
        """Edit a lesson: its settings in the dialog (and its questions, for a quiz)."""
        lesson = self._lesson(session, lesson_id)
        self._lesson_id = lesson.id
        self._fill(session, lesson)
        self.errors, self.open = {}, True
        return [rx.clear_selected_files(MEDIA_UPLOAD_ID), QuizState.show(str(lesson.id))]

    @staff_event
    def set_open(self, session, ctx, value: bool):
        self.open = bool(value) and self._lesson_id != 0
        self.errors = {}

    @staff_event
    def set_kind(self, session, ctx, value: str):
        """The kind select: which fields the dialog shows (saved with the form)."""
        self.kind = str(value) if value in LessonKind.ALL else LessonKind.TEXT

    @staff_event
    def set_drip_kind(self, session, ctx, value: str):
        """The unlock rule select: which field follows it."""
        self.drip_kind = str(value) if value in DripKind.ALL else DripKind.NONE

    @staff_event
    def set_body(self, session, ctx, value: str):
        """The Markdown box left: its preview follows (raw HTML escaped)."""
        self.preview_html = render_markdown(str(value or "")[:MAX_BODY])

    def _refused(self, exc: ServiceError) -> None:
        self.errors = field_errors(exc)

    @staff_event(on_error="_refused")
    def save(self, session, ctx, form_data: dict):
        data = form_data if isinstance(form_data, dict) else {}
        lesson = self._lesson(session, self._lesson_id)
        authoring.update_lesson(
            session, lesson_id=lesson.id, title=data.get("title", ""),
            kind=data.get("kind", lesson.kind), body=data.get("body", ""),
            embed_url=data.get("embed_url", ""), published=ticked(data.get("published")),
            required=ticked(data.get("required")),
            drip_kind=data.get("drip_kind", DripKind.NONE), drip_days=data.get("drip_days", ""),
            drip_date=data.get("drip_date", ""), drip_after=data.get("drip_after", ""),
            complete_rule=data.get("complete_rule", CompleteRule.MANUAL),
            video_share_pct=data.get("video_share_pct", lesson.video_share_pct),
            pass_mark_pct=data.get("pass_mark_pct", lesson.pass_mark_pct),
            attempts_limit=data.get("attempts_limit", lesson.attempts_limit),
            shuffle=ticked(data.get("shuffle")))
        self.errors, self.open = {}, False
        return [CourseEditorState.refresh, rx.toast.success(tr("Lesson saved."))]

    # --- media ------------------------------------------------------------------------

    def _signed_in_staff(self) -> bool:
        with session_scope() as session:
            return self._staff(session) is not None

    @rx.event
    async def upload_media(self, files: list[rx.UploadFile]):
        """Upload the lesson's video, audio or download (one file; it replaces the old)."""
        if not await asyncio.to_thread(self._signed_in_staff):
            return rx.redirect(routes.CONSOLE_LOGIN)
        self.errors = {}
        if not self._course_id or not self._lesson_id:
            self.errors = {"media": self._tr(NO_LESSON)}
            return None
        if not isinstance(files, list) or len(files) != 1 or getattr(files[0], "file",
                                                                       None) is None:
            self.errors = {"media": self._tr("Choose one file.")}
            return None
        upload = files[0]
        settings = get_settings()
        storage = providers.current().storage

        def action(s, c):
            lesson = self._lesson(s, self._lesson_id)
            _, orphan = attach_media(s, staff_id=c.staff_id, lesson_id=lesson.id,
                                     filename=str(upload.name or "file"), fileobj=upload.file,
                                     storage=storage,
                                     max_bytes=settings.course_media_max_bytes)
            return orphan

        # The copy to storage (maybe hundreds of MB) runs off the event loop.
        event, result = await asyncio.to_thread(self._as_staff, action)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            return refusal(self, result, "_refused")
        if result:
            storage.delete(result)
        return [rx.clear_selected_files(MEDIA_UPLOAD_ID), LessonEditorState.reload,
                CourseEditorState.refresh, rx.toast.success(self._tr("File uploaded."))]

    @staff_event
    def reload(self, session, ctx):
        """The dialog's lesson again, from the database (after an upload)."""
        if self._lesson_id:
            self._fill(session, self._lesson(session, self._lesson_id))

    @staff_event(on_error="_refused")
    def remove_media(self, session, ctx):
        lesson = self._lesson(session, self._lesson_id)
        orphan = remove_media(session, lesson_id=lesson.id)
        session.commit()
        if orphan:
            providers.current().storage.delete(orphan)
        self._fill(session, lesson)
        return CourseEditorState.refresh
