"""A course's modules: add, rename and set the drip rule, move up/down, delete
(only an empty module: its lessons are moved or deleted first)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from models import CourseModule, DripKind, Lesson
from portal_app.services.courses.authoring.common import (
    clean_title,
    get_course,
    get_module,
    touch,
)
from portal_app.services.courses.authoring.drip_rules import (
    apply_drip,
    check_loops,
    clean_drip,
    outline,
)
from portal_app.services.errors import ServiceError

UP, DOWN = "up", "down"


def add_module(session: Session, *, course_id: object, title: object) -> CourseModule:
    course = get_course(session, course_id=course_id)
    title = clean_title(title)
    last = session.exec(select(func.max(CourseModule.position))
                        .where(CourseModule.course_id == course.id)).one()
    module = CourseModule(course_id=course.id, title=title,
                          position=0 if last is None else last + 1)
    session.add(module)
    touch(session, course)
    session.flush()
    return module


def update_module(session: Session, *, module_id: object, title: object, drip_kind: object,
                  drip_days: object = 0, drip_date: object = None,
                  drip_after: object = None) -> CourseModule:
    """Rename and set the unlock rule (checked, loops refused) in one save."""
    module = get_module(session, module_id=module_id)
    course = get_course(session, course_id=module.course_id)
    title = clean_title(title)
    modules, lessons = outline(session, course.id)
    drip = clean_drip(lessons, kind=drip_kind, days=drip_days, on=drip_date, after=drip_after)
    check_loops(in_order=course.in_order, modules=modules, lessons=lessons,
                module_after={module.id: drip.after})
    module.title = title
    apply_drip(module, drip)
    session.add(module)
    touch(session, course)
    session.flush()
    return module


def renumber(rows: list) -> None:
    for position, row in enumerate(rows):
        row.position = position


def move_module(session: Session, *, module_id: object, direction: str) -> CourseModule:
    """One place up or down; the ends stay put. Refused when "in order" would then
    make a lesson wait for a later one that waits for it."""
    module = get_module(session, module_id=module_id)
    course = get_course(session, course_id=module.course_id)
    modules, lessons = outline(session, course.id)
    i = next(n for n, m in enumerate(modules) if m.id == module.id)
    j = i - 1 if direction == UP else i + 1
    if direction not in (UP, DOWN) or not 0 <= j < len(modules):
        return module
    modules[i], modules[j] = modules[j], modules[i]
    if course.in_order:
        rank = {m.id: n for n, m in enumerate(modules)}
        reordered = sorted(lessons, key=lambda x: (rank[x.module_id], x.position, x.id))
        check_loops(in_order=True, modules=modules, lessons=reordered, field="order")
    renumber(modules)
    session.add_all(modules)
    touch(session, course)
    session.flush()
    return module


def delete_module(session: Session, *, module_id: object) -> CourseModule:
    module = get_module(session, module_id=module_id)
    course = get_course(session, course_id=module.course_id)
    has_lessons = session.exec(select(func.count()).select_from(Lesson)
                               .where(Lesson.module_id == module.id)).one()
    if has_lessons:
        raise ServiceError("Move or delete this module's lessons first.")
    session.delete(module)
    session.flush()
    remaining = list(session.exec(select(CourseModule).where(
        CourseModule.course_id == course.id).order_by(CourseModule.position,
                                                      CourseModule.id)).all())
    renumber(remaining)
    session.add_all(remaining)
    touch(session, course)
    session.flush()
    return module


def modules_waiting_for(modules: list[CourseModule], lesson_id: int) -> list[CourseModule]:
    return [m for m in modules
            if m.drip_kind == DripKind.AFTER and m.drip_after_lesson_id == lesson_id]
