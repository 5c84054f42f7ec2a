""""A new lesson is open": the daily digest to students whose lessons opened by time.

For each enrolment in a published course whose client holds an active grant to it
(or to the Courses app), the lessons that were locked by time at the last notice (or
at the enrolment's start, at most LOOKBACK ago) and are open now are announced: one
bell line and, when the client chose it (`Client.email_notifications` has "course";
the outbox also honours Email OK), one email listing them.

At most one notice per course, client and day (the client's day, in their zone): the
`CourseNotice` row is claimed first, in a savepoint, on its unique key, so a rerun
or a second worker running the same pass finds it taken and sends nothing. A lesson
announced once is never announced again. Lessons opened by staff ("unlock
everything") or by completing another lesson are not announced: staff and the
student know of those.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    Client,
    Course,
    CourseModule,
    CourseNotice,
    CourseStatus,
    Enrolment,
    Entitlement,
    GrantKind,
    Lesson,
    LessonProgress,
    NotificationKind,
)
from portal_app import apps, routes
from portal_app.services.billing.dates import client_zone
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.courses.drip import LOCKED, OPEN, lesson_states
from portal_app.services.emails import client_language
from portal_app.services.hub.entitlements import active_clause
from portal_app.services.notification_texts import course_params
from portal_app.services.notifications import email_preferences, notify
from portal_app.services.outbox import enqueue_email

LOOKBACK = timedelta(days=7)  # lessons opened longer ago than this are old news


def _zone_today(now: datetime, zone: str):
    try:
        return now.astimezone(ZoneInfo(zone)).date()
    except (KeyError, ValueError):
        return now.date()


def newly_open(*, course: Course, modules: list[CourseModule], lessons: list[Lesson],
               enrolment: Enrolment, completed: set[int], zone: str, since: datetime,
               now: datetime, announced: set[int]) -> list[Lesson]:
    """The lessons locked by time at `since` whose time came by `now`, open now, and
    not announced before (pure)."""
    before = lesson_states(course=course, modules=modules, lessons=lessons,
                           enrolment=enrolment, completed=completed, zone=zone, now=since)
    after = lesson_states(course=course, modules=modules, lessons=lessons,
                          enrolment=enrolment, completed=completed, zone=zone, now=now)
    staff_opened = enrolment.unlocked_all_at
    found = []
    for lesson in lessons:
        was, is_ = before[lesson.id], after[lesson.id]
        if (is_.status == OPEN and was.status == LOCKED and was.unlocks_at is not None
                and since < was.unlocks_at <= now and lesson.id not in announced
                # staff opened it before its time came: not news from the drip
                and not (staff_opened is not None and staff_opened <= was.unlocks_at)):
            found.append(lesson)
    return found


def _active_pairs(session: Session, *, now: datetime) -> tuple[set[int], set[tuple[int, int]]]:
    """(clients granted the whole app, (client, course) pairs granted one by one)."""
    rows = session.exec(select(Entitlement.client_id, Entitlement.kind, Entitlement.target_id)
                        .where(Entitlement.app_key == apps.COURSES, *active_clause(now))).all()
    whole = {c for c, kind, _ in rows if kind == GrantKind.APP}
    pairs = {(c, t) for c, kind, t in rows if kind == GrantKind.COURSE and t is not None}
    return whole, pairs


def send_lesson_notices(session: Session, *, base_url: str, now: datetime) -> int:
    """Announce the lessons that opened by time since the last notice; returns how many
    notices (course x client) this call sent. A fixed number of statements to find
    them, then a few per notice sent."""
    whole, pairs = _active_pairs(session, now=now)
    rows = session.exec(select(Enrolment, Course).join(Course, Course.id == Enrolment.course_id)
                        .where(Course.status == CourseStatus.PUBLISHED)).all()
    rows = [(e, c) for e, c in rows if e.client_id in whole or (e.client_id, c.id) in pairs]
    if not rows:
        return 0
    course_ids = {c.id for _, c in rows}
    client_ids = {e.client_id for e, _ in rows}
    clients = {c.id: c for c in session.exec(select(Client).where(Client.id.in_(client_ids)))}
    modules: dict[int, list[CourseModule]] = {}
    for m in session.exec(select(CourseModule).where(CourseModule.course_id.in_(course_ids))
                          .order_by(CourseModule.position, CourseModule.id)):
        modules.setdefault(m.course_id, []).append(m)
    lessons: dict[int, list[Lesson]] = {}
    order = {m.id: (i, m.course_id) for ms in modules.values() for i, m in enumerate(ms)}
    for lesson in sorted(session.exec(select(Lesson).where(Lesson.course_id.in_(course_ids),
                                                           Lesson.published.is_(True))),
                         key=lambda x: (order.get(x.module_id, (0,))[0], x.position, x.id)):
        if lesson.module_id in order:
            lessons.setdefault(lesson.course_id, []).append(lesson)
    completed: dict[tuple[int, int], set[int]] = {}
    for client_id, course_id, lesson_id in session.exec(
            select(LessonProgress.client_id, LessonProgress.course_id, LessonProgress.lesson_id)
            .where(LessonProgress.course_id.in_(course_ids),
                   LessonProgress.client_id.in_(client_ids),
                   LessonProgress.completed_at.is_not(None))):
        completed.setdefault((client_id, course_id), set()).add(lesson_id)
    notices: dict[tuple[int, int], list[CourseNotice]] = {}
    for notice in session.exec(select(CourseNotice).where(
            CourseNotice.course_id.in_(course_ids), CourseNotice.client_id.in_(client_ids),
            CourseNotice.created_at >= now - LOOKBACK - timedelta(days=2))):
        notices.setdefault((notice.client_id, notice.course_id), []).append(notice)
    business = get_business(session)
    sent = 0
    for enrolment, course in rows:
        client = clients.get(enrolment.client_id)
        if client is None or client.disabled_at is not None or not lessons.get(course.id):
            continue
        zone = client_zone(client, business)
        today = _zone_today(now, zone)
        earlier = notices.get((client.id, course.id), [])
        if any(n.sent_on == today for n in earlier):
            continue
        since = max([enrolment.started_at, now - LOOKBACK, *(n.created_at for n in earlier)])
        found = newly_open(course=course, modules=modules.get(course.id, []),
                           lessons=lessons[course.id], enrolment=enrolment,
                           completed=completed.get((client.id, course.id), set()), zone=zone,
                           since=since, now=now,
                           announced={i for n in earlier for i in (n.lesson_ids or [])})
        if found and _announce(session, client=client, course=course, lessons=found,
                               today=today, now=now, base_url=base_url, business=business):
            sent += 1
    return sent


def _announce(session: Session, *, client: Client, course: Course, lessons: list[Lesson],
              today, now: datetime, base_url: str, business) -> bool:
    """Claim today's notice for this course and client, then the bell line and the
    email. False when the day's notice was already claimed (another runner)."""
    notice = CourseNotice(course_id=course.id, client_id=client.id, sent_on=today,
                          lesson_ids=[lesson.id for lesson in lessons], created_at=now)
    try:
        with session.begin_nested():
            session.add(notice)
            session.flush()
    except IntegrityError:
        return False
    titles = [lesson.title for lesson in lessons]
    link = routes.course_page(course.id)
    notify(session, client_id=client.id, kind=NotificationKind.COURSE, link=link,
           base_url=base_url, params=course_params(course=course.title, titles=titles),
           email=False)
    to = portal_email_of(session, client) or client.email
    if NotificationKind.COURSE in email_preferences(client) and to:
        enqueue_email(session, to=to, template="course_lessons_open", business=business,
                      idempotency_key=f"course-notice-{notice.id}",
                      lang=client_language(client, business), client_name=client.full_name,
                      course_title=course.title, titles=titles, url=f"{base_url}{link}")
    return True
