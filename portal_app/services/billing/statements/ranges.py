"""The ranges a statement is asked for: this month, last month, or days someone
typed (refused beside the field when they are not dates)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from portal_app.services.errors import ServiceError

BAD_FIRST_DAY = "Enter the first day as a date (YYYY-MM-DD)."
BAD_LAST_DAY = "Enter the last day as a date (YYYY-MM-DD)."


def today_in(zone: str) -> date:
    return datetime.now(ZoneInfo(zone or "UTC")).date()


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def this_month(zone: str, today: date | None = None) -> tuple[date, date]:
    """From the 1st of this month (in `zone`) to today."""
    today = today or today_in(zone)
    return today.replace(day=1), today


def last_month(zone: str, today: date | None = None) -> tuple[date, date]:
    today = today or today_in(zone)
    return month_of(today.replace(day=1) - timedelta(days=1))


def parse_range(start: object, end: object) -> tuple[date, date]:
    """A custom range typed as YYYY-MM-DD; `statement` checks its order and length."""
    return _parse(start, "start", BAD_FIRST_DAY), _parse(end, "end", BAD_LAST_DAY)


def _parse(raw: object, field: str, message: str) -> date:
    text = str(raw or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError(message, field=field) from None
