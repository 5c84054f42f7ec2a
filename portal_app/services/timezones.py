"""The time zones a person picks from: the canonical IANA zones only.

The IANA database also holds ~150 backward-compatible links ("Asia/Calcutta" is
"Asia/Kolkata", "US/Eastern" is "America/New_York"); a list offering both shows
each place twice under different names. The zones offered are those of the
database's `zone.tab` (one line per country and zone) plus UTC; any link names
its canonical zone (`canonical_zone`), so an old stored name or a browser that
reports an old one ("Asia/Calcutta" from some Intl versions) lands on the zone
in the list.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from portal_app.i18n import formats

BAD_ZONE = "Choose a time zone from the list, e.g. America/New_York."
# Links to these name the zone people call UTC.
UTC_NAMES = {"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Etc/GMT", "Etc/GMT0",
             "Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich", "UTC"}


def _tzdata_text(name: str) -> str:
    """A table of the IANA database: the `tzdata` package's copy, else the system's."""
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        for root in zoneinfo.TZPATH:
            path = Path(root) / name
            if path.is_file():
                return path.read_text(encoding="utf-8")
    return ""


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Canonical zone -> ISO country code (zone.tab)."""
    found: dict[str, str] = {}
    for line in _tzdata_text("zone.tab").splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3:
                found.setdefault(parts[2].strip(), parts[0].strip())
    return found


@lru_cache(maxsize=1)
def canonical_zones() -> tuple[str, ...]:
    """The zones offered, sorted: zone.tab's that this machine knows, then UTC."""
    known = zoneinfo.available_timezones()
    return (*sorted(z for z in _countries() if z in known), "UTC")


@lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    """Link name -> target zone (the `L target link` lines of tzdata.zi)."""
    links: dict[str, str] = {}
    for line in _tzdata_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, name = line.split()[:3]
            links[name] = target
    return links


def canonical_zone(name: object) -> str:
    """The listed zone `name` is or links to ("Asia/Calcutta" -> "Asia/Kolkata"),
    else "" (unknown, or a zone no one lives by such as "Etc/GMT+5")."""
    if not isinstance(name, str):
        return ""
    name = name.strip()
    listed = set(canonical_zones())
    seen = set()
    while name and name not in listed and name not in seen:
        seen.add(name)
        if name in UTC_NAMES:
            return "UTC"
        name = _links().get(name, "")
    return name if name in listed else ""


def clean_zone(raw: object) -> str:
    """A chosen zone, as its canonical name; ValueError when it is not one of the list."""
    zone = canonical_zone(raw)
    if not zone:
        raise ValueError(BAD_ZONE)
    return zone


def utc_offset(zone: str, now: datetime | None = None) -> str:
    """"UTC+05:30", "UTC−03:00", "UTC" (the zone's offset at `now`)."""
    delta = (now or datetime.now(UTC)).astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta else 0
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_name(zone: str, lang: str) -> str:
    """A readable name in `lang`: "Kolkata, India", "Nueva York, Estados Unidos"."""
    if zone == "UTC":
        return "UTC"
    city, territories = formats.zone_city(zone, lang)
    country = territories.get(_countries().get(zone, ""), "")
    return f"{city}, {country}" if country else city


@lru_cache(maxsize=8)
def _choices(lang: str, hour: str) -> tuple[tuple[str, str], ...]:
    now = datetime.fromisoformat(hour)
    rows = [(zone, "UTC" if zone == "UTC" else f"{zone_name(zone, lang)} ({utc_offset(zone, now)})")
            for zone in canonical_zones()]
    return tuple(sorted(rows, key=lambda row: row[1].casefold()))


def zone_choices(lang: str, now: datetime | None = None) -> list[dict[str, str]]:
    """Every offered zone as {"value": IANA name, "label": readable name and the
    offset now}, sorted by label (offsets change with daylight saving: made hourly)."""
    hour = (now or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return [{"value": zone, "label": label} for zone, label in _choices(lang, hour.isoformat())]
