"""Issue 22's journey: staff build a two-module course (an uploaded video, a Markdown
lesson, a quiz, a second module dripped 7 days) and a paid offer granting it, all
in the console; a fresh client sees Courses in the app switcher only after buying
the offer in test mode, watches the video to the end, completes the text, fails
then passes the quiz and sees module 2 locked with its unlock time in their zone;
staff unlock everything for them, the client completes the course and earns the
certificate that /verify/<code> confirms signed out; a refund of the whole payment
takes Courses out of the client's switcher on their next action. The axe scan
runs on each new page as the journey passes through it."""

import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import Audit
from tests.e2e.conftest import BROWSER_ZONE
from tests.e2e.journeys import at, goto_settled, sign_in, sign_in_staff

# What the browser is served is the same in each mode; the payment path is the one
# the payments journeys run in both modes.
pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]

VIDEO = Path(__file__).parent / "media" / "lesson-4s.webm"
PRICE = "$25.00"


def look(audit: Audit, page, view: str) -> None:
    """The axe scan of a page the journey is on (and its screenshot with
    PORTAL_E2E_SCREENS=1)."""
    audit.scan(page, view)
    audit.shot(page, view)


def _lesson_dialog(staff, title: str):
    staff.get_by_role("button", name=f"Edit {title}", exact=True).click()
    dialog = staff.get_by_role("dialog")
    expect(dialog.get_by_label("Title")).to_have_value(title)
    return dialog


def _add_lesson(staff, module: str, title: str, kind: str):
    staff.get_by_role("button", name=f"Add a lesson to {module}").click()
    dialog = staff.get_by_role("dialog")
    dialog.get_by_label("Title").fill(title)
    dialog.get_by_label("Kind").select_option(kind)
    dialog.get_by_role("button", name="Add lesson").click()
    expect(dialog).to_be_hidden()
    expect(staff.get_by_role("button", name=f"Edit {title}", exact=True)).to_be_visible()


def _save_lesson(dialog):
    dialog.get_by_role("button", name="Save lesson").click()
    expect(dialog).to_be_hidden()


def build_course(staff, audit: Audit, course: str) -> tuple[str, str]:
    """Console → Courses: the course, its modules and lessons; returns the module
    titles."""
    one, two = "Getting started", "Going deeper"
    staff.get_by_role("navigation").get_by_role("link", name="Courses").click()
    staff.wait_for_url(at("/console/courses"))
    expect(staff.get_by_role("heading", name="Courses", level=1)).to_be_visible()
    look(audit, staff, "console courses list")
    staff.get_by_role("button", name="New course").click()
    dialog = staff.get_by_role("dialog")
    dialog.get_by_label("Title").fill(course)
    dialog.get_by_role("button", name="Create course").click()
    staff.wait_for_url(re.compile(r".*/console/course\?id=\d+$"))
    expect(staff.get_by_role("heading", name=course, level=1)).to_be_visible()

    for module in (one, two):
        staff.get_by_label("New module").fill(module)
        staff.get_by_role("button", name="Add module").click()
        expect(staff.get_by_role("heading", name=re.compile(f"Module \\d: {module}"))
               ).to_be_visible()

    # Module 2 unlocks 7 days after enrolling.
    staff.get_by_role("button", name=f"Edit {two}", exact=True).click()
    dialog = staff.get_by_role("dialog")
    dialog.get_by_label("Unlocks").select_option("days")
    dialog.get_by_label("Days after enrolling (1–365)").fill("7")
    dialog.get_by_role("button", name="Save module").click()
    expect(dialog).to_be_hidden()

    # The video: upload the file, then complete by watching half of it.
    _add_lesson(staff, one, "Welcome video", "video")
    dialog = _lesson_dialog(staff, "Welcome video")
    dialog.locator("input[type=file]").set_input_files(str(VIDEO))
    expect(dialog.get_by_text("lesson-4s.webm").first).to_be_visible()
    dialog.get_by_role("button", name="Upload").click()
    expect(dialog.get_by_role("link", name="lesson-4s.webm")).to_be_visible()
    expect(dialog.locator("video")).to_be_visible()
    look(audit, staff, "console course editor, lesson dialog open")
    dialog.get_by_label("Complete when").select_option("video")
    dialog.get_by_label("Share to watch (10–100 %)").fill("50")
    dialog.get_by_label("Published (students can see it)").check()
    _save_lesson(dialog)

    # The text: Markdown with raw HTML that must show as text.
    _add_lesson(staff, one, "Breathing basics", "text")
    dialog = _lesson_dialog(staff, "Breathing basics")
    dialog.get_by_label("Text (Markdown)").fill(
        "Breathe **slowly**.\n\nThis stays text: <b>raw</b>")
    dialog.get_by_label("Published (students can see it)").check()
    _save_lesson(dialog)

    # The quiz: two questions, pass mark 100 %.
    _add_lesson(staff, one, "Check yourself", "quiz")
    dialog = _lesson_dialog(staff, "Check yourself")
    dialog.get_by_role("button", name="Add question").click()
    dialog.get_by_label("Kind of question").select_option("single")
    dialog.get_by_label("Question", exact=True).fill("How many counts to breathe in?")
    dialog.get_by_label("Options, one per line").fill("Two\nFour")
    dialog.get_by_label("Right options (their numbers, like 1 or 1, 3)").fill("2")
    dialog.get_by_role("button", name="Save question").click()
    expect(dialog.get_by_text("1. How many counts to breathe in?")).to_be_visible()
    dialog.get_by_role("button", name="Add question").click()
    dialog.get_by_label("Kind of question").select_option("truefalse")
    dialog.get_by_label("Question", exact=True).fill("Breathing out slowly calms you.")
    dialog.get_by_label("The right answer").select_option("0")
    dialog.get_by_role("button", name="Save question").click()
    expect(dialog.get_by_text("2. Breathing out slowly calms you.")).to_be_visible()
    dialog.get_by_label("Pass mark (%)").fill("100")
    dialog.get_by_label("Published (students can see it)").check()
    _save_lesson(dialog)

    _add_lesson(staff, two, "Longer practice", "text")
    staff.get_by_role("button", name="Publish Longer practice").click()
    expect(staff.get_by_role("button", name="Unpublish Longer practice")).to_be_visible()

    staff.get_by_label("Status").select_option("published")
    staff.get_by_role("button", name="Save settings").click()
    expect(staff.get_by_text("Published", exact=True).first).to_be_visible()
    return one, two


def make_offer(staff, audit: Audit, course: str, offer: str) -> None:
    staff.get_by_role("navigation").get_by_role("link", name="Offers").click()
    staff.wait_for_url(at("/console/offers"))
    staff.get_by_role("button", name="New offer").click()
    staff.get_by_label("Name").fill(offer)
    staff.get_by_label("Price (empty or 0 = free)").fill("25.00")
    staff.get_by_label("Status").select_option("active")
    staff.get_by_role("group", name="Gives access to").get_by_label(course).check()
    staff.get_by_role("button", name="Save offer").click()
    row = staff.get_by_role("row").filter(has_text=offer)
    expect(row).to_contain_text(PRICE)
    expect(row).to_contain_text(course)
    look(audit, staff, "console offers")


def switcher_has_courses(page) -> bool:
    apps = page.get_by_role("button", name="Apps")
    if apps.count() == 0:
        return False
    apps.click()
    found = page.get_by_role("menuitem", name="Courses").count() > 0
    page.keyboard.press("Escape")
    return found


def test_staff_build_a_course_a_client_buys_completes_and_a_refund_ends_it(
        portal, browser, context):
    audit = Audit("axe-courses-hub", "desktop")
    tag = uuid.uuid4().hex[:5]
    course, offer = f"Calm Mind {tag}", f"Calm Mind course {tag}"
    name = f"Casey Course {tag}"
    email = portal.household(name)

    # 1. Staff: Courses on, the course, the paid offer.
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 800},
                                    timezone_id=BROWSER_ZONE)
    staff_ctx.set_default_timeout(20_000)
    staff = staff_ctx.new_page()
    sign_in_staff(staff, portal, portal.staff())
    goto_settled(staff, portal.url("/console/settings"))
    courses_on = staff.locator("#check-app_courses")
    if not courses_on.is_checked():
        courses_on.check()
        staff.get_by_role("button", name="Save apps").click()
        expect(courses_on).to_be_checked()
    build_course(staff, audit, course)
    course_url = staff.url
    make_offer(staff, audit, course, offer)

    # 2. The client: no Courses until the offer is bought.
    page = context.new_page()
    sign_in(page, portal, email)
    page.get_by_role("navigation").first.get_by_role("link", name="Offers").click()
    page.wait_for_url(at("/offers"))
    buy = page.get_by_role("button", name=f"Buy for {PRICE} — {offer}")
    expect(buy).to_be_visible()
    # The page's data came with the session check, which also made the switcher.
    assert not switcher_has_courses(page)
    look(audit, page, "client offers")
    buy.click()
    page.wait_for_url(at("/pay/test"))
    page.get_by_role("button", name=f"Pay {PRICE} (test card)").click()
    page.wait_for_url(re.compile(r".*/offers\?bought=\d+"))
    expect(page.get_by_role("status").filter(has_text=f"You now have {offer}")).to_be_visible()
    expect(page.get_by_role("button", name="Apps")).to_be_visible()
    page.get_by_role("button", name="Apps").click()
    page.get_by_role("menuitem", name="Courses").click()
    page.wait_for_url(at("/courses"))
    expect(page.get_by_role("heading", name=course)).to_be_visible()
    look(audit, page, "client courses list")

    # 3. Watch, read, fail then pass the quiz; module 2 waits 7 days.
    page.get_by_role("link", name=course).first.click()
    page.wait_for_url(re.compile(r".*/courses/course\?id=\d+$"))
    expect(page.get_by_role("link", name="Welcome video")).to_be_visible()
    look(audit, page, "client course outline")
    page.get_by_role("link", name="Welcome video").click()
    page.wait_for_url(re.compile(r".*/courses/lesson\?id=\d+$"))
    video = page.locator("video#lesson-player")
    expect(video).to_be_visible()
    look(audit, page, "client video lesson")
    # Muted, so the browser lets a script start it; at 2x, the fastest the player
    # believes; the player reports on "ended".
    video.evaluate("v => { v.muted = true; v.playbackRate = 2; return v.play(); }")
    expect(page.get_by_text("Complete", exact=True).first).to_be_visible(timeout=20_000)
    expect(page.get_by_text(re.compile(r"Watched \d+%"))).to_be_visible()

    page.get_by_role("link", name=re.compile("Next Breathing basics")).click()
    expect(page.get_by_role("heading", name="Breathing basics", level=1)).to_be_visible()
    lesson_text = page.locator(".lesson-text")
    expect(lesson_text).to_contain_text("This stays text: <b>raw</b>")
    expect(lesson_text.locator("strong")).to_have_text("slowly")
    expect(lesson_text.locator("b")).to_have_count(0)
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_text("Complete", exact=True).first).to_be_visible()

    page.get_by_role("link", name=re.compile("Next Check yourself")).click()
    expect(page.get_by_role("heading", name="Check yourself", level=1)).to_be_visible()
    look(audit, page, "client quiz")
    first = page.get_by_role("group", name="How many counts to breathe in?")
    second = page.get_by_role("group", name="Breathing out slowly calms you.")
    first.get_by_label("Two").check()
    second.get_by_label("True").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("status").filter(has_text="Not passed yet")).to_be_visible()
    page.get_by_role("button", name="Try again").click()
    first.get_by_label("Four").check()
    second.get_by_label("True").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("status").filter(has_text="Passed. Well done!")).to_be_visible()

    page.get_by_role("link", name=course).first.click()
    page.wait_for_url(re.compile(r".*/courses/course\?id=\d+$"))
    locked = page.get_by_role("main").locator("div").filter(
        has_text="Longer practice").filter(has_text="Locked").last
    unlock_day = datetime.now(ZoneInfo(BROWSER_ZONE)).date() + timedelta(days=7)
    expect(locked).to_contain_text(
        f"Opens {unlock_day:%A, %B} {unlock_day.day}, {unlock_day.year}")
    expect(locked).to_contain_text(f"({BROWSER_ZONE})")
    expect(page.get_by_role("link", name="Longer practice")).to_have_count(0)

    # 4. Staff unlock everything for the client; the client finishes the course.
    goto_settled(staff, course_url)
    staff.get_by_role("link", name="Students and progress").click()
    staff.wait_for_url(re.compile(r".*/console/course/progress\?id=\d+$"))
    look(audit, staff, "console course progress")
    staff.get_by_role("button", name=f"Unlock everything now for {name}").click()
    row = staff.get_by_role("row").filter(has_text=name)
    expect(row.get_by_text("Locked", exact=True)).to_have_count(0)
    expect(row.get_by_text("Unlocked", exact=True).first).to_be_visible()

    page.reload()
    page.get_by_role("link", name="Longer practice").click()
    expect(page.get_by_role("heading", name="Longer practice", level=1)).to_be_visible()
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_text("Complete", exact=True).first).to_be_visible()
    page.get_by_role("link", name=course).first.click()
    expect(page.get_by_role("heading", name="Your certificate")).to_be_visible()
    verify = page.get_by_role("link", name="Check it online").get_attribute("href")
    code = verify.rsplit("/", 1)[-1]

    signed_out = browser.new_context(timezone_id=BROWSER_ZONE)
    try:
        check = signed_out.new_page()
        check.goto(portal.url(f"/verify/{code}"))
        expect(check.get_by_text("This certificate is valid.")).to_be_visible()
        # (the factory numbers each record's name)
        expect(check.get_by_text(re.compile(f"^{name} \\d+$"))).to_be_visible()
        expect(check.get_by_text(course, exact=True)).to_be_visible()
        look(audit, check, "verify certificate")
    finally:
        signed_out.close()

    # 5. Staff refund the whole payment: Courses leaves the switcher at the next action.
    staff.get_by_role("navigation").get_by_role("link", name="Invoices").click()
    staff.wait_for_url(at("/console/invoices"))
    staff.get_by_placeholder("Client or number").fill(name)
    staff.get_by_placeholder("Client or number").press("Enter")
    staff.get_by_role("row").filter(has_text=name).first.get_by_role("link").first.click()
    staff.wait_for_url(re.compile(r".*/console/invoice\?id=\d+$"))
    staff.get_by_role("button", name=re.compile(r"^Refund ")).click()
    dialog = staff.get_by_role("dialog")
    expect(dialog.get_by_label("Amount (USD)")).to_have_value("25.00")
    expect(dialog.get_by_role("checkbox")).not_to_be_checked()
    dialog.get_by_role("button", name="Refund").click()
    expect(dialog).to_be_hidden()
    expect(staff.get_by_text("Refunded.")).to_be_visible()
    staff_ctx.close()

    # The open tab's next click is refused: to the dashboard, Courses gone from the
    # switcher (the demo's Referrals, open to every client, keeps the switcher there),
    # nothing to pay again.
    page.get_by_role("link", name="Longer practice").click()
    page.wait_for_url(at("/dashboard"))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert not switcher_has_courses(page)
    expect(page.get_by_text(re.compile("is ready to pay"))).to_have_count(0)
    audit.finish()
