"""Staff's overrides of a student's course, from the console's progress table:
"Unlock everything now", "Shift by N days" (for one student or several in one
action), "Mark lesson complete", and revoking a certificate.

Every id from the browser is checked: the course exists, each client is one of its
students (services/courses/roster.py), a lesson is a published lesson of that
course, a certificate belongs to that course. A student without an enrolment yet
gets one (services/courses/access.ensure_enrolment). Each change is audited in the
same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models import Certificate, Enrolment, Lesson, LessonProgress
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.courses.access import ensure_enrolment
from portal_app.services.courses.progress import staff_complete
from portal_app.services.courses.roster import check_students, get_course
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, parse_id

SHIFT_LIMIT = 365
BAD_SHIFT = "Enter a whole number of days from -365 to 365, not 0."
NO_LESSON = "That lesson is not in this course."
NO_CERTIFICATE = "That certificate does not exist."
NEED_REASON = "Say why the certificate is revoked."
REASON_MAX = 300


def parse_shift(raw: object) -> int:
    """A shift in days: a whole number in -365..365, not 0 (ServiceError on field "days")."""
    text = str(raw if raw is not None else "").strip()
    try:
        days = int(text)
    except ValueError:
        raise ServiceError(BAD_SHIFT, field="days") from None
    if isinstance(raw, bool) or days == 0 or abs(days) > SHIFT_LIMIT:
        raise ServiceError(BAD_SHIFT, field="days")
    return days


def _enrolments(session: Session, *, course_id: object, client_ids: object
                ) -> list[Enrolment]:
    course = get_course(session, course_id=course_id)
    ids = check_students(session, course_id=course.id, client_ids=client_ids)
    return [ensure_enrolment(session, client_id=i, course=course) for i in ids]


def unlock_everything(session: Session, *, staff_id: int, course_id: object,
                      client_ids: object, now: datetime | None = None) -> list[Enrolment]:
    """Open every lesson now for these students (their drip no longer applies)."""
    now = now or utcnow()
    rows = _enrolments(session, course_id=course_id, client_ids=client_ids)
    for row in rows:
        if row.unlocked_all_at is None or row.unlocked_all_at > now:
            row.unlocked_all_at = now
            session.add(row)
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="course.unlocked_all", client_id=row.client_id,
                     course=row.course_id)
    session.flush()
    return rows


def shift_schedule(session: Session, *, staff_id: int, course_id: object, client_ids: object,
                   days: object) -> list[Enrolment]:
    """Move these students' day-based unlocks by `days` (later when positive)."""
    shift = parse_shift(days)
    rows = _enrolments(session, course_id=course_id, client_ids=client_ids)
    for row in rows:
        row.shift_days = int(row.shift_days or 0) + shift
        session.add(row)
        record_audit(session, actor_kind="staff", actor_id=staff_id, action="course.shifted",
                     client_id=row.client_id, course=row.course_id, days=shift,
                     total=row.shift_days)
    session.flush()
    return rows


def mark_complete_for(session: Session, *, staff_id: int, course_id: object, client_id: object,
                      lesson_id: object, now: datetime | None = None) -> LessonProgress:
    """Mark a published lesson of the course complete for one student (by staff)."""
    now = now or utcnow()
    (enrolment,) = _enrolments(session, course_id=course_id, client_ids=[client_id])
    lesson = session.get(Lesson, parse_id(lesson_id, NO_LESSON))
    if lesson is None or lesson.course_id != enrolment.course_id or not lesson.published:
        raise NotFound(NO_LESSON)
    done = session.exec(select(LessonProgress.completed_at).where(
        LessonProgress.client_id == enrolment.client_id,
        LessonProgress.lesson_id == lesson.id)).first()
    if done is not None:
        raise NotAllowed("That lesson is already complete.")
    # The student's own completion path: the course's completion and certificate follow.
    return staff_complete(session, client_id=enrolment.client_id, lesson_id=lesson.id,
                          staff_id=staff_id, now=now)


def revoke_certificate(session: Session, *, staff_id: int, certificate_id: object,
                       reason: object, course_id: object | None = None) -> Certificate:
    """Revoke a certificate with a reason (its /verify page then says so). With
    `course_id`, the certificate must be of that course (NotFound otherwise)."""
    cert = session.get(Certificate, parse_id(certificate_id, NO_CERTIFICATE))
    if cert is None or (course_id is not None
                        and cert.course_id != parse_id(course_id, NO_CERTIFICATE)):
        raise NotFound(NO_CERTIFICATE)
    text = " ".join(str(reason or "").split()) if isinstance(reason, str) else ""
    if not text:
        raise ServiceError(NEED_REASON, field="reason")
    if len(text) > REASON_MAX:
        raise ServiceError(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    if cert.revoked_at is not None:
        raise NotAllowed("That certificate is already revoked.")
    cert.revoked_at = utcnow()
    cert.revoke_reason = text
    session.add(cert)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="certificate.revoked", client_id=cert.client_id,
                 course=cert.course_id, code=cert.code, reason=text)
    return cert
