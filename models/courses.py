"""Courses (the hub's first app): course -> modules -> lessons, the media they
play, quizzes, each student's enrolment and progress, certificates, and the
daily "new lesson open" notice.

Drip rules sit on modules and on lessons (a lesson's own rule applies after its
module's): open at once, N days after the enrolment started, on a fixed date, or
after another lesson is complete; a day-based unlock happens at the course's
`unlock_hour` in the *client's* zone (services/courses/drip.py). A quiz's answer
key (`QuizQuestion.correct`) never leaves the server.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, false, text, true
from sqlmodel import Field, SQLModel

from models.base import utc_field


class CourseStatus:
    DRAFT = "draft"
    PUBLISHED = "published"
    ALL = (DRAFT, PUBLISHED)


class LessonKind:
    TEXT = "text"
    VIDEO = "video"
    AUDIO = "audio"
    FILE = "file"
    QUIZ = "quiz"
    ALL = (TEXT, VIDEO, AUDIO, FILE, QUIZ)


class DripKind:
    NONE = "none"  # open with its module
    DAYS = "days"  # drip_days after the enrolment started
    DATE = "date"  # on drip_date
    AFTER = "after"  # once drip_after_lesson_id is complete
    ALL = (NONE, DAYS, DATE, AFTER)


class CompleteRule:
    MANUAL = "manual"  # the student marks it complete
    VIDEO = "video"  # watching video_share_pct % of the media
    QUIZ = "quiz"  # passing the quiz
    ALL = (MANUAL, VIDEO, QUIZ)


class QuestionKind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "truefalse"
    ALL = (SINGLE, MULTIPLE, TRUE_FALSE)


class Course(SQLModel, table=True):
    __tablename__ = "course"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=160)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    status: str = Field(default=CourseStatus.DRAFT, max_length=10, index=True)
    # Lessons open one after another: a lesson opens once the one before is complete.
    in_order: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Day-based unlocks happen at this hour of the client's own day (0-23).
    unlock_hour: int = Field(default=8, sa_column_kwargs={"server_default": "8"})
    certificate: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    position: int = Field(default=0)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class CourseModule(SQLModel, table=True):
    __tablename__ = "course_module"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    position: int = Field(default=0)
    title: str = Field(max_length=160)
    drip_kind: str = Field(default=DripKind.NONE, max_length=8)
    drip_days: int = Field(default=0)
    drip_date: date | None = Field(default=None)
    drip_after_lesson_id: int | None = Field(default=None)


class CourseMedia(SQLModel, table=True):
    """A file a lesson plays or offers for download, in the private file storage."""

    __tablename__ = "course_media"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    stored_name: str = Field(max_length=64, unique=True)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size_bytes: int = Field(default=0)
    uploaded_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = utc_field(default_now=True)


class Lesson(SQLModel, table=True):
    __tablename__ = "lesson"
    __table_args__ = (Index("ix_lesson_course_module", "course_id", "module_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id")
    module_id: int = Field(foreign_key="course_module.id", index=True)
    position: int = Field(default=0)
    title: str = Field(max_length=160)
    kind: str = Field(default=LessonKind.TEXT, max_length=8)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    media_id: int | None = Field(default=None, foreign_key="course_media.id")
    embed_url: str = Field(default="", max_length=500)  # YouTube / Vimeo, allow-listed
    published: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    required: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    drip_kind: str = Field(default=DripKind.NONE, max_length=8)
    drip_days: int = Field(default=0)
    drip_date: date | None = Field(default=None)
    drip_after_lesson_id: int | None = Field(default=None)
    complete_rule: str = Field(default=CompleteRule.MANUAL, max_length=8)
    video_share_pct: int = Field(default=90)
    # Quizzes: pass mark in percent, attempts allowed (0 = no limit), shuffled order.
    pass_mark_pct: int = Field(default=70)
    attempts_limit: int = Field(default=0)
    shuffle: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    updated_at: datetime = utc_field(default_now=True)


class QuizQuestion(SQLModel, table=True):
    __tablename__ = "quiz_question"

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(foreign_key="lesson.id", index=True)
    position: int = Field(default=0)
    kind: str = Field(default=QuestionKind.SINGLE, max_length=10)
    prompt: str = Field(sa_column=Column(Text, nullable=False))
    options: list = Field(default_factory=list,
                          sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    # Indexes into `options` that are right. Never sent to the browser.
    correct: list = Field(default_factory=list,
                          sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))


class Enrolment(SQLModel, table=True):
    """A client in a course: when it started (the drip's day 0), staff's overrides,
    where they left off. Kept when access ends, so a restored grant keeps progress."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("course_id", "client_id", name="uq_enrolment"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    started_at: datetime = utc_field(default_now=True)
    shift_days: int = Field(default=0)  # staff: day-based unlocks move by this many days
    unlocked_all_at: datetime | None = utc_field(nullable=True)  # staff: "unlock everything"
    last_lesson_id: int | None = Field(default=None)
    last_seen_at: datetime | None = utc_field(nullable=True)
    completed_at: datetime | None = utc_field(nullable=True)


class LessonProgress(SQLModel, table=True):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("client_id", "lesson_id", name="uq_lesson_progress"),
                      Index("ix_lesson_progress_course_client", "course_id", "client_id"))

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    course_id: int = Field(foreign_key="course.id")
    lesson_id: int = Field(foreign_key="lesson.id", index=True)
    opened_at: datetime = utc_field(default_now=True)
    watched_seconds: int = Field(default=0)  # the furthest point reported by the player
    watched_pct: int = Field(default=0)
    completed_at: datetime | None = utc_field(nullable=True)
    completed_by: str = Field(default="", max_length=8)  # student | video | quiz | staff


class QuizAttempt(SQLModel, table=True):
    __tablename__ = "quiz_attempt"
    __table_args__ = (Index("ix_quiz_attempt_client_lesson", "client_id", "lesson_id"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    lesson_id: int = Field(foreign_key="lesson.id")
    answers: dict = Field(default_factory=dict,
                          sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))
    score_pct: int = Field(default=0)
    passed: bool = Field(default=False)
    created_at: datetime = utc_field(default_now=True)


class Certificate(SQLModel, table=True):
    """Issued once; what it says is frozen at issue, so /verify/<code> can tell an
    altered PDF apart."""

    __tablename__ = "certificate"
    __table_args__ = (Index("ix_certificate_course_client", "course_id", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=24, unique=True)
    course_id: int = Field(foreign_key="course.id")
    client_id: int = Field(foreign_key="client.id")
    client_name: str = Field(max_length=200)
    course_title: str = Field(max_length=160)
    issued_on: date = Field()
    issued_at: datetime = utc_field(default_now=True)
    revoked_at: datetime | None = utc_field(nullable=True)
    revoke_reason: str = Field(default="", max_length=300)


class CourseNotice(SQLModel, table=True):
    """"A new lesson is open" sent to a client for a course on a day: at most one a day."""

    __tablename__ = "course_notice"
    __table_args__ = (UniqueConstraint("course_id", "client_id", "sent_on",
                                       name="uq_course_notice"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id")
    client_id: int = Field(foreign_key="client.id", index=True)
    sent_on: date = Field()
    lesson_ids: list = Field(default_factory=list,
                             sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    created_at: datetime = utc_field(default_now=True)
