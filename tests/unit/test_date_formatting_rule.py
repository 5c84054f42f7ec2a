"""Dates and times reach people only through the one formatter (portal_app/i18n/formats.py),
in a named zone. A scan of the code for the ways a UTC moment slipped out as a date
before (a payment made at 23:25 in Chicago shown as the next day): Babel called
outside the formatter, a UTC moment passed to `date_text` (a calendar-day formatter),
`.date()` taken of a stored UTC moment, and `strftime` without a zone in its text."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMATTER = ROOT / "portal_app" / "i18n" / "formats.py"
# The one deliberate `.date()` of a stored moment: an offline payment's entered day
# (stored at noon UTC), documented there.
ENTERED_DAY = ROOT / "portal_app" / "services" / "billing" / "dates.py"

BABEL = re.compile(r"^\s*(from babel\.dates import|import babel\.dates)|babel\.dates\.", re.M)
MOMENT_AS_DAY = re.compile(r"(?<![\w.])(?:formats\.)?date_text\(\s*[\w.]*_at\s*[,)]")
UTC_DATE = re.compile(r"\b\w*_at\.date\(\)")
STRFTIME = re.compile(r"\.strftime\(\s*(['\"])(.*?)\1")


def _sources() -> list[Path]:
    files = []
    for folder in ("portal_app", "state", "components"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if f != FORMATTER]


def test_no_date_or_time_is_formatted_outside_the_formatter_or_without_a_zone():
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        if BABEL.search(text):
            found.append(f"{where}: Babel date formatting outside formats.py")
        for match in MOMENT_AS_DAY.finditer(text):
            found.append(f"{where}: a UTC moment as a calendar day: {match.group(0)}")
        if path != ENTERED_DAY:
            for match in UTC_DATE.finditer(text):
                found.append(f"{where}: the UTC date of a moment: {match.group(0)}")
        for match in STRFTIME.finditer(text):
            if "%Z" not in match.group(2) and "UTC" not in match.group(2):
                found.append(f"{where}: strftime without a zone: {match.group(0)}")
    assert found == []


def test_the_scan_finds_the_old_mistakes():
    assert MOMENT_AS_DAY.search('"date": formats.date_text(p.paid_at, lang),')
    assert UTC_DATE.search('"date": p.paid_at.date().isoformat(),')
    assert not MOMENT_AS_DAY.search("formats.local_date_text(p.paid_at, zone, lang)")
    assert not MOMENT_AS_DAY.search("formats.date_text(invoice.due_date, lang)")
