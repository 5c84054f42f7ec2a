"""Issue 21's Spanish console: a staff member switches the console to Spanish in the
header, walks the main console pages and finds no English interface word on them
(and the Spanish ones instead); the choice survives a reload; then the header
search finds a client with the keyboard (arrows, Enter)."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from portal_app.i18n import gettext
from tests.e2e.journeys import goto_settled, sign_in_staff

pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]

# (path, its heading) for the console pages walked in Spanish.
PAGES = [("/console", "Today"), ("/console/clients", "Clients"),
         ("/console/bookings", "Bookings"), ("/console/invoices", "Invoices"),
         ("/console/messages", "Messages"), ("/console/services", "Services"),
         ("/console/availability", "Availability"), ("/console/settings", "Portal settings")]
# English interface words that must not be left on a Spanish console page.
ENGLISH = ["Today", "Clients", "Bookings", "Invoices", "Messages", "Services", "Availability",
           "Portal settings", "Sign out", "Console", "Search", "Save", "Cancel", "Previous",
           "Next", "Page", "Welcome", "Recent activity", "At a glance", "Upcoming",
           "New client", "New invoice", "New service", "New message", "Apply", "Weekly hours",
           "Add interval", "Branding and contact", "Nothing here", "Portal status",
           "Last sign-in", "Show all clients", "Open the inbox", "Due this week",
           "Skip to content", "Last activity", "Assigned to", "Duration", "Balance", "Issued",
           "Drop a file", "PDFs print on"]


def es(msgid: str) -> str:
    text = gettext("es", msgid)
    assert text != msgid, f"no Spanish for {msgid!r}"
    return text


def _english_left(page) -> list[str]:
    text = page.locator("body").inner_text()
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]


def test_staff_switches_the_console_to_spanish_and_searches_with_the_keyboard(portal, context):
    surname = f"Zubiri{uuid.uuid4().hex[:6]}"
    email = portal.household(surname)
    portal.booking_soon(email, hours=30)
    page = context.new_page()
    sign_in_staff(page, portal, portal.staff())
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()

    page.get_by_label("Language / Idioma").select_option("es")
    expect(page.get_by_role("heading", name=es("Today"), level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name=es("Console"))).to_be_visible()

    for path, heading in PAGES:
        goto_settled(page, portal.url(path))
        expect(page.get_by_role("heading", name=es(heading), level=1)).to_be_visible()
        expect(page.get_by_role("button", name=es("Sign out"))).to_be_visible()
        assert _english_left(page) == [], path
    page.reload()
    expect(page.get_by_role("heading", name=es("Portal settings"), level=1)).to_be_visible()

    box = page.get_by_role("combobox", name=es("Search the console"))
    box.fill(surname.lower())
    results = page.get_by_role("listbox", name=es("Search results"))
    expect(results.get_by_role("option")).to_have_count(2)  # the client and the booking
    expect(results.get_by_text(es("Clients"), exact=True).first).to_be_visible()
    expect(box).to_have_attribute("aria-activedescendant", "search-hit-0")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "search-hit-1")
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", "search-hit-0")
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/console/client/?\?id=\d+"))
    expect(page.get_by_role("heading", name=re.compile(surname), level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=es("Contact details"))).to_be_visible()
    assert _english_left(page) == []
