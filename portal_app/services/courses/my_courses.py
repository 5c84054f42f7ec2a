"""The client's side of the Courses app at a glance: the courses they may take, each
with its progress, and "Continue where you left off" (the lesson they opened or
watched last, in a course they have not finished).

A course shows when it is published and the client holds an active grant to it or
to the whole Courses app (the same rule as services/courses/access.py). Each
function is a fixed number of statements, however many courses, lessons and
progress rows there are (the dashboard and the app's home call them on each load).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, bindparam, exists, or_
from sqlmodel import Session, select

from models import (
    Course,
    CourseStatus,
    Enrolment,
    Entitlement,
    GrantKind,
    Lesson,
    LessonProgress,
)
from models.base import UTCDateTime, utcnow
from portal_app import apps
from portal_app.services import reads
from portal_app.services.courses.certificates import earned
from portal_app.services.courses.progress import percent
from portal_app.services.hub.entitlements import granted_content_ids
from portal_app.services.hub.grant_window import active_clause


@dataclass(frozen=True)
class CourseCard:
    course_id: int
    title: str
    summary: str
    percent: int
    completed: bool
    certificate: bool  # earned (every required lesson and quiz done, certificates on)


@dataclass(frozen=True)
class ContinueCard:
    course_id: int
    course_title: str
    lesson_id: int
    lesson_title: str


@dataclass(frozen=True)
class _Lesson:  # what the percentage and the certificate rule read (no bodies loaded)
    id: int
    required: bool
    kind: str


def visible_course_ids(session: Session, *, client_id: int, now: datetime | None = None
                       ) -> tuple[bool, set[int]]:
    """(the whole app granted, the courses granted one by one)."""
    return granted_content_ids(session, client_id=client_id, kind=GrantKind.COURSE,
                               app_key=apps.COURSES, now=now or utcnow())


def list_my_courses(session: Session, *, client_id: int, now: datetime | None = None
                    ) -> list[CourseCard]:
    """The published courses this client may take, in the business's order, with their
    progress. Four statements."""
    whole, ids = visible_course_ids(session, client_id=client_id, now=now)
    if not whole and not ids:
        return []
    query = select(Course).where(Course.status == CourseStatus.PUBLISHED)
    if not whole:
        query = query.where(Course.id.in_(ids))
    courses = list(session.exec(query.order_by(Course.position, Course.title, Course.id)).all())
    if not courses:
        return []
    course_ids = [c.id for c in courses]
    lessons: dict[int, list[_Lesson]] = {}
    for lesson_id, course_id, required, kind in session.exec(
            select(Lesson.id, Lesson.course_id, Lesson.required, Lesson.kind).where(
                Lesson.course_id.in_(course_ids), Lesson.published.is_(True))).all():
        lessons.setdefault(course_id, []).append(_Lesson(lesson_id, bool(required), kind))
    done = set(session.exec(select(LessonProgress.lesson_id).where(
        LessonProgress.client_id == client_id, LessonProgress.course_id.in_(course_ids),
        LessonProgress.completed_at.is_not(None))).all())
    cards = []
    for course in courses:
        mine = lessons.get(course.id, [])
        pct = percent(mine, done)
        cards.append(CourseCard(course.id, course.title, course.summary, pct,
                                bool(mine) and pct == 100,
                                course.certificate and earned(mine, done)))
    return cards


@cache
def _continue_statement():
    """A client's unfinished enrolments in published courses they may still see (an
    active grant to the whole app or to that course), the lesson they were on last
    first (built once)."""
    granted = exists().where(
        Entitlement.client_id == Enrolment.client_id, Entitlement.app_key == apps.COURSES,
        or_(Entitlement.kind == GrantKind.APP,
            (Entitlement.kind == GrantKind.COURSE) & (Entitlement.target_id == Enrolment.course_id)),
        *active_clause(bindparam("now", type_=UTCDateTime)))
    return (select(Enrolment.course_id, Course.title, Lesson.id, Lesson.title)
            .join(Course, Course.id == Enrolment.course_id)
            .join(Lesson, Lesson.id == Enrolment.last_lesson_id)
            .where(Enrolment.client_id == bindparam("client_id", type_=Integer),
                   Enrolment.completed_at.is_(None), Course.status == CourseStatus.PUBLISHED,
                   Lesson.published.is_(True), Lesson.course_id == Enrolment.course_id, granted)
            .order_by(Enrolment.last_seen_at.desc(), Enrolment.id.desc()).limit(1))


def continue_card(session: Session, *, client_id: int, now: datetime | None = None
                  ) -> ContinueCard | None:
    """The lesson this client opened or watched last, in a course they have not
    finished and may still see; None otherwise. One statement."""
    row = reads.run(session, _continue_statement(), client_id=int(client_id),
                    now=now or utcnow()).first()
    return ContinueCard(*row) if row else None
