"""The time zones offered on Profile: canonical IANA zones only, each once, named
in the reader's language with its offset; old aliases name their zone."""

from datetime import UTC, datetime

import pytest

from portal_app.services import timezones


def test_the_list_has_no_duplicates_and_no_aliases():
    zones = timezones.canonical_zones()
    assert len(zones) == len(set(zones))
    assert 350 < len(zones) < 480
    for alias in ("Asia/Calcutta", "Africa/Asmera", "Europe/Kiev", "Asia/Saigon",
                  "America/Indianapolis", "US/Eastern", "Etc/GMT+5", "Etc/UTC"):
        assert alias not in zones
    for zone in ("Asia/Kolkata", "Europe/Kyiv", "Asia/Ho_Chi_Minh",
                 "America/Indiana/Indianapolis", "America/New_York", "UTC"):
        assert zone in zones
    choices = timezones.zone_choices("en")
    assert [c["value"] for c in choices].count("America/Indiana/Indianapolis") == 1
    assert len({c["label"] for c in choices}) == len(choices)  # each reads differently


@pytest.mark.parametrize(("alias", "zone"), [
    ("Asia/Calcutta", "Asia/Kolkata"), ("Europe/Kiev", "Europe/Kyiv"),
    ("Asia/Saigon", "Asia/Ho_Chi_Minh"), ("America/Indianapolis", "America/Indiana/Indianapolis"),
    ("US/Eastern", "America/New_York"), ("Etc/UTC", "UTC"), ("Asia/Kolkata", "Asia/Kolkata"),
])
def test_an_alias_names_its_canonical_zone(alias, zone):
    assert timezones.canonical_zone(alias) == zone
    assert timezones.clean_zone(alias) == zone


@pytest.mark.parametrize("bad", ["Etc/GMT+5", "Mars/Base", "", None, 42, "../../etc/passwd"])
def test_anything_else_is_refused(bad):
    assert timezones.canonical_zone(bad) == ""
    with pytest.raises(ValueError):
        timezones.clean_zone(bad)


def test_offsets_follow_daylight_saving():
    winter, summer = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 7, 15, tzinfo=UTC)
    assert timezones.utc_offset("Asia/Kolkata", winter) == "UTC+05:30"
    assert timezones.utc_offset("America/New_York", winter) == "UTC−05:00"
    assert timezones.utc_offset("America/New_York", summer) == "UTC−04:00"
    assert timezones.utc_offset("UTC", summer) == "UTC"
    assert timezones.utc_offset("America/St_Johns", winter) == "UTC−03:30"


def test_labels_are_readable_in_each_language():
    when = datetime(2026, 1, 15, tzinfo=UTC)
    english = {c["value"]: c["label"] for c in timezones.zone_choices("en", when)}
    spanish = {c["value"]: c["label"] for c in timezones.zone_choices("es", when)}
    assert english["Asia/Kolkata"] == "Kolkata, India (UTC+05:30)"
    assert english["America/New_York"] == "New York, United States (UTC−05:00)"
    assert spanish["America/New_York"] == "Nueva York, Estados Unidos (UTC−05:00)"
    assert english["UTC"] == "UTC"
