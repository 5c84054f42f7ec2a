"""Issue 25: the portal on two nodes behind nginx, as two machines run it (the scale
mode, tests/e2e/two_nodes.py: their own data dirs, one PostgreSQL, one Redis, one S3
bucket), in one client's session:

1. the client uploads a document through one node and staff download it through the
   other (no shared disk: the file is in the bucket, in neither node's folder);
2. a staff reply written on one node reaches the client's tab held by the other;
3. the node holding that tab's websocket dies (SIGKILL, its whole process group);
   the tab reconnects through nginx to the survivor, the client's next message
   works there and nothing is lost. The dead node is left dead: a later test in the
   mode starts it again before it runs (tests/e2e/conftest.py, `both_nodes_up`), and
   the last test of the run does not wait for a start nobody uses.

Which node answered an HTTP request is read from nginx's access log; which worker
holds a tab's websocket from Reflex's socket record in Redis (tests/e2e/tabs.py),
one worker per node."""

import re
import time
import uuid
from urllib.parse import urljoin

import boto3
import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.journeys import HYDRATED, at, goto_settled, sign_in, sign_in_staff_with_totp
from tests.e2e.tabs import client_tabs_on_two_workers, tab_worker

pytestmark = [pytest.mark.e2e, pytest.mark.scale_out]

SUBJECT = "Across nodes"


def _token(page: Page) -> str:
    return page.evaluate("window.sessionStorage.getItem('token')")


def _files_holding(folder, data: bytes) -> list:
    return [path for path in folder.rglob("*") if path.is_file() and path.read_bytes() == data]


def _bucket_holds(env: dict, data: bytes) -> bool:
    s3 = boto3.client("s3", endpoint_url=env["PORTAL_S3_ENDPOINT_URL"],
                      region_name=env["PORTAL_S3_REGION"],
                      aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                      aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
    bucket = env["PORTAL_S3_BUCKET"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return any(s3.get_object(Bucket=bucket, Key=key)["Body"].read() == data for key in keys)


def _messages_stored(portal, body: str) -> int:
    from sqlalchemy import func
    from sqlmodel import Session, select

    from models import Message
    from portal_app.db import make_engine

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).where(Message.body == body)).one()
    finally:
        engine.dispose()


def _watch_reconnects(tabs: list[Page]) -> dict:
    """For each tab, a list that gets an entry when a new websocket of it hydrates."""
    seen = {tab: [] for tab in tabs}
    for tab in tabs:
        tab.on("websocket", lambda ws, tab=tab: ws.on(
            "framereceived", lambda frame: HYDRATED in str(frame) and seen[tab].append(ws)))
    return seen


def test_two_nodes_share_files_and_live_updates_and_survive_a_dead_node(
        portal, context, browser, tmp_path):
    cluster = portal.cluster
    assert [len(node.workers) for node in cluster.nodes] == [1, 1]
    email = portal.household("Noor Nodes")
    client_id = portal.client_id_of(email)
    data = b"%PDF-1.4\n% two nodes " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
    (tmp_path / "referral-letter.pdf").write_bytes(data)

    page = context.new_page()
    sign_in(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    goto_settled(page, portal.url("/documents"))
    main = page.get_by_role("main")
    main.get_by_role("button", name="Share a document").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("input[type=file]").set_input_files(str(tmp_path / "referral-letter.pdf"))
    mark = cluster.nginx.log_size()
    dialog.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Sent 1 file. Thank you!")).to_be_visible()
    upload_node = cluster.node_that_answered(mark, "POST", "/_upload")

    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_ctx.set_default_timeout(20_000)
    try:
        staff = staff_ctx.new_page()
        # The console's two sign-in forms as a person fills them, through nginx: the
        # second step finds the first step's pending sign-in whichever node answers.
        sign_in_staff_with_totp(staff, portal, portal.staff())
        goto_settled(staff, portal.url(f"/console/client?id={client_id}"))
        href = staff.get_by_role("link", name="Download referral-letter").get_attribute("href")
        other = next(node for node in cluster.nodes if node is not upload_node)
        # 1. Straight to the other node, with the staff browser's cookie.
        got = httpx.get(urljoin(f"http://{other.address}/", href),
                        cookies={c["name"]: c["value"] for c in staff_ctx.cookies()})
        assert got.status_code == 200 and got.content == data
        for node in cluster.nodes:  # its data dir, its /_upload and states folders
            assert node.data_dir.parent.is_dir()
            assert _files_holding(node.data_dir.parent, data) == [], node.address
        assert _bucket_holds(portal.env, data)

        # 2. The client starts a conversation; two fresh tabs show it, their
        # websockets on the two nodes (one worker each).
        goto_settled(page, portal.url("/messages"))
        main.get_by_role("button", name="Compose new message").click()
        dialog.get_by_label("Subject").fill(SUBJECT)
        dialog.get_by_label("Message").fill("Did my letter arrive?")
        dialog.get_by_role("button", name="Send").click()
        expect(main.get_by_role("log").get_by_text("Did my letter arrive?")).to_be_visible()
        page.close()  # its upload registered it on whichever node took it

        def ready(tab):
            tab_main = tab.get_by_role("main")
            tab_main.get_by_role("button", name=re.compile(SUBJECT)).click()
            expect(tab_main.get_by_role("log").get_by_text("Did my letter arrive?")
                   ).to_be_visible()

        tabs = client_tabs_on_two_workers(portal, context, "/messages", ready)
        goto_settled(staff, portal.url("/console/messages"))
        staff.get_by_role("link", name=SUBJECT).click()
        staff.get_by_label("Your reply").fill("It did, thank you.")
        mark = cluster.nginx.log_size()
        staff.get_by_role("button", name="Send reply").click()
        expect(staff.get_by_text("It did, thank you.")).to_be_visible()
        reply_node = cluster.node_that_answered(mark, "POST", "/_upload")
        for tab, _ in tabs:
            expect(tab.get_by_role("log").get_by_text("It did, thank you.")).to_be_visible()

        # 3. The node that did not write the reply dies; the tab it held (the one
        # the reply reached across nodes) reconnects to the survivor.
        victim = next(node for node in cluster.nodes if node is not reply_node)
        reconnects = _watch_reconnects([tab for tab, _ in tabs])
        tokens = {tab: _token(tab) for tab, _ in tabs}
        victim.kill()
        deadline = time.monotonic() + 20
        while not any(reconnects.values()) and time.monotonic() < deadline:
            tabs[0][0].wait_for_timeout(100)  # Playwright delivers the events meanwhile
        moved = [tab for tab, _ in tabs if reconnects[tab]]
        assert len(moved) == 1, "exactly the tab on the dead node reconnects"
        tab = moved[0]
        (stayed, stayed_worker), = [(t, w) for t, w in tabs if t is not tab]
        # The survivor holds both tabs now; the other tab never noticed. (The dead
        # node's socket record stays in Redis, so Reflex gives the moved tab a new
        # token: its page state starts afresh from its on_load, from the database.)
        assert tab_worker(portal, tab) == tab_worker(portal, stayed) == stayed_worker
        assert _token(stayed) == tokens[stayed]

        tab_main = tab.get_by_role("main")
        tab_main.get_by_role("button", name=re.compile(SUBJECT)).click()
        tab.get_by_label("Your message").fill("Sent after a node died.")
        tab.get_by_role("button", name="Send message").click()
        log = tab_main.get_by_role("log")
        expect(log.get_by_text("Sent after a node died.")).to_have_count(1)
        for earlier in ("Did my letter arrive?", "It did, thank you."):
            expect(log.get_by_text(earlier)).to_have_count(1)
        assert _messages_stored(portal, "Sent after a node died.") == 1
        tab.get_by_role("navigation", name="Main").get_by_role("link", name="Documents").click()
        tab.wait_for_url(at("/documents"))
        expect(tab_main.get_by_role("link", name="referral-letter")).to_be_visible()
    finally:
        staff_ctx.close()
