"""Issue 21's availability journey: a staff member edits one weekday's hours with the
time inputs, saves, and sees the preview of bookable times change; an overlap is
refused beside its row and nothing is saved.

The day edited is the weekday two days from now on the business clock, never today:
today's last slot (11:45 PM) is gone in the day's last quarter hour, and the preview
covers the seven days from today, so a fixed "Tuesday" failed late on a Tuesday."""

import calendar
import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import goto_settled, sign_in_staff

pytestmark = pytest.mark.e2e
BUSINESS_ZONE = "America/New_York"  # the e2e business's zone


def _day_after_tomorrow() -> str:
    when = datetime.now(ZoneInfo(BUSINESS_ZONE)) + timedelta(days=2)
    return calendar.day_name[when.weekday()]


def _service_for(portal, email: str) -> str:
    """A 15-minute service (no notice) provided by the staff member with `email` only."""
    from sqlmodel import Session, select

    from models import Service, ServiceProvider, StaffUser
    from portal_app.db import make_engine

    name = f"Check-in {uuid.uuid4().hex[:6]}"
    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            staff = session.exec(select(StaffUser).where(StaffUser.email == email)).one()
            service = Service(name=name, duration_minutes=15, min_notice_minutes=0,
                              horizon_days=60)
            session.add(service)
            session.flush()
            session.add(ServiceProvider(service_id=service.id, staff_id=staff.id))
            session.commit()
    finally:
        engine.dispose()
    return name


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_staff_edits_a_day_with_time_inputs_and_the_preview_changes(portal, context):
    day = _day_after_tomorrow()
    creds = portal.staff(role="staff")
    service = _service_for(portal, creds["email"])
    page = context.new_page()
    sign_in_staff(page, portal, creds)
    goto_settled(page, portal.url("/console/availability"))
    expect(page.get_by_role("heading", name="Weekly hours")).to_be_visible()
    expect(page.get_by_label("Service", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Service", exact=True).locator("option:checked")).to_have_text(
        service)
    preview = page.get_by_role("region", name="Preview of bookable times")
    day_group = preview.get_by_role("group", name=re.compile("^" + day[:3]))
    expect(day_group).to_contain_text("No bookable times")

    # The day, the whole day (an end of 00:00 is midnight), with the time inputs.
    page.get_by_role("button", name=f"Add interval on {day}").click()
    start = page.get_by_label(f"{day} interval 1 start")
    end = page.get_by_label(f"{day} interval 1 end")
    expect(start).to_have_value("09:00")
    start.fill("00:00")
    end.fill("00:00")
    # The preview follows the draft before it is saved...
    unsaved = page.get_by_text("Showing the hours above, not saved yet.")
    expect(unsaved).to_be_visible()
    expect(day_group).to_contain_text("11:45\u202fPM")
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.get_by_text("Working hours saved.")).to_be_visible()
    # ...and shows the saved hours after the save, in the business zone, named.
    expect(unsaved).to_have_count(0)
    expect(day_group).to_contain_text("11:45\u202fPM")
    expect(day_group).not_to_contain_text("No bookable times")
    expect(page.get_by_text(re.compile(r"America/New_York \(E[SD]T\)")).first).to_be_visible()

    # A second interval inside the first: refused beside its row, nothing saved.
    page.get_by_role("button", name=f"Add interval on {day}").click()
    page.get_by_label(f"{day} interval 2 start").fill("10:00")
    page.get_by_label(f"{day} interval 2 end").fill("11:00")
    page.get_by_role("button", name="Save weekly hours").click()
    row = page.get_by_role("group", name=f"{day} interval 2")
    expect(row).to_contain_text("Overlaps 00:00–24:00 on the same day.")
    expect(page.get_by_role("group", name=f"{day} interval 1")).not_to_contain_text("Overlaps")
    expect(page.get_by_text("nothing was saved")).to_be_visible()
    page.reload()
    expect(page.get_by_label(f"{day} interval 1 start")).to_have_value("00:00")
    expect(page.get_by_label(f"{day} interval 2 start")).to_have_count(0)
