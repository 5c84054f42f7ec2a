"""Drip rules as staff set them, checked: open with the module, N days (1-365)
after the enrolment started, on a date, or after another lesson of the same
course is complete — never the lesson itself, and never a loop. A loop can run
through a module's rule (a module waiting for one of its own lessons) and
through "in order" (a lesson waiting for a later one while the later one waits,
step by step, for it); every change that could close one is checked here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from models import Course, CourseModule, DripKind, Lesson
from portal_app.services.courses.authoring.common import whole
from portal_app.services.errors import ServiceError, parse_id

LOOP = "That rule would make lessons wait for each other forever: choose another lesson."


@dataclass(frozen=True)
class Drip:
    kind: str = DripKind.NONE
    days: int = 0
    on: date | None = None
    after: int | None = None


def _parse_date(raw: object) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise ServiceError("Enter the date as YYYY-MM-DD.", field="drip_date") from None


def clean_drip(lessons: list[Lesson], *, kind: object, days: object = 0, on: object = None,
               after: object = None, own_lesson_id: int | None = None) -> Drip:
    """The rule checked against the course's `lessons` (loops are `check_loops`)."""
    kind = str(kind or DripKind.NONE)
    if kind not in DripKind.ALL:
        raise ServiceError("Choose when this unlocks.", field="drip_kind")
    if kind == DripKind.DAYS:
        return Drip(kind, days=whole(days, low=1, high=365, field="drip_days",
                                     message="Enter a number of days from 1 to 365."))
    if kind == DripKind.DATE:
        return Drip(kind, on=_parse_date(on))
    if kind == DripKind.AFTER:
        message = "Choose a lesson of this course to wait for."
        try:
            after_id = parse_id(after, message)
        except ServiceError:
            raise ServiceError(message, field="drip_after") from None
        if after_id not in {lesson.id for lesson in lessons}:
            raise ServiceError(message, field="drip_after")
        if after_id == own_lesson_id:
            raise ServiceError("A lesson cannot wait for itself.", field="drip_after")
        return Drip(kind, after=after_id)
    return Drip()


def apply_drip(row: CourseModule | Lesson, drip: Drip) -> None:
    row.drip_kind, row.drip_days = drip.kind, drip.days
    row.drip_date, row.drip_after_lesson_id = drip.on, drip.after


def outline(session: Session, course_id: int) -> tuple[list[CourseModule], list[Lesson]]:
    """The course's modules in order and all its lessons in course order (two queries)."""
    modules = list(session.exec(select(CourseModule).where(CourseModule.course_id == course_id)
                                .order_by(CourseModule.position, CourseModule.id)).all())
    rank = {m.id: i for i, m in enumerate(modules)}
    lessons = list(session.exec(select(Lesson).where(Lesson.course_id == course_id)).all())
    lessons.sort(key=lambda x: (rank.get(x.module_id, len(rank)), x.position, x.id))
    return modules, lessons


def check_loops(*, in_order: bool, modules: list[CourseModule], lessons: list[Lesson],
                module_after: dict[int, int | None] | None = None,
                lesson_after: dict[int, int | None] | None = None,
                field: str = "drip_after") -> None:
    """ServiceError when the rules (with the proposed changes) make a loop.

    `lessons` are in course order (as they would be after the change); `module_after`
    and `lesson_after` replace a module's or lesson's "after" target (None: no rule)."""
    module_after = module_after or {}
    lesson_after = lesson_after or {}
    by_module = {m.id: module_after.get(m.id, m.drip_after_lesson_id
                                        if m.drip_kind == DripKind.AFTER else None)
                 for m in modules}
    waits: dict[int, set[int]] = {}
    previous = None
    for lesson in lessons:
        own = lesson_after.get(lesson.id, lesson.drip_after_lesson_id
                               if lesson.drip_kind == DripKind.AFTER else None)
        targets = {own, by_module.get(lesson.module_id)}
        if in_order and previous is not None:
            targets.add(previous)
        waits[lesson.id] = {t for t in targets if t is not None}
        previous = lesson.id
    # Depth-first search for a back edge: white 0, grey 1, black 2.
    colour = dict.fromkeys(waits, 0)
    for start in waits:
        if colour[start]:
            continue
        stack = [(start, iter(waits[start]))]
        colour[start] = 1
        while stack:
            node, edges = stack[-1]
            nxt = next(edges, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
            elif colour.get(nxt, 2) == 1:
                raise ServiceError(LOOP, field=field)
            elif colour.get(nxt) == 0:
                colour[nxt] = 1
                stack.append((nxt, iter(waits[nxt])))


def check_course_loops(session: Session, course: Course, *, in_order: bool | None = None,
                       field: str = "in_order") -> None:
    modules, lessons = outline(session, course.id)
    check_loops(in_order=course.in_order if in_order is None else in_order, modules=modules,
                lessons=lessons, field=field)
