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

from tests.e2e import launch, two_nodes
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
    extra, cleanup = (two_nodes.scale_env() if mode == "scale" else ({}, lambda: None))
    try:
        yield from _serve(mode, extra)
    finally:
        cleanup()


# One port for the whole run: the frontend build names the server's address, so the
# second mode serves the first mode's build as it is (tests/e2e/serve_built.py); in
# the scale mode nginx listens there, in front of the two nodes.
_BUILT: dict[str, int] = {}


def _serve(mode: str, extra: dict):
    tmp = Path(tempfile.mkdtemp(prefix=f"portal-e2e-{mode}-"))
    built = _BUILT.get("port")
    port = built if built and launch.port_free(built) else launch.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**launch.portal_env(tmp, port=port, base_url=base,
                               webhook_secret=E2E_WEBHOOK_SECRET), **extra}
    launch.prepare_database(env)
    if mode == "scale":
        cluster = two_nodes.TwoNodes(tmp, env, port).start(build=built != port)
        _BUILT["port"] = port
        try:
            # tmp/data: where `portal seed-demo` ran (it writes the demo credentials).
            yield Portal(base, tmp / "data", env, mode=mode, cluster=cluster)
        finally:
            cluster.stop()
        return
    node = launch.Node(env, tmp / "server.log").start(build=built != port)
    node.wait_ready(expected_workers=1)
    _BUILT["port"] = port
    try:
        yield Portal(base, tmp / "data", env, mode=mode, workers=node.workers)
    finally:
        node.stop()


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
