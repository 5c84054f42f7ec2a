"""Issue 19, staff side: staff build a small form (two questions, one shown only
if the first is "yes"), put it in a packet, send it from a client's page, see it
"Sent" there and in Outstanding, cancel it; then "Verify a signed form" accepts
the hash of a form signed through the services and refuses a wrong one."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import at, goto_settled, sign_in_staff

pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]


def _signed_form_hash(portal, email: str) -> str:
    """A form sent to and submitted by the client of `email`, through the services;
    returns its document's SHA-256."""
    from sqlmodel import Session

    from models.base import utcnow
    from portal_app.db import make_engine
    from portal_app.services.forms.sending import send_form
    from portal_app.services.forms.submit import submit_form
    from portal_app.services.forms.templates import create_template

    client_id = portal.client_id_of(email)
    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            template = create_template(session, staff_id=None, title="Signed e2e", fields=[
                {"kind": "short_text", "key": "a", "label": "Anything"}])
            request = send_form(session, staff_id=None, client_id=client_id,
                                template_id=template.id, base_url=portal.base_url, now=utcnow())
            submission = submit_form(session, client_id=client_id, request_id=request.id,
                                     account_id=None, email=email, ip="", user_agent="e2e",
                                     consent_version=None, now=utcnow(), answers={"a": "yes"})
            session.commit()
            return submission.document_sha256
    finally:
        engine.dispose()


def test_staff_build_send_cancel_and_verify_a_form(portal, context):
    tag = uuid.uuid4().hex[:6]
    title, packet = f"Intake {tag}", f"New client {tag}"
    email = portal.household(f"Fiona {tag}")
    client_id = portal.client_id_of(email)
    digest = _signed_form_hash(portal, email)

    page = context.new_page()
    sign_in_staff(page, portal, portal.staff())
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Forms").click()
    page.wait_for_url(at("/console/forms"))

    # Build: a yes/no question and one shown only when it is "yes".
    page.get_by_role("tab", name="Templates").click()
    page.get_by_role("button", name="New form").click()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Kind").first.select_option("yes_no")
    page.get_by_label("Label", exact=True).first.fill("Any allergies?")
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Label", exact=True).nth(1).fill("Which ones?")
    page.get_by_label("Show only if").nth(1).select_option("q1")
    page.get_by_label("Value (yes / no for a yes-no question)").nth(1).fill("yes")
    page.get_by_role("button", name="Save form").click()
    expect(page.get_by_text("Version 1 saved.").first).to_be_visible()
    expect(page.get_by_role("region", name="Form templates").get_by_text(title)).to_be_visible()

    # Packet: the form, sent by hand.
    page.get_by_role("tab", name="Packets").click()
    page.get_by_role("button", name="New packet").click()
    page.get_by_label("Packet name").fill(packet)
    page.get_by_label("Add a form").select_option(label=title)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text(f"1. {title}")).to_be_visible()
    page.get_by_role("button", name="Save packet").click()
    expect(page.get_by_role("region", name="Packets").get_by_text(packet)).to_be_visible()

    # Send it from the client's page.
    goto_settled(page, portal.url(f"/console/client?id={client_id}"))
    page.get_by_role("button", name="Send forms").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Packet or form").select_option(label=f"Packet: {packet}")
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(dialog).to_be_hidden()
    line = page.get_by_role("group", name=title)
    expect(line.get_by_text("Sent", exact=True)).to_be_visible()
    expect(line.get_by_role("button", name=f"Cancel request {title}")).to_be_visible()

    # Outstanding lists it, linked to the client.
    goto_settled(page, portal.url("/console/forms"))
    table = page.get_by_role("region", name="Outstanding forms")
    row = table.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(f"Fiona {tag}")
    expect(row).to_contain_text("Sent")
    row.get_by_role("link", name=f"Fiona {tag}").click()
    page.wait_for_url(re.compile(rf".*/console/client/?\?id={client_id}$"))

    # Cancel it: gone from the client page and from Outstanding.
    page.get_by_role("button", name=f"Cancel request {title}").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel request").click()
    expect(page.get_by_role("button", name=f"Cancel request {title}")).to_have_count(0)
    goto_settled(page, portal.url("/console/forms"))
    expect(page.get_by_role("region", name="Outstanding forms").get_by_text(title)) \
        .to_have_count(0)

    # Verify: our signed form's hash is recognised; another is not.
    page.get_by_role("tab", name="Verify a signed form").click()
    page.get_by_label("SHA-256 of the document or of its PDF").fill(digest)
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_role("status").filter(
        has_text=f"This is the document signed by Fiona {tag}")).to_be_visible()
    page.get_by_label("SHA-256 of the document or of its PDF").fill("ab" * 32)
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_role("status").filter(
        has_text="Not a document we hold, or it has been altered.")).to_be_visible()
