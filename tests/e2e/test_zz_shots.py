"""Issue 19's "Done when" journey. Staff (desktop) set the demo "New client"
packet to go out when a client is created and create a client with Email OK and
an invitation; the client gets both emails, follows the invitation on a phone,
fills the information form halfway, reloads and finds the answers kept, finishes
it (a show-if question appears), submits, draws a signature on the consent form,
agrees to sign electronically, submits, and finds both signed PDFs in Documents.
Staff then see both forms "Completed" and the mapped profile fields filled; the
PDF (downloaded from the client page) carries the answers and the audit page;
Console → Forms → Verify accepts the PDF and refuses a copy with one byte changed.
The consent form passes axe (WCAG 2.1 AA, serious and critical)."""

import io
import re
import time
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.a11y import axe_problems
from tests.e2e.conftest import BROWSER_ZONE
from tests.e2e.journeys import at, goto_settled, page_load_settled, sign_in_staff, wait_for_link

pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]
PHONE = {"width": 390, "height": 844}
INVITE = r"http://\S+/invite\?key=\S+"


def set_packet_trigger_by_hand(portal, name: str) -> None:
    """Put the packet back to "Sent by hand" (other journeys create clients)."""
    from sqlmodel import Session, select

    from models import FormPacket, PacketTrigger
    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            packet = session.exec(select(FormPacket).where(FormPacket.name == name)).one()
            packet.trigger = PacketTrigger.MANUAL
            session.add(packet)
            session.commit()
    finally:
        engine.dispose()


def draft_keys(portal, client_id: int) -> set[str]:
    from sqlmodel import Session, select

    from models import FormDraftAnswer, FormRequest
    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return set(session.exec(select(FormDraftAnswer.field_key).join(
                FormRequest, FormRequest.id == FormDraftAnswer.request_id).where(
                FormRequest.client_id == client_id)).all())
    finally:
        engine.dispose()


def _saved(page, portal, client_id: int, key: str) -> None:
    """The answer reached the server's draft (the page says "Saved" too)."""
    deadline = time.monotonic() + 15
    while key not in draft_keys(portal, client_id):
        assert time.monotonic() < deadline, f"{key} was never saved"
        page.wait_for_timeout(100)
    expect(page.get_by_role("status").filter(has_text=re.compile("^Saved"))).to_be_visible()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def staff_sets_packet_and_creates_client(staff, name: str, email: str) -> int:
    """Console → Forms → Packets: "New client" goes out when a client is created;
    then Clients → New client (Email OK, invited). Returns the new client's id."""
    staff.get_by_role("navigation", name="Console").get_by_role("link", name="Forms").click()
    staff.wait_for_url(at("/console/forms"))
    staff.get_by_role("tab", name="Packets").click()
    staff.get_by_role("button", name="Edit New client", exact=True).click()
    staff.get_by_label("When it is sent").select_option(label="When a client is created")
    staff.get_by_role("button", name="Save packet").click()
    row = staff.get_by_role("region", name="Packets").get_by_role("row").filter(
        has=staff.get_by_role("cell", name="New client", exact=True))
    expect(row).to_contain_text("When a client is created")
    staff.screenshot(path='/tmp/shots/01_packets.png', full_page=True)

    staff.get_by_role("navigation", name="Console").get_by_role("link", name="Clients").click()
    staff.wait_for_url(at("/console/clients"))
    staff.get_by_role("button", name="New client").click()
    staff.get_by_label("Full name").fill(name)
    staff.get_by_label("Email", exact=True).fill(email)
    expect(staff.get_by_label("Email OK")).to_be_checked()
    expect(staff.get_by_label("Invite to the client portal")).to_be_checked()
    staff.get_by_role("button", name="Create client").click()
    staff.wait_for_url(re.compile(r".*/console/client/?\?id=\d+"))
    # The packet went out with the new record: both forms are "Sent" on its page.
    for title in ("Consent to treatment", "Client information"):
        expect(staff.get_by_role("group", name=title).get_by_text("Sent", exact=True)) \
            .to_be_visible()
    return int(re.search(r"id=(\d+)", staff.url).group(1))


def test_zz_shots_staff_send_the_new_client_packet_on_creation_and_the_client_signs_it_on_a_phone(
        portal, context, browser, tmp_path):
    tag = uuid.uuid4().hex[:6]
    name, email = f"Fran Forms {tag}", f"fran-{tag}@example.test"
    staff = context.new_page()
    sign_in_staff(staff, portal, portal.staff())
    try:
        client_id = staff_sets_packet_and_creates_client(staff, name, email)
    finally:
        set_packet_trigger_by_hand(portal, "New client")

    # Both emails: the invitation and the forms.
    link = wait_for_link(portal.mail_dir, email, INVITE)
    assert wait_for_link(portal.mail_dir, email, r"http://\S+/forms\b")

    ctx = browser.new_context(viewport=PHONE, timezone_id=BROWSER_ZONE, has_touch=False)
    ctx.set_default_timeout(20_000)
    try:
        page = ctx.new_page()
        page.goto(link)
        page.get_by_role("button", name="Open my portal").click()
        page.wait_for_url(at("/welcome"))
        main = page.get_by_role("main")

        with page_load_settled(page):
            page.goto(portal.url("/forms"))
        expect(main.get_by_text("Form 1 of 2")).to_be_visible()
        page.screenshot(path='/tmp/shots/02_forms_list.png', full_page=True)
        main.get_by_role("link", name=re.compile("Client information")).click()
        page.wait_for_url(re.compile(r"/forms/form\?id=\d+"))
        expect(main.get_by_text("Form 2 of 2")).to_be_visible()
        expect(main.get_by_label("Full name")).to_have_value(name)

        # halfway, then a reload: the answers were saved on the server as typed
        main.get_by_label("Mobile phone").fill("+1 212 736 5000")
        _saved(page, portal, client_id, "phone")
        main.get_by_label("Date of birth").fill("1990-02-03")
        _saved(page, portal, client_id, "date_of_birth")
        expect(main.get_by_label("Please describe them")).to_have_count(0)
        with page_load_settled(page):
            page.reload()
        expect(main.get_by_label("Mobile phone")).to_have_value("+1 212 736 5000")
        expect(main.get_by_label("Date of birth")).to_have_value("1990-02-03")
        page.screenshot(path='/tmp/shots/03_form_reloaded.png', full_page=True)

        # a show-if question appears with its answer
        main.get_by_role("radio", name="Yes").click()
        main.get_by_label("Please describe them").fill("Mild asthma")
        _saved(page, portal, client_id, "conditions_detail")
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
        page.screenshot(path='/tmp/shots/04_signature.png', full_page=True)
        assert axe_problems(page, "consent form") == []
        main.get_by_role("textbox", name="Date (required)").fill(datetime.now(UTC).date().isoformat())
        _saved(page, portal, client_id, "signed_on")
        agree = main.get_by_label("I agree to sign electronically")
        agree.click()  # a controlled box: it shows ticked once the server has it
        expect(agree).to_be_checked()
        main.get_by_role("button", name="Submit").click()
        page.wait_for_url(at("/forms"))
        expect(main.get_by_text("Nothing to fill in right now.")).to_be_visible()
        expect(main.get_by_role("link", name="Signed PDF")).to_have_count(2)
        page.screenshot(path='/tmp/shots/05_forms_done.png', full_page=True)

        with page_load_settled(page):
            page.goto(portal.url("/documents"))
        expect(main.get_by_role("link", name="Consent to treatment (signed)")).to_be_visible()
        expect(main.get_by_role("link", name="Client information (signed)")).to_be_visible()
    finally:
        ctx.close()

    # Staff: both forms completed, the mapped profile field filled.
    goto_settled(staff, portal.url(f"/console/client?id={client_id}"))
    for title in ("Consent to treatment", "Client information"):
        expect(staff.get_by_role("group", name=title).get_by_text("Completed", exact=True)
               .first).to_be_visible()
    expect(staff.get_by_label("Mobile", exact=True)).to_have_value("+1 212-736-5000")
    expect(staff.get_by_text("Date of birth: Feb 3, 1990")).to_be_visible()
    staff.screenshot(path='/tmp/shots/06_staff_client.png', full_page=True)

    # The PDF, as the client page links it: the answers and the audit page.
    with staff.expect_download() as info:
        staff.get_by_role("link", name="Download the PDF of Client information").click()
    data = info.value.path().read_bytes()
    pdf, altered = tmp_path / "signed.pdf", tmp_path / "altered.pdf"
    pdf.write_bytes(data)
    text = pdf_text(data)
    for answer in (name, "+1 212-736-5000", "Mild asthma", "Signature record", email,
                   "Document SHA-256"):
        assert answer in text, answer

    # Verify accepts the PDF and refuses it with one byte changed.
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    altered.write_bytes(bytes(changed))
    goto_settled(staff, portal.url("/console/forms"))
    staff.get_by_role("tab", name="Verify a signed form").click()
    upload = staff.get_by_label("Select the PDF", exact=True)
    for path, verdict in ((pdf, f"This is the document signed by {name}"),
                          (altered, "Not a document we hold, or it has been altered.")):
        upload.set_input_files(str(path))
        staff.get_by_role("button", name="Verify the PDF").click()
        expect(staff.get_by_role("status").filter(has_text=verdict)).to_be_visible()
        staff.screenshot(path='/tmp/shots/07_verify.png', full_page=True)
