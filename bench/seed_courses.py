"""The benchmark's course (the Courses app), seeded with the rest in bench/seed.py.

One published course of two modules and six lessons — text, a video with an
uploaded media row, text, then (a week after the enrolment) text, an audio
lesson and a three-question quiz — granted to every client of the business
(a staff grant to the course, as the console gives it). Every client is
enrolled (so no measured page load is a first visit, which enrols); every
client but the simulated ones has finished the first lesson, so the progress
table holds history, while the simulated clients start with no progress.

Only the media row is seeded, not a file: the lesson page and the player's
reports read the row; no action fetches the video itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

COURSE_ID = 1
TEXT_LESSON_ID = 1
VIDEO_LESSON_ID = 2
TEXT_LESSON_TITLE = "Welcome: how this course works"
VIDEO_SECONDS = 7200  # the duration the simulated player reports (a two-hour recording)

_LESSONS = (
    # id, module, position, title, kind, complete rule
    (1, 1, 0, TEXT_LESSON_TITLE, "text", "manual"),
    (2, 1, 1, "Breathing, guided (video)", "video", "video"),
    (3, 1, 2, "Notes on the first week", "text", "manual"),
    (4, 2, 0, "Week two: routines", "text", "manual"),
    (5, 2, 1, "Evening practice (audio)", "audio", "manual"),
    (6, 2, 2, "Check what you learned", "quiz", "quiz"),
)
_BODY = ("## What to expect\n\nEach week opens a module. Read, watch, practise, and mark "
         "each lesson complete when you are done.\n\n") * 4


def seed_course(conn, insert: Callable, *, clients: int, bench_clients: int,
                now: datetime) -> dict[str, int]:
    """Insert the course and its grants (ids 1..); `insert` is bench.seed's bulk insert."""
    from models import (
        Course,
        CourseMedia,
        CourseModule,
        Enrolment,
        Entitlement,
        Lesson,
        LessonProgress,
        QuizQuestion,
    )

    started = now - timedelta(days=1)
    insert(conn, Course, [{"id": COURSE_ID, "title": "Calm in eight weeks",
                           "summary": "A short course.", "status": "published",
                           "created_at": started, "updated_at": started}])
    insert(conn, CourseModule, [
        {"id": 1, "course_id": COURSE_ID, "position": 0, "title": "Week one"},
        {"id": 2, "course_id": COURSE_ID, "position": 1, "title": "Week two",
         "drip_kind": "days", "drip_days": 7}])
    insert(conn, CourseMedia, [
        {"id": 1, "course_id": COURSE_ID, "stored_name": "bench-course-video-1",
         "filename": "breathing.mp4", "content_type": "video/mp4", "size_bytes": 48_000_000,
         "uploaded_by_staff_id": 1, "created_at": started},
        {"id": 2, "course_id": COURSE_ID, "stored_name": "bench-course-audio-2",
         "filename": "evening.mp3", "content_type": "audio/mpeg", "size_bytes": 9_000_000,
         "uploaded_by_staff_id": 1, "created_at": started}])
    media = {"video": 1, "audio": 2}
    insert(conn, Lesson, [
        {"id": i, "course_id": COURSE_ID, "module_id": m, "position": pos, "title": title,
         "kind": kind, "body": _BODY if kind == "text" else "", "media_id": media.get(kind),
         "published": True, "complete_rule": rule, "updated_at": started}
        for i, m, pos, title, kind, rule in _LESSONS])
    insert(conn, QuizQuestion, [
        {"id": q, "lesson_id": 6, "position": q, "kind": "single",
         "prompt": f"Question {q}: which is right?", "options": ["This", "That", "Neither"],
         "correct": [q % 3]} for q in range(1, 4)])
    insert(conn, Entitlement, [
        {"id": c, "client_id": c, "kind": "course", "app_key": "courses",
         "target_id": COURSE_ID, "source": "staff", "starts_at": started,
         "granted_by_staff_id": 1, "created_at": started} for c in range(1, clients + 1)])
    insert(conn, Enrolment, [
        {"id": c, "course_id": COURSE_ID, "client_id": c, "started_at": started,
         "last_lesson_id": TEXT_LESSON_ID, "last_seen_at": started}
        for c in range(1, clients + 1)])
    others = range(bench_clients + 1, clients + 1)
    insert(conn, LessonProgress, [
        {"id": k, "client_id": c, "course_id": COURSE_ID, "lesson_id": TEXT_LESSON_ID,
         "opened_at": started, "completed_at": started, "completed_by": "student"}
        for k, c in enumerate(others, start=1)])
    return {"course_grants": clients, "course_enrolments": clients,
            "course_progress_rows": len(others), "lessons": len(_LESSONS)}
