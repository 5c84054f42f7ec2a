"""Dates, times, numbers and money for people, in the reader's language (Babel).

Every time is shown with its zone: the abbreviation the zone uses at that
moment ("EST", "CET"), and in the long form also the zone's name, so a
client in another country can tell whose clock it is.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_timezone_location,
    parse_date,
)
from babel.numbers import format_currency, format_decimal

from portal_app.i18n import DEFAULT, LOCALES


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES[DEFAULT])


def parse_day(text: str, lang: str = DEFAULT) -> date | None:
    """A day someone typed: "2026-12-05", or the reader's short form ("12/5/2026",
    "5/12/2026" in Spanish); None when it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date(text, locale=locale_of(lang))
    except (ValueError, IndexError):
        return None


@lru_cache(maxsize=4096)
def money(minor: int, currency: str, places: int, lang: str = DEFAULT) -> str:
    """Minor units as currency text: "$95.00", "95,00 US$", "¥5,000" (pure, so kept:
    a page shows the same few amounts again and again, and Babel takes ~0.1 ms each)."""
    value = Decimal(int(minor)).scaleb(-places)
    return format_currency(value, (currency or "").upper(), locale=locale_of(lang))


def number(value: int | Decimal, lang: str = DEFAULT) -> str:
    return format_decimal(value, locale=locale_of(lang))


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone or "UTC"))


def zone_abbrev(moment: datetime, zone: str) -> str:
    return _local(moment, zone).tzname() or zone


def day_text(day: date | datetime, lang: str = DEFAULT) -> str:
    """"Monday, March 15" / "lunes, 15 de marzo" (a heading over a day's times)."""
    if type(day) is date:  # a plain date's text is pure: kept (Babel's skeletons are slow)
        return _skeleton_text(day, "MMMMEEEEd", locale_of(lang))
    return format_skeleton("MMMMEEEEd", day, locale=locale_of(lang), fuzzy=True)


def date_text(day: date | datetime, lang: str = DEFAULT) -> str:
    """"Mar 15, 2027" / "15 mar 2027": a calendar day (an issue or due date, a day
    someone entered). A moment (a UTC datetime) goes through `local_date_text` with
    the reader's zone instead: its UTC date is not the reader's date."""
    if type(day) is date:
        return _date_format(day, "medium", locale_of(lang))
    return format_date(day, "medium", locale=locale_of(lang))


def local_date_text(moment: datetime, zone: str, lang: str = DEFAULT) -> str:
    """"Dec 5, 2026": the date of a moment on the reader's calendar in `zone`."""
    return _date_format(_local(moment, zone).date(), "medium", locale_of(lang))


def when_medium(moment: datetime, zone: str, lang: str = DEFAULT) -> str:
    """"Dec 5, 2026, 11:25 PM CST" / "5 dic 2026, 23:25 CST": a moment (a payment, a
    message) with its date, time and zone, for lists, receipts and documents."""
    local = _local(moment, zone)  # once (the three parts below read it)
    locale = locale_of(lang)
    return (f"{_date_format(local.date(), 'medium', locale)}, "
            f"{_clock_text(local.hour, local.minute, locale)} {local.tzname() or zone}")


def time_text(moment: datetime, zone: str, lang: str = DEFAULT) -> str:
    """"2:30 PM" / "14:30" (wall clock in `zone`, no zone name)."""
    local = _local(moment, zone)
    return _clock_text(local.hour, local.minute, locale_of(lang))


# The moments' texts below are made of a local date's text and a clock time's, each
# kept per distinct value (Babel takes ~0.1 ms a call; a page's rows share a few dates
# and times): the same texts as Babel gives for the moment itself
# (tests/unit/test_formats_kept.py).


def when_short(moment: datetime, zone: str, lang: str = DEFAULT) -> str:
    """"Mon, Mar 15, 2:30 PM EDT"."""
    local = _local(moment, zone)
    locale = locale_of(lang)
    return (f"{_skeleton_text(local.date(), 'MMMEd', locale)}, "
            f"{_clock_text(local.hour, local.minute, locale)} {local.tzname() or zone}")


def when_long(moment: datetime, zone: str, lang: str = DEFAULT) -> str:
    """"Monday, March 15, 2027, 2:30 PM EDT (America/New_York)"."""
    local = _local(moment, zone)
    locale = locale_of(lang)
    return (f"{_day_texts(local.date(), locale)[1]}, "
            f"{_clock_text(local.hour, local.minute, locale)} {local.tzname() or zone} "
            f"({zone or 'UTC'})")


@lru_cache(maxsize=2048)
def _date_format(day: date, width: str, locale: str) -> str:
    return format_date(day, width, locale=locale)


@lru_cache(maxsize=1024)
def _day_texts(day: date, locale: str) -> tuple[str, str]:
    """A date's heading and full form (pure, so kept: Babel's skeleton match is slow)."""
    return (format_skeleton("MMMMEEEEd", day, locale=locale, fuzzy=True),
            format_date(day, "full", locale=locale))


@lru_cache(maxsize=2048)
def _skeleton_text(day: date, skeleton: str, locale: str) -> str:
    """A plain date in a skeleton (pure, so kept: Babel matches the skeleton slowly)."""
    return format_skeleton(skeleton, day, locale=locale, fuzzy=True)


@lru_cache(maxsize=1024)
def _clock_text(hour: int, minute: int, locale: str) -> str:
    return format_time(time(hour, minute), "short", locale=locale)


def slot_labels(moments: list[datetime], zone: str,
                lang: str = DEFAULT) -> list[tuple[str, str, str]]:
    """(day heading, time, long form) for each moment: the same texts as
    `day_text`, `time_text` and `when_long`, but Babel runs once per local date
    and clock time (kept between calls), not three times per slot (a week of
    slots is hundreds, and each Babel call costs about a tenth of a millisecond)."""
    tz = ZoneInfo(zone or "UTC")
    locale = locale_of(lang)
    out = []
    for moment in moments:
        local = moment.astimezone(tz)
        heading, full = _day_texts(local.date(), locale)
        text = _clock_text(local.hour, local.minute, locale)
        abbrev = local.tzname() or zone
        out.append((heading, text, f"{full}, {text} {abbrev} ({zone or 'UTC'})"))
    return out


def zone_city(zone: str, lang: str = DEFAULT) -> tuple[str, str]:
    """A zone's city in `lang` and the locale's names of territories, for naming a
    zone to a person ("Kolkata", "Nueva York")."""
    locale = Locale.parse(locale_of(lang))
    return get_timezone_location(zone, locale=locale, return_city=True), locale.territories


def day_chip(day: date, lang: str = DEFAULT) -> tuple[str, str]:
    """A day in a date strip, on two short lines: ("Mon", "Nov 23") / ("lun", "23 nov")."""
    locale = locale_of(lang)
    if type(day) is date:
        return _skeleton_text(day, "EEE", locale), _skeleton_text(day, "MMMd", locale)
    return (format_skeleton("EEE", day, locale=locale, fuzzy=True),
            format_skeleton("MMMd", day, locale=locale, fuzzy=True))


def clock_text(minute_of_day: int, lang: str = DEFAULT) -> str:
    """A wall-clock time of no particular day ("9:00 AM" / "9:00"): a calendar's
    hour lines, whose zone the page names once."""
    minute_of_day = max(0, min(int(minute_of_day), 24 * 60 - 1))
    return _clock_text(minute_of_day // 60, minute_of_day % 60, locale_of(lang))


def month_text(day: date, lang: str = DEFAULT) -> str:
    """"March 2027" / "marzo de 2027": a month view's title."""
    return format_skeleton("yMMMM", day, locale=locale_of(lang), fuzzy=True)
