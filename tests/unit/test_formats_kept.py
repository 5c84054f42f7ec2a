"""The moments' texts kept per distinct date and clock time (portal_app/i18n/formats.py)
are the texts Babel gives for the moment itself, in every language, across DST changes."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_skeleton, format_time

from portal_app.i18n import LOCALES, formats

ZONES = ["America/New_York", "Europe/Madrid", "UTC", "Australia/Lord_Howe", "Asia/Kolkata",
         "America/Sao_Paulo", ""]


def _moments():
    rng = random.Random(18)
    edges = [datetime(2027, 3, 14, 6, 59, tzinfo=UTC), datetime(2027, 11, 7, 5, 30, tzinfo=UTC),
             datetime(2027, 3, 28, 0, 55, tzinfo=UTC), datetime(2027, 10, 31, 1, 5, tzinfo=UTC)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return edges + [start + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
                    for _ in range(120)]


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_kept_texts_are_babels(lang):
    locale = formats.locale_of(lang)
    for zone in ZONES:
        for moment in _moments():
            local = moment.astimezone(ZoneInfo(zone or "UTC"))
            clock = format_time(local, "short", locale=locale)
            abbrev = local.tzname() or zone
            assert formats.time_text(moment, zone, lang) == clock
            assert formats.when_short(moment, zone, lang) == (
                f"{format_skeleton('MMMEd', local, locale=locale, fuzzy=True)}, {clock} {abbrev}")
            assert formats.when_long(moment, zone, lang) == (
                f"{format_date(local, 'full', locale=locale)}, {clock} {abbrev} "
                f"({zone or 'UTC'})")
            assert formats.local_date_text(moment, zone, lang) == format_date(
                local.date(), "medium", locale=locale)
            assert formats.when_medium(moment, zone, lang) == (
                f"{format_date(local.date(), 'medium', locale=locale)}, {clock} {abbrev}")
    assert formats.date_text(date(2027, 3, 15), lang) == format_date(
        date(2027, 3, 15), "medium", locale=locale)
