"""Steps shared by the browser journeys, written as a person would do them."""

import email
import email.policy
import json
import re
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

URL_END = r"/?(\?.*)?$"


def at(path: str):
    return re.compile(".*" + re.escape(path) + URL_END)


def read_code(context: BrowserContext, portal, recipient: str,
              subject: str | None = "sign-in code") -> str:
    """Open the dev mailbox and read the newest 6-digit code sent to `recipient`
    (in a mail whose text has `subject`; None for any, e.g. a Spanish one)."""
    mailbox = context.new_page()
    try:
        for _ in range(30):
            mailbox.goto(portal.url("/dev/mailbox"))
            # Other mail (a booking reminder, say) may be newer: take the newest code.
            items = mailbox.get_by_test_id("mail-item").filter(has_text=recipient)
            item = (items.filter(has_text=subject) if subject else items).first
            try:
                item.wait_for(timeout=2000)
            except Exception:
                continue
            match = re.search(r"\b(\d{6})\b", item.locator("pre").inner_text())
            if match:
                return match.group(1)
        raise AssertionError(f"no code for {recipient} in the dev mailbox")
    finally:
        mailbox.close()


HYDRATED = '"is_hydrated_rx_state_":true'


@contextmanager
def page_load_settled(page: Page, timeout: float = 20):
    """Wait, after the block, until the page load it caused has run its on_load
    handlers (Reflex reports `is_hydrated` down the new websocket). A person
    never types that fast; a test that does races the handlers (a form's
    on_load reset can land after the first click), the more so with the Redis
    state manager on a busy machine."""
    seen: list[bool] = []

    def on_websocket(ws):
        ws.on("framereceived", lambda payload: seen.append(HYDRATED in str(payload)))

    page.on("websocket", on_websocket)
    try:
        yield
        deadline = time.monotonic() + timeout
        while not any(seen):
            if time.monotonic() > deadline:
                raise AssertionError(f"{page.url} did not finish loading")
            page.wait_for_timeout(50)
    finally:
        page.remove_listener("websocket", on_websocket)


def goto_settled(page: Page, url: str) -> None:
    with page_load_settled(page):
        page.goto(url)


def request_code(page: Page, portal, email: str) -> None:
    goto_settled(page, portal.url("/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_label("6-digit code")).to_be_visible()


def sign_in_with_code(page: Page, portal, email: str) -> None:
    # The mailbox shows newest first; remember what was there to wait for a new code.
    request_code(page, portal, email)
    code = read_code(page.context, portal, email)
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Submit").click()


def start_session(page: Page, portal, ticket: str, next_page: str) -> None:
    """Trade a sign-in ticket for the session cookie as the sign-in pages' script does
    (POST to the sign-in route, same origin, the browser's user agent), from the page's
    own context, whose cookies the answer sets; then open `next_page`. No sign-in page
    is loaded and hydrated first: the sign-in journeys walk that (test_client_sign_in,
    test_staff_sign_in)."""
    from portal_app import routes

    agent = page.evaluate("navigator.userAgent")
    answer = page.context.request.post(
        portal.url(routes.API_SESSION_START), data=json.dumps({"ticket": ticket}),
        headers={"Content-Type": "application/json", "Origin": portal.base_url,
                 "User-Agent": agent})
    assert answer.ok, f"the sign-in route refused the ticket: {answer.status} {answer.text()}"
    page.goto(portal.url(next_page))
    page.wait_for_url(at(next_page))


def sign_in(page: Page, portal, email: str) -> None:
    """Signed in as `email` without the code round trip (the sign-in journeys walk
    that): the server's last sign-in step (`complete_sign_in`: activation, sign-in
    times, audit, the ticket) runs directly, and the ticket is traded for the cookie
    through the sign-in route (`start_session`). Then the page goes where a sign-in
    goes (the dashboard, or the record picker of a household)."""
    from sqlmodel import Session, select

    from models import PortalAccount
    from models.base import utcnow
    from portal_app.db import make_engine
    from portal_app.services.client_auth.sign_in import complete_sign_in

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            account = session.exec(select(PortalAccount).where(
                PortalAccount.email == email)).one()
            signed = complete_sign_in(session, account=account, ip="127.0.0.1", now=utcnow(),
                                      method="code")
            session.commit()
    finally:
        engine.dispose()
    start_session(page, portal, signed.ticket,
                  "/dashboard" if signed.record_count == 1 else "/select-account")


def emails_to(mail_dir: Path, recipient: str) -> list[email.message.EmailMessage]:
    """Messages the file backend wrote for `recipient`, oldest first."""
    found = []
    for path in sorted(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if msg["To"] == recipient:
            found.append(msg)
    return found


def wait_for_link(mail_dir: Path, recipient: str, pattern: str, timeout: float = 20) -> str:
    """The newest link matching `pattern` in an email to `recipient`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for msg in reversed(emails_to(mail_dir, recipient)):
            body = msg.get_body(preferencelist=("plain",)).get_content()
            match = re.search(pattern, body)
            if match:
                return match.group(0)
        time.sleep(0.3)
    raise AssertionError(f"no email to {recipient} with {pattern!r} in {mail_dir}")


def sign_in_staff(page: Page, portal, creds: dict) -> None:
    """Signed in to the console as `creds` (portal.staff()) without the two forms
    (`sign_in_staff_with_totp` walks them): the server's last step
    (`verify_second_factor` with the authenticator's current code: the code used once,
    the sign-in time, the audit, the ticket) runs directly, and the ticket is traded
    for the cookie (`start_session`); then the console's home."""
    import pyotp
    from sqlmodel import Session, select

    from models import StaffUser
    from portal_app.db import make_engine
    from portal_app.services.staff_auth import verify_second_factor

    engine = make_engine(portal.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            staff_id = session.exec(select(StaffUser.id).where(
                StaffUser.email == creds["email"])).one()
            ticket = verify_second_factor(session, staff_id=staff_id,
                                          code=pyotp.TOTP(creds["secret"]).now(),
                                          ip="127.0.0.1")
            session.commit()
    finally:
        engine.dispose()
    start_session(page, portal, ticket, "/console")


def sign_in_staff_with_totp(page: Page, portal, creds: dict) -> None:
    """The console's sign-in as a person does it: email and password, then the
    authenticator's code."""
    import pyotp

    goto_settled(page, portal.url("/console/login"))
    page.get_by_label("Email").fill(creds["email"])
    page.get_by_label("Password").fill(creds["password"])
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Authentication code").fill(pyotp.TOTP(creds["secret"]).now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/console"))
