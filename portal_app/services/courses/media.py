"""A lesson's media file: uploaded by staff (checked by content, streamed to the
private storage in chunks), and found again for the two media routes — any file
for signed-in staff; for a client only a file a published lesson plays that they
may see *and* that is not locked for them now (the drip), else NotFound."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from sqlalchemy import func
from sqlmodel import Session, select

from models import Business, Client, CourseMedia, Lesson, LessonKind
from models.base import utcnow
from portal_app.providers.storage import FileStorage, TooLarge
from portal_app.services.billing.dates import client_zone
from portal_app.services.courses import drip
from portal_app.services.courses.access import get_lesson_for
from portal_app.services.courses.authoring.common import get_course, get_lesson, touch
from portal_app.services.courses.media_types import ALLOWED_TEXT, media_type_for
from portal_app.services.courses.progress import load_facts
from portal_app.services.documents.names import MB, clean_filename
from portal_app.services.errors import NotFound, ServiceError, get_by_id
from portal_app.services.stored_file_cleanup import discard_unless_committed

NO_MEDIA = "That file is not available."
MEDIA_KINDS = (LessonKind.VIDEO, LessonKind.AUDIO, LessonKind.FILE)


def _size(fileobj: BinaryIO) -> int:
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def attach_media(session: Session, *, staff_id: int | None, lesson_id: object, filename: str,
                 fileobj: BinaryIO, storage: FileStorage, max_bytes: int
                 ) -> tuple[CourseMedia, str | None]:
    """Store `fileobj` (seekable: an upload spooled to disk) as the lesson's media.

    Checked before anything is written: the lesson plays or offers a file, the file
    is not empty nor over `max_bytes`, and its bytes are a type that kind of lesson
    takes. Returns the new row and the stored name of the file it replaced when no
    other lesson uses that one (the caller deletes it after the commit)."""
    lesson = get_lesson(session, lesson_id=lesson_id)
    if lesson.kind not in MEDIA_KINDS:
        raise ServiceError("Only video, audio and file lessons take a file.", field="media")
    name = clean_filename(filename or "file")
    size = _size(fileobj)
    if size == 0:
        raise ServiceError(f"“{name}” is empty.", field="media")
    if size > max_bytes:
        raise ServiceError(f"“{name}” is larger than {max_bytes // MB} MB.", field="media")
    media_type = media_type_for(lesson.kind, fileobj)
    if media_type is None:
        raise ServiceError(f"“{name}” is not an allowed type for this lesson. Allowed: "
                           f"{ALLOWED_TEXT[lesson.kind]}.", field="media")
    try:
        stored = storage.save_stream(fileobj, max_bytes=max_bytes)
    except TooLarge:
        raise ServiceError(f"“{name}” is larger than {max_bytes // MB} MB.",
                           field="media") from None
    discard_unless_committed(session, storage, [stored])  # a failed commit leaves no file
    try:
        media = CourseMedia(course_id=lesson.course_id, stored_name=stored, filename=name,
                            content_type=media_type.content_type, size_bytes=size,
                            uploaded_by_staff_id=staff_id)
        session.add(media)
        session.flush()
        orphan = _release(session, lesson)
        lesson.media_id = media.id
        lesson.updated_at = utcnow()
        session.add(lesson)
        touch(session, get_course(session, course_id=lesson.course_id))
        session.flush()
    except BaseException:
        storage.delete(stored)
        raise
    return media, orphan


def _release(session: Session, lesson: Lesson) -> str | None:
    """Drop the lesson's current media row when no other lesson uses it; its stored name."""
    if lesson.media_id is None:
        return None
    shared = session.exec(select(func.count()).select_from(Lesson).where(
        Lesson.media_id == lesson.media_id, Lesson.id != lesson.id)).one()
    media = session.get(CourseMedia, lesson.media_id)
    lesson.media_id = None
    session.add(lesson)
    session.flush()
    if media is None or shared:
        return None
    session.delete(media)
    session.flush()
    return media.stored_name


def remove_media(session: Session, *, lesson_id: object) -> str | None:
    """Take the file off a lesson (refused while the lesson is published and needs it)."""
    lesson = get_lesson(session, lesson_id=lesson_id)
    if lesson.published and (lesson.kind != LessonKind.VIDEO or not lesson.embed_url):
        raise ServiceError("Unpublish the lesson before removing its file.", field="media")
    orphan = _release(session, lesson)
    touch(session, get_course(session, course_id=lesson.course_id))
    session.flush()
    return orphan


def staff_media(session: Session, *, media_id: object) -> CourseMedia:
    return get_by_id(session, CourseMedia, media_id, NO_MEDIA)


def client_media(session: Session, *, client_id: int, business: Business, media_id: object,
                 now: datetime | None = None) -> tuple[CourseMedia, Lesson]:
    """The media and the lesson that plays it, when that lesson is published, the
    client may see it, and it is open (or complete) for them now; NotFound otherwise
    — the same answer for another client's file and a file that does not exist."""
    media = get_by_id(session, CourseMedia, media_id, NO_MEDIA)
    now = now or utcnow()
    # A lesson whose kind changed to text or quiz keeps its file id (switching back
    # finds it again) but no longer offers the file.
    candidates = session.exec(select(Lesson).where(Lesson.media_id == media.id,
                                                   Lesson.published,
                                                   Lesson.kind.in_(MEDIA_KINDS))
                              .order_by(Lesson.id)).all()
    for candidate in candidates:
        try:
            course, lesson = get_lesson_for(session, client_id=client_id,
                                            lesson_id=candidate.id)
        except NotFound:
            continue
        if _open_for(session, client_id=client_id, business=business, course=course,
                     lesson=lesson, now=now):
            return media, lesson
    raise NotFound(NO_MEDIA)


def _open_for(session: Session, *, client_id: int, business: Business, course, lesson: Lesson,
              now: datetime) -> bool:
    """Whether the lesson is open (or complete) for this client now: the same drip
    states the lesson page shows (progress.load_facts)."""
    zone = client_zone(session.get(Client, client_id), business)
    state = load_facts(session, course=course, client_id=client_id, zone=zone,
                       now=now).states.get(lesson.id)
    return state is not None and state.status != drip.LOCKED
