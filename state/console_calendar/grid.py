"""A `CalendarView` as the rows the calendar page renders: plain dicts of strings.

Day and week views are one CSS grid: a header row, then one row per 5 minutes
of the hours shown; each empty-time button spans half an hour, each booking
spans its own minutes (side by side with those it overlaps). The month view is
a grid of days, each with its bookings listed. All texts go through the one
formatter, in the business zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal_app.i18n import formats
from portal_app.services.scheduling.calendar_view import CalendarView, Entry, hour_range
from state.console_format import tr

ROW_MINUTES = 5
CELL_MINUTES = 30
MONTH_SHOWN = 3  # bookings listed in a month cell; "+n more" beyond
PALETTE = ("blue", "grass", "orange", "purple", "cyan", "pink", "teal", "amber", "indigo",
           "crimson")
STATUS_LABELS = {"pending": "Pending", "confirmed": "Confirmed", "cancelled": "Cancelled"}


def colour_of(service_id: int) -> str:
    """A service's colour: the same in every view and for every staff member."""
    return PALETTE[service_id % len(PALETTE)]


def _clock(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    """A moment's wall-clock time in the zone, as `formats.time_text` writes it (through
    the formatter's cache: hundreds of bookings, a few dozen distinct times)."""
    local = moment.astimezone(tz)
    return formats.clock_text(local.hour * 60 + local.minute, lang)


def _overlaps(intervals: list[tuple[int, int]], lo: int, hi: int) -> bool:
    return any(s < hi and e > lo for s, e in intervals)


def _inside(intervals: list[tuple[int, int]], lo: int, hi: int) -> bool:
    return any(s <= lo and hi <= e for s, e in intervals)


class _Blocks:
    """Booking blocks' dicts, few keys each (the page builds the fill and edge from the
    colour's name); the texts many bookings share (a status, a lane's
    position, a clock time) are made once per view, not once per booking."""

    def __init__(self, tz: ZoneInfo, lang: str):
        self.tz, self.lang = tz, lang
        self.statuses: dict[str, str] = {}
        self.places: dict[tuple[int, int], tuple[str, str]] = {}
        self.clocks: dict[datetime, str] = {}

    def clock(self, moment: datetime) -> str:
        text = self.clocks.get(moment)
        if text is None:
            text = self.clocks[moment] = _clock(moment, self.tz, self.lang)
        return text

    def block(self, e: Entry, col: int, row_start: int, row_end: int) -> dict[str, str]:
        label = self.statuses.get(e.status)
        if label is None:
            label = self.statuses[e.status] = tr(STATUS_LABELS.get(e.status, e.status))
        place = self.places.get((e.lane, e.lanes))
        if place is None:
            place = self.places[(e.lane, e.lanes)] = (f"{100 * e.lane / e.lanes:.4f}%",
                                                      f"{100 / e.lanes:.4f}%")
        return {
            # The page makes the fill and edge from the colour's name.
            "id": str(e.id), "col": str(col), "row": f"{row_start} / {row_end}",
            "left": place[0], "width": place[1], "colour": colour_of(e.service_id),
            "status": e.status, "status_label": label,
            "client": e.client_name, "service": e.service_name, "staff": e.staff_name,
            "time": f"{self.clock(e.start_at)}–{self.clock(e.end_at)}",
        }


def time_grid(cal: CalendarView, *, today: date, lang: str) -> dict:
    """Columns, hour labels, empty-time cells and booking blocks of a day or week view."""
    days = cal.days
    lo, hi = hour_range(cal)
    rows = (hi - lo) // ROW_MINUTES
    per_cell = CELL_MINUTES // ROW_MINUTES
    columns, cells, blocks, hours = [], [], [], []
    focus_set = False
    clocks = {m: formats.clock_text(m, lang) for m in range(lo, hi, CELL_MINUTES)}
    for i, day in enumerate(days):
        short, month_day = formats.day_chip(day, lang)
        day_label = formats.day_text(day, lang)  # once a day: Babel's skeletons are slow
        columns.append({"col": str(i + 2), "short": short, "date": month_day,
                        "today": "yes" if day == today else "", "iso": day.isoformat(),
                        "label": day_label})
        working, off = cal.working.get(day, []), cal.time_off.get(day, [])
        for k, minute in enumerate(range(lo, hi, CELL_MINUTES)):
            end = minute + CELL_MINUTES
            shade = ("off" if _overlaps(off, minute, end)
                     else "work" if _inside(working, minute, end) else "closed")
            focus = not focus_set and (day == today or (today not in days and i == 0)) and (
                shade == "work" or minute >= 9 * 60)
            focus_set = focus_set or focus
            row = 2 + k * per_cell
            cells.append({
                "day": str(i), "slot": str(k),
                "area": f"{row} / {i + 2} / {row + per_cell} / {i + 3}", "shade": shade,
                "start": f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}",
                "label": f"{day_label}, {clocks[minute]}",
                "tab": "0" if focus else "-1"})
    if not focus_set and cells:
        cells[0]["tab"] = "0"
    for k, minute in enumerate(range(lo, hi, 60)):
        hours.append({"row": f"{2 + k * 2 * per_cell} / span {2 * per_cell}",
                      "label": formats.clock_text(minute, lang)})
    index = {day: i for i, day in enumerate(days)}
    made = _Blocks(ZoneInfo(cal.zone), lang)
    for e in cal.entries:
        start = max(e.start_minute, lo)
        end = min(max(e.end_minute, start + ROW_MINUTES), hi)
        blocks.append(made.block(e, index[e.day] + 2, 2 + (start - lo) // ROW_MINUTES,
                                 2 + -(-(end - lo) // ROW_MINUTES)))
    return {"columns": columns, "cells": cells, "blocks": blocks, "hours": hours,
            "rows": str(rows), "slots": str((hi - lo) // CELL_MINUTES)}


def month_grid(cal: CalendarView, *, today: date, month: int, lang: str) -> list[dict]:
    """The month view's days (whole weeks), each with its first bookings listed."""
    out = []
    tz = ZoneInfo(cal.zone)
    for i, day in enumerate(cal.days):
        items = []
        on_day = cal.on(day)
        for e in on_day[:MONTH_SHOWN]:
            items.append({"id": str(e.id), "status": e.status,
                          "status_label": tr(STATUS_LABELS.get(e.status, e.status)),
                          "bg": f"var(--{colour_of(e.service_id)}-4)",
                          "edge": f"var(--{colour_of(e.service_id)}-9)",
                          "text": f"{_clock(e.start_at, tz, lang)} {e.client_name}",
                          "service": e.service_name})
        working = cal.working.get(day, [])
        out.append({"day": str(i), "iso": day.isoformat(), "number": str(day.day),
                    "label": formats.day_text(day, lang),
                    "in_month": "yes" if day.month == month else "",
                    "today": "yes" if day == today else "",
                    "shade": "work" if working else "closed",
                    "off": "yes" if cal.time_off.get(day) else "",
                    "more": str(len(on_day) - MONTH_SHOWN) if len(on_day) > MONTH_SHOWN else "",
                    "count": str(len(on_day)),
                    "tab": "0" if day == today or (i == 0 and not any(
                        d == today for d in cal.days)) else "-1",
                    "items": items})
    return out
