"""The foundation's "done when" journey, and the session rules, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.e2e.hydration import unguard
from tests.e2e.journeys import (
    at,
    page_load_settled,
    read_code,
    request_code,
    sign_in,
    sign_in_with_code,
)

pytestmark = pytest.mark.e2e

DEMO = "client@demo.test"


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_demo_client_signs_in_switches_household_and_logs_out(portal, context):
    page = context.new_page()
    sign_in_with_code(page, portal, DEMO)

    # Two records share the email: the picker comes first.
    page.wait_for_url(at("/select-account"))
    page.get_by_role("button", name="You as a client").click()
    page.wait_for_url(at("/dashboard"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("main").get_by_text("You as a client")).to_be_visible()
    # The next step's frame (painted first) has taken the step when the data arrived.
    step = page.get_by_role("region", name="Next step")
    expect(step).to_have_attribute("aria-busy", "false")
    expect(step.get_by_role("heading", name="Checking what needs your attention…")).to_have_count(0)

    # The session cookie is HttpOnly: JavaScript sees only the language choice.
    assert page.evaluate("document.cookie") == "portal_lang=en"
    cookie = next(c for c in context.cookies() if c["name"] == "portal_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    # Switch to the other household record from the header.
    page.get_by_role("combobox", name="Switch account").click()
    page.get_by_role("option", name="Jamie Client").click()
    expect(page.get_by_role("main").get_by_text("Jamie Client")).to_be_visible()
    page.reload()
    expect(page.get_by_role("main").get_by_text("Jamie Client")).to_be_visible()

    # Logout from the hamburger menu revokes the session.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name="Logout").click()
    page.wait_for_url(at("/login"))
    page.goto(portal.url("/dashboard"))
    page.wait_for_url(at("/login"))
    assert not [c for c in context.cookies() if c["name"] == "portal_session"]


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_unknown_email_gets_the_same_answer(portal, context):
    page = context.new_page()
    request_code(page, portal, "nobody-here@example.test")
    unknown = page.get_by_role("status").inner_text()
    other = context.browser.new_context()
    try:
        known_page = other.new_page()
        request_code(known_page, portal, DEMO)
        assert known_page.get_by_role("status").inner_text() == unknown
    finally:
        other.close()


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_wrong_code_is_refused_with_a_message(portal, context):
    page = context.new_page()
    request_code(page, portal, DEMO)
    real = read_code(context, portal, DEMO)
    wrong = f"{(int(real) + 1) % 1_000_000:06d}"
    page.get_by_label("6-digit code").fill(wrong)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    assert page.url.rstrip("/").endswith("/login")


def test_sign_out_everywhere_ends_other_tabs_on_their_next_event(portal, context, browser):
    email = portal.household("Robin")
    first = context.new_page()
    sign_in_with_code(first, portal, email)
    first.wait_for_url(at("/dashboard"))

    other_device = browser.new_context()
    try:
        second = other_device.new_page()
        # The code round trip is walked once (the first device); this one takes the
        # shortcut to the same kind of session.
        sign_in(second, portal, email)
        second.goto(portal.url("/account"))
        second.get_by_role("button", name="Sign out of all devices").click()
        second.wait_for_url(at("/login"))
    finally:
        other_device.close()

    # The first device's open page is refused on its very next event.
    first.get_by_role("navigation", name="Main").get_by_role("link", name="Bookings").click()
    first.wait_for_url(at("/login"))


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_client_sets_a_password_and_signs_in_with_it(portal, context):
    email = portal.household("Sasha")
    page = context.new_page()
    sign_in_with_code(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    page.goto(portal.url("/account"))
    password = "a long demo password 123"
    expect(page.get_by_role("heading", name="Set a password")).to_be_visible()
    page.get_by_label("New password").fill(password)
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_text("Password saved")).to_be_visible()

    with page_load_settled(page):
        page.get_by_role("button", name="Logout").click()
        page.wait_for_url(at("/login"))
    page.get_by_role("button", name="Sign in with a password").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/dashboard"))
    expect(page.get_by_role("main").get_by_text("Sasha").first).to_be_visible()


@pytest.mark.ui_only
def test_sign_in_page_paints_the_branding_before_any_script(portal, browser):
    """The business's name, contact line and "Create an account" are in the page as
    served, so the first paint has them: checked with JavaScript off (no websocket,
    no hydration), and at DOMContentLoaded with it on."""
    for scripts in (False, True):
        ctx = browser.new_context(java_script_enabled=scripts)
        try:
            page = ctx.new_page()
            unguard(page)  # the page as painted, before it is live
            page.goto(portal.url("/login"), wait_until="domcontentloaded")
            expect(page.get_by_text("Harbor Wellness Studio")).to_be_visible(timeout=1_000)
            expect(page.get_by_text("hello@harborwellness.test")).to_be_visible(timeout=1_000)
            expect(page.get_by_role("link", name="Create an account")).to_be_visible(
                timeout=1_000)
        finally:
            ctx.close()
