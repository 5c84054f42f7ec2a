"""Steps shared by the browser journeys, written as a person would do them."""

import email
import email.policy
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


def sign_in(page: Page, portal, email: str) -> None:
    """Signed in as `email` without the code round trip (the sign-in journeys walk
    that): the server's last sign-in step (`complete_sign_in`: activation, sign-in
    times, audit, the ticket) runs directly, and the page trades the ticket for the
    cookie through the sign-in route, as the sign-in page does. Then the page goes
    where a sign-in goes (the dashboard, or the record picker of a household)."""
    from sqlmodel import Session, select

    from models import PortalAccount
    from models.base import utcnow
    from portal_app.db import make_engine
    from portal_app.services.client_auth.sign_in import complete_sign_in
    from state.session import start_session_script

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
    goto_settled(page, portal.url("/login"))
    next_page = "/dashboard" if signed.record_count == 1 else "/select-account"
    # `void`: evaluate returns at once instead of awaiting the script's promise, whose
    # page is gone when its navigation wins the race (then playwright raised).
    page.evaluate(f"void ({start_session_script(signed.ticket, next_page)})")
    page.wait_for_url(at(next_page))


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
    import pyotp

    goto_settled(page, portal.url("/console/login"))
    page.get_by_label("Email").fill(creds["email"])
    page.get_by_label("Password").fill(creds["password"])
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Authentication code").fill(pyotp.TOTP(creds["secret"]).now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/console"))
