"""Issue 20's journey: the demo client's statement shows the aging and which invoice a
payment paid, and its PDF carries the same; a client pays a statement's balance in
one checkout (applied oldest first); staff turn superbills on, the pre-flight names
the missing CPT code and diagnosis, staff fix both, and the client downloads a
superbill whose PDF carries the NPI, CPT, ICD-10 code and amounts.

The balance is paid by a household of its own, so the demo client's invoices stay
as the payments journey expects them, in whatever order the files run."""

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import BROWSER_ZONE
from tests.e2e.journeys import at, sign_in, sign_in_staff
from tests.e2e.test_payments import DEMO_CLIENT, download, open_payments, pdf_text

# The whole capability in one mode: the payment path is the one the payments
# journeys run in both modes.
pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]

DEMO_NPI = "1234567893"


def _db(portal):
    from sqlmodel import Session

    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    return engine, Session(engine)


def _backdate(portal, number: str, *, issued: date, due: date) -> None:
    from sqlmodel import select

    from models import Invoice

    engine, session = _db(portal)
    with session:
        invoice = session.exec(select(Invoice).where(Invoice.number == number)).one()
        invoice.issue_date, invoice.due_date = issued, due
        session.add(invoice)
        session.commit()
    engine.dispose()


def _superbill_world(portal, email: str) -> dict:
    """Superbills off; a client with date of birth, member id and address, and one
    attended session of a service that has no CPT code; no diagnosis."""
    from sqlmodel import select

    from models import (
        Booking,
        Business,
        Client,
        PortalAccount,
        Service,
        ServiceProvider,
        StaffUser,
    )

    engine, session = _db(portal)
    with session:
        business = session.exec(select(Business)).one()
        business.superbills_enabled = False
        client = session.exec(select(Client).join(
            PortalAccount, PortalAccount.id == Client.account_id).where(
            PortalAccount.email == email)).one()
        client.date_of_birth = date(1990, 4, 2)
        client.insurance_member_id = "MEM-77"
        client.address = "12 Harbour Road, Portland ME"
        name = f"Assessment {uuid.uuid4().hex[:5]}"
        service = Service(name=name, duration_minutes=60, price_minor=12000, currency="USD")
        staff = session.exec(select(StaffUser).order_by(StaffUser.id)).first()
        local = datetime.now(ZoneInfo(BROWSER_ZONE)) - timedelta(days=3)
        start = local.replace(hour=10, minute=0, second=0, microsecond=0).astimezone(UTC)
        session.add_all([business, client, service])
        session.flush()
        session.add(ServiceProvider(service_id=service.id, staff_id=staff.id))
        session.add(Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                            start_at=start, end_at=start + timedelta(minutes=60),
                            status="confirmed", created_by="staff"))
        session.commit()
        world = {"client_id": client.id, "service": name, "day": local.date()}
    engine.dispose()
    return world


def open_statements(page):
    open_payments(page)
    page.get_by_role("tab", name="Statements").click()
    page.wait_for_url(at("/payments/statements"))


def test_demo_statement_shows_aging_and_allocation_and_its_pdf(portal, context):
    page = context.new_page()
    sign_in(page, portal, DEMO_CLIENT)
    page.wait_for_url(at("/select-account"))
    page.get_by_role("button", name="You as a client").click()
    page.wait_for_url(at("/dashboard"))
    open_statements(page)
    main = page.get_by_role("main")
    aging = main.get_by_role("table", name="Aging of what is open")
    # The demo intake, 45+ days past due, and the open sessions of this month.
    expect(aging).to_contain_text("$180.00")
    expect(main.get_by_text(re.compile(r"Paid INV-\d+ \$60\.00"))).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Dates are in \w+/\w+\.$"))).to_be_visible()
    text = pdf_text(download(page, "Download PDF"))
    assert "$180.00" in text and re.search(r"Paid INV-\d+ \$60\.00", text), text


def test_client_pays_the_balance_of_a_statement_oldest_first(portal, context):
    email = portal.household("Pat Balance")
    old = portal.invoice(email, "50.00", "Intake session")
    new = portal.invoice(email, "30.00", "Follow-up")
    today = datetime.now(ZoneInfo(BROWSER_ZONE)).date()
    _backdate(portal, old, issued=today - timedelta(days=45), due=today - timedelta(days=40))

    page = context.new_page()
    sign_in(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    open_statements(page)
    main = page.get_by_role("main")
    expect(main.get_by_role("table", name="Aging of what is open")).to_contain_text("$50.00")
    main.get_by_role("button", name=re.compile(r"Pay balance \$80\.00")).click()
    page.wait_for_url(at("/pay/test"))
    expect(page.get_by_text(old)).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Pay \$80\.00 \(test card\)")).click()
    page.wait_for_url(at("/payments/statements"))
    expect(main.get_by_text(f"Paid {old} $50.00 (applied oldest first)")).to_be_visible()
    expect(main.get_by_text(f"Paid {new} $30.00 (applied oldest first)")).to_be_visible()
    expect(main.get_by_role("button", name=re.compile("Pay balance"))).to_have_count(0)


def test_staff_fix_what_the_preflight_names_and_the_client_downloads_the_superbill(
        portal, context, browser):
    email = portal.household("Sam Superbill")
    world = _superbill_world(portal, email)
    first = (world["day"] - timedelta(days=1)).isoformat()
    last = datetime.now(ZoneInfo(BROWSER_ZONE)).date().isoformat()

    staff_ctx = browser.new_context(timezone_id=BROWSER_ZONE)
    try:
        staff = staff_ctx.new_page()
        sign_in_staff(staff, portal, portal.staff())
        staff.goto(portal.url("/console/settings"))
        switch = staff.get_by_role("switch", name="We bill clients who claim from insurance")
        switch.click()
        expect(switch).to_be_checked()

        def produce():
            form = staff.locator("form").filter(
                has=staff.get_by_role("button", name="Produce superbill"))
            form.get_by_label("Range").select_option("custom")
            form.get_by_label("First day").fill(first)
            form.get_by_label("Last day").fill(last)
            form.get_by_role("button", name="Produce superbill").click()

        client_url = portal.url(f"/console/client?id={world['client_id']}")
        staff.goto(client_url)
        produce()
        alert = staff.get_by_role("alert").filter(has_text="Missing before this superbill")
        expect(alert).to_contain_text(f"Service '{world['service']}' has no CPT code")
        expect(alert).to_contain_text("1 session in")
        expect(alert).to_contain_text("has no diagnosis dated on or before it")

        staff.get_by_role("link", name=f"Service '{world['service']}' has no CPT code").click()
        staff.wait_for_url(at("/console/services"))
        staff.get_by_role("button", name=f"Edit {world['service']}").click()
        dialog = staff.get_by_role("dialog")
        dialog.get_by_label("CPT code").fill("9079")
        dialog.get_by_role("button", name="Save service").click()
        expect(dialog.get_by_text("Enter a CPT code of five characters")).to_be_visible()
        dialog.get_by_label("CPT code").fill("90791")
        dialog.get_by_role("button", name="Save service").click()
        expect(dialog).to_be_hidden()

        staff.goto(client_url)
        diagnosis = staff.locator("form").filter(
            has=staff.get_by_role("button", name="Add diagnosis"))
        diagnosis.get_by_label("ICD-10 code").fill("F41.1")
        diagnosis.get_by_label("Description").fill("Generalized anxiety disorder")
        diagnosis.get_by_label("From", exact=True).fill(
            (world["day"] - timedelta(days=30)).isoformat())
        diagnosis.get_by_role("button", name="Add diagnosis").click()
        expect(staff.get_by_text("F41.1").first).to_be_visible()
        produce()
        expect(staff.get_by_role("link", name=re.compile("Download the superbill of"))).to_be_visible()
    finally:
        staff_ctx.close()

    page = context.new_page()
    sign_in(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    open_payments(page)
    page.get_by_role("tab", name="Superbills").click()
    page.wait_for_url(at("/payments/superbills"))
    text = pdf_text(download(page, "Download PDF"))
    for needle in (DEMO_NPI, "90791", "F41.1", "$120.00", "Sam Superbill"):
        assert needle in text, (needle, text)
