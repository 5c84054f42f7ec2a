"""Issue 19's client journey on a phone-sized page: the demo "New client"
packet is sent to a new client (through the services, as staff would); the
client signs in, fills the information form halfway, reloads and finds the
answers kept, finishes it (a show-if question appears), submits, lands on the
consent form, draws a signature with the mouse, agrees to sign electronically,
submits, and finds both signed PDFs in Documents. The consent form (statement,
signature pad, date, consent box) passes axe (WCAG 2.1 AA, serious and critical)."""

import re
import time
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_problems
from tests.e2e.conftest import BROWSER_ZONE
from tests.e2e.journeys import at, page_load_settled, sign_in_with_code

pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]
PHONE = {"width": 390, "height": 844}


def send_demo_packet(portal, email: str) -> None:
    from sqlmodel import Session, select

    from models import Client, FormPacket, PortalAccount
    from portal_app.db import make_engine
    from portal_app.services.forms.sending import send_packet

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            client = session.exec(select(Client).join(
                PortalAccount, PortalAccount.id == Client.account_id).where(
                PortalAccount.email == email)).first()
            packet = session.exec(select(FormPacket).where(
                FormPacket.name == "New client")).one()
            send_packet(session, staff_id=None, client_id=client.id, packet_id=packet.id,
                        base_url=portal.base_url, now=datetime.now(UTC))
            session.commit()
    finally:
        engine.dispose()


def draft_keys(portal) -> set[str]:
    from sqlmodel import Session, select

    from models import FormDraftAnswer
    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return set(session.exec(select(FormDraftAnswer.field_key)).all())
    finally:
        engine.dispose()


def _saved(page, portal, key: str) -> None:
    """The answer reached the server's draft (the page says "Saved" too)."""
    deadline = time.monotonic() + 15
    while key not in draft_keys(portal):
        assert time.monotonic() < deadline, f"{key} was never saved"
        page.wait_for_timeout(100)
    expect(page.get_by_role("status").filter(has_text=re.compile("^Saved"))).to_be_visible()


def test_a_client_fills_in_and_signs_the_new_client_packet_on_a_phone(portal, browser):
    email = portal.household("Fran Forms")
    send_demo_packet(portal, email)
    ctx = browser.new_context(viewport=PHONE, timezone_id=BROWSER_ZONE, has_touch=False)
    ctx.set_default_timeout(20_000)
    try:
        page = ctx.new_page()
        sign_in_with_code(page, portal, email)
        page.wait_for_url(at("/dashboard"))
        main = page.get_by_role("main")
        expect(main.get_by_text("Forms to complete (2)")).to_be_visible()

        with page_load_settled(page):
            page.goto(portal.url("/forms"))
        expect(main.get_by_text("Form 1 of 2")).to_be_visible()
        main.get_by_role("link", name=re.compile("Client information")).click()
        page.wait_for_url(re.compile(r"/forms/form\?id=\d+"))
        expect(main.get_by_text("Form 2 of 2")).to_be_visible()
        expect(main.get_by_label("Full name")).to_have_value(re.compile("Fran Forms"))

        # halfway, then a reload: the answers were saved on the server as typed
        main.get_by_label("Mobile phone").fill("+1 212 736 5000")
        _saved(page, portal, "phone")
        main.get_by_label("Date of birth").fill("1990-02-03")
        _saved(page, portal, "date_of_birth")
        expect(main.get_by_label("Please describe them")).to_have_count(0)
        with page_load_settled(page):
            page.reload()
        expect(main.get_by_label("Mobile phone")).to_have_value("+1 212 736 5000")
        expect(main.get_by_label("Date of birth")).to_have_value("1990-02-03")

        # a show-if question appears with its answer
        main.get_by_role("radio", name="Yes").click()
        main.get_by_label("Please describe them").fill("Mild asthma")
        _saved(page, portal, "conditions_detail")
        main.get_by_role("button", name="Submit").click()
        expect(main.get_by_role("heading", name="Consent to treatment", level=2)).to_be_visible()
        expect(main.get_by_text("Form 1 of 2")).to_be_visible()

        # draw a signature with the mouse
        canvas = main.locator("canvas[data-signature-pad]")
        # mid-screen: the "submitted" toast sits over the bottom of a phone's screen
        canvas.evaluate("c => c.scrollIntoView({block: 'center'})")
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
        page.mouse.down()
        for i, y in enumerate((0.3, 0.8, 0.2, 0.6, 0.4)):
            page.mouse.move(box["x"] + 40 + i * 40, box["y"] + box["height"] * y, steps=4)
        page.mouse.up()
        expect(main.get_by_text("Signature saved.")).to_be_visible()
        assert axe_problems(page, "consent form") == []
        main.get_by_role("textbox", name="Date (required)").fill(datetime.now(UTC).date().isoformat())
        _saved(page, portal, "signed_on")
        agree = main.get_by_label("I agree to sign electronically")
        agree.click()  # a controlled box: it shows ticked once the server has it
        expect(agree).to_be_checked()
        main.get_by_role("button", name="Submit").click()
        page.wait_for_url(at("/forms"))
        expect(main.get_by_text("Nothing to fill in right now.")).to_be_visible()
        expect(main.get_by_role("link", name="Signed PDF")).to_have_count(2)

        with page_load_settled(page):
            page.goto(portal.url("/documents"))
        expect(main.get_by_role("link", name="Consent to treatment (signed)")).to_be_visible()
        expect(main.get_by_role("link", name="Client information (signed)")).to_be_visible()
    finally:
        ctx.close()
