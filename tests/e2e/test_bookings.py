"""Issue 4's journeys: request → approval → confirmation with a valid .ics;
reschedule then cancel within the rules; no cancel inside the window. Issue 17: the
picker's steps on a phone (Confirm in sight right after choosing a time), and the
booking card's and quick actions' controls lined up."""

import re

import icalendar
import pytest
from playwright.sync_api import expect

from portal_app.i18n import formats
from tests.e2e.journeys import at, emails_to, goto_settled, sign_in, sign_in_staff

pytestmark = pytest.mark.e2e


def _signed_in_client(context, portal, name: str):
    email = portal.household(name)
    page = context.new_page()
    sign_in(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bookings").click()
    page.wait_for_url(at("/bookings"))
    return page, email


def _book(page, service: str, *, next_week: bool = False) -> str:
    page.get_by_role("button", name="Book an appointment").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name=re.compile(re.escape(service))).click()
    if next_week:  # beyond the 24-hour change window whatever the time of day
        _show_next_week(dialog)
    slot = dialog.get_by_role("button", name=re.compile(r"\d{1,2}:\d\d")).first
    chosen = slot.get_attribute("aria-label")
    slot.click()
    dialog.get_by_role("button", name="Confirm booking").click()
    return chosen


def _show_next_week(dialog) -> None:
    first_day = dialog.get_by_role("button", name=re.compile(r"\d{1,2}:\d\d")).first
    before = first_day.get_attribute("aria-label")
    dialog.get_by_role("button", name="Later").click()
    expect(first_day).not_to_have_attribute("aria-label", before)


def _ics_from(portal, email: str, subject_part: str) -> icalendar.Calendar:
    import time

    for _ in range(60):
        for msg in emails_to(portal.mail_dir, email):
            if subject_part in msg["Subject"]:
                for part in msg.iter_attachments():
                    if part.get_filename() == "booking.ics":
                        return icalendar.Calendar.from_ical(part.get_content())
        time.sleep(0.3)
    raise AssertionError(f"no '{subject_part}' email with an .ics to {email}")


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_request_approved_by_staff_arrives_confirmed_with_ics(portal, context, browser):
    page, email = _signed_in_client(context, portal, "Bea Booker")
    chosen = _book(page, "Initial consultation")
    expect(page.get_by_text("Request sent")).to_be_visible()
    card = page.get_by_role("main").locator(".rt-Card").filter(has_text="Initial consultation")
    expect(card.get_by_text("Pending approval")).to_be_visible()

    staff_ctx = browser.new_context()
    try:
        staff = staff_ctx.new_page()
        sign_in_staff(staff, portal, portal.staff())
        staff.get_by_role("link", name="Bookings").click()
        staff.get_by_role("tab", name="Pending requests").click()
        staff.get_by_role("button", name=re.compile(r"Approve Bea Booker")).first.click()
        expect(staff.get_by_text("Approved")).to_be_visible()
    finally:
        staff_ctx.close()

    page.reload()
    expect(card.get_by_text("Confirmed")).to_be_visible()
    cal = _ics_from(portal, email, "Booking confirmed")
    event = cal.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "America/New_York"
    assert "Initial consultation" in str(event.get("summary"))
    # The slot the client picked ("Monday, November 23, 2026, 9:00 AM EST (America/New_York)")
    # is the event's.
    assert formats.when_long(start, "America/New_York", "en") == chosen
    assert cal.walk("VTIMEZONE"), "the .ics carries its time zone"


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_client_reschedules_then_cancels(portal, context):
    page, _ = _signed_in_client(context, portal, "Rita Resched")
    first = _book(page, "Massage (60 min)", next_week=True)
    expect(page.get_by_text("Booked.")).to_be_visible()
    card = page.get_by_role("main").locator(".rt-Card").filter(has_text="Massage")
    expect(card.get_by_text(first.split(" (")[0])).to_be_visible()

    card.get_by_role("button", name="Reschedule").click()
    dialog = page.get_by_role("dialog")
    _show_next_week(dialog)
    later = dialog.get_by_role("button", name=re.compile(r"\d{1,2}:\d\d")).nth(3)
    new_time = later.get_attribute("aria-label")
    later.click()
    dialog.get_by_role("button", name="Move booking").click()
    expect(card.get_by_text(new_time.split(" (")[0])).to_be_visible()

    card.get_by_role("button", name="Cancel").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_text("Booking cancelled.")).to_be_visible()
    expect(page.get_by_text("You have no upcoming bookings.")).to_be_visible()
    page.get_by_role("tab", name="Past").click()
    expect(page.get_by_role("main").get_by_text("Cancelled")).to_be_visible()


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_booking_inside_the_window_offers_no_cancel(portal, context):
    email = portal.household("Wendy Window")
    portal.booking_soon(email, hours=2)
    page = context.new_page()
    sign_in(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    expect(page.get_by_text("Massage (60 min)")).to_be_visible()  # the dashboard card
    page.goto(portal.url("/bookings"))
    card = page.get_by_role("main").locator(".rt-Card").filter(has_text="Massage")
    expect(card.get_by_text("not possible within 24 hours")).to_be_visible()
    expect(card.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(card.get_by_role("button", name="Reschedule")).to_have_count(0)
    expect(card.get_by_role("link", name="Get in touch with us")).to_be_visible()


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_add_to_calendar_downloads_the_ics(portal, context):
    page, email = _signed_in_client(context, portal, "Cal Download")
    portal.booking_soon(email, hours=72)
    page.reload()
    card = page.get_by_role("main").locator(".rt-Card").filter(has_text="Massage")
    # "Add to calendar" on the line of Reschedule and Cancel, and as tall.
    boxes = [card.get_by_role("button", name="Reschedule").bounding_box(),
             card.get_by_role("button", name="Cancel").bounding_box(),
             card.get_by_role("link", name="Add to calendar").bounding_box()]
    assert len({round(b["y"]) for b in boxes}) == 1, boxes
    assert len({round(b["height"]) for b in boxes}) == 1, boxes
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to calendar").first.click()
    with open(info.value.path(), "rb") as handle:
        cal = icalendar.Calendar.from_ical(handle.read())
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")][0].startswith("Massage (60 min)")

    # The quick actions beside the page: every icon the same size ("Book an
    # appointment", the longest label, once squeezed its icon).
    panel = page.get_by_role("complementary", name="Quick actions")
    expect(panel.get_by_role("link")).not_to_have_count(0)
    sizes = [(round(b["width"]), round(b["height"])) for b in
             (icon.bounding_box() for icon in panel.locator("svg").all())]
    assert len(sizes) >= 2 and set(sizes) == {(16, 16)}, sizes


PHONE = {"width": 390, "height": 844}


@pytest.mark.ui_only
def test_phone_booking_shows_confirm_without_scrolling(portal, browser):
    """On a 390x844 phone: service, a day, its last time, and Confirm is on the screen
    at once, focused (the picker's confirm step), without scrolling to find it."""
    ctx = browser.new_context(viewport=PHONE, timezone_id="America/New_York",
                              is_mobile=True, has_touch=True)
    ctx.set_default_timeout(20_000)
    try:
        page = ctx.new_page()
        sign_in(page, portal, portal.household("Phil Phone"))
        page.wait_for_url(at("/dashboard"))
        goto_settled(page, portal.url("/bookings"))
        page.get_by_role("main").get_by_role("button", name="Book an appointment").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("button", name=re.compile("Massage")).click()
        days = dialog.get_by_role("group", name="Days").get_by_role("button")
        expect(days.first).to_have_attribute("aria-pressed", "true")
        days.nth(1).click()
        expect(days.nth(1)).to_have_attribute("aria-pressed", "true")
        times = dialog.get_by_role("button", name=re.compile(r"\d{1,2}:\d\d"))
        expect(times.first).to_be_visible()
        last = times.last  # the lowest time of the day: the worst case for a long list
        chosen = last.get_attribute("aria-label")
        last.click()

        confirm = dialog.get_by_role("button", name="Confirm booking")
        expect(confirm).to_be_visible()
        expect(confirm).to_be_focused()
        box = confirm.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        # Nothing (the floating "+", say) lies on top of it.
        center = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert confirm.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))",
                                list(center))
        expect(dialog.get_by_role("status")).to_contain_text(chosen.split(" (")[0])

        confirm.tap()
        expect(page.get_by_text("Booked.")).to_be_visible()
        card = page.get_by_role("main").locator(".rt-Card").filter(has_text="Massage")
        expect(card.get_by_text(chosen.split(" (")[0])).to_be_visible()
    finally:
        ctx.close()
