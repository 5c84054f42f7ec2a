"""Issue 23's journey, two clients in two browsers: staff turn Community on, make an
entitlement-only group and a paid offer that includes it; client A buys the offer
in test mode and is in the group at once (after choosing a display name), and
posts; client B, made a member by staff from the console, sees A's post, and A's
next post arrives in B's open tab without a reload; B reacts and @mentions A, and
A's bell shows the mention live; B reports A's comment, staff hide it from the
console's moderation queue and it leaves B's page; staff ban B, whose next action
shuts them out (the ban refreshes their open tab, which leaves the group at once);
the next morning's digest (the clock moved forward through the
`portal community-digest --at` command) reaches A, who kept the digest, once. The
axe scan runs on each new page as the journey passes through it."""

import os
import re
import subprocess
import sys
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import Audit
from tests.e2e.conftest import BROWSER_ZONE
from tests.e2e.journeys import at, emails_to, goto_settled, sign_in, sign_in_staff

pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]

PRICE = "$15.00"


def look(audit: Audit, page, view: str) -> None:
    """The axe scan and screenshot, once the toasts are gone (sliding in or out their
    text is partly transparent, which axe reads as too little contrast)."""
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=15_000)
    audit.scan(page, view)
    audit.shot(page, view)


def community_on(staff, portal, audit: Audit, group: str, offer: str) -> str:
    """Community on (not open to all), an entitlement-only group, a paid offer with it."""
    goto_settled(staff, portal.url("/console/community"))
    app_on = staff.locator("#community-app-on")
    if not app_on.is_checked():
        app_on.check()
        staff.locator("#community-app-open").uncheck()
        staff.get_by_role("button", name="Save", exact=True).first.click()
        expect(app_on).to_be_checked()
    staff.get_by_role("button", name="New group").click()
    dialog = staff.get_by_role("dialog")
    dialog.get_by_label("Name").fill(group)
    dialog.get_by_label("Who may join").select_option("entitled")
    dialog.get_by_role("button", name="Create group").click()
    staff.wait_for_url(re.compile(r".*/console/community/group\?id=\d+$"))
    expect(staff.get_by_role("heading", name=group)).to_be_visible()
    group_url = staff.url
    look(audit, staff, "console community group")

    staff.get_by_role("navigation").get_by_role("link", name="Offers").click()
    staff.wait_for_url(at("/console/offers"))
    staff.get_by_role("button", name="New offer").click()
    staff.get_by_label("Name").fill(offer)
    staff.get_by_label("Price (empty or 0 = free)").fill("15.00")
    staff.get_by_label("Status").select_option("active")
    staff.get_by_role("group", name="Gives access to").get_by_label(f"Group: {group}").check()
    staff.get_by_role("button", name="Save offer").click()
    expect(staff.get_by_role("row").filter(has_text=offer)).to_contain_text(PRICE)
    return group_url


def open_community(page, portal, display_name: str) -> None:
    """Community is in the app switcher; the first visit asks for the display name once."""
    page.get_by_role("button", name="Apps").click()
    expect(page.get_by_role("menuitem", name="Community")).to_be_visible()
    page.keyboard.press("Escape")
    goto_settled(page, portal.url("/community"))
    page.wait_for_url(re.compile(r".*/complete-profile\?.*"))
    goto_settled(page, page.url)  # the redirect's own page load settled before typing
    page.get_by_label("Display name").fill(display_name)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(at("/community"))


def write_post(page, title: str, body: str) -> None:
    page.locator("#post-title").fill(title)
    page.locator("#post-body").fill(body)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def post_card(page, title: str):
    return page.get_by_role("main").locator(".rt-Card").filter(
        has=page.get_by_role("heading", name=title))


def zone_before_dawn(portal, email: str) -> str:
    """Give the client a zone where it is now about 03:00 (a fixed-offset zone), so the
    running portal's own digest job does not send today's digest during the journey,
    and return the moment of that zone's coming 07:05 (UTC, ISO): the next morning."""
    from sqlmodel import select

    from models import Client

    now = datetime.now(ZoneInfo("UTC"))
    offset = (3 - now.hour + 12) % 24 - 12  # -12..+11 hours: local hour 3
    zone = "Etc/GMT" + (f"{-offset:+d}" if offset else "")
    with portal.session() as session:
        client = session.exec(select(Client).where(Client.email == email)).one()
        client.timezone = zone
        client.timezone_detected_at = now  # chosen: the browser's zone does not replace it
        session.add(client)
        session.commit()
    local = now.astimezone(ZoneInfo(zone))
    return local.replace(hour=7, minute=5, second=0, microsecond=0).astimezone(
        ZoneInfo("UTC")).isoformat()


def run_digest(portal, moment: str) -> None:
    env = {**os.environ, **portal.env}
    done = subprocess.run([sys.executable, "-m", "portal_app.cli", "community-digest",
                           "--at", moment], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def expect_one_digest(portal, email: str, moment: str, title: str) -> None:
    """That morning's digest, once: one DigestRun row for the client's day, one queued
    email (its idempotency key names the day), and one message in their mailbox,
    naming A's post."""
    from sqlmodel import select

    from models import Business, Client, DigestRun, OutboxMessage
    from portal_app.i18n.formats import date_text

    with portal.session() as session:
        client = session.exec(select(Client).where(Client.email == email)).first()
        zone = client.timezone or session.exec(select(Business)).first().timezone or "UTC"
        day = datetime.fromisoformat(moment).astimezone(ZoneInfo(zone)).date()
        runs = session.exec(select(DigestRun).where(DigestRun.client_id == client.id,
                                                    DigestRun.day == day)).all()
        queued = session.exec(select(OutboxMessage).where(
            OutboxMessage.idempotency_key == f"community-digest-{client.id}-{day.isoformat()}"
        )).all()
    assert len(runs) == 1 and runs[0].items >= 1 and len(queued) == 1
    subject = f"Your Community digest for {date_text(day, 'en')}"
    deadline, found = time.monotonic() + 30, []
    while time.monotonic() < deadline and not found:
        found = [m for m in emails_to(portal.mail_dir, email) if m["Subject"] == subject]
        time.sleep(0.5)
    time.sleep(1)  # anything sent twice would be in the mailbox by now
    found = [m for m in emails_to(portal.mail_dir, email) if m["Subject"] == subject]
    assert len(found) == 1, [m["Subject"] for m in emails_to(portal.mail_dir, email)]
    assert title in found[0].get_body(preferencelist=("plain",)).get_content()


def test_two_members_talk_live_staff_moderate_a_ban_bites_and_the_digest_comes_once(
        portal, browser, context):
    audit = Audit("axe-community", "desktop")
    tag = uuid.uuid4().hex[:5]
    group, offer = f"Calm Circle {tag}", f"Calm Circle membership {tag}"
    a_name, b_name = f"Avery{tag}", f"Blake{tag}"
    a_email = portal.household(f"Avery Adams {tag}")
    digest_at = zone_before_dawn(portal, a_email)
    b_email = portal.household(f"Blake Brown {tag}")

    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 800},
                                    timezone_id=BROWSER_ZONE)
    staff_ctx.set_default_timeout(20_000)
    staff = staff_ctx.new_page()
    sign_in_staff(staff, portal, portal.staff())
    group_url = community_on(staff, portal, audit, group, offer)

    # 1. Client A buys the offer and is in the group at once; posts.
    a = context.new_page()
    sign_in(a, portal, a_email)
    a.get_by_role("navigation").first.get_by_role("link", name="Offers").click()
    a.wait_for_url(at("/offers"))
    a.get_by_role("button", name=f"Buy for {PRICE} — {offer}").click()
    a.wait_for_url(at("/pay/test"))
    a.get_by_role("button", name=f"Pay {PRICE} (test card)").click()
    a.wait_for_url(re.compile(r".*/offers\?bought=\d+"))
    open_community(a, portal, a_name)
    expect(a.get_by_role("link", name=group).first).to_be_visible()
    look(audit, a, "client community list")
    a.get_by_role("link", name=group).first.click()
    a.wait_for_url(re.compile(r".*/community/group\?id=\d+"))
    write_post(a, f"Hello from {a_name}", "Glad to be here. **Breathing** helps me.")
    look(audit, a, "client community group")

    # 2. Staff make B a member from the console; B sees A's post.
    staff.goto(group_url)
    staff.locator("#member-add-query").fill(f"Blake Brown {tag}")
    staff.get_by_role("button", name="Find").click()
    staff.get_by_role("button", name=re.compile(f"^Add Blake Brown {tag}")).click()
    expect(staff.get_by_role("row").filter(has_text=f"Blake Brown {tag}")).to_be_visible()

    b_ctx = browser.new_context(viewport={"width": 1280, "height": 800},
                                timezone_id=BROWSER_ZONE)
    b_ctx.set_default_timeout(20_000)
    b = b_ctx.new_page()
    sign_in(b, portal, b_email)
    open_community(b, portal, b_name)
    b.get_by_role("link", name=group).first.click()
    b.wait_for_url(re.compile(r".*/community/group\?id=\d+"))
    b_group_url = b.url
    expect(b.get_by_role("heading", name=f"Hello from {a_name}")).to_be_visible()

    # 3. Each one's post reaches the other's open tab without a reload.
    write_post(a, f"Morning walk {tag}", "Who else walks before work?")
    expect(b.get_by_role("heading", name=f"Morning walk {tag}")).to_be_visible()
    write_post(b, f"Walk with me {tag}", "Harbour loop, Saturdays at 8.")
    expect(a.get_by_role("heading", name=f"Walk with me {tag}")).to_be_visible()

    # 4. B reacts and @mentions A in a comment; A's bell shows the mention live.
    card = post_card(b, f"Morning walk {tag}")
    card.get_by_role("button", name="👍 0").click()
    expect(card.get_by_role("button", name="👍 1")).to_have_attribute("aria-pressed", "true")
    expect(post_card(a, f"Morning walk {tag}").get_by_role("button", name="👍 1")).to_be_visible()
    card.get_by_role("link", name=f"Morning walk {tag}").click()
    b.wait_for_url(re.compile(r".*/community/post\?id=\d+"))
    b.locator("#new-comment").fill(f"Me! @{a_name} see you at the harbour")
    b.get_by_role("button", name="Comment", exact=True).click()
    expect(b.get_by_text("see you at the harbour")).to_be_visible()
    look(audit, b, "client community post")
    bell = a.get_by_role("button", name=re.compile(r"^Notifications, \d+ "))
    expect(bell).to_be_visible()
    bell.click()
    expect(a.get_by_text(re.compile(f"{b_name} mentioned you"))).to_be_visible()
    a.keyboard.press("Escape")

    # 5. A answers; B reports A's comment; staff hide it from the moderation queue.
    a.get_by_role("link", name=f"Morning walk {tag}").click()
    a.wait_for_url(re.compile(r".*/community/post\?id=\d+"))
    a.locator("#new-comment").fill(f"Rude words for {tag}")
    a.get_by_role("button", name="Comment", exact=True).click()
    expect(b.get_by_text(f"Rude words for {tag}")).to_be_visible()  # live on B's page
    comment = b.get_by_role("main").locator("div").filter(
        has_text=f"Rude words for {tag}").filter(
        has=b.get_by_role("button", name="Report")).last
    comment.get_by_role("button", name="Report").click()
    dialog = b.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("Not kind")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog).to_be_hidden()

    staff.get_by_role("navigation", name="Community pages").get_by_role(
        "link", name="Moderation").click()
    staff.wait_for_url(at("/console/community/moderation"))
    staff.get_by_role("tab", name=re.compile("Reported")).click()
    staff.get_by_role("button", name=f"Hide: Rude words for {tag}").click()
    expect(b.get_by_text(f"Rude words for {tag}")).to_be_hidden()  # live, no reload
    # (Scanned once the decision's toast is up: the scan waits for it to go.)
    look(audit, staff, "console community moderation")

    # 6. Staff ban B: B's next action shuts them out.
    staff.goto(group_url)
    staff.get_by_role("button", name=f"Ban Blake Brown {tag}").click()
    ban = staff.get_by_role("dialog")
    ban.get_by_label(re.compile("^Reason")).fill("Reported more than once")
    ban.get_by_role("button", name="Confirm").click()
    expect(staff.get_by_role("row").filter(has_text=f"Blake Brown {tag}")).to_contain_text(
        "Banned")
    # B's open tab is refreshed by the ban itself and leaves the group at once; the
    # group's address no longer opens for them, and it is gone from their list.
    b.wait_for_url(at("/community"))
    expect(b.get_by_role("link", name=group)).to_have_count(0)
    goto_settled(b, b_group_url)
    expect(b.get_by_text("This group is not available to you.")).to_be_visible()
    expect(b.get_by_role("heading", name=f"Morning walk {tag}")).to_have_count(0)

    # 7. A keeps the digest (the default); the next morning's digest comes once.
    a.get_by_role("link", name="Back to the group").click()
    a.get_by_role("link", name="Notification settings").click()
    a.wait_for_url(re.compile(r".*/community/members\?id=\d+"))
    expect(a.get_by_role("radio", name=re.compile("daily digest"))).to_be_checked()
    look(audit, a, "client community members")
    run_digest(portal, digest_at)
    run_digest(portal, digest_at)  # a second run (another worker) sends nothing more
    expect_one_digest(portal, a_email, digest_at, f"Walk with me {tag}")
    staff_ctx.close()
    b_ctx.close()
    audit.finish()
