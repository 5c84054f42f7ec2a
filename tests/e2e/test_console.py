"""Issue 3's journeys: staff invite a client who signs in through the emailed
link; permission changes and the portal switch reach the client's open tab
live (issue 17), without the client doing anything."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import at, goto_settled, sign_in_staff, wait_for_link

pytestmark = pytest.mark.e2e


def _create_client_with_invitation(page, name: str, email: str) -> None:
    page.get_by_role("link", name="Clients").click()
    page.wait_for_url(at("/console/clients"))
    page.get_by_role("button", name="New client").click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    expect(page.get_by_label("Email OK")).to_be_checked()
    expect(page.get_by_label("Invite to the client portal")).to_be_checked()
    page.get_by_role("button", name="Create client").click()
    page.wait_for_url(re.compile(r".*/console/client/?\?id=\d+"))
    expect(page.get_by_role("status").filter(has_text="has not signed in yet")).to_be_visible()


def _accept_invitation(client_page, portal, email: str) -> None:
    link = wait_for_link(portal.mail_dir, email, r"http://\S+/invite\?key=\S+")
    client_page.goto(link)
    client_page.get_by_role("button", name="Open my portal").click()
    client_page.wait_for_url(at("/welcome"))


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_staff_invites_client_who_accepts_sets_password_and_shows_active(portal, context,
                                                                       browser):
    staff = context.new_page()
    sign_in_staff(staff, portal, portal.staff())
    email = f"invitee-{uuid.uuid4().hex[:8]}@example.test"
    _create_client_with_invitation(staff, "Ines Invitee", email)

    client_ctx = browser.new_context()
    try:
        client = client_ctx.new_page()
        link = wait_for_link(portal.mail_dir, email, r"http://\S+/invite\?key=\S+")
        # Opening the link (as a mail scanner would) consumes nothing.
        assert client_ctx.request.get(link).ok
        _accept_invitation(client, portal, email)
        client.get_by_label("New password").fill("my new portal password")
        client.get_by_role("button", name="Save password").click()
        expect(client.get_by_text("Password saved.", exact=True)).to_be_visible()
        client.get_by_role("button", name="Go to my dashboard").click()
        client.wait_for_url(at("/dashboard"))
        expect(client.get_by_role("main").get_by_text("Ines Invitee")).to_be_visible()

        # The link works once.
        client.goto(link)
        expect(client.get_by_text("expired or was already used")).to_be_visible()
    finally:
        client_ctx.close()

    staff.reload()
    expect(staff.get_by_text("Active", exact=True).first).to_be_visible()
    # On the business clock with the zone named: "Last sign-in: Dec 5, 2026, 10:00 PM EST".
    signed_in = re.compile(r"Last sign-in: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d\s?[AP]M \S+")
    expect(staff.get_by_text(signed_in)).to_be_visible()
    expect(staff.get_by_text("Accepted the invitation")).to_be_visible()


def test_removed_permissions_reach_the_open_tab(portal, context, browser):
    staff = context.new_page()
    sign_in_staff(staff, portal, portal.staff())
    email = f"perm-{uuid.uuid4().hex[:8]}@example.test"
    _create_client_with_invitation(staff, "Mo Messenger", email)

    client_ctx = browser.new_context()
    try:
        client = client_ctx.new_page()
        _accept_invitation(client, portal, email)
        client.goto(portal.url("/documents"))
        nav = client.get_by_role("navigation", name="Main")
        quick = client.get_by_role("complementary")
        main = client.get_by_role("main")
        expect(nav.get_by_role("link", name="Messages")).to_be_visible()
        expect(quick.get_by_text("Share a document")).to_be_visible()
        main.get_by_role("button", name="Share a document").click()
        dialog = client.get_by_role("dialog")
        expect(dialog).to_be_visible()

        # Uploads off: the open dialog closes saying why, and every way to upload goes,
        # at once, without the client doing anything.
        staff.get_by_label("Upload files").uncheck()
        staff.get_by_role("button", name="Save permissions").click()
        expect(staff.get_by_text("Permissions saved")).to_be_visible()
        expect(dialog).to_have_count(0, timeout=5_000)
        expect(client.get_by_text("Sending files is not available to you")).to_be_visible()
        expect(main.get_by_role("button", name="Share a document")).to_have_count(0)
        expect(quick.get_by_text("Share a document")).to_have_count(0)
        expect(nav.get_by_role("link", name="Messages")).to_be_visible()

        # Messaging off: the navigation and the quick action drop it, no action needed.
        staff.get_by_label("Use secure messaging").uncheck()
        staff.get_by_role("button", name="Save permissions").click()
        expect(nav.get_by_role("link", name="Messages")).to_have_count(0, timeout=5_000)
        expect(quick.get_by_text("Send us a message")).to_have_count(0)
        client.goto(portal.url("/messages"))
        client.wait_for_url(at("/dashboard"))
    finally:
        client_ctx.close()


@pytest.mark.ui_only  # once: the scale mode keeps the cross-worker, revocation and webhook journeys
def test_portal_switched_off_shuts_the_client_out(portal, context, browser):
    staff = context.new_page()
    sign_in_staff(staff, portal, portal.staff())
    email = f"closed-{uuid.uuid4().hex[:8]}@example.test"
    _create_client_with_invitation(staff, "Cleo Closed", email)

    client_ctx = browser.new_context()
    try:
        client = client_ctx.new_page()
        _accept_invitation(client, portal, email)
        client.get_by_role("button", name="Go to my dashboard").click()
        client.wait_for_url(at("/dashboard"))

        staff.goto(portal.url("/console/settings"))
        switch = staff.get_by_role("switch", name="Client portal on")
        expect(switch).to_be_checked()
        switch.click()
        expect(staff.get_by_text("Off: nobody can sign in")).to_be_visible()
        try:
            # The open tab leaves for the "closed" page by itself.
            client.wait_for_url(at("/closed"), timeout=5_000)
            expect(client.get_by_role("heading", name="The portal is closed")).to_be_visible()
            # Signed out for good: even with the portal back on, no session remains.
            client.goto(portal.url("/login"))
            client.get_by_label("Email").fill(email)
            client.get_by_role("button", name="Send me a code").click()
            expect(client.get_by_role("alert")).to_contain_text("closed")
        finally:
            staff.get_by_role("switch", name="Client portal on").click()
            expect(staff.get_by_text("On: clients can sign in")).to_be_visible()
        client.goto(portal.url("/dashboard"))
        client.wait_for_url(at("/login"))
    finally:
        client_ctx.close()


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_bulk_send_portal_invite_from_the_list(portal, context):
    prefix = f"Bulk{uuid.uuid4().hex[:6]}"
    emails = portal.plain_clients(prefix, 3)
    staff = context.new_page()
    sign_in_staff(staff, portal, portal.staff())
    staff.goto(portal.url("/console/clients"))
    staff.get_by_label("Search clients").fill(prefix)
    staff.get_by_role("button", name="Apply").click()
    expect(staff.get_by_text("3 clients")).to_be_visible()
    staff.get_by_label("Select all on this page").check()
    expect(staff.get_by_text("3 selected")).to_be_visible()
    staff.get_by_role("button", name="Preview invitation").click()
    expect(staff.get_by_role("dialog")).to_contain_text("invites you to your client portal")
    staff.get_by_role("dialog").get_by_role("button", name="Close").click()
    staff.get_by_role("button", name="Send portal invite").click()
    expect(staff.get_by_role("status").filter(
        has_text="Invitations sent to 3 client(s).")).to_be_visible()
    for email in emails:
        assert wait_for_link(portal.mail_dir, email, r"http://\S+/invite\?key=\S+")
    table = staff.get_by_role("table")
    expect(table.get_by_text("Invited — not signed in yet")).to_have_count(3)
    expect(table.get_by_text("invited today")).to_have_count(3)
    # The paper-clip: the upload permission, named for what it is and what a click does.
    staff.get_by_role("button", name=f"Uploads allowed for {prefix} 0 (turn off)").click()
    expect(staff.get_by_role("button", name=f"Uploads off for {prefix} 0 (turn on)")
           ).to_be_visible()

    # Activation at the first shared document: the share dialog says what sharing does.
    (fresh,) = portal.plain_clients(f"{prefix}Share", 1)
    staff.goto(portal.url("/console/settings"))
    staff.get_by_label("At the first document shared with the client").check()
    staff.get_by_role("button", name="Save activation").click()
    try:
        expect(staff.get_by_text("Activation saved.")).to_be_visible()
        # Settled first: the list's load puts the tab's last search back into the box,
        # and a fill before it lands gets the old text appended.
        goto_settled(staff, portal.url("/console/clients"))
        staff.get_by_label("Search clients").fill(f"{prefix}Share")
        staff.get_by_role("button", name="Apply").click()
        expect(staff.get_by_text("1 clients")).to_be_visible()
        expect(staff.get_by_role("table").get_by_text("Not invited")).to_be_visible()
        staff.get_by_role("link", name=f"{prefix}Share 0").click()
        staff.get_by_role("button", name="Share files").click()
        expect(staff.get_by_role("dialog").get_by_role("status")).to_contain_text(
            "This client will get access to the client portal")
        assert fresh
    finally:
        portal.set_activation("manual")


@pytest.mark.ui_only  # the same flow as in the sqlite mode; scale keeps the live and cross-worker ones
def test_view_as_client_shows_what_the_client_sees(portal, context):
    staff = context.new_page()
    sign_in_staff(staff, portal, portal.staff())
    email = f"view-{uuid.uuid4().hex[:8]}@example.test"
    _create_client_with_invitation(staff, "Vera Viewed", email)
    staff.get_by_label("Use secure messaging").uncheck()
    staff.get_by_role("button", name="Save permissions").click()
    expect(staff.get_by_text("Permissions saved")).to_be_visible()

    staff.get_by_role("button", name="View as client").click()
    staff.wait_for_url(re.compile(r".*/console/client/preview/?\?id=\d+"))
    expect(staff.get_by_role("status").filter(has_text="Preview of what")).to_contain_text(
        "Vera Viewed")
    nav = staff.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Bookings")).to_be_visible()
    expect(nav.get_by_role("link", name="Messages")).to_have_count(0)
    expect(staff.get_by_role("heading", name="Upcoming appointments")).to_be_visible()


def _pending_request(portal, email: str, hours: float) -> None:
    """A request waiting for approval, `hours` from now (a client's booking of a
    service that needs approval)."""
    from sqlmodel import Session

    from models import Booking
    from portal_app.db import make_engine

    booking_id = portal.booking_soon(email, hours=hours)
    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            booking = session.get(Booking, booking_id)
            booking.status, booking.created_by = "pending", "client"
            session.add(booking)
            session.commit()
    finally:
        engine.dispose()


@pytest.mark.ui_only  # once: the scale mode keeps the cross-worker, revocation and webhook journeys
def test_staff_starts_from_today_and_approves_a_request_in_place(portal, context):
    name = f"Tara Prado {uuid.uuid4().hex[:4]}"
    email = portal.household(name)
    _pending_request(portal, email, hours=200 + uuid.uuid4().int % 500)
    staff = context.new_page()
    sign_in_staff(staff, portal, portal.staff())
    staff.wait_for_url(at("/console"))
    requests = staff.get_by_role("region", name="Requests waiting for approval")
    row = requests.get_by_role("listitem").filter(has_text=name)
    expect(row.get_by_text("Pending approval")).to_be_visible()
    row.get_by_role("button", name=re.compile(f"^Approve {name}")).click()
    expect(row.get_by_text("Confirmed", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
    # The feed says so in words, with the client named.
    expect(staff.get_by_role("link", name=re.compile(f"approved {name}.*'s Massage"))).to_be_visible()
