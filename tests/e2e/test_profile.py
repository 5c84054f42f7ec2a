"""Issue 7's profile journey: the browser's time zone is kept at the first
sign-in; the client opens Profile from the menu, changes name, time zone and
language (the interface switches to Español), downloads the data export and
opens the zip, asks to close the account; staff see the request on the
client's console page and dismiss it.

Page text is being translated in parallel, so after the switch to Spanish the
steps find things by test id, label ids and saved values, not by English text."""

import io
import json
import time
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import at, sign_in, sign_in_staff

pytestmark = pytest.mark.e2e


def record(portal, client_id: int):
    from sqlmodel import Session

    from models import Client
    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return session.get(Client, client_id)
    finally:
        engine.dispose()


def wait_for(portal, client_id: int, check, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while True:
        client = record(portal, client_id)
        if check(client):
            return client
        if time.monotonic() > deadline:
            raise AssertionError(f"client {client_id} never matched: {client}")
        time.sleep(0.3)


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_profile_export_and_closure_request(portal, browser):
    email = portal.household("Pat Profile")
    client_id = portal.client_id_of(email)
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  timezone_id="Asia/Tokyo", accept_downloads=True)
    context.set_default_timeout(20_000)
    staff_ctx = None
    try:
        page = context.new_page()
        sign_in(page, portal, email)
        page.wait_for_url(at("/dashboard"))
        # First sign-in: the browser's zone is stored once.
        wait_for(portal, client_id, lambda c: c.timezone == "Asia/Tokyo"
                 and c.timezone_detected_at is not None)

        page.get_by_role("button", name="Menu").click()
        page.get_by_role("menuitem", name="Profile").click()
        page.wait_for_url(at("/profile"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")

        page.get_by_label("Full name").fill("   ")
        page.get_by_role("button", name="Save profile").click()
        expect(page.locator("#error-full_name")).to_have_text("Enter your full name.")
        assert record(portal, client_id).full_name.startswith("Pat Profile")

        page.get_by_label("Full name").fill("Pat Perfil")
        page.get_by_label("Mobile phone").fill("+34 600 111 222")
        # The zone list is searchable and names each zone with its offset; an old
        # alias is not offered. "Use my device's zone" fills in the browser's zone.
        zone = page.get_by_label("Time zone")
        zone.focus()  # the list comes when the field is first focused
        options = page.locator("#timezone-choices option")
        expect(options.filter(has_text="Madrid, Spain (UTC+")).to_have_count(1)
        assert page.locator('#timezone-choices option[value="Asia/Calcutta"]').count() == 0
        zone.fill("Europe/Madrid")
        page.get_by_role("button", name="Use my device's zone").click()
        expect(zone).to_have_value("Asia/Tokyo")
        zone.fill("Europe/Madrid")
        page.get_by_label("Language").select_option("es")
        page.get_by_role("button", name="Save profile").click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
        saved = wait_for(portal, client_id, lambda c: c.full_name == "Pat Perfil")
        assert (saved.mobile, saved.timezone, saved.language) == (
            "+34 600 111 222", "Europe/Madrid", "es")
        expect(page.locator("#error-full_name")).to_have_count(0)

        # The choice survives a reload (the language cookie), and the form shows it.
        page.reload()
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.locator("#field-timezone")).to_have_value("Europe/Madrid")
        expect(page.locator("#field-language")).to_have_value("es")

        with page.expect_download() as info:
            page.get_by_test_id("export-data").click()
        download = info.value
        assert download.suggested_filename.startswith("my-data-")
        with open(download.path(), "rb") as handle:
            archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        data = json.loads(archive.read("data.json"))
        assert data["profile"]["id"] == client_id
        assert data["profile"]["full_name"] == "Pat Perfil"
        assert data["profile"]["timezone"] == "Europe/Madrid"
        assert data["profile"]["language"] == "es"

        page.get_by_test_id("close-account").click()
        dialog = page.get_by_role("dialog")
        dialog.locator("#closure-reason").fill("Moving abroad next month.")
        dialog.get_by_test_id("confirm-close").click()
        expect(page.get_by_test_id("closure-requested")).to_be_visible()
        expect(page.get_by_test_id("close-account")).to_have_count(0)
        asked = wait_for(portal, client_id, lambda c: c.closure_requested_at is not None)
        assert asked.closure_reason == "Moving abroad next month."
        assert asked.portal_access == "active"  # nothing deleted or disabled

        staff_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        staff_ctx.set_default_timeout(20_000)
        staff = staff_ctx.new_page()
        sign_in_staff(staff, portal, portal.staff())
        staff.goto(portal.url(f"/console/client?id={client_id}"))
        banner = staff.get_by_role("status").filter(has_text="Asked to close the account on")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Moving abroad next month.")
        expect(banner.get_by_role("button", name="Disable access")).to_be_visible()
        banner.get_by_role("button", name="Dismiss request").click()
        expect(staff.get_by_text("Asked to close the account on")).to_have_count(0)
        wait_for(portal, client_id, lambda c: c.closure_requested_at is None)
    finally:
        context.close()
        if staff_ctx is not None:
            staff_ctx.close()
