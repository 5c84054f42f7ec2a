"""The booking picker's steps (service → day and time → confirm) and what it says of a
service: "60 min · $80.00", and "Free" rather than nothing for a service without a price."""

from sqlmodel import select

from models import Booking
from state.bookings import BookingsState
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate


def test_the_picker_goes_step_by_step_and_back(engine, session):
    factories.business(session, timezone="UTC")
    token, _client = signed_in_client(session, "Pia Picker")
    staff = factories.staff(session)
    factories.working_hours(session, staff, *[(d, "09:00", "12:00") for d in range(7)])
    paid = factories.service(session, providers=[staff], name="Massage", duration_minutes=60,
                             price_minor=8000)
    factories.service(session, providers=[staff], name="Consultation", duration_minutes=30,
                      price_minor=0)
    session.commit()
    tab = new_tab(token)
    picker = substate(tab, BookingsState)
    call(tab, BookingsState, "load")
    details = {s["name"]: s["detail"] for s in picker.services}
    assert details["Massage"] == "60 min · $80.00"
    assert details["Consultation"] == "30 min · Free"

    call(tab, BookingsState, "start_booking")
    call(tab, BookingsState, "choose_service", str(paid.id))
    assert (picker.service_name, picker.service_detail) == ("Massage", "60 min · $80.00")
    keys = [d["key"] for d in picker.slot_days]
    assert len(keys) >= 2 and picker.chosen_day == keys[0]  # the first day with times
    assert all({"weekday", "date", "day", "slots"} <= d.keys() for d in picker.slot_days)
    call(tab, BookingsState, "choose_day", keys[1])
    assert picker.chosen_day == keys[1]
    call(tab, BookingsState, "choose_day", "not-a-day")
    assert picker.chosen_day == keys[1]

    slot = picker.slot_days[1]["slots"][0]
    call(tab, BookingsState, "choose_slot", slot["value"], slot["long"])
    assert picker.chosen_slot == slot["value"]
    call(tab, BookingsState, "step_back")  # confirm → times, the day kept
    assert (picker.chosen_slot, picker.service_id, picker.chosen_day) == ("", str(paid.id),
                                                                         keys[1])
    call(tab, BookingsState, "step_back")  # times → services
    assert (picker.service_id, picker.slot_days) == ("", [])

    call(tab, BookingsState, "choose_service", str(paid.id))
    call(tab, BookingsState, "shift_days", 1)  # a week later: its own first day
    assert picker.chosen_day == picker.slot_days[0]["key"] and picker.chosen_day > keys[-1]
    slot = picker.slot_days[0]["slots"][0]
    call(tab, BookingsState, "choose_slot", slot["value"], slot["long"])
    call(tab, BookingsState, "confirm")
    assert not picker.picker_open
    assert len(session.exec(select(Booking)).all()) == 1
