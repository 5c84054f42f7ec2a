"""The availability editor's handlers: the draft of interval rows, errors beside the
wrong row with nothing saved, a good save stored and previewed, exceptions."""

from datetime import UTC, datetime, timedelta

import pytest

import state.console_availability  # noqa: F401  (registers the state before the app does)
from portal_app.services.scheduling import availability
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_availability import AvailabilityState
from tests import factories
from tests.state.harness import call, new_tab, substate


@pytest.fixture
def editor(engine, session):
    factories.business(session, timezone="UTC")
    me = factories.staff(session, full_name="Ana Editor")
    other = factories.staff(session, full_name="Bo Other")
    factories.working_hours(session, other, (0, "09:00", "12:00"))
    service = factories.service(session, providers=[me, other], duration_minutes=60,
                                name="Consult")
    ticket = create_ticket(session, kind="staff", staff_id=me.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    root = new_tab(token)
    call(root, AvailabilityState, "load")
    return root, me, other, service


def _state(root) -> AvailabilityState:
    return substate(root, AvailabilityState)


def _times(state) -> int:
    return sum(len(d["times"]) for d in state.preview)


def test_load_shows_my_own_hours_and_a_week_of_preview(editor):
    root, me, other, service = editor
    s = _state(root)
    assert s.staff_id == str(me.id)  # the signed-in staff member first
    assert [o["name"] for o in s.staff_options] == ["Ana Editor", "Bo Other"]
    assert s.week == [[] for _ in range(7)]
    assert s.service_id == str(service.id)
    assert len(s.preview) == 7 and _times(s) == 0
    assert s.zone_label == "UTC (UTC)"


def test_a_bad_row_is_marked_beside_it_and_nothing_is_saved(editor, session):
    root, me, _other, _service = editor
    call(root, AvailabilityState, "add_interval", 1)
    call(root, AvailabilityState, "add_interval", 1)  # 17:00-18:00 after 09:00-17:00
    s = _state(root)
    first, second = s.week[1]
    assert (first["start"], first["end"], second["start"], second["end"]) == (
        "09:00", "17:00", "17:00", "18:00")
    # The second interval now starts inside the first: posted by the form's inputs.
    result = call(root, AvailabilityState, "save_hours",
                  {f"start-{first['key']}": "09:00", f"end-{first['key']}": "17:00",
                   f"start-{second['key']}": "16:00", f"end-{second['key']}": "18:00"})
    assert result is None
    s = _state(root)
    assert s.week[1][0]["error"] == ""
    assert s.week[1][1]["error"] == "Overlaps 09:00–17:00 on the same day."
    assert "nothing was saved" in s.hours_error
    session.expire_all()
    assert availability.weekly_hours(session, staff_id=me.id) == []


def test_a_good_save_stores_the_hours_and_the_preview_changes(editor, session):
    root, me, _other, _service = editor
    call(root, AvailabilityState, "add_interval", 1)
    s = _state(root)
    key = s.week[1][0]["key"]
    call(root, AvailabilityState, "set_time", key, "start", "10:00")
    call(root, AvailabilityState, "set_time", key, "end", "12:00")
    s = _state(root)
    assert s.hours_dirty and "not saved" in s.preview_note
    # The draft's preview: Tuesday 10:00 to 11:00 by quarter hours (fewer when today is
    # the Tuesday and some have passed).
    drafted = _times(s)
    tuesday_today = datetime.now(UTC).weekday() == 1
    assert drafted <= 5 if tuesday_today else drafted == 5
    assert availability.weekly_hours(session, staff_id=me.id) == []  # a draft only

    toast = call(root, AvailabilityState, "save_hours",
                 {f"start-{key}": "10:00", f"end-{key}": "12:00"})
    assert toast is not None
    session.expire_all()
    assert availability.weekly_hours(session, staff_id=me.id) == [
        {"weekday": 1, "start": "10:00", "end": "12:00"}]
    s = _state(root)
    assert not s.hours_dirty and s.preview_note == "" and s.hours_error == ""
    assert _times(s) == drafted


def test_the_draft_preview_follows_each_change_and_waits_for_valid_rows(editor):
    root, _me, _other, _service = editor
    call(root, AvailabilityState, "add_interval", 0)  # Monday 09:00-17:00
    call(root, AvailabilityState, "copy_monday")
    s = _state(root)
    assert [len(d) for d in s.week] == [1, 1, 1, 1, 1, 0, 0]
    assert len({r["key"] for d in s.week for r in d}) == 5  # new rows, new inputs
    full = _times(s)
    assert full >= 4 * 29  # at least four weekdays of 09:00-16:00 starts ahead
    key = s.week[2][0]["key"]
    call(root, AvailabilityState, "set_time", key, "end", "08:00")
    s = _state(root)
    assert s.week[2][0]["error"].startswith("The end must be after the start")
    assert s.preview_note == "Fix the marked intervals to update the preview."
    assert _times(s) == full  # the last good preview stays
    call(root, AvailabilityState, "remove_interval", key)
    s = _state(root)
    assert s.week[2] == [] and s.preview_note.startswith("Showing")
    [wednesday] = [d for d in s.preview if d["heading"].startswith("Wed")]
    assert wednesday["times"] == []


def test_any_staff_member_may_edit_another_ones_hours(editor, session):
    root, _me, other, _service = editor
    call(root, AvailabilityState, "pick_staff", str(other.id))
    s = _state(root)
    assert [(r["start"], r["end"]) for r in s.week[0]] == [("09:00", "12:00")]
    key = s.week[0][0]["key"]
    call(root, AvailabilityState, "save_hours", {f"start-{key}": "08:00",
                                                  f"end-{key}": "00:00"})
    session.expire_all()
    assert availability.weekly_hours(session, staff_id=other.id) == [
        {"weekday": 0, "start": "08:00", "end": "24:00"}]
    assert _state(root).week[0][0]["end"] == "00:00"  # midnight as a time input shows it


def test_exceptions_are_added_listed_with_zone_times_and_removed(editor, session):
    root, me, _other, _service = editor
    day = (datetime.now(UTC) + timedelta(days=3)).date()
    call(root, AvailabilityState, "set_exception_kind", "extra")
    call(root, AvailabilityState, "add_exception",
         {"day": day.isoformat(), "kind": "extra", "start": "18:00", "end": "17:00"})
    s = _state(root)
    assert s.exception_errors == {"end": "The end time must be after the start time."}
    assert s.exceptions == []
    call(root, AvailabilityState, "add_exception",
         {"day": day.isoformat(), "kind": "extra", "start": "18:00", "end": "20:00"})
    s = _state(root)
    assert s.exception_errors == {}
    [row] = s.exceptions
    assert (row["kind"], row["times"]) == ("Extra hours", "6:00\u202fPM UTC – 8:00\u202fPM UTC")
    assert _times(s) >= 2  # 18:00 and 18:15 ... 19:00 bookable that day
    call(root, AvailabilityState, "remove_exception", row["id"])
    assert _state(root).exceptions == []
    session.expire_all()
    assert availability.list_exceptions(session, staff_id=me.id, from_day=day) == []
