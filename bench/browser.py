"""What a person's browser sees: the dashboard's JS/CSS (gzipped) against a blank
Reflex app built the same way, and the dashboard's time to interactive in
Chromium after a real sign-in."""

from __future__ import annotations

import gzip
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from components.hydration_mark import MARK_ID

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]
ASSET = re.compile(r'<link[^>]*?(?:href="([^"]+)")[^>]*>|<script[^>]*?src="([^"]+)"|'
                   r'import\("([^"]+)"\)')
DEFERRED = re.compile(r'id="portal-boot" data-preload="([^"]+)"')


def start_blank_build(work: Path) -> subprocess.Popen:
    """`reflex init --template blank` + `reflex export --frontend-only` in a temp dir,
    with the same bun and environment as the portal's build (runs in the background)."""
    work.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "REFLEX_TELEMETRY_ENABLED": "false",
           "REFLEX_CHECK_LATEST_VERSION": "false", "REFLEX_USE_SYSTEM_BUN": "1",
           "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{bin_dir}:{os.environ.get('PATH', '')}"}
    for name in ("REFLEX_WEB_WORKDIR", "REFLEX_STATES_WORKDIR", "PORTAL_BENCH"):
        env.pop(name, None)
    script = (f"{bin_dir / 'reflex'} init --name blank_app --template blank --no-agents && "
              f"{bin_dir / 'reflex'} export --frontend-only --no-zip --env prod")
    log = open(work / "build.log", "w")  # noqa: SIM115 - the child keeps it
    return subprocess.Popen(["bash", "-c", script], cwd=work, env=env, stdout=log,  # noqa: S603,S607
                            stderr=subprocess.STDOUT, start_new_session=True)


def page_assets(client_dir: Path, page_html: str) -> list[str]:
    """The JS and CSS a prerendered page loads: its module preloads (in the page, or
    started after its first paint: portal_app/frontend_build.py), scripts, the entry
    import and its stylesheets (each once)."""
    html = (client_dir / page_html).read_text()
    found = []
    hrefs = [link or script or imported for link, script, imported in ASSET.findall(html)]
    for deferred in DEFERRED.findall(html):
        hrefs += deferred.split()
    for href in hrefs:
        if href.split("?")[0].endswith((".js", ".css")) and href not in found:
            found.append(href)
    return found


def gzipped_size(path: Path) -> int:
    """The size served compressed: the build's own .gz next to the file, else gzip -9."""
    pre = path.with_name(path.name + ".gz")
    if pre.exists():
        return pre.stat().st_size
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def bundle_sizes(client_dir: Path, page_html: str) -> dict:
    js = css = 0
    files = page_assets(client_dir, page_html)
    for href in files:
        path = client_dir / href.lstrip("/").split("?")[0]
        if not path.exists():
            continue
        size = gzipped_size(path)
        if href.endswith(".css"):
            css += size
        else:
            js += size
    return {"page": page_html, "files": len(files), "js_gzip_bytes": js, "css_gzip_bytes": css}


def _dashboard_ready(page) -> None:
    page.get_by_role("heading", name="Total due").wait_for(state="visible")
    # The "Total due" card's button (the "Next step" card may offer one too, before it).
    page.get_by_role("button", name="Pay now").last.wait_for(state="visible")


def time_to_interactive(base_url: str, email: str, password: str, repeats: int = 3) -> dict:
    """Sign in through the real form, then load the dashboard again, cold (a new
    browser context: empty cache, the session cookie only) and warm (the same
    context again). Each time runs from navigation until the dashboard shows
    its data (the "Total due" card with its "Pay now" button)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return {"skipped": f"no Chromium at {CHROMIUM}"}
    result: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            ctx.set_default_timeout(30_000)
            page = ctx.new_page()
            page.goto(base_url + "/login")
            # The page paints before its scripts start: act once it is live (the mark
            # of components/hydration_mark.py), as a person's click would only count then.
            page.locator(f'#{MARK_ID}[data-hydrated="true"]').wait_for(state="attached")
            page.get_by_role("button", name="Sign in with a password").click()
            # The password form replaces the code form (an answer from the server): fill
            # its fields once it is there, not the code form's email field before it.
            page.get_by_label("Password").wait_for(state="visible")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(password)
            t0 = time.perf_counter()
            page.get_by_role("button", name="Sign in").click()
            _dashboard_ready(page)
            result["sign_in_to_dashboard_ms"] = (time.perf_counter() - t0) * 1000
            cookies = ctx.cookies()
            ctx.close()
            cold, warm, transfer = [], [], None
            for _ in range(repeats):
                ctx = browser.new_context(viewport={"width": 1280, "height": 800})
                ctx.set_default_timeout(30_000)
                ctx.add_cookies(cookies)
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(base_url + "/dashboard", wait_until="commit")
                _dashboard_ready(page)
                cold.append((time.perf_counter() - t0) * 1000)
                if transfer is None:
                    transfer = page.evaluate(
                        "() => { const r = performance.getEntriesByType('resource');"
                        " const sum = (ext) => r.filter(e => e.name.split('?')[0].endsWith(ext))"
                        ".reduce((a, e) => a + e.encodedBodySize, 0);"
                        " return {js: sum('.js'), css: sum('.css'), requests: r.length}; }")
                t0 = time.perf_counter()
                page.goto(base_url + "/dashboard", wait_until="commit")
                _dashboard_ready(page)
                warm.append((time.perf_counter() - t0) * 1000)
                ctx.close()
            result.update({
                "cold_ms": cold, "warm_ms": warm,
                "cold_median_ms": statistics.median(cold),
                "warm_median_ms": statistics.median(warm),
                "transferred": transfer,
            })
        finally:
            browser.close()
    return result


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,  # noqa: S603
                             timeout=20)
        return out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
