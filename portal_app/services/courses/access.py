"""Who may see which course and lesson: the one check every client-side course
read, handler and media route goes through.

A client sees a course when it is published and they hold an active grant to it
(or to the whole Courses app); a lesson when, besides, it is published. Anything
else — a draft, another client's course, an id that does not exist — is the same
NotFound, so ids cannot be probed.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, bindparam, or_
from sqlmodel import Session, select

from models import Course, CourseStatus, Enrolment, Entitlement, GrantKind, Lesson
from models.base import UTCDateTime, utcnow
from portal_app import apps
from portal_app.services import reads
from portal_app.services.courses.plain_rows import split
from portal_app.services.errors import NotFound, parse_id
from portal_app.services.hub.entitlements import first_start, has_content
from portal_app.services.hub.grant_window import active_clause

NO_COURSE = "That course is not available to you."
NO_LESSON = "That lesson is not available to you."


def get_course_for(session: Session, *, client_id: int, course_id: object) -> Course:
    """A published course this client holds a grant to; NotFound otherwise."""
    course = session.get(Course, parse_id(course_id, NO_COURSE))
    if (course is None or course.status != CourseStatus.PUBLISHED
            or not has_content(session, client_id=client_id, kind=GrantKind.COURSE,
                               target_id=course.id, app_key=apps.COURSES)):
        raise NotFound(NO_COURSE)
    return course


def get_lesson_for(session: Session, *, client_id: int, lesson_id: object
                   ) -> tuple[Course, Lesson]:
    """A published lesson of a course this client may see; NotFound otherwise.
    (Whether it is unlocked yet is the drip's question: services/courses/drip.py.)
    One statement: the lesson, its course and whether the client holds an active grant
    to that course or to the whole app (`get_course_for`'s rule)."""
    course, lesson, _enrolment = get_lesson_and_enrolment(session, client_id=client_id,
                                                          lesson_id=lesson_id)
    return course, lesson


def get_lesson_and_enrolment(session: Session, *, client_id: int, lesson_id: object,
                             plain: bool = False) -> tuple[Course, Lesson, Enrolment | None]:
    """`get_lesson_for`, with the client's enrolment in the course (None before their
    first visit: `ensure_enrolment` makes it) read in the same statement. `plain`: as
    read-only records (plain_rows.py), not ORM objects."""
    params = {"lesson_id": parse_id(lesson_id, NO_LESSON), "client_id": int(client_id),
              "now": utcnow()}
    if plain:
        flat = reads.run(session, _lesson_statement(), **params).first()
        row = None if flat is None else (*split(flat, Lesson, Course, Enrolment)[0], flat[-1])
    else:
        row = session.exec(_lesson_statement(), params=params).first()
    if row is None:
        raise NotFound(NO_LESSON)
    lesson, course, enrolment, granted = row
    if not lesson.published or course.status != CourseStatus.PUBLISHED or not granted:
        raise NotFound(NO_LESSON)
    return course, lesson, enrolment


@cache
def _lesson_statement():
    client_id = bindparam("client_id", type_=Integer)
    granted = select(Entitlement.id).where(
        Entitlement.client_id == client_id,
        Entitlement.app_key == apps.COURSES,
        or_(Entitlement.kind == GrantKind.APP,
            (Entitlement.kind == GrantKind.COURSE) & (Entitlement.target_id == Course.id)),
        *active_clause(bindparam("now", type_=UTCDateTime))).exists()
    return (select(Lesson, Course, Enrolment, granted)
            .join(Course, Course.id == Lesson.course_id)
            .outerjoin(Enrolment, (Enrolment.course_id == Course.id)
                       & (Enrolment.client_id == client_id))
            .where(Lesson.id == bindparam("lesson_id", type_=Integer)))


@cache
def _enrolment_statement():
    return select(Enrolment).where(Enrolment.course_id == bindparam("course_id", type_=Integer),
                                   Enrolment.client_id == bindparam("client_id", type_=Integer))


def ensure_enrolment(session: Session, *, client_id: int, course: Course,
                     found: Enrolment | None = None) -> Enrolment:
    """The client's enrolment in `course`, made on first access. Day 0 of the drip is
    when their access first started (a grant restored later does not move it).
    `found`: the enrolment already read with the lesson (`get_lesson_and_enrolment`)."""
    row = found if found is not None else session.exec(
        _enrolment_statement(), params={"course_id": course.id,
                                        "client_id": int(client_id)}).first()
    if row is not None:
        return row
    started = first_start(session, client_id=client_id, kind=GrantKind.COURSE,
                          target_id=course.id, app_key=apps.COURSES) or utcnow()
    row = Enrolment(course_id=course.id, client_id=client_id, started_at=started)
    session.add(row)
    session.flush()
    return row
