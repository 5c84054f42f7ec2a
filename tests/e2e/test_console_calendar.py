"""Issue 21's calendar journey, at tablet width: a staff member opens the week view,
books a client by clicking an empty time, adds a client who is not on file yet from
the same dialog (a refusal said beside its field first) and books them, moves another
booking by picking the new time in the calendar, and is refused (with the reason)
when the new time is taken.

The dates are in a fixed future week (June 2030), not "now": no time-of-day
flakiness, and staff bookings are not held to notice or horizon."""

import re
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import goto_settled, sign_in_staff

pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]

MONDAY = date(2030, 6, 3)


def _world(portal, email: str) -> dict:
    """The staff member's hours (Mon–Fri 09:00–17:00), a service of theirs, three
    clients, and two bookings on Tuesday: Ben 10:00–11:00, Cy 14:00–15:00."""
    from sqlmodel import Session, select

    from models import Booking, Business, Client, Service, ServiceProvider, StaffUser
    from portal_app.db import make_engine
    from tests import factories

    tag = uuid.uuid4().hex[:6]
    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            zone = ZoneInfo(session.exec(select(Business)).first().timezone or "UTC")
            staff = session.exec(select(StaffUser).where(StaffUser.email == email)).one()
            staff.full_name = f"Cal Staff {tag}"
            session.add(staff)
            factories.working_hours(session, staff, *[(d, "09:00", "17:00") for d in range(5)])
            service = Service(name=f"Session {tag}", duration_minutes=60, min_notice_minutes=0,
                              horizon_days=3650)
            session.add(service)
            session.flush()
            session.add(ServiceProvider(service_id=service.id, staff_id=staff.id))
            names = {}
            for key in ("ana", "ben", "cy"):
                client = Client(full_name=f"{key.title()} Cal{tag}",
                                email=f"{key}-{tag}@example.test")
                session.add(client)
                session.flush()
                names[key] = client
            tuesday = MONDAY + timedelta(days=1)
            ids = {}
            for key, hour in (("ben", 10), ("cy", 14)):
                start = datetime.combine(tuesday, time(hour), tzinfo=zone)
                booking = Booking(client_id=names[key].id, service_id=service.id,
                                  staff_id=staff.id, start_at=start,
                                  end_at=start + timedelta(hours=1), status="confirmed",
                                  created_by="staff")
                session.add(booking)
                session.flush()
                ids[key] = booking.id
            # The lock rows the booking rules read: made the way the services make them.
            from models import BookingLock
            from portal_app.services.scheduling.slots import blocked_units

            for key in ("ben", "cy"):
                b = session.get(Booking, ids[key])
                for unit in blocked_units(service, b.start_at):
                    session.add(BookingLock(booking_id=b.id, staff_id=staff.id, unit_start=unit))
            session.commit()
            return {"tag": tag, "staff_id": str(staff.id), "zone": zone,
                    "ana": names["ana"].full_name, "ben": names["ben"].full_name,
                    "cy": names["cy"].full_name, "cy_id": ids["cy"], "service": service.name}
    finally:
        engine.dispose()


def _start_of(portal, booking_id: int, zone: ZoneInfo) -> datetime:
    from sqlmodel import Session

    from models import Booking
    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return session.get(Booking, booking_id).start_at.astimezone(zone)
    finally:
        engine.dispose()


def _new_client(portal, full_name: str) -> list[tuple[str, str, int]]:
    """(portal access, email, bookings) of each client named `full_name`."""
    from sqlmodel import Session, select

    from models import Booking, Client
    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return [(c.portal_access, c.email, len(session.exec(select(Booking.id).where(
                Booking.client_id == c.id)).all()))
                for c in session.exec(select(Client).where(Client.full_name == full_name))]
    finally:
        engine.dispose()


def _cell(page, day: str, clock: str):
    """The empty-time button of `day` ("Tue") at `clock` ("10:30 AM")."""
    return page.locator(".cal-cell").and_(page.get_by_role(
        "button", name=re.compile(rf"^{day}\w*, June \d+, {clock}$")))


def test_staff_books_by_clicking_a_time_and_moves_a_booking_in_the_calendar(portal, context):
    creds = portal.staff(role="staff")
    w = _world(portal, creds["email"])
    page = context.new_page()
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
    sign_in_staff(page, portal, creds)
    goto_settled(page, portal.url(f"/console/calendar?view=week&date={MONDAY.isoformat()}"))
    expect(page.get_by_role("heading", name="Calendar", level=1)).to_be_visible()
    page.get_by_label("Staff").select_option(w["staff_id"])
    grid = page.get_by_role("group", name=re.compile("^Calendar: "))
    expect(grid.get_by_role("button", name=re.compile(re.escape(w["ben"])))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Times in \S+"))).to_be_visible()
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the week view scrolls sideways on a tablet: {width}"

    # New booking: click Monday 10:00, find Ana, pick the service, book.
    _cell(page, "Mon", r"10:00\sAM").click()
    dialog = page.get_by_role("dialog", name="New booking")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Client").fill(w["ana"])
    dialog.get_by_role("button", name=re.compile(re.escape(w["ana"]))).click()
    expect(dialog.get_by_text(w["ana"], exact=True)).to_be_visible()
    dialog.get_by_label("Service").select_option(label=f"{w['service']} (60 min)")
    dialog.get_by_role("button", name="Book").click()
    expect(dialog).to_be_hidden()
    expect(grid.get_by_role("button", name=re.compile(re.escape(w["ana"])))).to_be_visible()

    # A client not on file: "New client" in the dialog, the name typed in the search
    # carried over. Invited without Email OK: refused beside the box, nobody added.
    portal.set_activation("manual")  # the invite box starts ticked
    dee = f"Dee Cal{w['tag']}"
    _cell(page, "Thu", r"11:00\sAM").click()
    expect(dialog).to_be_visible()
    dialog.get_by_label("Client").fill(dee)
    dialog.get_by_role("button", name="New client").click()
    new_client = dialog.get_by_role("form", name="New client")
    expect(new_client.get_by_label("Full name")).to_have_value(dee)
    new_client.get_by_label("Email", exact=True).fill(f"dee-{w['tag']}@example.test")
    expect(new_client.get_by_label("Invite to the client portal now")).to_be_checked()
    new_client.get_by_label("Email OK: the client agrees to get email from us").uncheck()
    new_client.get_by_role("button", name="Create client").click()
    expect(new_client.get_by_role("alert")).to_contain_text("Email OK is off")
    assert _new_client(portal, dee) == []
    new_client.get_by_label("Email OK: the client agrees to get email from us").check()
    new_client.get_by_role("button", name="Create client").click()
    expect(new_client).to_be_hidden()
    expect(dialog.get_by_text(dee, exact=True)).to_be_visible()  # picked for the booking
    dialog.get_by_label("Service").select_option(label=f"{w['service']} (60 min)")
    dialog.get_by_role("button", name="Book").click()
    expect(dialog).to_be_hidden()
    expect(grid.get_by_role("button", name=re.compile(re.escape(dee)))).to_be_visible()
    assert _new_client(portal, dee) == [("invited", f"dee-{w['tag']}@example.test", 1)]

    # Move Cy: open the booking, "Move", then click the new time in the calendar.
    grid.get_by_role("button", name=re.compile(re.escape(w["cy"]))).click()
    details = page.get_by_role("dialog", name=w["cy"])
    details.get_by_role("button", name="Move").click()
    expect(page.get_by_text(re.compile("Pick the new time in the calendar"))).to_be_visible()

    # Onto Ben's time: refused, with the reason, and the confirm button stays off.
    _cell(page, "Tue", r"10:30\sAM").click()
    propose = page.get_by_role("dialog", name="Move booking")
    expect(propose.get_by_role("alert")).to_contain_text(f"Overlaps {w['ben']}'s")
    expect(propose.get_by_role("button", name="Confirm move")).to_be_disabled()
    propose.get_by_role("button", name="Pick another time").click()

    # A free time on Wednesday: confirmed, and the booking is there.
    _cell(page, "Wed", r"3:00\sPM").click()
    expect(propose.get_by_role("alert")).to_have_count(0)
    propose.get_by_role("button", name="Confirm move").click()
    expect(propose).to_be_hidden()
    moved = grid.get_by_role("button", name=re.compile(re.escape(w["cy"])))
    expect(moved).to_have_attribute("aria-label", re.compile(r"3:00\sPM"))
    start = _start_of(portal, w["cy_id"], w["zone"])
    assert (start.date(), start.hour) == (MONDAY + timedelta(days=2), 15)
