"""The VTIMEZONE of an .ics, written the way calendar programs read it.

`icalendar`'s `add_missing_timezones` lists every change of offset from 1970 to
2037 as RDATE values. Outlook (and the vobject parser) use only the first of
them, so an event in summer time came out an hour off there. Calendar programs
themselves write one STANDARD and one DAYLIGHT part, each with a yearly RRULE
("the last Sunday of October at 03:00"): that is what `vtimezone` writes, with
the rules the zone (zoneinfo) follows in the event's year. A zone whose changes
do not follow such a rule in those years falls back to icalendar's RDATE list.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def _changes(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """(UTC instant, offset before, offset after) of each change of offset in `year`."""
    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        nxt = day + timedelta(days=1)
        if _offset(zone, day) != _offset(zone, nxt):
            low, high = day, nxt  # the change lies in (low, high]: narrow to the minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                low, high = (mid, high) if _offset(zone, mid) == _offset(zone, low) else (low,
                                                                                          mid)
            found.append((high.replace(second=0, microsecond=0), _offset(zone, low),
                          _offset(zone, high)))
        day = nxt
    return found


def _rule(wall: datetime) -> tuple[int, int, int, int, int]:
    """The yearly rule a local time of change follows: (month, nth weekday or -1 for
    the last, weekday, hour, minute)."""
    last_day = calendar.monthrange(wall.year, wall.month)[1]
    nth = -1 if wall.day + 7 > last_day else (wall.day - 1) // 7 + 1
    return wall.month, nth, wall.weekday(), wall.hour, wall.minute


def _wall_of(change: tuple[datetime, timedelta, timedelta]) -> datetime:
    """The local clock time of a change, as read before it (RFC 5545's DTSTART)."""
    moment, before, _after = change
    return (moment + before).replace(tzinfo=None)


def vtimezone(zone_name: str, around: datetime) -> icalendar.Timezone:
    """A VTIMEZONE for `zone_name` that is right for events near `around` (this year
    and the next): one yearly RRULE per kind of change."""
    zone = ZoneInfo(zone_name)
    year = around.astimezone(zone).year
    years = [_changes(zone, y) for y in (year - 1, year, year + 1)]
    tz = icalendar.Timezone()
    tz.add("tzid", zone_name)
    if not any(years):
        part = icalendar.TimezoneStandard()
        part.add("dtstart", datetime(1970, 1, 1))
        offset = _offset(zone, around)
        part.add("tzoffsetfrom", offset)
        part.add("tzoffsetto", offset)
        part.add("tzname", around.astimezone(zone).tzname() or zone_name)
        tz.add_component(part)
        return tz
    rules = [[_rule(_wall_of(c)) for c in changes] for changes in years]
    if len(years[0]) != 2 or rules[0] != rules[1] or rules[1] != rules[2]:
        return icalendar.Timezone.from_tzinfo(zone, tzid=zone_name,
                                              first_date=date(year - 1, 1, 1),
                                              last_date=date(year + 2, 1, 1))
    for change, (month, nth, weekday, _h, _m) in zip(years[0], rules[0], strict=True):
        moment, before, after = change
        local_after = moment.astimezone(zone)
        part = (icalendar.TimezoneDaylight() if local_after.dst()
                else icalendar.TimezoneStandard())
        part.add("dtstart", _wall_of(change))
        part.add("rrule", {"freq": "yearly", "bymonth": month,
                           "byday": f"{nth}{DAYS[weekday]}"})
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", local_after.tzname() or zone_name)
        tz.add_component(part)
    return tz
