"""The video player's reports: when one is plausible, and the usual one in one
checked statement (services/courses/progress.py `report_video` takes them).

The player reports its position every ~10 s while playing. The full path reads the
course as the lesson page does (access, modules, lessons, the student's progress,
the drip: eight statements) to move one number. So the page keeps a `PlayerMark` of
what it knows since its load (or its last report), and the next report is one UPDATE
of the enrolment's "last seen" whose WHERE checks again what the full path would
refuse on: an active grant to the course (or to the whole Courses app), the course
and the lesson published, the lesson still playable with the same completion rule,
and the student's progress row and last report exactly as the page knows them
(another tab's report or a staff change makes it miss); then, when the furthest
point moved, one UPDATE of it. A report that misses, or that would complete the
lesson, takes the full path: completion, the course's completion and the
certificate are decided there, as is the drip. The drip is not decided again for
each report of a lesson the page opened (only staff editing the course can lock an
opened lesson again); such a lesson completes only through the full path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, String, bindparam, exists, or_, update

from models import (
    CompleteRule,
    Course,
    CourseStatus,
    Enrolment,
    Entitlement,
    GrantKind,
    Lesson,
    LessonKind,
    LessonProgress,
)
from portal_app import apps
from portal_app.services import reads
from portal_app.services.hub.grant_window import active_clause

MARGIN_SECONDS = 5
MAX_RATE = 2.0  # playback speeds up to 2x
MAX_STEP_SECONDS = 120  # between two reports (a background tab's timers slow to ~1 a minute)
MAX_DURATION_SECONDS = 24 * 3600
PLAYABLE = (LessonKind.VIDEO, LessonKind.AUDIO)


@dataclass(frozen=True)
class PlayerMark:
    """What a lesson page knows for its next report: the lesson's playing rules and
    the student's rows as last read or written (see the module docstring)."""

    lesson_id: int
    course_id: int
    enrolment_id: int
    progress_id: int
    watched: int  # the furthest point kept, in seconds
    watched_pct: int
    completed: bool
    seen_at: datetime  # the enrolment's last_seen_at (this lesson the last one)
    kind: str
    rule: str  # the lesson's complete rule
    share_pct: int  # the share of the video that completes it


@dataclass(frozen=True)
class VideoReport:
    accepted: bool
    watched_pct: int
    completed: bool  # the lesson is complete (now or before)
    mark: PlayerMark | None = None  # for the page's next report


def mark_for(lesson: Lesson, enrolment: Enrolment, row: LessonProgress | None
             ) -> PlayerMark | None:
    """The mark of a playable lesson whose progress row exists and which is the
    enrolment's last one (just opened or reported); None otherwise (the next report
    takes the full path)."""
    if (lesson.kind not in PLAYABLE or lesson.media_id is None or row is None
            or row.id is None or enrolment.id is None
            or enrolment.last_lesson_id != lesson.id or enrolment.last_seen_at is None):
        return None
    return PlayerMark(lesson_id=lesson.id, course_id=lesson.course_id,
                      enrolment_id=enrolment.id, progress_id=row.id,
                      watched=row.watched_seconds, watched_pct=row.watched_pct,
                      completed=row.completed_at is not None, seen_at=enrolment.last_seen_at,
                      kind=lesson.kind, rule=lesson.complete_rule,
                      share_pct=lesson.video_share_pct)


def plausible(*, watched: int, watched_pct: int, position: float, duration: float,
              elapsed: float) -> bool:
    """Whether a report (position and duration, in seconds) can be true: within the
    media, no further ahead of the furthest point accepted so far than the wall-clock
    time since the last report allows (at up to 2x speed, plus a small margin), and a
    duration that agrees with the one reported before (implied by the furthest point
    and its percentage)."""
    if not (0 < duration <= MAX_DURATION_SECONDS and 0 <= position <= duration + 1):
        return False
    step = min(max(elapsed, 0.0), MAX_STEP_SECONDS) * MAX_RATE + MARGIN_SECONDS
    if position > watched + step:
        return False
    if watched_pct >= 5 and watched > 0:  # pct = floor(100 * watched / duration) before
        low, high = 100 * watched / (watched_pct + 1), 100 * watched / watched_pct
        if not low * 0.98 <= duration <= high * 1.02:
            return False
    return True


@cache
def _seen_statement(completed: bool):
    """The enrolment's "last seen" moved to `now`, only while everything the page's
    mark says still holds (built once per completed / not completed)."""
    client, course = bindparam("client", type_=Integer), bindparam("course", type_=Integer)
    lesson = bindparam("lesson", type_=Integer)
    stamp = Enrolment.__table__.c.last_seen_at.type
    now = bindparam("now", type_=stamp)
    done = LessonProgress.completed_at.is_not(None) if completed \
        else LessonProgress.completed_at.is_(None)
    return (update(Enrolment).where(
        Enrolment.id == bindparam("enrolment", type_=Integer),
        Enrolment.client_id == client, Enrolment.course_id == course,
        Enrolment.last_lesson_id == lesson,
        Enrolment.last_seen_at <= bindparam("seen", type_=stamp),
        exists().where(LessonProgress.id == bindparam("row", type_=Integer),
                       LessonProgress.client_id == client, LessonProgress.lesson_id == lesson,
                       LessonProgress.watched_seconds == bindparam("watched", type_=Integer),
                       LessonProgress.watched_pct == bindparam("pct", type_=Integer), done),
        exists().where(Lesson.id == lesson, Lesson.course_id == course,
                       Lesson.published.is_(True), Lesson.media_id.is_not(None),
                       Lesson.kind == bindparam("kind", type_=String),
                       Lesson.complete_rule == bindparam("rule", type_=String),
                       Lesson.video_share_pct == bindparam("share", type_=Integer)),
        exists().where(Course.id == course, Course.status == CourseStatus.PUBLISHED),
        exists().where(Entitlement.client_id == client, Entitlement.app_key == apps.COURSES,
                       or_(Entitlement.kind == GrantKind.APP,
                           (Entitlement.kind == GrantKind.COURSE)
                           & (Entitlement.target_id == course)),
                       *active_clause(now)))
        .values(last_seen_at=now))


@cache
def _furthest_statement():
    watched = bindparam("watched", type_=Integer)
    return (update(LessonProgress)
            .where(LessonProgress.id == bindparam("row", type_=Integer),
                   LessonProgress.watched_seconds < watched)
            .values(watched_seconds=watched, watched_pct=bindparam("pct", type_=Integer)))


def report_in_place(session, *, client_id: int, mark: PlayerMark, position: float,
                    duration: float, now: datetime) -> VideoReport | None:
    """The usual report, as the full path would decide it, in one or two UPDATEs;
    None when the full path must take it (the mark no longer holds, or the report
    would complete the lesson)."""
    elapsed = (now - mark.seen_at).total_seconds()
    ok = position == position and duration == duration and plausible(  # (NaN never is)
        watched=mark.watched, watched_pct=mark.watched_pct, position=position,
        duration=duration, elapsed=elapsed)
    ahead = ok and int(position) > mark.watched
    watched = int(position) if ahead else mark.watched
    pct = min(100, int(100 * watched // duration)) if ahead else mark.watched_pct
    if (ahead and not mark.completed and mark.rule == CompleteRule.VIDEO
            and pct >= mark.share_pct):
        return None
    seen = reads.run(session, _seen_statement(mark.completed), client=int(client_id),
                     course=mark.course_id, lesson=mark.lesson_id, now=now,
                     enrolment=mark.enrolment_id, seen=mark.seen_at, row=mark.progress_id,
                     watched=mark.watched, pct=mark.watched_pct, kind=mark.kind,
                     rule=mark.rule, share=mark.share_pct).rowcount
    if seen != 1:
        return None
    if ahead:
        reads.run(session, _furthest_statement(), row=mark.progress_id, watched=watched,
                  pct=pct)
    return VideoReport(ok, pct, mark.completed,
                       replace(mark, watched=watched, watched_pct=pct, seen_at=now))
