"""Courses as staff build them: create, edit the settings (title, summary, in
order, unlock hour, certificate, draft/published), and the console's list with
counts. Editing never touches enrolments or progress: a course can change while
students are in it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func
from sqlmodel import Session, select

from models import Course, CourseModule, CourseStatus, Enrolment, Lesson
from portal_app.services.courses.authoring.common import (
    MAX_SUMMARY,
    clean_title,
    get_course,
    touch,
    whole,
)
from portal_app.services.courses.authoring.drip_rules import check_course_loops
from portal_app.services.errors import ServiceError


@dataclass(frozen=True)
class CourseRow:
    id: int
    title: str
    status: str
    modules: int
    lessons: int
    published_lessons: int
    students: int


def clean_summary(value: object) -> str:
    summary = str(value or "").strip()
    if len(summary) > MAX_SUMMARY:
        raise ServiceError(f"Keep the summary to {MAX_SUMMARY} characters.", field="summary")
    return summary


def create_course(session: Session, *, title: object, summary: object = "") -> Course:
    """A new draft course (no modules yet), placed last in the list."""
    title, summary = clean_title(title), clean_summary(summary)
    last = session.exec(select(func.max(Course.position))).one()
    course = Course(title=title, summary=summary, status=CourseStatus.DRAFT,
                    position=(last or 0) + 1)
    session.add(course)
    session.flush()
    return course


def update_course(session: Session, *, course_id: object, title: object, summary: object,
                  in_order: object, unlock_hour: object, certificate: object,
                  status: object) -> Course:
    """Save the settings; every field is checked before anything changes."""
    course = get_course(session, course_id=course_id)
    title, summary = clean_title(title), clean_summary(summary)
    hour = whole(unlock_hour, low=0, high=23, field="unlock_hour",
                 message="Choose an hour from 0 to 23.")
    status = str(status or "")
    if status not in CourseStatus.ALL:
        raise ServiceError("Choose draft or published.", field="status")
    in_order = bool(in_order)
    if status == CourseStatus.PUBLISHED and course.status != CourseStatus.PUBLISHED:
        published = session.exec(select(func.count()).select_from(Lesson).where(
            Lesson.course_id == course.id, Lesson.published)).one()
        if not published:
            raise ServiceError("Publish at least one lesson before publishing the course.",
                               field="status")
    if in_order and not course.in_order:
        check_course_loops(session, course, in_order=True)
    course.title, course.summary, course.unlock_hour = title, summary, hour
    course.in_order, course.certificate, course.status = in_order, bool(certificate), status
    touch(session, course)
    session.flush()
    return course


def course_rows(session: Session) -> list[CourseRow]:
    """Every course with its counts, in list order: four statements, whatever the size."""
    courses = session.exec(select(Course).order_by(Course.position, Course.id)).all()
    modules = dict(session.exec(select(CourseModule.course_id, func.count())
                                .group_by(CourseModule.course_id)).all())
    lessons = {cid: (n, pub) for cid, n, pub in session.exec(
        select(Lesson.course_id, func.count(),
               func.sum(case((Lesson.published, 1), else_=0)))
        .group_by(Lesson.course_id)).all()}
    students = dict(session.exec(select(Enrolment.course_id, func.count())
                                 .group_by(Enrolment.course_id)).all())
    return [CourseRow(id=c.id, title=c.title, status=c.status, modules=modules.get(c.id, 0),
                      lessons=lessons.get(c.id, (0, 0))[0],
                      published_lessons=int(lessons.get(c.id, (0, 0))[1] or 0),
                      students=students.get(c.id, 0)) for c in courses]


def student_count(session: Session, *, course_id: int) -> int:
    return session.exec(select(func.count()).select_from(Enrolment)
                        .where(Enrolment.course_id == course_id)).one()
