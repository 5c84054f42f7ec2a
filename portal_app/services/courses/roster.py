"""Staff's view of a course's students: who they are, and where each stands.

A course's students are the records holding an active grant to it (or to the whole
Courses app), plus anyone enrolled before (access ended, progress kept). For each,
every published lesson is locked / open / complete as the student sees it
(services/courses/drip.py, in the student's own zone), with their % complete, the
next time-based unlock, when they were last seen, and their certificate.

The whole table is a fixed handful of statements however many students and lessons
there are (tests/unit/test_course_roster.py counts them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from models import (
    Certificate,
    Client,
    Course,
    CourseModule,
    Enrolment,
    Entitlement,
    GrantKind,
    Lesson,
    LessonProgress,
)
from models.base import utcnow
from portal_app import apps
from portal_app.services.billing.dates import client_zone
from portal_app.services.business import get_business
from portal_app.services.courses.drip import LessonState, lesson_states, next_unlock
from portal_app.services.errors import NotFound, get_by_id, parse_id
from portal_app.services.hub.entitlements import clients_with_grant

NO_COURSE = "That course does not exist."
NO_STUDENT = "That client is not a student of this course."


@dataclass(frozen=True)
class StudentRow:
    client_id: int
    name: str
    zone: str
    active: bool  # holds an active grant now (False: enrolled before, access ended)
    enrolment: Enrolment | None
    states: dict[int, LessonState]  # lesson id -> state
    percent: int
    next_unlock: datetime | None
    last_seen_at: datetime | None
    certificate: Certificate | None  # the newest one (revoked or not)


@dataclass(frozen=True)
class Roster:
    course: Course
    modules: list[CourseModule]
    lessons: list[Lesson]  # published, in course order
    students: list[StudentRow] = field(default_factory=list)


def get_course(session: Session, *, course_id: object) -> Course:
    """Any course by id (staff: drafts too); NotFound otherwise."""
    return get_by_id(session, Course, course_id, NO_COURSE)


def course_outline(session: Session, *, course_id: int) -> tuple[list[CourseModule], list[Lesson]]:
    """The modules in order and the published lessons in course order (two statements)."""
    modules = list(session.exec(select(CourseModule).where(CourseModule.course_id == course_id)
                                .order_by(CourseModule.position, CourseModule.id)).all())
    order = {m.id: i for i, m in enumerate(modules)}
    lessons = session.exec(select(Lesson).where(Lesson.course_id == course_id,
                                                Lesson.published.is_(True))).all()
    lessons = sorted((lesson for lesson in lessons if lesson.module_id in order),
                     key=lambda lesson: (order[lesson.module_id], lesson.position, lesson.id))
    return modules, lessons


def percent_complete(lessons: list[Lesson], completed: set[int]) -> int:
    """Share of the required published lessons complete (all lessons when none is
    required), rounded down; 0 for a course without lessons."""
    counted = [lesson.id for lesson in lessons if lesson.required] or [
        lesson.id for lesson in lessons]
    if not counted:
        return 0
    return len([i for i in counted if i in completed]) * 100 // len(counted)


def student_ids(session: Session, *, course_id: int, now: datetime | None = None
                ) -> tuple[set[int], set[int]]:
    """(ids with an active grant, ids enrolled) — the course's students are the union."""
    granted = {c.id for c in clients_with_grant(session, kind=GrantKind.COURSE,
                                                 target_id=course_id, app_key=apps.COURSES,
                                                 now=now or utcnow())}
    enrolled = set(session.exec(select(Enrolment.client_id)
                                .where(Enrolment.course_id == course_id)).all())
    return granted, enrolled


def check_students(session: Session, *, course_id: int, client_ids: object,
                   limit: int = 500) -> list[int]:
    """The given ids (from the browser) as ints, each a student of the course; any
    other id is NotFound (the same for "not a student" and "does not exist")."""
    if not isinstance(client_ids, list | tuple) or not client_ids or len(client_ids) > limit:
        raise NotFound(NO_STUDENT)
    wanted: list[int] = []
    for raw in client_ids:
        value = parse_id(raw, NO_STUDENT)
        if value not in wanted:
            wanted.append(value)
    granted, enrolled = student_ids(session, course_id=course_id)
    if any(i not in granted | enrolled for i in wanted):
        raise NotFound(NO_STUDENT)
    return wanted


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def first_starts(session: Session, *, course_id: int) -> dict[int, datetime]:
    """client id -> when their access to the course first started (revoked grants
    count, as in entitlements.first_start), for every record ever granted it. One
    statement."""
    rows = session.exec(select(Entitlement.client_id, func.min(Entitlement.starts_at)).where(
        Entitlement.app_key == apps.COURSES,
        or_(Entitlement.kind == GrantKind.APP,
            (Entitlement.kind == GrantKind.COURSE) & (Entitlement.target_id == course_id)))
        .group_by(Entitlement.client_id)).all()
    return {client_id: as_utc(start) for client_id, start in rows if start is not None}


def course_roster(session: Session, *, course_id: object, now: datetime | None = None
                  ) -> Roster:
    """The lesson x student table of a course (staff). A constant number of statements:
    the course, its outline (2), the business, the granted records, the enrolled
    records, the enrolments, the completions and the certificates."""
    now = now or utcnow()
    course = get_course(session, course_id=course_id)
    modules, lessons = course_outline(session, course_id=course.id)
    business = get_business(session)
    granted = clients_with_grant(session, kind=GrantKind.COURSE, target_id=course.id,
                                 app_key=apps.COURSES, now=now)
    active_ids = {c.id for c in granted}
    enrolled_ids = select(Enrolment.client_id).where(Enrolment.course_id == course.id)
    others = session.exec(select(Client).where(Client.id.in_(enrolled_ids),
                                               Client.id.not_in(active_ids or {0}))).all()
    clients = sorted([*granted, *others], key=lambda c: (c.full_name.lower(), c.id))
    enrolments = {e.client_id: e for e in session.exec(
        select(Enrolment).where(Enrolment.course_id == course.id)).all()}
    completed: dict[int, set[int]] = {}
    for client_id, lesson_id in session.exec(
            select(LessonProgress.client_id, LessonProgress.lesson_id).where(
                LessonProgress.course_id == course.id,
                LessonProgress.completed_at.is_not(None))).all():
        completed.setdefault(client_id, set()).add(lesson_id)
    starts = first_starts(session, course_id=course.id)
    certificates: dict[int, Certificate] = {}
    for cert in session.exec(select(Certificate).where(Certificate.course_id == course.id)
                             .order_by(Certificate.issued_at, Certificate.id)).all():
        certificates[cert.client_id] = cert  # the newest wins
    rows = []
    for client in clients:
        zone = client_zone(client, business)
        enrolment = enrolments.get(client.id)
        done = completed.get(client.id, set())
        # Not enrolled yet: the drip as it will run from their first access's start
        # (what ensure_enrolment will record).
        states = lesson_states(course=course, modules=modules, lessons=lessons,
                               enrolment=enrolment or Enrolment(
                                   course_id=course.id, client_id=client.id,
                                   started_at=min(starts.get(client.id) or now, now)),
                               completed=done, zone=zone, now=now)
        rows.append(StudentRow(
            client_id=client.id, name=client.full_name, zone=zone,
            active=client.id in active_ids, enrolment=enrolment, states=states,
            percent=percent_complete(lessons, done), next_unlock=next_unlock(states),
            last_seen_at=enrolment.last_seen_at if enrolment else None,
            certificate=certificates.get(client.id)))
    return Roster(course=course, modules=modules, lessons=lessons, students=rows)


def get_student(roster: Roster, client_id: int) -> StudentRow:
    row = next((s for s in roster.students if s.client_id == client_id), None)
    if row is None:
        raise NotFound(NO_STUDENT)
    return row
