"""Issue 7's languages in the browser: a client picks Spanish before signing in,
the sign-in and every page after it are Spanish, the choice is kept on the
record; a Spanish browser gets Spanish at once."""

import pytest
from playwright.sync_api import expect

from portal_app.i18n import gettext
from tests.e2e.journeys import at, read_code

# What the browser is served (manifest, service worker, texts) is the same in both
# modes: checked once, in the sqlite mode.
pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]


def es(msgid: str) -> str:
    text = gettext("es", msgid)
    assert text != msgid, f"no Spanish for {msgid!r}"
    return text


def _record_language(portal, email: str) -> str:
    from sqlmodel import Session, select

    from models import Client, PortalAccount
    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return session.exec(select(Client.language).join(
                PortalAccount, PortalAccount.id == Client.account_id).where(
                PortalAccount.email == email)).one()
    finally:
        engine.dispose()


def test_client_picks_spanish_before_sign_in_and_keeps_it(portal, context):
    email = portal.household("Lucía")
    page = context.new_page()
    page.goto(portal.url("/login"))
    expect(page.get_by_role("heading", name="Sign in to your account")).to_be_visible()
    page.get_by_label("Language / Idioma").select_option("es")
    expect(page.get_by_role("heading", name=es("Sign in to your account"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.get_by_label(es("Email")).fill(email)
    page.get_by_role("button", name=es("Send me a code")).click()
    expect(page.get_by_text(es("If this email has portal access, we have sent a 6-digit code "
                               "to it (or by text message to the mobile number we have on "
                               "file)."))).to_be_visible()
    page.get_by_label(es("6-digit code")).fill(read_code(context, portal, email, subject=None))
    page.get_by_role("button", name=es("Submit"), exact=True).click()

    page.wait_for_url(at("/dashboard"))
    expect(page.get_by_role("heading", name=es("Dashboard"))).to_be_visible()
    nav = page.get_by_role("navigation", name=es("Main"))
    expect(nav.get_by_role("link", name=es("Bookings"))).to_be_visible()
    assert _record_language(portal, email) == "es"

    nav.get_by_role("link", name=es("Bookings")).click()
    page.wait_for_url(at("/bookings"))
    expect(page.get_by_role("tab", name=es("Upcoming"))).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name=es("Bookings"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_a_spanish_browser_gets_the_sign_in_page_in_spanish(portal, browser):
    ctx = browser.new_context(locale="es-ES")
    try:
        page = ctx.new_page()
        page.goto(portal.url("/login"))
        expect(page.get_by_role("heading", name=es("Sign in to your account"))).to_be_visible()
        expect(page.get_by_label("Language / Idioma")).to_have_value("es")
    finally:
        ctx.close()
