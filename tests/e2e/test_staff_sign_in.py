"""Staff sign in at /console/login with password and TOTP."""

import pyotp
import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import at

pytestmark = pytest.mark.e2e


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_owner_signs_in_with_password_and_totp(portal, context):
    creds = portal.demo_credentials()
    page = context.new_page()
    page.goto(portal.url("/console"))
    page.wait_for_url(at("/console/login"))
    page.get_by_label("Email").fill("owner@demo.test")
    page.get_by_label("Password").fill("wrong password!")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect")

    page.get_by_label("Email").fill("owner@demo.test")
    page.get_by_label("Password").fill(creds["password"])
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Authentication code").fill(pyotp.TOTP(creds["totp_secret"]).now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/console"))
    expect(page.get_by_text("Welcome, Olivia Owner")).to_be_visible()
    expect(page.get_by_role("main").get_by_text("Clients", exact=True)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/console/login"))


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_client_session_cannot_open_the_console(portal, context):
    from tests.e2e.journeys import sign_in

    page = context.new_page()
    sign_in(page, portal, portal.household("Kim"))
    page.wait_for_url(at("/dashboard"))
    page.goto(portal.url("/console"))
    page.wait_for_url(at("/console/login"))
