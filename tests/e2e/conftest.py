"""Browser tests: build and serve the real app once per test session and server
mode (prod mode, its own database and data dir), drive Debian's Chromium with
Playwright. The suite runs in each mode of `PORTAL_E2E_MODES` (default
`sqlite,scale`), except the `ui_only` tests (first mode only) and the
`scale_out` ones (scale mode only):

- `sqlite`: one process on SQLite, the default deployment;
- `scale`: two portal nodes behind nginx, as two machines would run them: their own
  data dirs, one PostgreSQL database, one Redis (Reflex's Redis state manager), one
  S3 bucket, `PORTAL_E2E_WORKERS` (default 1) granian workers each
  (tests/e2e/two_nodes.py).

Without Chromium, PostgreSQL, Redis or nginx the tests skip on a laptop and fail in
CI (CI=true)."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e import launch, scale_mode
from tests.e2e.csp_watch import SEEN, watch_csp
from tests.e2e.hydration import guard_browser
from tests.e2e.portal import Portal

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


def _need_chromium():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium)")


@pytest.fixture(scope="session", params=MODES)
def portal(request):
    mode = request.param
    _need_chromium()
    if mode not in ("sqlite", "scale"):
        pytest.fail(f"unknown PORTAL_E2E_MODES entry {mode!r} (sqlite, scale)")
    yield from (_serve_scale() if mode == "scale" else _serve_sqlite())


# One port for the whole run: the frontend build names the server's address, so the
# second mode serves the first mode's build as it is (tests/e2e/serve_built.py); in
# the scale mode nginx listens there, in front of the two nodes.
_BUILT: dict[str, int] = {}
# The scale mode's deployment made while the sqlite mode runs (scale_mode.Ahead), when
# the run goes on to the scale mode (`_SCALE_AFTER`, set as the tests are collected).
_AHEAD: list[scale_mode.Ahead] = []
_SCALE_AFTER: list[bool] = [False]


def _env(tmp: Path, port: int) -> dict:
    return launch.portal_env(tmp, port=port, base_url=f"http://127.0.0.1:{port}",
                             webhook_secret=E2E_WEBHOOK_SECRET)


def _port() -> tuple[int, bool]:
    """The run's port, and whether the frontend must be built for it."""
    built = _BUILT.get("port")
    port = built if built and launch.port_free(built) else launch.free_port()
    return port, built != port


def _serve_sqlite():
    tmp = Path(tempfile.mkdtemp(prefix="portal-e2e-sqlite-"))
    port, build = _port()
    env = _env(tmp, port)
    launch.prepare_database(env)
    node = launch.Node(env, tmp / "server.log").start(build=build)
    node.wait_ready(expected_workers=1)
    _BUILT["port"] = port
    if _SCALE_AFTER[0] and not _AHEAD:
        _AHEAD.append(scale_mode.Ahead(scale_mode.ScaleDeployment(port, _env)))
    try:
        # tmp/data: where `portal seed-demo` ran (it writes the demo credentials).
        yield Portal(f"http://127.0.0.1:{port}", tmp / "data", env, mode="sqlite",
                     workers=node.workers)
    finally:
        node.stop()


def _serve_scale():
    ahead = _AHEAD.pop() if _AHEAD else None
    port, build = _port()
    if ahead is not None and ahead.deployment.port != port:  # its port was taken meanwhile
        ahead.cancel()
        ahead = None
    deployment = (ahead.take() if ahead else
                  scale_mode.ScaleDeployment(port, _env).prepare(build=build))
    _BUILT["port"] = port
    try:
        deployment.open()
        yield Portal(f"http://127.0.0.1:{port}", deployment.tmp / "data", deployment.env,
                     mode="scale", cluster=deployment.cluster)
    finally:
        deployment.stop()


@pytest.fixture(scope="session")
def browser(portal):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Every page of every context waits to be live before it is acted on.
        yield guard_browser(b)
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
def both_nodes_up(request):
    """In the scale mode, a node an earlier test killed is started again first (the
    two-node journey kills one and leaves it: restarting it at its end cost the
    last test of the run a node start that nothing used)."""
    if "portal" in request.fixturenames:
        cluster = request.getfixturevalue("portal").cluster
        for node in cluster.nodes if cluster else ():
            if not node.workers:
                cluster.restart(node)


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
    modes = {item.callspec.params.get("portal") for item in keep if hasattr(item, "callspec")}
    _SCALE_AFTER[0] = "scale" in modes and MODES.index("scale") > 0


def pytest_sessionfinish(session):
    """A scale-mode deployment made ahead that the run never reached is stopped."""
    while _AHEAD:
        _AHEAD.pop().cancel()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
