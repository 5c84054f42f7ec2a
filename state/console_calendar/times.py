"""The calendar's dates and wall times as the page sends them, read in the business zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal_app.services.errors import ServiceError
from portal_app.services.scheduling.slots import wall_to_utc

NO_BOOKING = "That booking does not exist."
SKIPPED = "That time does not exist on this day: the clocks change."


def parse_day(raw: object) -> date | None:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


def wall_time_to_utc(raw: object, zone: str) -> datetime:
    """A "YYYY-MM-DDTHH:MM" wall time from the grid, in the business zone, as UTC (a
    time the clocks skip on a daylight-saving day is refused)."""
    try:
        local = datetime.fromisoformat(str(raw))
    except ValueError:
        raise ServiceError("Pick a time in the calendar.", field="start_at") from None
    if local.tzinfo is not None:
        raise ServiceError("Pick a time in the calendar.", field="start_at")
    moment = wall_to_utc(local.date(), local.hour * 60 + local.minute, ZoneInfo(zone))
    if moment is None:
        raise ServiceError(SKIPPED, field="start_at")
    return moment
