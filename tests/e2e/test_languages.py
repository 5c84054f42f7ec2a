"""Issue 7's languages in the browser: a client picks Spanish before signing in,
the sign-in and every page after it are Spanish, the choice is kept on the
record; a Spanish browser gets Spanish at once."""

import re

import pytest
from playwright.sync_api import expect

from portal_app.i18n import gettext
from tests.e2e.journeys import at, goto_settled, read_code, request_code

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
    goto_settled(page, portal.url("/login"))  # the page paints before it hydrates
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


def _english_phrases() -> set[str]:
    """The catalogue's English texts of 4+ words (whole msgids, or the literal runs
    between placeholders), when the Spanish differs: none of them belongs on a
    Spanish page. Short texts are left out (a name or a file may contain them)."""
    from models.business import DEFAULT_CTAS
    from portal_app.i18n import CATALOGS

    # The quick actions' default labels are msgids too (the business may rename them).
    found = {a["label"] for a in DEFAULT_CTAS if len(a["label"].split()) >= 4}
    for msgid, spanish in CATALOGS["es"].items():
        if spanish == msgid:
            continue
        for run in re.split(r"\{\w*\}", msgid):
            run = " ".join(run.split()).strip(" .,:;·—()")
            if len(run.split()) >= 4:
                found.add(run)
    return found


def _spanish_client_with_a_bit_of_everything(portal) -> str:
    """A Spanish record with a booking, an open invoice and a bell line of each kind."""
    from datetime import UTC, datetime, timedelta

    from sqlmodel import Session, select

    from models import Client, PortalAccount
    from portal_app.db import make_engine
    from portal_app.services import notification_texts as texts
    from portal_app.services.notifications import notify

    email = portal.household("Lucía")
    portal.booking_soon(email, hours=30)
    number = portal.invoice(email, "80.00")
    start = datetime.now(UTC) + timedelta(days=2)
    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            client = session.exec(select(Client).join(
                PortalAccount, PortalAccount.id == Client.account_id).where(
                PortalAccount.email == email)).one()
            client.language, client.timezone = "es", "Europe/Madrid"
            session.add(client)
            for kind, params, link in (
                ("booking", texts.booking_params(event="confirmed", service="Masaje",
                                                 start_at=start), "/bookings"),
                ("booking", texts.booking_params(event="cancelled", service="Masaje",
                                                 start_at=start), "/bookings"),
                ("invoice", texts.invoice_params(doc="invoice", reminder=True, number=number,
                                                 total_minor=8000, currency="USD"), "/payments"),
                ("payment", texts.payment_params(amount_minor=8000, currency="USD",
                                                 number=number), "/payments"),
                ("message", texts.message_params(subject="Tu cita"), "/messages"),
                ("document", texts.document_params(titles=["Contrato.pdf"]), "/documents"),
            ):
                notify(session, client_id=client.id, kind=kind, params=params, link=link,
                       base_url=portal.base_url, email=False)
            session.commit()
    finally:
        engine.dispose()
    return email


def test_a_spanish_client_sees_no_english_on_any_page_or_in_the_bell(portal, context):
    """Every client page, and the bell open, of a client whose language is Spanish:
    no English text of the catalogue anywhere (issue 17, item 8)."""
    email = _spanish_client_with_a_bit_of_everything(portal)
    page = context.new_page()
    request_code(page, portal, email)
    page.get_by_label("6-digit code").fill(read_code(context, portal, email, subject=None))
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(at("/dashboard"))
    expect(page.get_by_role("heading", name=es("Dashboard"))).to_be_visible()

    english = _english_phrases()
    seen: dict[str, set[str]] = {}
    for path, heading in (("/dashboard", "Dashboard"), ("/bookings", "Bookings"),
                          ("/payments", "Payments"), ("/documents", "Documents"),
                          ("/messages", "Messages"), ("/profile", "Profile")):
        goto_settled(page, portal.url(path))
        expect(page.get_by_role("heading", name=es(heading), exact=True)).to_be_visible()
        page.wait_for_timeout(300)  # the page's own load fills its lists
        text = " ".join(page.inner_text("body").split())
        seen[path] = {phrase for phrase in english if phrase in text}

    page.get_by_role("button", name=re.compile("^" + es("Notifications"))).click()
    bell = page.get_by_text("Reserva confirmada: Masaje", exact=False)
    expect(bell.first).to_be_visible()
    expect(page.get_by_text("Pago recibido:", exact=False).first).to_be_visible()
    text = " ".join(page.inner_text("body").split())
    seen["bell"] = {phrase for phrase in english if phrase in text}
    for needle in ("Booking confirmed", "Booking cancelled", "New message", "New document",
                   "Payment received", "Reminder: invoice"):
        if needle in text:
            seen["bell"].add(needle)

    assert {where: found for where, found in seen.items() if found} == {}

    # The quick actions: each icon keeps its size, a long label wraps inside its button.
    page.keyboard.press("Escape")
    panel = page.get_by_role("complementary", name=es("Quick actions"))
    expect(panel.get_by_text(es("Share a document"))).to_be_visible()
    sizes = panel.locator("button").evaluate_all(
        "bs => bs.map(b => [Math.round(b.querySelector('svg').getBoundingClientRect().width),"
        " b.scrollWidth - b.clientWidth])")
    assert sizes and all(width == 16 and overflow <= 0 for width, overflow in sizes), sizes

    # Switching language on Profile turns the whole shell at once, quick actions included.
    goto_settled(page, portal.url("/profile"))
    page.get_by_label(es("Language")).select_option("en")
    page.get_by_role("button", name=es("Save profile")).click()
    expect(page.get_by_role("heading", name="Profile", exact=True)).to_be_visible()
    expect(panel).to_have_count(0)  # its name is English now
    english_panel = page.get_by_role("complementary", name="Quick actions")
    expect(english_panel.get_by_text("Send us a message")).to_be_visible()
    expect(english_panel.get_by_text("Share a document")).to_be_visible()
