"""The availability editor's rules: a week of interval rows checked row by row, an
exception checked field by field, and the preview of draft hours by the clients'
slot service."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models import WorkingHours
from portal_app.services.errors import ServiceError
from portal_app.services.scheduling import availability, slots
from tests import factories
from tests.unit.helpers import NOW, count

MONDAY = date(2030, 5, 6)  # NOW is Wednesday 2030-05-01 09:00 UTC


def _rows(*items):
    return [{"weekday": d, "start": s, "end": e} for d, s, e in items]


def test_a_valid_week_gives_its_intervals_in_local_minutes():
    check = availability.check_week(_rows((1, "13:00", "17:00"), (1, "09:00", "12:00"),
                                          (4, "10:00", "10:30")))
    assert check.errors == {}
    assert check.intervals == [(1, 540, 720), (1, 780, 1020), (4, 600, 630)]


def test_an_empty_week_or_day_is_valid_and_means_days_off():
    assert availability.check_week([]) == availability.WeekCheck([], {})
    assert availability.check_week(_rows((2, "09:00", "17:00"))).intervals == [(2, 540, 1020)]


def test_overlap_is_marked_on_the_row_that_starts_inside_another():
    check = availability.check_week(_rows((1, "09:00", "12:00"), (0, "09:00", "17:00"),
                                          (1, "11:30", "13:00"), (1, "12:00", "14:00")))
    # Row 2 starts inside row 0 (same day). Row 3 only touches row 0 (row 2, refused,
    # does not count), so it is fine.
    assert list(check.errors) == [2]
    assert check.errors[2] == "Overlaps 09:00–12:00 on the same day."
    assert check.intervals == []  # nothing is usable while any row is wrong
    # The same start twice: the later row is the one marked.
    twice = availability.check_week(_rows((3, "10:00", "11:00"), (3, "10:00", "12:00")))
    assert list(twice.errors) == [1]
    # Touching intervals do not overlap; other days do not count.
    ok = availability.check_week(_rows((1, "09:00", "10:00"), (1, "10:00", "11:00"),
                                       (2, "09:30", "10:30")))
    assert ok.errors == {}


def test_end_before_or_at_start_is_refused_beside_its_row():
    check = availability.check_week(_rows((0, "09:00", "10:00"), (0, "12:00", "11:00"),
                                          (0, "13:00", "13:00")))
    assert set(check.errors) == {1, 2}
    assert check.errors[1].startswith("The end must be after the start")


def test_off_grid_missing_and_malformed_times_are_refused():
    check = availability.check_week([
        {"weekday": 0, "start": "09:03", "end": "10:00"},
        {"weekday": 0, "start": "", "end": "10:00"},
        {"weekday": 0, "start": "11:00", "end": ""},
        {"weekday": 0, "start": "9am", "end": "10:00"},
        {"weekday": 9, "start": "09:00", "end": "10:00"},
        {"weekday": 1, "start": "09:00:00", "end": "10:00:00"},  # a time input's long form
    ])
    assert check.errors == {0: "Use times in steps of 5 minutes.", 1: "Enter a start time.",
                            2: "Enter an end time.", 3: "Enter a time such as 09:00.",
                            4: "Choose a day of the week."}


def test_midnight_ends_the_day_and_24_00_is_no_start():
    check = availability.check_week(_rows((5, "22:00", "00:00"), (6, "23:55", "24:00"),
                                          (0, "00:00", "00:00")))
    assert check.errors == {}
    assert check.intervals == [(0, 0, 1440), (5, 1320, 1440), (6, 1435, 1440)]
    bad = availability.check_week(_rows((0, "24:00", "24:00"), (1, "23:00", "24:05")))
    assert set(bad.errors) == {0, 1}


def test_saving_a_week_with_one_bad_row_saves_nothing(session):
    factories.business(session)
    staff = factories.staff(session)
    factories.working_hours(session, staff, (0, "09:00", "17:00"))
    with pytest.raises(availability.HoursInvalid) as exc:
        availability.set_weekly_hours(session, staff_id_actor=staff.id, staff_id=staff.id,
                                      hours=_rows((1, "09:00", "12:00"), (1, "11:00", "13:00")))
    assert exc.value.field == "hours" and list(exc.value.row_errors) == [1]
    assert availability.weekly_hours(session, staff_id=staff.id) == [
        {"weekday": 0, "start": "09:00", "end": "17:00"}]
    assert count(session, WorkingHours) == 1


def test_an_exception_is_checked_field_by_field():
    ok = availability.check_exception(day="2030-05-07", kind="extra", start="18:00",
                                      end="00:00", note="  late   shift ")
    assert (ok.start, ok.end, ok.note) == (1080, 1440, "late shift")
    whole = availability.check_exception(day="2030-05-07", kind="off", all_day=True,
                                         start="10:00", end="11:00")
    assert (whole.start, whole.end) == (0, 1440)
    for kwargs, field in [
        ({"day": "", "kind": "off"}, "day"),
        ({"day": "2030-05-07", "kind": "nap"}, "kind"),
        ({"day": "2030-05-07", "kind": "extra", "all_day": True}, "all_day"),
        ({"day": "2030-05-07", "kind": "off", "all_day": False}, "start"),
        ({"day": "2030-05-07", "kind": "extra", "start": "10:00"}, "end"),
        ({"day": "2030-05-07", "kind": "extra", "start": "10:02", "end": "11:00"}, "start"),
        ({"day": "2030-05-07", "kind": "off", "start": "11:00", "end": "10:00"}, "end"),
        ({"day": "2030-05-07", "kind": "off", "note": "x" * 201}, "note"),
    ]:
        with pytest.raises(ServiceError) as exc:
            availability.check_exception(**kwargs)
        assert exc.value.field == field, kwargs


def test_exception_times_the_clocks_skip_are_refused_on_a_dst_day():
    # New York springs forward at 02:00 on 2030-03-10: 02:00-02:59 do not exist.
    gap = {"day": "2030-03-10", "kind": "extra", "zone": "America/New_York"}
    with pytest.raises(ServiceError) as exc:
        availability.check_exception(start="02:00", end="03:00", **gap)
    assert exc.value.field == "start"
    assert availability.check_exception(start="01:00", end="04:00", **gap).end == 240
    # The same times a day later exist.
    assert availability.check_exception(**{**gap, "day": "2030-03-11"}, start="02:00",
                                         end="03:00").start == 120


@pytest.fixture
def shop(session):
    factories.business(session, timezone="UTC")
    staff = factories.staff(session)
    factories.working_hours(session, staff, (0, "09:00", "11:00"))
    service = factories.service(session, providers=[staff], duration_minutes=60)
    return staff, service


def _hours(moments, tz="UTC"):
    return [m.astimezone(ZoneInfo(tz)).strftime("%a %H:%M") for m in moments]


def test_the_preview_of_draft_hours_saves_nothing_and_matches_the_saved_result(session, shop):
    staff, service = shop
    saved = availability.preview_slots(session, staff_id=staff.id, service_id=service.id,
                                       now=NOW, start_day=MONDAY)
    assert _hours(saved) == ["Mon 09:00", "Mon 09:15", "Mon 09:30", "Mon 09:45", "Mon 10:00"]
    draft = availability.check_week(_rows((1, "14:00", "15:30"))).intervals
    previewed = availability.preview_slots(session, staff_id=staff.id, service_id=service.id,
                                           now=NOW, start_day=MONDAY, draft=draft)
    assert _hours(previewed) == ["Tue 14:00", "Tue 14:15", "Tue 14:30"]
    assert availability.weekly_hours(session, staff_id=staff.id)[0]["weekday"] == 0  # unsaved
    availability.set_weekly_hours(session, staff_id_actor=staff.id, staff_id=staff.id,
                                  hours=_rows((1, "14:00", "15:30")))
    assert availability.preview_slots(session, staff_id=staff.id, service_id=service.id,
                                      now=NOW, start_day=MONDAY) == previewed


def test_the_preview_is_one_staff_members_and_keeps_the_clients_rules(session, shop):
    staff, service = shop
    other = factories.staff(session)
    factories.working_hours(session, other, (2, "09:00", "10:00"))
    both = factories.service(session, providers=[staff, other], duration_minutes=60,
                             min_notice_minutes=0)
    mine = availability.preview_slots(session, staff_id=staff.id, service_id=both.id,
                                      now=NOW, start_day=MONDAY, days=7)
    assert {m.strftime("%a") for m in mine} == {"Mon"}
    # Exceptions and notice still apply to a draft: Monday off, and the draft's
    # Wednesday hours before now + notice are not offered.
    availability.add_exception(session, staff_id_actor=staff.id, staff_id=staff.id,
                               day=MONDAY.isoformat(), kind="off")
    draft = availability.check_week(_rows((0, "09:00", "11:00"))).intervals
    assert availability.preview_slots(session, staff_id=staff.id, service_id=both.id,
                                      now=NOW, start_day=MONDAY, days=1, draft=draft) == []
    draft = availability.check_week(_rows((2, "08:00", "11:00"))).intervals
    wednesday = availability.preview_slots(session, staff_id=staff.id, service_id=both.id,
                                           now=NOW, start_day=NOW.date(), days=1, draft=draft)
    assert _hours(wednesday)[0] == "Wed 09:00"  # NOW is 09:00


def test_the_preview_of_a_dst_day_skips_the_hour_the_clocks_skip(session):
    factories.business(session, timezone="America/New_York")
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], duration_minutes=60)
    sunday = date(2030, 3, 10)  # clocks go 02:00 -> 03:00
    draft = availability.check_week(_rows((6, "00:00", "05:00"))).intervals
    now = datetime(2030, 3, 1, tzinfo=UTC)
    got = availability.preview_slots(session, staff_id=staff.id, service_id=service.id,
                                     now=now, start_day=sunday, days=1, draft=draft)
    local = _hours(got, "America/New_York")
    assert not any(h.startswith("Sun 02:") for h in local)
    assert local[0] == "Sun 00:00" and local[-1] == "Sun 04:00"
    # Real-time lengths stay right across the change: 01:45 EST + 60 min = 03:45 EDT.
    assert "Sun 01:45" in local
    assert got == [s.start_at for s in slots.free_slots(
        session, service_id=service.id, now=now, start_day=sunday, days=1, staff_id=staff.id,
        draft_hours=draft)]
    assert all(b - a >= timedelta(minutes=15) for a, b in zip(got, got[1:], strict=False))
