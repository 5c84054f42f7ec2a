"""What the course console states share: the page's course id, field errors
worded for the reader, and labels for kinds, rules and states."""

from __future__ import annotations

from datetime import date

from models import CompleteRule, CourseStatus, DripKind, LessonKind
from portal_app.i18n import formats
from portal_app.services.errors import ServiceError, parse_id
from state.console_format import lang, tr

NO_COURSE = "That course does not exist."
OPEN_COURSE_FIRST = "Open a course first."


def ticked(value: object) -> bool:
    """A form checkbox's value as a bool ("on" when ticked)."""
    return value in (True, "on", "true", "yes", "1")


def page_course_id(state) -> int:
    """The `?id=` of the page as a course id (NotFound when it is no id at all)."""
    return parse_id(state.router.url.query_parameters.get("id", ""), NO_COURSE)


def field_errors(exc: ServiceError) -> dict[str, str]:
    """A refusal as {field: message} in the reader's language ("form" when it names
    no field), for the callouts beside the fields."""
    return {exc.field or "form": tr(exc.message)}


def kind_label(kind: str) -> str:
    return {LessonKind.TEXT: tr("Text"), LessonKind.VIDEO: tr("Video"),
            LessonKind.AUDIO: tr("Audio"), LessonKind.FILE: tr("Download"),
            LessonKind.QUIZ: tr("Quiz")}.get(kind, kind)


def status_label(status: str) -> str:
    return tr("Published") if status == CourseStatus.PUBLISHED else tr("Draft")


def rule_label(rule: str, share: int) -> str:
    if rule == CompleteRule.VIDEO:
        return tr("Watched {share} %", share=share)
    if rule == CompleteRule.QUIZ:
        return tr("Quiz passed")
    return tr("Marked by the student")


def drip_label(kind: str, days: int, on: date | None, after_title: str) -> str:
    if kind == DripKind.DAYS:
        return tr("{days} days after enrolling", days=days)
    if kind == DripKind.DATE and on is not None:
        return tr("Opens on {day}", day=formats.date_text(on, lang()))
    if kind == DripKind.AFTER:
        return tr("After “{lesson}”", lesson=after_title or "?")
    return tr("Open at once")

