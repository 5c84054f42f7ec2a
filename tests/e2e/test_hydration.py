"""A page is painted before its scripts start (portal_app/frontend_build.py): what a
slow phone does before the page is live must not be lost. The browser suite waits
for the page's "live" mark before acting (tests/e2e/hydration.py); this journey
checks that the mark is really down while the page is painted and that the wait
makes a choice made at once count."""

import pytest
from playwright.sync_api import expect

from portal_app.i18n import gettext

pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]

MARK_STATE = "document.getElementById('portal-hydrated').dataset.hydrated"


def slow_phone(context, page) -> None:
    """Lighthouse's mobile profile, roughly: a 4x slower processor, a slow network."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
        "uploadThroughput": 750 * 1024 / 8})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})


def test_a_slow_phone_picks_spanish_the_moment_the_page_shows(portal, context):
    page = context.new_page()
    slow_phone(context, page)
    page.goto(portal.url("/login"))
    # Painted (the form is there) but not live yet: a choice now would be lost.
    assert page.evaluate(MARK_STATE) == "false"
    page.get_by_label("Language / Idioma").select_option("es")  # waits until live
    assert page.evaluate(MARK_STATE) == "true"
    expect(page.get_by_role("heading", name=gettext("es", "Sign in to your account"))
           ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
