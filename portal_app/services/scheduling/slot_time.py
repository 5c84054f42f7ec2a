"""Wall-clock time and working intervals for the slot search (portal_app/services/
scheduling/slots.py holds the rules): epoch minutes, a local wall time in UTC, an
interval's edge across a DST change, and a day's working intervals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- time helpers --------------------------------------------------------------------------


def zone_of(name: str | None) -> ZoneInfo:
    """A ZoneInfo for a zone name; UTC when empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _to_min(dt: datetime) -> int:
    """Aware datetime -> whole minutes since the epoch."""
    return int((dt - _EPOCH).total_seconds() // 60)


def _from_min(minutes: int) -> datetime:
    return _EPOCH + timedelta(minutes=minutes)


def wall_to_utc(day: date, minute: int, tz: ZoneInfo) -> datetime | None:
    """Local wall time (minutes from midnight of `day`, 1440 = next midnight) in UTC.

    None when that wall time does not exist (spring-forward gap); fold=0 for an
    ambiguous one (fall-back).
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    utc = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        return None
    return utc


def _edge_min(day: date, minute: int, tz: ZoneInfo) -> int:
    """An interval edge in epoch minutes; an edge inside a gap moves to the gap's end."""
    for shift in range(0, 4 * 60 + 1):
        utc = wall_to_utc(day, minute + shift, tz)
        if utc is not None:
            return _to_min(utc)
    raise ValueError("no valid wall time near the edge")  # pragma: no cover - no such zone


# --- intervals -----------------------------------------------------------------------------


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _subtract(intervals: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in intervals:
        pieces = [(s, e)]
        for hs, he in holes:
            nxt = []
            for ps, pe in pieces:
                if he <= ps or hs >= pe:
                    nxt.append((ps, pe))
                    continue
                if hs > ps:
                    nxt.append((ps, hs))
                if he < pe:
                    nxt.append((he, pe))
            pieces = nxt
        out.extend(pieces)
    return out


def day_intervals(weekly: list[tuple[int, int]], extras: list[tuple[int, int]],
                  offs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Working intervals of one local date, in local minutes from midnight."""
    return _subtract(_merge([*weekly, *extras]), _merge(offs))
