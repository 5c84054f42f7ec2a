"""Service definitions (validation, prices, providers) and staff availability."""

from datetime import date

import pytest
from sqlmodel import select

from models import AuditEvent, AvailabilityException, Business
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.scheduling import availability, services
from tests import factories


@pytest.fixture
def staff(session):
    factories.business(session, currency="USD")
    return factories.staff(session)


def _form(staff, **overrides):
    return {"name": "Consultation", "description": "First meeting", "duration_minutes": "60",
            "price": "80.00", "location": "Main St 1", "video_link": "", "needs_approval": "",
            "buffer_before_minutes": "0", "buffer_after_minutes": "15",
            "min_notice_minutes": "120", "horizon_days": "60", "change_window_hours": "24",
            "active": True, "provider_ids": [str(staff.id)], **overrides}


def _save(session, staff, service_id=None, **overrides):
    return services.save_service(session, staff_id=staff.id, service_id=service_id,
                                 form=_form(staff, **overrides))


def test_create_then_update_a_service(session, staff):
    svc = _save(session, staff)
    assert (svc.name, svc.price_minor, svc.currency, svc.buffer_after_minutes) == (
        "Consultation", 8000, "USD", 15)
    assert services.provider_ids(session, service_id=svc.id) == [staff.id]
    other = factories.staff(session)
    updated = _save(session, staff, svc.id, name="Intro call", price="12.5",
                    provider_ids=[other.id], needs_approval="on", active="")
    assert updated.id == svc.id and updated.price_minor == 1250 and updated.needs_approval
    assert not updated.active
    assert services.provider_ids(session, service_id=svc.id) == [other.id]
    assert services.list_services(session, active_only=True) == []
    assert [s.id for s in services.list_services(session, active_only=False)] == [svc.id]
    assert services.get_service(session, service_id=svc.id).name == "Intro call"
    with pytest.raises(NotFound):
        services.get_service(session, service_id=9999)
    assert len(session.exec(select(AuditEvent).where(
        AuditEvent.action == "service.saved")).all()) == 2


@pytest.mark.parametrize(("field", "value"), [
    ("name", ""), ("name", "x" * 121),
    ("duration_minutes", "0"), ("duration_minutes", "601"), ("duration_minutes", "62"),
    ("duration_minutes", "abc"),
    ("price", "-1"), ("price", "abc"), ("price", "1.234"), ("price", "NaN"), ("price", "1e3"),
    ("video_link", "http://meet.example"), ("video_link", "meet.example"),
    ("buffer_before_minutes", "245"), ("buffer_after_minutes", "7"),
    ("min_notice_minutes", "10081"), ("horizon_days", "0"), ("horizon_days", "366"),
    ("change_window_hours", "721"), ("provider_ids", []), ("provider_ids", ["999"]),
    ("provider_ids", ["x"]),
])
def test_invalid_fields_are_named(session, staff, field, value):
    with pytest.raises(ServiceError) as exc:
        _save(session, staff, **{field: value})
    assert exc.value.field == field


def test_inactive_staff_cannot_provide(session, staff):
    gone = factories.staff(session)
    gone.active = False
    session.add(gone)
    session.flush()
    with pytest.raises(ServiceError) as exc:
        _save(session, staff, provider_ids=[staff.id, gone.id])
    assert exc.value.field == "provider_ids"


def test_prices_use_the_currency_minor_unit(session, staff):
    assert services.parse_price("80.00", "USD") == 8000
    assert services.parse_price("0.1", "EUR") == 10
    assert services.parse_price("1500", "JPY") == 1500
    assert services.parse_price("1.500", "KWD") == 1500
    assert services.parse_price("", "USD") == 0
    with pytest.raises(ServiceError):
        services.parse_price("1500.5", "JPY")
    assert services.format_price(8000, "USD") == "80.00"
    assert services.format_price(1500, "JPY") == "1500"
    business = session.exec(select(Business)).first()
    business.currency = "JPY"
    session.add(business)
    session.flush()
    svc = _save(session, staff, price="1500")
    assert (svc.price_minor, svc.currency) == (1500, "JPY")
    with pytest.raises(ServiceError):
        _save(session, staff, price="1500.50")


def test_weekly_hours_round_trip_and_validation(session, staff):
    hours = [{"weekday": 0, "start": "09:00", "end": "12:00"},
             {"weekday": 0, "start": "13:00", "end": "17:30"},
             {"weekday": 4, "start": "10:00", "end": "24:00"}]
    availability.set_weekly_hours(session, staff_id_actor=staff.id, staff_id=staff.id,
                                  hours=hours)
    assert availability.weekly_hours(session, staff_id=staff.id) == hours
    availability.set_weekly_hours(session, staff_id_actor=staff.id, staff_id=staff.id,
                                  hours=hours[:1])
    assert availability.weekly_hours(session, staff_id=staff.id) == hours[:1]
    bad = [
        [{"weekday": 7, "start": "09:00", "end": "10:00"}],
        [{"weekday": 0, "start": "10:00", "end": "09:00"}],
        [{"weekday": 0, "start": "09:00", "end": "09:00"}],
        [{"weekday": 0, "start": "09:03", "end": "10:00"}],
        [{"weekday": 0, "start": "9am", "end": "10:00"}],
        [{"weekday": 0, "start": "09:00", "end": "11:00"},
         {"weekday": 0, "start": "10:30", "end": "12:00"}],
    ]
    for item in bad:
        with pytest.raises(ServiceError) as exc:
            availability.set_weekly_hours(session, staff_id_actor=staff.id, staff_id=staff.id,
                                          hours=item)
        assert exc.value.field == "hours"
    assert availability.weekly_hours(session, staff_id=staff.id) == hours[:1]
    # Adjacent intervals are allowed.
    availability.set_weekly_hours(session, staff_id_actor=staff.id, staff_id=staff.id, hours=[
        {"weekday": 1, "start": "09:00", "end": "10:00"},
        {"weekday": 1, "start": "10:00", "end": "11:00"}])


def test_exceptions_add_list_delete(session, staff):
    off = availability.add_exception(session, staff_id_actor=staff.id, staff_id=staff.id,
                                     day="2030-05-06", kind="off")
    assert (off.start_minute, off.end_minute) == (0, 1440)
    extra = availability.add_exception(session, staff_id_actor=staff.id, staff_id=staff.id,
                                       day="2030-05-08", kind="extra", start="18:00",
                                       end="20:00", note="late")
    assert (extra.start_minute, extra.end_minute) == (18 * 60, 20 * 60)
    listed = availability.list_exceptions(session, staff_id=staff.id, from_day=date(2030, 5, 7))
    assert [e.id for e in listed] == [extra.id]
    availability.delete_exception(session, exception_id=extra.id, staff_id_actor=staff.id)
    assert session.get(AvailabilityException, extra.id) is None
    with pytest.raises(NotFound):
        availability.delete_exception(session, exception_id=extra.id)
    for kwargs, field in [({"day": "2030-13-01", "kind": "off"}, "day"),
                          ({"day": "2030-05-06", "kind": "holiday"}, "kind"),
                          ({"day": "2030-05-06", "kind": "extra"}, "start"),
                          ({"day": "2030-05-06", "kind": "extra", "start": "10:00"}, "end"),
                          ({"day": "2030-05-06", "kind": "off", "start": "10:00",
                            "end": "09:00"}, "end")]:
        with pytest.raises(ServiceError) as exc:
            availability.add_exception(session, staff_id_actor=staff.id, staff_id=staff.id,
                                       **kwargs)
        assert exc.value.field == field


def test_active_staff_are_listed_by_name_without_the_inactive(session, staff):
    zoe = factories.staff(session, full_name="Zoe")
    factories.staff(session, full_name="Anna Gone", active=False)
    ana = factories.staff(session, full_name="Ana")
    assert [s.id for s in services.list_active_staff(session)] == [ana.id, staff.id, zoe.id]
