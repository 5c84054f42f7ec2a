"""Issue 7's accessibility and phone checks, on every client page and the main
console pages, with data on them (a household of two records with bookings,
invoices, a receipt, a shared document and a conversation):

- axe-core (WCAG 2.0/2.1 A and AA rules) finds nothing serious or critical,
  the open dialogs and popovers included;
- at 390×844 nothing scrolls sideways, no table is shown (tables become
  cards), the hamburger menu reaches every section, the quick actions sit
  behind the "+" button, and every visible control is at least 44×44 CSS px;
- the keyboard: the skip link is the first Tab stop and moves focus to main,
  focus is visible, dialogs trap focus and Escape gives it back to the trigger;
- toasts and callouts are announced (an aria-live region, role status/alert).

With PORTAL_E2E_SCREENS=1, screenshots of every client page at phone and desktop
size land in test-artifacts/screens/ (gitignored); a summary of each run in
test-artifacts/a11y/. One signed-in browser state per role is made once and
reused, so no page signs in again.
"""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from portal_app.api.page_policy import inline_script_hashes
from tests.e2e.a11y import (
    DESKTOP,
    LIVE_JS,
    PHONE,
    SECTIONS,
    Audit,
    Household,
    _invite,
    _new_context,
    _seed,
    assert_dialog_traps_focus,
    assert_focus_visible,
    close_dialog,
    focused,
    open_dialog,
    ready,
    settle,
    visit,
)
from tests.e2e.csp_watch import an_injected_script_is_refused_and_reported
from tests.e2e.journeys import at, sign_in, sign_in_staff

# The compiled pages are the same in both modes: scanned once, in the sqlite mode.
pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]


@pytest.fixture(scope="module")
def house(portal, browser) -> Household:
    # A long name: the header must still fit a phone with it in the account switcher.
    email = portal.household("Avery Access Montgomery-Castellanos", "Robin Access")
    ids = _seed(portal, email)
    portal.booking_soon(email, hours=72)  # Reschedule / Cancel / Add to calendar
    portal.booking_soon(email, hours=3)  # inside the change window: the reason callout
    h = Household(email=email, invite_link=_invite(portal), **ids)

    ctx = _new_context(browser, DESKTOP)
    try:
        page = ctx.new_page()
        sign_in(page, portal, email)
        page.wait_for_url(at("/select-account"))
        page.get_by_role("button", name=re.compile("Avery Access")).click()
        page.wait_for_url(at("/dashboard"))
        h.client_state = ctx.storage_state()
    finally:
        ctx.close()
    ctx = _new_context(browser, DESKTOP)
    try:
        sign_in_staff(ctx.new_page(), portal, portal.staff())
        h.staff_state = ctx.storage_state()
    finally:
        ctx.close()
    return h



# --- the pages ---------------------------------------------------------------------------


def signed_out_views(page, portal, house: Household, audit: Audit, *, layout: bool) -> None:
    """Every page a signed-out visitor sees, with its steps."""
    def scan(view: str) -> None:
        audit.scan(page, view, layout=layout)
        audit.shot(page, view)

    visit(page, portal, "/", "My Account")
    scan("home")
    visit(page, portal, "/login", "Send me a code")
    scan("login")
    page.get_by_role("button", name="Sign in with a password").click()
    expect(page.get_by_label("Password")).to_be_visible()
    scan("login password")
    visit(page, portal, "/register", "Create account")
    scan("register")
    visit(page, portal, "/forgot-password", "Send reset code")
    scan("forgot password")
    page.get_by_label("Email").fill(f"nobody-{uuid.uuid4().hex[:6]}@example.test")
    page.get_by_role("button", name="Send reset code").click()
    expect(page.get_by_label("New password")).to_be_visible()
    scan("forgot password code")
    visit(page, portal, "/closed", "The portal is closed")
    scan("closed")
    visit(page, portal, "/invite?key=not-a-real-key", "expired")
    scan("invite expired")
    page.goto(house.invite_link)
    ready(page, "Open my portal")
    scan("invite")
    visit(page, portal, "/console/login")
    audit.scan(page, "console login", layout=False)


def client_views(page, portal, house: Household, audit: Audit, *, layout: bool) -> None:
    """Every signed-in client page, with its dialogs, popovers and tabs open."""
    def scan(view: str, *, shot: bool = True) -> None:
        audit.scan(page, view, layout=layout)
        if shot:
            audit.shot(page, view)

    visit(page, portal, "/select-account", "Robin Access")
    scan("select account")
    visit(page, portal, "/dashboard", "$")
    scan("dashboard")
    page.get_by_role("button", name=re.compile("^Notifications")).click()
    expect(page.get_by_role("dialog")).to_contain_text("Notifications")
    scan("dashboard bell", shot=False)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    visit(page, portal, "/bookings", "Reschedule")
    scan("bookings")
    open_dialog(page, "Book an appointment", within=page.get_by_role("main"))
    page.get_by_role("dialog").get_by_role("button", name=re.compile("Massage")).click()
    expect(page.get_by_role("dialog").get_by_text(re.compile("Times in"))).to_be_visible()
    scan("bookings picker", shot=False)
    page.get_by_role("dialog").get_by_role("button", name=re.compile(r"\d{1,2}:\d\d")).first.click()
    expect(page.get_by_role("dialog").get_by_role("button", name="Confirm booking")).to_be_visible()
    scan("bookings picker confirm", shot=False)
    close_dialog(page)
    page.get_by_role("tab", name="Past").click()
    expect(page.get_by_text("No past bookings.")).to_be_visible()
    scan("bookings past", shot=False)

    visit(page, portal, "/payments", "INV-")
    scan("payments")
    open_dialog(page, "Make a payment", within=page.get_by_role("main"))
    expect(page.get_by_role("dialog").get_by_label(re.compile("Amount"))).to_be_visible()
    scan("payments pay dialog", shot=False)
    close_dialog(page)
    page.get_by_role("tab", name="Paid").click()
    expect(page.get_by_role("tab", name="Paid")).to_have_attribute("aria-selected", "true")
    scan("payments paid", shot=False)
    visit(page, portal, "/payments/statements", "Closing balance")
    scan("statements")
    visit(page, portal, "/payments/superbills", "Ask for a superbill")
    scan("superbills")
    visit(page, portal, f"/payments/invoice?id={house.estimate_id}", "Accept estimate")
    scan("estimate")
    visit(page, portal, f"/payments/receipt?id={house.receipt_id}", "Amount paid")
    scan("receipt")
    visit(page, portal, f"/payments/invoice?id={house.invoice_id}", "Subtotal")
    expect(page.get_by_role("main").get_by_text("Aromatherapy add-on", exact=False)).to_be_visible()
    scan("invoice")
    page.get_by_role("main").get_by_role("button", name=re.compile(r"Pay Now")).click()
    page.wait_for_url(at("/pay/test"))
    ready(page, "TEST MODE")
    expect(page.get_by_role("button", name=re.compile(r"test card"))).to_be_visible()
    scan("test checkout")

    visit(page, portal, "/documents", "Care plan")
    scan("documents")
    open_dialog(page, "Share a document", within=page.get_by_role("main"))
    scan("documents upload dialog", shot=False)
    close_dialog(page)

    visit(page, portal, "/messages", "Your next visit")
    page.get_by_role("main").get_by_role("button", name=re.compile("Your next visit")).click()
    expect(page.get_by_role("log").get_by_text("Thanks, will do.")).to_be_visible()
    scan("messages")
    open_dialog(page, "Compose new message", within=page.get_by_role("main"))
    scan("messages compose", shot=False)
    close_dialog(page)

    visit(page, portal, "/account", house.email)
    scan("account")
    visit(page, portal, "/profile", "Your details")
    scan("profile")
    open_dialog(page, "Close my account", within=page.get_by_role("main"))
    scan("profile close dialog", shot=False)
    close_dialog(page)
    visit(page, portal, "/welcome", "Go to my dashboard")
    scan("welcome")


def console_views(page, portal, house: Household, audit: Audit) -> None:
    def scan(view: str) -> None:
        audit.scan(page, view)

    visit(page, portal, "/console", "Active in the portal")
    scan("console home")
    visit(page, portal, "/console/clients", "Avery Access")
    scan("console clients")
    visit(page, portal, f"/console/client?id={house.client_id}", "Care plan")
    scan("console client")
    visit(page, portal, "/console/messages", "Your next visit")
    scan("console messages")
    visit(page, portal, f"/console/messages?c={house.conversation_id}", "Thanks, will do.")
    scan("console messages thread")
    visit(page, portal, "/console/invoices", "INV-")
    scan("console invoices")
    visit(page, portal, f"/console/invoice?id={house.invoice_id}", "Subtotal")
    scan("console invoice")
    visit(page, portal, f"/console/invoice?id={house.draft_id}", "Line items")
    scan("console invoice draft")
    visit(page, portal, "/console/bookings", "Avery Access")
    scan("console bookings")
    visit(page, portal, "/console/calendar?view=week", "Calendar feed")
    scan("console calendar")
    visit(page, portal, "/console/calendar?view=month", "Calendar feed")
    scan("console calendar month")
    visit(page, portal, "/console/forms", "Outstanding")
    scan("console forms outstanding")
    for tab, seen in (("Templates", "New form"), ("Packets", "New packet"),
                      ("Verify a signed form", "SHA-256")):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tabpanel").get_by_text(seen).first).to_be_visible()
        scan(f"console forms {tab.lower()}")
    visit(page, portal, "/console/services", "Massage")
    scan("console services")
    visit(page, portal, "/console/availability", "Weekly hours")
    scan("console availability")
    visit(page, portal, "/console/settings", "Branding and contact")
    scan("console settings")
    visit(page, portal, f"/console/client/preview?id={house.client_id}", "Preview of what")
    scan("console view as client")


# --- axe on every page -------------------------------------------------------------------


def test_signed_out_pages_have_no_serious_axe_violations(portal, browser, house):
    audit = Audit("axe-signed-out", "desktop")
    ctx = _new_context(browser, DESKTOP)
    try:
        page = ctx.new_page()
        answer = httpx.get(portal.url("/login"), follow_redirects=True)
        served = answer.text
        assert re.search(r"<html[^>]*\blang=\"en\"", served), "no <html lang> in the served page"
        # The served page cannot be framed by another site or sniffed (issue 25).
        assert answer.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        # Its scripts: this origin and its own inline ones by hash, nothing else (the
        # browser suite fails any test whose pages had something refused: csp_watch).
        script_src = re.search(r"script-src ([^;]*)",
                               answer.headers["content-security-policy"]).group(1).split()
        assert set(script_src) == {"'self'", "'unsafe-eval'",
                                   *inline_script_hashes(answer.content)}
        assert len(script_src) > 5, "the served page has no inline scripts by hash"
        assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        # An anonymous upload to a handler that takes no files: 400, no stack trace.
        from state.login import LoginState

        bad = httpx.post(portal.url("/_upload"), files={"files": ("a.txt", b"hello")},
                         headers={"Reflex-Client-Token": "probe",
                                  "Reflex-Event-Handler": f"{LoginState.get_full_name()}"
                                                          ".reset_form"})
        assert bad.status_code == 400, (bad.status_code, bad.text[:300])
        assert "Traceback" not in bad.text
        page.goto(portal.url("/login"))
        lang = page.evaluate("document.documentElement.getAttribute('lang')")
        assert lang == "en", f"<html lang> is {lang!r}"
        an_injected_script_is_refused_and_reported(page)
        signed_out_views(page, portal, house, audit, layout=False)
    finally:
        ctx.close()
    audit.finish()


def test_client_pages_have_no_serious_axe_violations(portal, browser, house):
    audit = Audit("axe-client", "desktop")
    ctx = _new_context(browser, DESKTOP, house.client_state)
    try:
        client_views(ctx.new_page(), portal, house, audit, layout=False)
    finally:
        ctx.close()
    audit.finish()


def test_console_pages_have_no_serious_axe_violations(portal, browser, house):
    audit = Audit("axe-console", "desktop")
    ctx = _new_context(browser, DESKTOP, house.staff_state)
    try:
        console_views(ctx.new_page(), portal, house, audit)
    finally:
        ctx.close()
    audit.finish()


# --- phones ------------------------------------------------------------------------------


def test_signed_out_pages_fit_a_phone(portal, browser, house):
    audit = Audit("phone-signed-out", "phone")
    ctx = _new_context(browser, PHONE)
    try:
        signed_out_views(ctx.new_page(), portal, house, audit, layout=True)
    finally:
        ctx.close()
    audit.finish()


def test_client_pages_fit_a_phone(portal, browser, house):
    audit = Audit("phone-client", "phone")
    ctx = _new_context(browser, PHONE, house.client_state)
    try:
        client_views(ctx.new_page(), portal, house, audit, layout=True)
    finally:
        ctx.close()
    audit.finish()


def test_phone_menu_reaches_every_section_and_the_quick_actions(portal, browser, house):
    ctx = _new_context(browser, DESKTOP, house.client_state)
    try:
        page = ctx.new_page()
        visit(page, portal, "/dashboard", "$")
        panel = page.get_by_role("complementary", name="Quick actions")
        expect(panel.get_by_role("link")).to_have_count(4)
        desktop_actions = [t.strip() for t in panel.get_by_role("link").all_inner_texts()]
    finally:
        ctx.close()

    audit = Audit("phone-menus", "phone")
    ctx = _new_context(browser, PHONE, house.client_state)
    try:
        page = ctx.new_page()
        visit(page, portal, "/dashboard", "$")
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        expect(page.get_by_role("complementary", name="Quick actions")).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        menu = page.get_by_role("menu")
        expect(menu).to_be_visible()
        audit.scan(page, "phone hamburger menu", layout=True)
        audit.shot(page, "hamburger menu")
        expect(menu.get_by_role("menuitem", name="Logout")).to_be_visible()
        page.keyboard.press("Escape")
        expect(menu).to_have_count(0)
        expect(page.get_by_role("button", name="Menu")).to_be_focused()
        for section in SECTIONS:
            page.get_by_role("button", name="Menu").click()
            expect(page.get_by_role("menu")).to_be_visible()
            settle(page)
            page.get_by_role("menu").get_by_role("menuitem", name=section, exact=True).click()
            path = "/account" if section == "Account & security" else "/" + section.lower()
            page.wait_for_url(at(path))
            expect(page.locator("h1")).to_have_text(section)
            expect(page.get_by_role("menu")).to_have_count(0)

        visit(page, portal, "/dashboard", "$")
        page.get_by_role("button", name="Quick actions").click()
        sheet = page.get_by_role("menu", name="Quick actions")
        expect(sheet).to_be_visible()
        audit.scan(page, "phone quick actions", layout=True)
        audit.shot(page, "quick actions")
        assert [t.strip() for t in sheet.get_by_role("menuitem").all_inner_texts()] \
            == desktop_actions
        sheet.get_by_role("menuitem", name="Make a payment").click()
        page.wait_for_url(at("/payments"))
        expect(page.get_by_role("dialog", name="Make a payment")).to_be_visible()
    finally:
        ctx.close()
    audit.finish()


def _overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_phone_header_is_one_line_and_the_plus_never_covers_send(portal, browser, house):
    """Issue 17: the business name wrapped onto three lines beside the account
    switcher, and the floating "+" sat over "Send message" as the thread scrolled."""
    ctx = _new_context(browser, PHONE, house.client_state)
    try:
        page = ctx.new_page()
        visit(page, portal, "/dashboard", "$")
        header = page.get_by_role("banner")
        name = header.locator("p").first
        expect(name).to_have_text(re.compile(r"\S"))
        line = float(name.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
        assert name.bounding_box()["height"] < 1.5 * line, "the business name wraps"
        assert header.bounding_box()["height"] <= 72, header.bounding_box()
        assert name.get_attribute("title"), "the whole name is not at hand"
        expect(page.get_by_role("button", name="Quick actions")).to_be_visible()

        visit(page, portal, "/messages", "Your next visit")
        expect(page.get_by_role("button", name="Quick actions")).to_be_visible()
        # A thread longer than the screen, so it scrolls past the "+".
        page.get_by_role("main").get_by_role("button", name="Compose new message").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Subject").fill(f"Long thread {uuid.uuid4().hex[:6]}")
        dialog.get_by_label("Message").fill("A long question. " * 60)
        dialog.get_by_role("button", name="Send").click()
        expect(page.get_by_role("log").get_by_text(re.compile("A long question"))).to_be_visible()
        send = page.get_by_role("button", name="Send message")
        # Scrolled so "Send message" rests on the bottom edge, where the "+" floats.
        send.evaluate("el => el.scrollIntoView({block: 'end'})")
        settle(page)
        box = send.bounding_box()
        assert box["y"] + box["height"] > PHONE["height"] - 8, box
        plus = page.get_by_role("button", name="Quick actions")
        covered = [b for b in (plus.bounding_box() if plus.count() else None,) if b]
        assert not any(_overlap(box, b) for b in covered), (box, covered)
        page.screenshot(path="test-artifacts/screens/messages-thread-at-send-phone.png")
    finally:
        ctx.close()


def test_keyboard_skip_link_visible_focus_and_dialogs(portal, browser, house):
    ctx = _new_context(browser, DESKTOP, house.client_state)
    try:
        page = ctx.new_page()
        visit(page, portal, "/dashboard", "$")
        page.keyboard.press("Tab")
        info = focused(page)
        assert info["text"] == "Skip to content", f"first Tab stop is {info}"
        assert_focus_visible(info)
        page.keyboard.press("Enter")
        expect(page.get_by_role("main")).to_be_focused()
        page.keyboard.press("Tab")
        assert focused(page)["inMain"], "Tab after the skip link left main"

        # The header and navigation in order: every stop shows where focus is.
        visit(page, portal, "/dashboard", "$")
        for _ in range(12):
            page.keyboard.press("Tab")
            assert_focus_visible(focused(page))

        visit(page, portal, "/documents", "Care plan")
        assert_dialog_traps_focus(page, page.get_by_role("main").get_by_role(
            "button", name="Share a document"))
        visit(page, portal, "/messages", "Your next visit")
        assert_dialog_traps_focus(page, page.get_by_role("main").get_by_role(
            "button", name="Compose new message"))
        visit(page, portal, "/payments", "INV-")
        assert_dialog_traps_focus(page, page.get_by_role("main").get_by_role(
            "button", name="Make a payment"))
        visit(page, portal, "/bookings", "Reschedule")
        assert_dialog_traps_focus(page, page.get_by_role("main").get_by_role(
            "button", name="Book an appointment"))

        # The bell's popover: Escape closes it and gives focus back to the bell.
        bell = page.get_by_role("button", name=re.compile("^Notifications"))
        bell.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("dialog")).to_contain_text("Notifications")
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)
        expect(bell).to_be_focused()
    finally:
        ctx.close()




def test_status_messages_are_announced(portal, browser, house):
    ctx = _new_context(browser, DESKTOP, house.client_state)
    try:
        page = ctx.new_page()
        visit(page, portal, "/profile", "Your details")  # the email choices live there now
        page.get_by_role("button", name="Save choices").click()
        toast = page.get_by_text("Notification choices saved.")
        expect(toast).to_be_visible()
        assert toast.evaluate(LIVE_JS), "the toast is outside any live region"

        visit(page, portal, "/account", house.email)
        page.get_by_label("New password").fill("short")
        page.get_by_role("button", name="Save password").click()
        expect(page.get_by_role("alert")).to_contain_text(re.compile("10 characters"))

        visit(page, portal, "/bookings", "Reschedule")
        page.get_by_role("main").get_by_role("button", name="Book an appointment").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("button", name=re.compile("Massage")).click()
        dialog.locator("button[aria-label]").first.click()
        expect(dialog.get_by_role("status")).to_be_visible()
    finally:
        ctx.close()


def test_the_navigation_marks_the_current_section(portal, browser, house):
    """aria-current="page" on the open section's link only (a page under a section, such
    as an invoice, marks the section), in the client shell and the console shell."""

    def current(nav, expected: str) -> None:
        expect(nav.get_by_role("link", name=expected)).to_have_attribute(
            "aria-current", "page")
        expect(nav.locator("[aria-current]")).to_have_count(1)

    ctx = _new_context(browser, DESKTOP, house.client_state)
    try:
        page = ctx.new_page()
        nav = page.get_by_role("navigation", name="Main")
        visit(page, portal, "/dashboard", "$")
        current(nav, "Dashboard")
        nav.get_by_role("link", name="Payments").click()
        page.wait_for_url(at("/payments"))
        current(nav, "Payments")
        visit(page, portal, f"/payments/invoice?id={house.invoice_id}", "Subtotal")
        current(nav, "Payments")
        # Seen, not only announced: the current link is drawn differently.
        weights = [nav.get_by_role("link", name=n).evaluate(
            "e => getComputedStyle(e).fontWeight") for n in ("Payments", "Dashboard")]
        assert weights[0] != weights[1], weights
    finally:
        ctx.close()

    ctx = _new_context(browser, DESKTOP, house.staff_state)
    try:
        page = ctx.new_page()
        nav = page.get_by_role("navigation", name="Console")
        visit(page, portal, "/console/invoices", "INV-")
        current(nav, "Invoices")
        visit(page, portal, "/console")
        current(nav, "Home")
    finally:
        ctx.close()
