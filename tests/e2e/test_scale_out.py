"""Several workers (the e2e `scale` mode: two nodes behind nginx, each its own worker
process, on PostgreSQL and Redis): a live update handled by one worker process
reaches a tab whose websocket is on another.

A test opens pages until two tabs of one client sit on different workers (the
socket record Reflex keeps in Redis names the worker: tests/e2e/tabs.py). Such a tab runs its events only
over its own websocket, so only its own worker remembers it for live updates; the
change itself is handled by some worker (a webhook or an upload is an HTTP request
any worker may take; a console event runs on the staff tab's worker). Whichever it
is, one of the two tabs is on another worker, and it updates only if the push
crossed workers. (With the Redis listener switched off both tests fail.)"""

import json
import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_WEBHOOK_SECRET
from tests.e2e.journeys import at, goto_settled, sign_in, sign_in_staff
from tests.e2e.tabs import client_tabs_on_two_workers, tab_worker
from tests.fake_stripe import sign_payload

pytestmark = [pytest.mark.e2e, pytest.mark.scale_out]


def test_server_runs_several_worker_processes(portal):
    assert portal.mode == "scale"
    assert len(set(portal.workers)) >= 2
    for pid in portal.workers:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read()
        # Forked by `reflex run` (or by tests/e2e/serve_built.py, which is `reflex run`
        # serving an earlier node's build).
        assert b"reflex" in command or b"serve_built.py" in command, command


def test_staff_messages_reach_client_tabs_on_every_worker(portal, context, browser):
    email = portal.household("Cass Cross")
    client_id = portal.client_id_of(email)
    start = context.new_page()
    sign_in(start, portal, email)
    start.wait_for_url(at("/dashboard"))
    goto_settled(start, portal.url("/messages"))
    start.get_by_role("main").get_by_role("button", name="Compose new message").click()
    dialog = start.get_by_role("dialog")
    dialog.get_by_label("Subject").fill("Across workers")
    dialog.get_by_label("Message").fill("Is Friday free?")
    dialog.get_by_role("button", name="Send").click()
    expect(start.get_by_role("log").get_by_text("Is Friday free?")).to_be_visible()
    start.close()  # its events may have run anywhere (a send is an HTTP upload)

    def ready(page):
        main = page.get_by_role("main")
        main.get_by_role("button", name=re.compile("Across workers")).click()
        expect(main.get_by_role("log").get_by_text("Is Friday free?")).to_be_visible()

    tabs = client_tabs_on_two_workers(portal, context, "/messages", ready)

    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_ctx.set_default_timeout(20_000)
    try:
        staff = staff_ctx.new_page()
        sign_in_staff(staff, portal, portal.staff())
        # A reply is sent as an upload (an HTTP request any worker may take) ...
        goto_settled(staff, portal.url("/console/messages"))
        staff.get_by_role("link", name="Across workers").click()
        staff.get_by_label("Your reply").fill("Friday at 9 is yours.")
        staff.get_by_role("button", name="Send reply").click()
        expect(staff.get_by_text("Friday at 9 is yours.")).to_be_visible()
        for page, _ in tabs:
            expect(page.get_by_role("log").get_by_text("Friday at 9 is yours.")).to_be_visible()

        # ... a new conversation is an event on the staff tab's own websocket.
        goto_settled(staff, portal.url(f"/console/messages?client={client_id}"))
        staff.get_by_role("button", name="New message").click()
        dialog = staff.get_by_role("dialog")
        dialog.get_by_label("Subject").fill("Forms for Friday")
        dialog.get_by_label("Message").fill("Please bring the intake form.")
        dialog.get_by_role("button", name="Send").click()
        expect(staff.get_by_text("Please bring the intake form.")).to_be_visible()
        staff_worker = tab_worker(portal, staff)
        for page, _ in tabs:
            expect(page.get_by_role("main").get_by_role(
                "button", name=re.compile("Forms for Friday"))).to_be_visible()
    finally:
        staff_ctx.close()
    # Whichever worker handled each change, one client tab was on the other one,
    # and each tab stayed on its worker throughout.
    (first, first_worker), (second, second_worker) = tabs
    assert (tab_worker(portal, first), tab_worker(portal, second)) == (first_worker,
                                                                     second_worker)
    assert first_worker != second_worker and staff_worker in (first_worker, second_worker)


def test_webhook_paid_reaches_open_tabs_on_every_worker(portal, context):
    email = portal.household("Wyn Workers")
    number = portal.invoice(email, "25.00")
    payer = context.new_page()
    sign_in(payer, portal, email)
    payer.wait_for_url(at("/dashboard"))
    goto_settled(payer, portal.url("/payments"))
    payer.get_by_role("main").get_by_role("button", name=f"Pay Now {number}").click()
    payer.wait_for_url(at("/pay/test"))
    session_id = portal.checkout_session_of(number)
    assert session_id
    # The tab that started the checkout is refreshed by token after the webhook;
    # close it, so only the live-update registry can reach the two tabs below.
    payer.close()

    def ready(page):
        expect(page.get_by_role("main").get_by_role(
            "button", name=f"Pay Now {number}")).to_be_visible()

    (first, first_worker), (second, second_worker) = client_tabs_on_two_workers(
        portal, context, "/payments", ready)

    event = {"id": f"evt_e2e_{session_id}", "type": "checkout.session.completed",
             "data": {"object": {"id": session_id, "amount_total": 2500, "currency": "usd",
                                 "payment_status": "paid", "payment_intent": "pi_e2e_scale",
                                 "metadata": {}}}}
    body = json.dumps(event).encode()
    ok = httpx.post(portal.url("/api/stripe/webhook"), content=body,
                    headers={"Stripe-Signature": sign_payload(body, E2E_WEBHOOK_SECRET)})
    assert ok.status_code == 200 and ok.json()["outcome"] == "recorded"

    # Whichever worker took the webhook, one of these tabs is on the other one.
    for page in (first, second):
        main = page.get_by_role("main")
        expect(main.get_by_role("button", name=f"Pay Now {number}")).to_have_count(0)
        expect(main.get_by_text("Total due:")).to_contain_text("$0.00")
    assert (tab_worker(portal, first), tab_worker(portal, second)) == (first_worker,
                                                                     second_worker)
    assert re.fullmatch(r"[0-9a-f-]{36}", first_worker) and first_worker != second_worker
