"""Browser tests: build and serve the real app once per test session and server
mode (prod mode, its own database and data dir), drive Debian's Chromium with
Playwright. The suite runs in each mode of `PORTAL_E2E_MODES` (default
`sqlite,scale`), except the `ui_only` tests (first mode only) and the
`scale_out` ones (scale mode only):

- `sqlite`: one process on SQLite, the default deployment;
- `scale`: a fresh PostgreSQL database, Redis (Reflex's Redis state manager)
  and `PORTAL_E2E_WORKERS` (default 2) granian worker processes.

Without Chromium, PostgreSQL or Redis the tests skip on a laptop and fail in
CI (CI=true)."""

import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.csp_watch import SEEN, watch_csp

# These machines are shared and noisy: give assertions room before failing.
expect.set_options(timeout=15_000)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]
IN_CI = os.environ.get("CI") == "true"
ARTIFACTS = ROOT / "test-artifacts"
E2E_WEBHOOK_SECRET = "whsec_e2e_0123456789"
BROWSER_ZONE = "America/New_York"
MODES = [m.strip() for m in os.environ.get("PORTAL_E2E_MODES", "sqlite,scale").split(",")
         if m.strip()]
SCALE_WORKERS = int(os.environ.get("PORTAL_E2E_WORKERS", "2"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _need_chromium():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium)")


class Portal:
    def __init__(self, base_url: str, data_dir: Path, env: dict, mode: str = "sqlite",
                 workers: list[int] | None = None):
        self.base_url = base_url
        self.data_dir = data_dir
        self.env = env
        self.mode = mode
        self.workers = workers or []  # the server's worker process ids

    @property
    def redis_url(self) -> str:
        return self.env.get("REDIS_URL", "")

    def url(self, path: str) -> str:
        return self.base_url + path

    def household(self, *names: str) -> str:
        """A new portal email holding one client record per name (invited); returns the email."""
        import uuid

        from sqlmodel import Session

        from portal_app.db import make_engine
        from tests import factories

        email = f"e2e-{uuid.uuid4().hex[:10]}@example.test"
        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                factories.household(session, email=email, names=names or ("Client",))
                session.commit()
        finally:
            engine.dispose()
        return email

    @property
    def mail_dir(self) -> Path:
        return Path(self.env["PORTAL_MAIL_DIR"])

    def staff(self, role: str = "owner") -> dict:
        """A new staff member with a known password and authenticator secret."""
        import uuid

        import pyotp
        from sqlmodel import Session

        from portal_app.db import make_engine
        from tests import factories

        creds = {"email": f"staff-{uuid.uuid4().hex[:10]}@example.test",
                 "password": "e2e staff password 1", "secret": pyotp.random_base32()}
        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                factories.staff(session, email=creds["email"], password=creds["password"],
                                totp_secret=creds["secret"], role=role)
                session.commit()
        finally:
            engine.dispose()
        return creds

    def booking_soon(self, email: str, hours: float = 2) -> int:
        """A confirmed booking starting in `hours` (inside the 24-hour change window)."""
        from datetime import UTC, datetime, timedelta

        from sqlmodel import Session, select

        from models import Booking, Client, PortalAccount, Service, StaffUser
        from portal_app.db import make_engine

        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                client = session.exec(select(Client).join(
                    PortalAccount, PortalAccount.id == Client.account_id).where(
                    PortalAccount.email == email)).first()
                service = session.exec(select(Service).where(
                    Service.name == "Massage (60 min)")).one()
                staff = session.exec(select(StaffUser).order_by(StaffUser.id)).first()
                start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
                booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                                  start_at=start, end_at=start + timedelta(minutes=60),
                                  status="confirmed", created_by="staff")
                session.add(booking)
                session.commit()
                return booking.id
        finally:
            engine.dispose()

    def invoice(self, email: str, unit_price: str, description: str = "Coaching session",
                *, sent: bool = True) -> str:
        """A sent invoice (or a draft) of one line for the first record of `email`;
        returns its number."""
        from sqlmodel import Session, select

        from models import Client, InvoiceStatus, PortalAccount, StaffUser
        from portal_app.db import make_engine
        from portal_app.services.billing.invoices import save_draft

        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                client = session.exec(select(Client).join(
                    PortalAccount, PortalAccount.id == Client.account_id).where(
                    PortalAccount.email == email).order_by(Client.id)).first()
                staff = session.exec(select(StaffUser).order_by(StaffUser.id)).first()
                invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                                     form={"client_id": client.id, "kind": "invoice"},
                                     lines=[{"description": description, "quantity": "1",
                                             "unit_price": unit_price}])
                if sent:
                    invoice.status = InvoiceStatus.SENT
                session.add(invoice)
                session.commit()
                return invoice.number
        finally:
            engine.dispose()

    def checkout_session_of(self, invoice_number: str) -> str:
        """The provider session id of the newest checkout attempt for an invoice."""
        from sqlmodel import Session, select

        from models import CheckoutAttempt, Invoice
        from portal_app.db import make_engine

        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                return session.exec(select(CheckoutAttempt.provider_session_id).join(
                    Invoice, Invoice.id == CheckoutAttempt.invoice_id).where(
                    Invoice.number == invoice_number).order_by(
                    CheckoutAttempt.id.desc())).first()
        finally:
            engine.dispose()

    def client_id_of(self, email: str) -> int:
        """The first client record of a portal email."""
        from sqlmodel import Session, select

        from models import Client, PortalAccount
        from portal_app.db import make_engine

        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                return session.exec(select(Client.id).join(
                    PortalAccount, PortalAccount.id == Client.account_id).where(
                    PortalAccount.email == email).order_by(Client.id)).first()
        finally:
            engine.dispose()

    def plain_clients(self, prefix: str, count: int) -> list[str]:
        """Clients with an email but no portal access yet; returns their emails."""
        from sqlmodel import Session

        from models import Client
        from portal_app.db import make_engine

        emails = [f"{prefix.lower()}{i}@example.test" for i in range(count)]
        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                for i, email in enumerate(emails):
                    session.add(Client(full_name=f"{prefix} {i}", email=email))
                session.commit()
        finally:
            engine.dispose()
        return emails

    def set_activation(self, mode: str) -> None:
        """The business's portal activation moment (PortalActivation), set directly."""
        from sqlalchemy import update
        from sqlmodel import Session

        from models import Business
        from portal_app.db import make_engine

        engine = make_engine(self.env["DATABASE_URL"])
        try:
            with Session(engine) as session:
                session.exec(update(Business).values(portal_activation=mode))
                session.commit()
        finally:
            engine.dispose()

    def demo_credentials(self) -> dict:
        text = (self.data_dir / "demo-credentials.txt").read_text()
        return {
            "password": re.search(r"password:\s+(\S+)", text).group(1),
            "totp_secret": re.search(r"TOTP secret:\s+(\S+)", text).group(1),
        }


def _children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return children


def _scale_env() -> tuple[dict, Callable[[], None]]:
    """A fresh PostgreSQL database, a Redis database and the worker count; and the cleanup."""
    from tests.services import create_pg_database, drop_pg_database, need_redis

    # Reflex's Redis keys are per tab token (random) and the portal's live-update
    # channel is per database, so runs sharing a Redis never mix; a database number
    # of its own keeps a run's keys apart for inspection too.
    redis_url = need_redis(random.randint(1, 15))
    db_url = create_pg_database("portal_e2e")
    env = {"DATABASE_URL": db_url, "REDIS_URL": redis_url,
           "GRANIAN_WORKERS": str(SCALE_WORKERS)}
    return env, lambda: drop_pg_database(db_url)


@pytest.fixture(scope="session", params=MODES)
def portal(request):
    mode = request.param
    _need_chromium()
    if mode not in ("sqlite", "scale"):
        pytest.fail(f"unknown PORTAL_E2E_MODES entry {mode!r} (sqlite, scale)")
    extra, cleanup = (_scale_env() if mode == "scale" else ({}, lambda: None))
    try:
        yield from _serve(mode, extra)
    finally:
        cleanup()


# One port for the whole run: the frontend build names the server's address, so the
# second mode serves the first mode's build as it is (tests/e2e/serve_built.py).
_BUILT: dict[str, int] = {}


def _serve(mode: str, extra: dict):
    tmp = Path(tempfile.mkdtemp(prefix=f"portal-e2e-{mode}-"))
    built = _BUILT.get("port")
    port = built if built and _port_free(built) else _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORT": str(port),
        "PORTAL_BASE_URL": base,
        "PORTAL_ENV": "dev",
        "PORTAL_DATA_DIR": str(tmp / "data"),
        "DATABASE_URL": os.environ.get("PORTAL_E2E_DATABASE_URL", f"sqlite:///{tmp}/portal.db"),
        "PORTAL_EMAIL_BACKEND": "file",
        "PORTAL_MAIL_DIR": str(tmp / "mail"),
        "PORTAL_SMS_BACKEND": "none",
        "PORTAL_OUTBOX_POLL_SECONDS": "0.3",
        "PORTAL_CODE_SENDS_PER_IP": "1000",
        "PORTAL_SECRET_KEY": "e2e-secret-key-0123456789-0123456789-abcdef",
        # Test-mode checkout, plus a webhook secret so a signed Stripe event can be
        # delivered to the running server (the live-update journey).
        "PORTAL_PAYMENTS_BACKEND": "test",
        "STRIPE_WEBHOOK_SECRET": E2E_WEBHOOK_SECRET,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:"
                f"{os.environ.get('PATH', '')}",
    }
    for name in ("REDIS_URL", "STRIPE_SECRET_KEY", "GRANIAN_WORKERS"):
        env.pop(name, None)
    env.update(extra)
    portal_cli = str(Path(sys.executable).parent / "portal")
    subprocess.run([portal_cli, "migrate"], env=env, cwd=ROOT, check=True)
    subprocess.run([portal_cli, "seed-demo"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed at teardown
    run_args = ["run", "--env", "prod", "--single-port", "--loglevel", "warning"]
    launcher = ([sys.executable, str(Path(__file__).with_name("serve_built.py")), *run_args[1:]]
                if _BUILT.get("port") == port else
                [str(Path(sys.executable).parent / "reflex"), *run_args])
    proc = subprocess.Popen(
        launcher,
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while True:
        if proc.poll() is not None:
            log.flush()
            raise RuntimeError(f"portal exited:\n{(tmp / 'server.log').read_text()[-4000:]}")
        try:
            if httpx.get(base + "/login", timeout=2, follow_redirects=True).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise RuntimeError(f"portal did not start:\n{(tmp / 'server.log').read_text()[-4000:]}")
        time.sleep(1)
    _BUILT["port"] = port
    # granian runs the app in worker processes under the `reflex run` process.
    workers = _children(proc.pid)
    expected = SCALE_WORKERS if mode == "scale" else 1
    if len(workers) != expected:
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError(f"{mode} mode: expected {expected} worker processes, "
                           f"found {len(workers)}: {workers}")
    yield Portal(base, tmp / "data", env, mode=mode, workers=workers)
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="session")
def browser(portal):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser, request):
    # The client's browser is in the demo business's zone: the dashboard stores the
    # browser's zone at a record's first sign-in, and the journeys read times in it.
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id=BROWSER_ZONE)
    ctx.set_default_timeout(20_000)
    watch_csp(ctx)
    yield ctx
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, page in enumerate(ctx.pages):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}.png"))
    ctx.close()


@pytest.fixture(autouse=True)
def no_csp_violations():
    """Fails the test whose pages had anything refused by the portal's CSP."""
    SEEN.clear()
    yield
    if SEEN:
        refused = list(SEEN)
        SEEN.clear()
        pytest.fail("the portal's Content-Security-Policy refused:\n" + "\n".join(refused))


def _runs_in(item, mode: str | None) -> bool:
    """`scale_out` tests need several workers: the scale mode only. `ui_only` tests
    check what the browser is served, the same in every mode: the first mode only.
    The rest (sessions, live updates, jobs, payments) run in every mode."""
    if item.get_closest_marker("scale_out"):
        return mode == "scale"
    if item.get_closest_marker("ui_only"):
        return mode == MODES[0]
    return True


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        mode = callspec.params.get("portal") if callspec else None
        (keep if _runs_in(item, mode) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
