"""Issue 6's journeys: staff share a PDF; the client sees the "New" badge and
the bell, downloads the same bytes, sends two files with a message that staff
then see; the client starts a conversation, staff reply, and the reply
appears in the client's open tab without a reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import at, sign_in, sign_in_staff

pytestmark = pytest.mark.e2e

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _staff_page(browser, portal):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    sign_in_staff(page, portal, portal.staff())
    return ctx, page


@pytest.mark.ui_only  # once: the scale mode keeps the cross-worker, revocation and webhook journeys
def test_documents_both_ways_and_a_live_reply(portal, context, browser, tmp_path):
    email = portal.household("Dana Docs")
    client_id = portal.client_id_of(email)
    plan = tmp_path / "care-plan.pdf"
    plan.write_bytes(PDF)

    staff_ctx, staff = _staff_page(browser, portal)
    try:
        staff.goto(portal.url(f"/console/client?id={client_id}"))
        staff.get_by_role("button", name="Share files").click()
        dialog = staff.get_by_role("dialog")
        dialog.locator("input[type=file]").set_input_files(str(plan))
        dialog.get_by_label("Message to the client (optional)").fill("Your plan for May.")
        dialog.get_by_label("Message to the client (optional)").blur()
        dialog.get_by_role("button", name="Submit").click()
        expect(staff.get_by_text("Not opened yet")).to_be_visible()

        page = context.new_page()
        sign_in(page, portal, email)
        page.wait_for_url(at("/dashboard"))
        expect(page.get_by_text("new document", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Notifications, 1 unread")).to_be_visible()

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Documents").click()
        page.wait_for_url(at("/documents"))
        main = page.get_by_role("main")
        expect(main.get_by_text("New", exact=True)).to_be_visible()
        with page.expect_download() as info:
            main.get_by_role("link", name="care-plan").click()
        with open(info.value.path(), "rb") as handle:
            assert handle.read() == PDF
        expect(main.get_by_text("New", exact=True)).to_have_count(0)

        first, second = tmp_path / "intake-form.pdf", tmp_path / "notes.txt"
        first.write_bytes(PDF)
        second.write_text("Allergies: none\n")
        main.get_by_role("button", name="Share a document").click()
        dialog = page.get_by_role("dialog")
        dialog.locator("input[type=file]").set_input_files([str(first), str(second)])
        dialog.get_by_label("Message (optional)").fill("Signed forms attached.")
        dialog.get_by_role("button", name="Submit").click()
        expect(page.get_by_text("Sent 2 files. Thank you!")).to_be_visible()

        staff.reload()
        expect(staff.get_by_text(re.compile("Viewed on"))).to_be_visible()
        expect(staff.get_by_role("link", name="Download intake-form")).to_be_visible()
        expect(staff.get_by_role("link", name="Download notes")).to_be_visible()
        expect(staff.get_by_text("Signed forms attached.").first).to_be_visible()

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
        page.wait_for_url(at("/messages"))
        main.get_by_role("button", name="Compose new message").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Subject").fill("Next appointment")
        dialog.get_by_label("Message").fill("Can we move to Tuesday?")
        dialog.get_by_role("button", name="Send").click()
        expect(main.get_by_role("log").get_by_text("Can we move to Tuesday?")).to_be_visible()

        staff.goto(portal.url("/console/messages"))
        staff.get_by_role("link", name="Next appointment").click()
        staff.get_by_label("Your reply").fill("Tuesday at 10 works. See you then.")
        staff.get_by_role("button", name="Send reply").click()
        expect(staff.get_by_text("Tuesday at 10 works. See you then.")).to_be_visible()

        # No reload on the client's side: the reply arrives in the open thread.
        expect(main.get_by_role("log").get_by_text("Tuesday at 10 works. See you then.")
               ).to_be_visible()

        # A text reply goes over the websocket and the box empties; with a file picked,
        # the same button posts it through the upload route.
        box = main.get_by_label("Your message")
        box.fill("Thanks, see you Tuesday.")
        main.get_by_role("button", name="Send message").click()
        expect(main.get_by_role("log").get_by_text("Thanks, see you Tuesday.")).to_be_visible()
        expect(main.get_by_label("Your message")).to_have_value("")
        main.locator("input[type=file]").set_input_files(str(first))
        main.get_by_label("Your message").fill("One more form.")
        main.get_by_role("button", name="Send message").click()
        expect(main.get_by_role("log").get_by_text("One more form.")).to_be_visible()
        expect(main.get_by_role("log").get_by_role("link", name=re.compile("intake-form"))
               ).to_be_visible()
        expect(main.get_by_label("Your message")).to_have_value("")
    finally:
        staff_ctx.close()
