"""Issue 24's journey: staff set the referral program up in the console; a client
opens Referrals (asked for payout details once), joins and copies their link; a new
visitor arrives through it, signs up and pays an invoice in test mode; the referrer's
open page shows the pending commission live; time moves past the hold; staff approve
it and pay it as account credit, which pays the referrer's own open invoice; a refund
after the payout shows the referrer a negative adjustment, which the next payout
deducts. The axe scan runs on each new page as the journey passes through it."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from portal_app import routes
from tests.e2e.a11y import Audit
from tests.e2e.conftest import BROWSER_ZONE
from tests.e2e.journeys import at, goto_settled, read_code, sign_in, sign_in_staff

pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]


def look(audit: Audit, page, view: str) -> None:
    audit.scan(page, view)
    audit.shot(page, view)


def setup_program(staff, portal, audit: Audit) -> None:
    """Referrals on for the business, any client may join, 10 %, 14-day hold, 20.00 minimum."""
    goto_settled(staff, portal.url("/console/settings"))
    switch = staff.locator("#check-app_referrals")
    if not switch.is_checked():
        switch.check()
        staff.get_by_role("button", name="Save apps").click()
        expect(switch).to_be_checked()
    staff.get_by_role("navigation").get_by_role("link", name="Referrals").click()
    staff.wait_for_url(at("/console/referrals"))
    staff.get_by_role("navigation", name="Referrals pages").get_by_role(
        "link", name="Program").click()
    staff.wait_for_url(at("/console/referrals/program"))
    staff.get_by_label("Who may join").select_option("any")
    staff.get_by_label("Commission", exact=True).select_option("percent")
    staff.get_by_label("Percentage (such as 10 or 12.5)").fill("10")
    staff.get_by_label("Payments that earn a commission").select_option("every")
    staff.get_by_label("Hold before approval (days, 0 to 365)").fill("14")
    staff.get_by_label(re.compile(r"^Minimum payout")).fill("20.00")
    staff.get_by_role("button", name="Save program").click()
    expect(staff.get_by_text("Program saved.")).to_be_visible()
    look(audit, staff, "console referral program")


def pay_in_test_mode(page, portal, number: str, amount: str) -> None:
    goto_settled(page, portal.url("/payments"))
    main = page.get_by_role("main")
    main.get_by_role("link", name=re.compile(f"Invoice {number}")).click()
    page.wait_for_url(at("/payments/invoice"))
    main.get_by_role("button", name=re.compile(f"Pay Now \\{amount}")).click()
    page.wait_for_url(at("/pay/test"))
    page.get_by_role("button", name=re.compile(f"Pay \\{amount} \\(test card\\)")).click()
    page.wait_for_url(at("/payments/invoice"))
    expect(main.get_by_text("Payment received. Thank you!")).to_be_visible()


def invoice_id(portal, number: str) -> int:
    from sqlmodel import select

    from models import Invoice

    with portal.session() as session:
        return session.exec(select(Invoice.id).where(Invoice.number == number)).one()


def hold_ends(portal, referrer_email: str) -> None:
    """Time moves past the hold: the referrer's commissions' hold ended a minute ago."""
    from datetime import timedelta

    from sqlmodel import select

    from models import Commission, Referrer
    from models.base import utcnow

    client_id = portal.client_id_of(referrer_email)
    with portal.session() as session:
        referrer = session.exec(select(Referrer).where(Referrer.client_id == client_id)).one()
        for row in session.exec(select(Commission).where(
                Commission.referrer_id == referrer.id)).all():
            row.hold_until = utcnow() - timedelta(minutes=1)
            session.add(row)
        session.commit()


def approve_all(staff, portal, customer: str) -> None:
    goto_settled(staff, portal.url("/console/referrals/commissions"))
    rows = staff.get_by_role("row").filter(has_text=customer).filter(has_text="Pending")
    expect(rows.first).to_be_visible()
    for _ in range(rows.count()):
        rows.first.get_by_role("button", name=re.compile(r"^Approve commission")).click()
        staff.wait_for_timeout(300)
    expect(staff.get_by_role("row").filter(has_text=customer).filter(
        has_text="Pending")).to_have_count(0)


def pay_out(staff, portal, referrer: str, method: str, *, net: str, reference: str = ""):
    goto_settled(staff, portal.url("/console/referrals/payouts"))
    staff.get_by_role("button", name=re.compile(
        "Choose commissions to pay to " + re.escape(referrer))).click()
    staff.get_by_role("button", name="Pay out…").click()
    dialog = staff.get_by_role("dialog")
    expect(dialog).to_contain_text(net)
    dialog.get_by_label("Method").select_option(method)
    if reference:
        dialog.get_by_label(re.compile(r"^Reference")).fill(reference)
    dialog.get_by_role("button", name="Record payout").click()
    expect(dialog).to_be_hidden()
    return dialog


def test_a_referrer_earns_on_a_new_customer_and_is_paid_without_disputes(
        portal, browser, context):
    audit = Audit("axe-referrals", "desktop")
    tag = uuid.uuid4().hex[:5]
    referrer_name = f"Rita Referrer {tag}"
    referrer_email = portal.household(referrer_name)
    visitor_name = f"Vera Visitor {tag}"
    visitor_email = f"e2e-visitor-{tag}@example.test"

    # 1. Staff: the program.
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 800},
                                    timezone_id=BROWSER_ZONE)
    staff_ctx.set_default_timeout(20_000)
    staff = staff_ctx.new_page()
    sign_in_staff(staff, portal, portal.staff())
    setup_program(staff, portal, audit)

    # 2. The referrer: payout details asked once, then the program; join, the link.
    page = context.new_page()
    sign_in(page, portal, referrer_email)
    goto_settled(page, portal.url("/referrals"))
    page.wait_for_url(re.compile(r".*/complete-profile.*"))
    page.get_by_label("Payout details").fill("Account credit, please")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(at("/referrals"))
    look(audit, page, "referrals, not joined")
    page.get_by_role("button", name="Join the program").click()
    link_box = page.get_by_label("Your referral link")
    expect(link_box).to_have_value(re.compile(r".*/r/[A-Z0-9]{8}$"))
    expect(page.get_by_role("img", name="QR code of your referral link")).to_be_visible()
    page.get_by_role("button", name="Copy link").click()
    link = link_box.input_value()
    look(audit, page, "referrals, joined")
    own_invoice = portal.invoice(referrer_email, "20.00", "Massage")

    # 3. A new visitor through the link: the sign-up page, an account, an invoice paid.
    visitor_ctx = browser.new_context(timezone_id=BROWSER_ZONE)
    visitor_ctx.set_default_timeout(20_000)
    try:
        visitor = visitor_ctx.new_page()
        visitor.goto(link)
        visitor.wait_for_url(at("/register"))
        assert any(c["name"] == "portal_ref" for c in visitor_ctx.cookies())
        visitor.get_by_label("Full name").fill(visitor_name)
        visitor.get_by_label("Email").fill(visitor_email)
        visitor.get_by_label("Password").fill("a long visitor password")
        visitor.get_by_role("button", name="Create account").click()
        code = read_code(visitor_ctx, portal, visitor_email, subject="Confirm your email")
        visitor.get_by_label("6-digit code").fill(code)
        visitor.get_by_role("button", name="Verify and continue").click()
        visitor.wait_for_url(re.compile(r".*/(dashboard|select-account)/?$"))
        first = portal.invoice(visitor_email, "250.00", "Coaching package")

        # The referrer's page is open: the pending commission arrives live.
        pending = page.get_by_role("row").filter(has_text="Pending").filter(has_text="$25.00")
        expect(pending).to_have_count(0)
        pay_in_test_mode(visitor, portal, first, "$250.00")
        expect(pending).to_be_visible()
        expect(page.get_by_role("row").filter(has_text="A customer, first payment on")
               ).not_to_have_count(0)
        expect(page.get_by_text(visitor_name)).to_have_count(0)  # never the customer's name

        # 4. Past the hold: staff approve and pay it as account credit.
        hold_ends(portal, referrer_email)
        approve_all(staff, portal, visitor_name)
        look(audit, staff, "console referral commissions")
        pay_out(staff, portal, referrer_name, "account_credit", net="$25.00")
        look(audit, staff, "console referral payouts")

        # The referrer's own open invoice took the credit.
        goto_settled(page, portal.url(routes.invoice_page(invoice_id(portal, own_invoice))))
        main = page.get_by_role("main")
        expect(main.locator(".rt-Badge").filter(has_text=re.compile("^Paid$"))).to_be_visible()
        expect(main.get_by_text("Account credit").first).to_be_visible()

        # 5. A refund after the payout: a visible negative adjustment ...
        goto_settled(staff, portal.url("/console/invoices"))
        staff.get_by_placeholder("Client or number").fill(first)
        staff.get_by_placeholder("Client or number").press("Enter")
        staff.get_by_role("row").filter(has_text=first).first.get_by_role("link").first.click()
        staff.wait_for_url(re.compile(r".*/console/invoice\?id=\d+$"))
        staff.get_by_role("button", name=re.compile(r"^Refund ")).click()
        dialog = staff.get_by_role("dialog")
        dialog.get_by_label("Amount (USD)").fill("100.00")
        dialog.get_by_role("button", name="Refund").click()
        expect(dialog).to_be_hidden()
        expect(staff.get_by_text("Refunded.")).to_be_visible()

        goto_settled(page, portal.url("/referrals"))
        adjustment = page.get_by_role("row").filter(has_text=f"Refund on {first} after payout")
        expect(adjustment).to_contain_text("-$10.00")
        expect(adjustment).to_contain_text("Deducted from your next payout")
        look(audit, page, "referrals, adjustment")

        # ... that the next payout deducts: 30.00 earned on a second payment, less 10.00.
        second = portal.invoice(visitor_email, "300.00", "Second package")
        pay_in_test_mode(visitor, portal, second, "$300.00")
        hold_ends(portal, referrer_email)
        approve_all(staff, portal, visitor_name)
        pay_out(staff, portal, referrer_name, "bank_transfer", net="$20.00",
                reference=f"BANK-{tag}")
    finally:
        visitor_ctx.close()

    goto_settled(page, portal.url("/referrals"))
    expect(page.get_by_role("row").filter(has_text=f"BANK-{tag}")).to_contain_text("$20.00")
    expect(page.get_by_role("row").filter(has_text=f"Refund on {first} after payout")
           ).not_to_contain_text("Deducted from your next payout")
    staff_ctx.close()
    audit.finish()
