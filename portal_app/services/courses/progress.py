"""A student's way through a course: the outline with each lesson's drip state,
opening a lesson (refused while it is locked), where they left off, marking a
lesson complete, the course's percentage and the course's completion.

Every function starts from the one access check (services/courses/access.py), so
a draft, someone else's course or a revoked grant is the same NotFound. Each
reads what it needs in a fixed number of statements, whatever the size of the
course or the student's history: the course's modules, its published lessons and
the student's progress rows are one query, and every decision after that is made
in Python (services/courses/drip.py).

`zone` is the client's zone (Client.timezone, else the business's): the drip's
day-based unlocks happen at the course's hour on the client's own calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, and_, bindparam, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from models import (
    Client,
    CompleteRule,
    Course,
    CourseModule,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
)
from models.base import UTCDateTime, utcnow
from portal_app.i18n import formats, gettext
from portal_app.services import reads
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.courses import certificates
from portal_app.services.courses.access import (
    ensure_enrolment,
    get_course_for,
    get_lesson_and_enrolment,
)
from portal_app.services.courses.drip import COMPLETE, LOCKED, LessonState, lesson_states
from portal_app.services.courses.plain_rows import split
from portal_app.services.courses.player import (
    PLAYABLE,
    PlayerMark,
    VideoReport,
    mark_for,
    plausible,
    report_in_place,
)
from portal_app.services.errors import NotAllowed, NotFound, parse_id

OPENS_ON = "This lesson opens on {when}."
COMPLETE_FIRST = "Complete “{lesson}” first."
LOCKED_LESSON = "This lesson is not open yet."
NOT_MANUAL = "This lesson completes by itself (watching the video or passing the quiz)."
ALREADY_COMPLETE = "This lesson is already complete."
NO_SUCH_LESSON = "That lesson does not exist."


class LessonLocked(NotAllowed):
    """The lesson exists and is the client's, but the drip has not opened it yet.
    `state` says until when or after which lesson (`locked_text` words it)."""

    def __init__(self, state: LessonState, waits_for_title: str = "",
                 course: Course | None = None):
        super().__init__(LOCKED_LESSON)
        self.state = state
        self.waits_for_title = waits_for_title
        self.course = course  # the course it belongs to (the client may see it)


@dataclass
class CourseFacts:
    """One course as one student sees it now (one query, see `load_facts`)."""

    course: Course
    enrolment: Enrolment
    modules: list[CourseModule]
    lessons: list[Lesson]  # published, in course order
    progress: dict[int, LessonProgress]  # lesson id -> the student's row
    states: dict[int, LessonState] = field(default_factory=dict)

    @property
    def completed(self) -> set[int]:
        return {i for i, p in self.progress.items() if p.completed_at is not None}

    def title_of(self, lesson_id: int | None) -> str:
        return next((x.title for x in self.lessons if x.id == lesson_id), "")

    def neighbours(self, lesson_id: int) -> tuple[Lesson | None, Lesson | None]:
        """The lessons before and after this one, in course order."""
        ids = [x.id for x in self.lessons]
        if lesson_id not in ids:
            return None, None
        i = ids.index(lesson_id)
        return (self.lessons[i - 1] if i > 0 else None,
                self.lessons[i + 1] if i + 1 < len(self.lessons) else None)


@cache
def _facts_statement():
    """A course's modules in order, each with its published lessons and the student's
    progress row of each (or None): one row per lesson, and one for a module without
    any (built once: a lesson page reads it on every visit)."""
    module, lesson, row = CourseModule, Lesson, LessonProgress
    return (select(module, lesson, row)
            .outerjoin(lesson, and_(lesson.module_id == module.id,
                                    lesson.course_id == module.course_id,
                                    lesson.published.is_(True)))
            .outerjoin(row, and_(row.lesson_id == lesson.id,
                                 row.client_id == bindparam("client_id", type_=Integer)))
            .where(module.course_id == bindparam("course_id", type_=Integer))
            .order_by(module.position, module.id, lesson.position, lesson.id))


def load_facts(session: Session, *, course: Course, client_id: int, zone: str,
               now: datetime | None = None, enrolment: Enrolment | None = None,
               plain: bool = False) -> CourseFacts:
    """The enrolment (made on first access; `enrolment`: read already), modules,
    lessons in course order (module position, then lesson position; a lesson of a
    missing module is left out), the progress of those lessons (what every rule reads),
    and each lesson's drip state for this student now. `plain`: the modules, lessons
    and progress as read-only records (plain_rows.py), not ORM objects."""
    now = now or utcnow()
    enrolment = ensure_enrolment(session, client_id=client_id, course=course,
                                 found=enrolment)
    modules: list[CourseModule] = []
    lessons: list[Lesson] = []
    progress: dict[int, LessonProgress] = {}
    params = {"course_id": course.id, "client_id": int(client_id)}
    rows = (session.exec(_facts_statement(), params=params) if not plain else
            (split(flat, CourseModule, Lesson, LessonProgress)[0]
             for flat in reads.run(session, _facts_statement(), **params)))
    for module, lesson, row in rows:
        if not modules or modules[-1].id != module.id:
            modules.append(module)
        if lesson is not None:
            lessons.append(lesson)
            if row is not None:
                progress[lesson.id] = row
    facts = CourseFacts(course, enrolment, modules, lessons, progress)
    facts.states = lesson_states(course=course, modules=modules, lessons=lessons,
                                 enrolment=enrolment, completed=facts.completed, zone=zone,
                                 now=now)
    return facts


def required_lessons(lessons: list[Lesson]) -> list[Lesson]:
    """What counts toward the percentage and completion: the required lessons (all of
    them when the author marked none required)."""
    required = [x for x in lessons if x.required]
    return required or list(lessons)


def percent(lessons: list[Lesson], completed: set[int]) -> int:
    """The course's progress in whole percent (0 for a course without lessons)."""
    counted = required_lessons(lessons)
    if not counted:
        return 0
    return int(100 * sum(1 for x in counted if x.id in completed) // len(counted))


def course_outline(session: Session, *, client_id: int, course_id: object, zone: str,
                   now: datetime | None = None) -> CourseFacts:
    """The outline of a course this client may see (NotFound otherwise)."""
    course = get_course_for(session, client_id=client_id, course_id=course_id)
    return load_facts(session, course=course, client_id=client_id, zone=zone, now=now)


def locked_text(exc: LessonLocked, *, lang: str, zone: str) -> str:
    """Why a lesson is locked, in the reader's language: "This lesson opens on <date,
    time, zone>" or "Complete <lesson> first"."""
    if exc.state.unlocks_at is not None:
        return gettext(lang, OPENS_ON, when=formats.when_long(exc.state.unlocks_at, zone, lang))
    if exc.waits_for_title:
        return gettext(lang, COMPLETE_FIRST, lesson=exc.waits_for_title)
    return gettext(lang, LOCKED_LESSON)


def open_facts(session: Session, *, client_id: int, lesson_id: object, zone: str,
                now: datetime, plain: bool = False) -> tuple[CourseFacts, Lesson]:
    """The course facts and the lesson, refused (LessonLocked) while it is locked.
    `plain`: read-only records, not ORM objects (`load_facts`)."""
    course, lesson, enrolment = get_lesson_and_enrolment(session, client_id=client_id,
                                                         lesson_id=lesson_id, plain=plain)
    facts = load_facts(session, course=course, client_id=client_id, zone=zone, now=now,
                       enrolment=enrolment, plain=plain)
    state = facts.states.get(lesson.id)
    if state is None:  # its module is gone: as good as missing
        raise LessonLocked(LessonState(lesson.id, LOCKED), course=course)
    if state.status == LOCKED:
        raise LessonLocked(state, facts.title_of(state.waits_for), course=course)
    return facts, lesson


def open_lesson(session: Session, *, client_id: int, lesson_id: object, zone: str,
                now: datetime | None = None) -> tuple[CourseFacts, Lesson]:
    """Open a lesson: refused while locked; otherwise it becomes where the student left
    off ("Continue where you left off")."""
    now = now or utcnow()
    facts, lesson = open_facts(session, client_id=client_id, lesson_id=lesson_id, zone=zone,
                                now=now, plain=True)  # the page reads them, nothing more
    enrolment = facts.enrolment
    session.flush()  # a new enrolment (first visit) is in the table before the UPDATE
    session.connection().execute(_opened_statement(), {
        "enrolment_id": enrolment.id, "lesson_id": lesson.id, "now": now})
    # The row as written (a record read here, or the ORM's new enrolment: not written
    # again by the ORM).
    if isinstance(enrolment, tuple):
        facts.enrolment = enrolment._replace(last_lesson_id=lesson.id, last_seen_at=now)
    else:
        set_committed_value(enrolment, "last_lesson_id", lesson.id)
        set_committed_value(enrolment, "last_seen_at", now)
    return facts, lesson


@cache
def _opened_statement():
    """"Where you left off": one Core UPDATE (the ORM's flush costs more than the
    statement)."""
    return (update(Enrolment).where(Enrolment.id == bindparam("enrolment_id", type_=Integer))
            .values(last_lesson_id=bindparam("lesson_id", type_=Integer),
                    last_seen_at=bindparam("now", type_=UTCDateTime)))


def progress_row(session: Session, facts: CourseFacts, lesson: Lesson, now: datetime
                 ) -> LessonProgress:
    """The student's row for this lesson (added to the facts when new)."""
    row = facts.progress.get(lesson.id)
    if row is None:
        row = LessonProgress(client_id=facts.enrolment.client_id, course_id=facts.course.id,
                             lesson_id=lesson.id, opened_at=now)
        facts.progress[lesson.id] = row
    return row


def complete_lesson(session: Session, facts: CourseFacts, lesson: Lesson, *, by: str,
                    zone: str, now: datetime) -> LessonProgress:
    """Record a lesson complete (once), then the course's completion and certificate."""
    row = progress_row(session, facts, lesson, now)
    if row.completed_at is None:
        row.completed_at, row.completed_by = now, by
    session.add(row)
    session.flush()
    # What this opens (the next lesson "in order", an "after" rule): decided again.
    facts.states = lesson_states(course=facts.course, modules=facts.modules,
                                 lessons=facts.lessons, enrolment=facts.enrolment,
                                 completed=facts.completed, zone=zone, now=now)
    finish_course(session, facts, zone=zone, now=now)
    return row


def finish_course(session: Session, facts: CourseFacts, *, zone: str, now: datetime) -> None:
    """Every required lesson complete: the course is complete (once); the certificate
    is issued when earned (services/courses/certificates.py)."""
    done = facts.completed
    counted = required_lessons(facts.lessons)
    if not counted or any(x.id not in done for x in counted):
        return
    if facts.enrolment.completed_at is None:
        facts.enrolment.completed_at = now
        session.add(facts.enrolment)
        session.flush()
    certificates.issue_if_earned(session, course=facts.course,
                                 client_id=facts.enrolment.client_id, lessons=facts.lessons,
                                 completed=done, zone=zone, now=now)


def mark_complete(session: Session, *, client_id: int, lesson_id: object, zone: str,
                  now: datetime | None = None) -> CourseFacts:
    """The student's "Mark complete": only for an open lesson whose rule is manual."""
    now = now or utcnow()
    facts, lesson = open_facts(session, client_id=client_id, lesson_id=lesson_id, zone=zone,
                                now=now)
    if facts.states[lesson.id].status == COMPLETE:
        raise NotAllowed(ALREADY_COMPLETE)
    if lesson.complete_rule != CompleteRule.MANUAL or lesson.kind == LessonKind.QUIZ:
        raise NotAllowed(NOT_MANUAL)
    complete_lesson(session, facts, lesson, by="student", zone=zone, now=now)
    return facts


def client_zone(session: Session, client: Client | None) -> str:
    """The client's zone: their own, else the business's (the drip's and the
    certificate's calendar)."""
    return (client.timezone if client and client.timezone else "") or (
        get_business(session).timezone or "UTC")


def staff_complete(session: Session, *, client_id: int, lesson_id: object, staff_id: int,
                   now: datetime | None = None) -> LessonProgress:
    """Staff mark a lesson complete for a student (any rule, locked or not); the
    course's completion and certificate follow as for the student (client's zone)."""
    now = now or utcnow()
    lesson = session.get(Lesson, parse_id(lesson_id, NO_SUCH_LESSON))
    course = session.get(Course, lesson.course_id) if lesson else None
    client = session.get(Client, client_id)
    if lesson is None or course is None or client is None:
        raise NotFound(NO_SUCH_LESSON)
    zone = client_zone(session, client)
    facts = load_facts(session, course=course, client_id=client_id, zone=zone, now=now)
    row = complete_lesson(session, facts, lesson, by="staff", zone=zone, now=now)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="lesson.completed",
                 client_id=client_id, lesson=lesson.id)
    return row


# --- the player's reports -----------------------------------------------------------------

NOT_PLAYABLE = "This lesson has no video to watch."


def report_video(session: Session, *, client_id: int, lesson_id: object, position: object,
                 duration: object, zone: str, now: datetime | None = None,
                 mark: PlayerMark | None = None) -> VideoReport:
    """The player's report (every ~10 s, and on pause and end): kept only when
    plausible; watching the lesson's share of a video completes it when that is its
    rule. The time since the last report is the enrolment's `last_seen_at` while this
    lesson is the one last opened or reported. `mark`: what the page knows since its
    load or last report; the usual report is then one or two UPDATEs (see
    services/courses/player.py); the answer carries the mark for the next one."""
    now = now or utcnow()
    try:
        pos, length = float(position), float(duration)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pos, length = -1.0, 0.0
    if mark is not None and mark.lesson_id == lesson_id:
        report = report_in_place(session, client_id=client_id, mark=mark, position=pos,
                                 duration=length, now=now)
        if report is not None:
            return report
    facts, lesson = open_facts(session, client_id=client_id, lesson_id=lesson_id, zone=zone,
                                now=now)
    if lesson.kind not in PLAYABLE or lesson.media_id is None:
        raise NotAllowed(NOT_PLAYABLE)
    enrolment = facts.enrolment
    last = enrolment.last_seen_at if enrolment.last_lesson_id == lesson.id else None
    elapsed = (now - last).total_seconds() if last is not None else 0.0
    row = progress_row(session, facts, lesson, now)
    ok = pos == pos and length == length and plausible(  # (NaN is never plausible)
        watched=row.watched_seconds, watched_pct=row.watched_pct, position=pos,
        duration=length, elapsed=elapsed)
    enrolment.last_lesson_id, enrolment.last_seen_at = lesson.id, now
    session.add(enrolment)
    if ok and int(pos) > row.watched_seconds:
        row.watched_seconds = int(pos)
        row.watched_pct = min(100, int(100 * row.watched_seconds // length))
        session.add(row)
    session.flush()
    if (ok and row.completed_at is None and lesson.complete_rule == CompleteRule.VIDEO
            and row.watched_pct >= lesson.video_share_pct):
        complete_lesson(session, facts, lesson, by="video", zone=zone, now=now)
    return VideoReport(ok, row.watched_pct, row.completed_at is not None,
                       mark_for(lesson, enrolment, row))
