"""Issue 5's journeys: the demo client opens an invoice, downloads its PDF,
pays it in test mode, sees it paid, gets a receipt email and receipt PDF,
and staff see it paid; a partial payment with the "+" button; a Stripe
webhook delivered to the running server turns the payer's open tab to Paid
without a reload, as does staff sending an invoice for the open dashboard."""

import io
import json
import re
import time

import httpx
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import E2E_WEBHOOK_SECRET
from tests.e2e.journeys import at, emails_to, sign_in, sign_in_staff
from tests.fake_stripe import sign_payload

pytestmark = pytest.mark.e2e

DEMO_CLIENT = "client@demo.test"


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def download(page, name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def receipt_email(portal, email: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for msg in reversed(emails_to(portal.mail_dir, email)):
            if msg["Subject"].startswith("Receipt RCT-"):
                return msg
        time.sleep(0.3)
    raise AssertionError(f"no receipt email to {email}")


def open_payments(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payments").click()
    page.wait_for_url(at("/payments"))


@pytest.mark.ui_only  # once: the scale mode keeps the cross-worker, revocation and webhook journeys
def test_demo_client_downloads_pays_and_gets_a_receipt(portal, context, browser):
    page = context.new_page()
    sign_in(page, portal, DEMO_CLIENT)
    page.wait_for_url(at("/select-account"))
    page.get_by_role("button", name="You as a client").click()
    page.wait_for_url(at("/dashboard"))
    # The Total due card: INV-0001's $95.00 and the demo history's open $400.00
    # (services/demo_billing_history.py).
    expect(page.get_by_text("$495.00", exact=True)).to_be_visible()

    open_payments(page)
    main = page.get_by_role("main")
    expect(main.get_by_text("Total due:")).to_contain_text("$495.00")
    main.get_by_role("link", name=re.compile("Invoice INV-0001")).click()
    page.wait_for_url(at("/payments/invoice"))
    expect(main.get_by_text("Aromatherapy add-on")).to_be_visible()

    text = pdf_text(download(page, "Download PDF"))
    assert "INV-0001" in text and "$95.00" in text and "Aromatherapy add-on" in text

    main.get_by_role("button", name=re.compile(r"Pay Now \$95\.00")).click()
    page.wait_for_url(at("/pay/test"))
    expect(page.get_by_text("TEST MODE")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Pay \$95\.00 \(test card\)")).click()
    page.wait_for_url(at("/payments/invoice"))
    expect(main.get_by_text("Payment received. Thank you!")).to_be_visible()
    expect(main.locator(".rt-Badge").filter(has_text=re.compile("^Paid$"))).to_be_visible()
    expect(main.get_by_role("button", name=re.compile("Pay Now"))).to_have_count(0)

    msg = receipt_email(portal, DEMO_CLIENT)
    assert "$95.00" in msg["Subject"]
    pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1
    receipt_number = re.search(r"RCT-\d+", msg["Subject"]).group(0)
    assert receipt_number in pdf_text(pdfs[0].get_content())

    open_payments(page)
    page.get_by_role("tab", name="Paid").click()
    # A paid invoice is listed at its total with what was paid and when (not "$0.00").
    expect(main.get_by_text(re.compile(r"^Paid \$95\.00 on .+ [A-Z]{3,5}$"))).to_be_visible()
    main.get_by_role("link", name=f"Receipt {receipt_number}").click()
    page.wait_for_url(at("/payments/receipt"))
    expect(main.get_by_text("$95.00").first).to_be_visible()
    receipt_text = pdf_text(download(page, "Download PDF"))
    assert receipt_number in receipt_text and "INV-0001" in receipt_text

    staff_ctx = browser.new_context()
    try:
        staff = staff_ctx.new_page()
        sign_in_staff(staff, portal, portal.staff())
        staff.get_by_role("link", name="Invoices").click()
        staff.wait_for_url(at("/console/invoices"))
        row = staff.get_by_role("row").filter(has_text="INV-0001")
        expect(row.get_by_text("Paid", exact=True)).to_be_visible()
    finally:
        staff_ctx.close()


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_partial_payment_with_the_plus_button(portal, context):
    email = portal.household("Pat Partial")
    number = portal.invoice(email, "120.00")
    page = context.new_page()
    sign_in(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    open_payments(page)
    page.get_by_role("main").get_by_role("button", name="Make a payment").click()
    dialog = page.get_by_role("dialog")
    amount = dialog.get_by_label("Amount")
    expect(amount).to_have_value("120.00")
    amount.fill("500.00")
    dialog.get_by_role("button", name="Continue to payment").click()
    expect(dialog.get_by_text("The most you can pay is the balance")).to_be_visible()
    amount.fill("50.00")
    dialog.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(at("/pay/test"))
    page.get_by_role("button", name=re.compile(r"Pay \$50\.00")).click()
    page.wait_for_url(at("/payments/invoice"))
    main = page.get_by_role("main")
    expect(main.get_by_text("Partially paid")).to_be_visible()
    expect(main.get_by_role("button", name=re.compile(r"Pay Now \$70\.00"))).to_be_visible()
    open_payments(page)
    expect(main.get_by_text("Total due:")).to_contain_text("$70.00")
    expect(main.get_by_text(f"Invoice {number}")).to_be_visible()


# Once: in the scale mode test_scale_out.py proves both pushes across workers (a
# webhook taken by either node, and a console event on the staff tab's own node,
# reaching client tabs held on each node).
@pytest.mark.ui_only
def test_sent_invoice_and_webhook_reach_the_open_tab_without_reload(portal, context, browser):
    email = portal.household("Wes Webhook")
    number = portal.invoice(email, "40.00", sent=False)  # a draft: the client sees nothing
    page = context.new_page()
    sign_in(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    main = page.get_by_role("main")
    expect(main.get_by_text("Nothing to pay.")).to_be_visible()
    bell = page.get_by_role("button", name=re.compile("^Notifications"))
    expect(bell).to_have_accessible_name("Notifications")

    # Staff send it from the console: the client's open dashboard shows what is due
    # and the bell counts the notice, without a reload.
    staff_ctx = browser.new_context()
    try:
        staff = staff_ctx.new_page()
        sign_in_staff(staff, portal, portal.staff())
        staff.goto(portal.url(f"/console/invoice?number={number}"))
        staff.get_by_role("button", name="Send to client").click()
        staff.get_by_role("dialog").get_by_role("button", name="Send", exact=True).click()
        expect(staff.get_by_text("The invoice was sent to the client.")).to_be_visible()
        expect(main.get_by_text("$40.00", exact=True)).to_be_visible(timeout=5_000)
        expect(bell).to_have_accessible_name("Notifications, 1 unread", timeout=5_000)
    finally:
        staff_ctx.close()

    open_payments(page)
    main.get_by_role("button", name=f"Pay Now {number}").click()
    page.wait_for_url(at("/pay/test"))
    session_id = portal.checkout_session_of(number)
    assert session_id
    page.go_back()
    page.wait_for_url(at("/payments"))
    expect(main.get_by_role("button", name=f"Pay Now {number}")).to_be_visible()

    event = {"id": f"evt_e2e_{session_id}", "type": "checkout.session.completed",
             "data": {"object": {"id": session_id, "amount_total": 4000, "currency": "usd",
                                 "payment_status": "paid", "payment_intent": "pi_e2e_1",
                                 "metadata": {}}}}
    body = json.dumps(event).encode()
    url = portal.url("/api/stripe/webhook")
    bad = httpx.post(url, content=body, headers={"Stripe-Signature": sign_payload(
        body, "whsec_wrong")})
    assert bad.status_code == 400
    expect(main.get_by_role("button", name=f"Pay Now {number}")).to_be_visible()
    for _ in range(2):  # a redelivery changes nothing
        ok = httpx.post(url, content=body, headers={
            "Stripe-Signature": sign_payload(body, E2E_WEBHOOK_SECRET)})
        assert ok.status_code == 200
    # No reload: the open tab's list moves the invoice off the Open tab by itself.
    expect(main.get_by_role("button", name=f"Pay Now {number}")).to_have_count(0)
    expect(main.get_by_text("Total due:")).to_contain_text("$0.00")
    assert len([m for m in emails_to(portal.mail_dir, email)
                if m["Subject"].startswith("Receipt")]) <= 1
