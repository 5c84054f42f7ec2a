"""Small builders for the course-progress tests: a published course with two
modules (the second dripped N days), students granted it, progress rows."""

from __future__ import annotations

from datetime import UTC, datetime

from models import (
    Certificate,
    Course,
    CourseModule,
    CourseStatus,
    DripKind,
    GrantKind,
    GrantSource,
    Lesson,
    LessonProgress,
)
from portal_app import apps
from portal_app.services.hub.entitlements import grant
from tests import factories


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def course(session, *, title="Calm Mind", lessons_per_module=(2, 1), drip_days=7,
           status=CourseStatus.PUBLISHED, unlock_hour=8):
    """A course: module 1 open at once, module 2 `drip_days` after the start."""
    row = Course(title=title, status=status, unlock_hour=unlock_hour)
    session.add(row)
    session.flush()
    lessons = []
    for m, count in enumerate(lessons_per_module):
        module = CourseModule(course_id=row.id, position=m, title=f"Module {m + 1}",
                              drip_kind=DripKind.DAYS if m else DripKind.NONE,
                              drip_days=drip_days if m else 0)
        session.add(module)
        session.flush()
        for p in range(count):
            lesson = Lesson(course_id=row.id, module_id=module.id, position=p,
                            title=f"Lesson {m + 1}.{p + 1}", published=True)
            session.add(lesson)
            lessons.append(lesson)
    session.flush()
    return row, lessons


def student(session, course_row, *, name="Ana", starts_at=None, timezone="", whole_app=False,
            **client_fields):
    """A client with an active grant to the course (or to the whole Courses app)."""
    client = factories.client(session, full_name=name, timezone=timezone, **client_fields)
    grant(session, client_id=client.id,
          kind=GrantKind.APP if whole_app else GrantKind.COURSE, app_key=apps.COURSES,
          target_id=None if whole_app else course_row.id, source=GrantSource.STAFF,
          starts_at=starts_at)
    return client


def complete(session, client, lesson, at=None, by="student"):
    row = LessonProgress(client_id=client.id, course_id=lesson.course_id, lesson_id=lesson.id,
                         completed_at=at or utc(2026, 1, 2), completed_by=by)
    session.add(row)
    session.flush()
    return row


def certificate(session, client, course_row, code="CM-ABCD-1234"):
    row = Certificate(code=code, course_id=course_row.id, client_id=client.id,
                      client_name=client.full_name, course_title=course_row.title,
                      issued_on=utc(2026, 1, 5).date())
    session.add(row)
    session.flush()
    return row
