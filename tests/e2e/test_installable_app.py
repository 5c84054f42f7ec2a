"""The portal as a home-screen app, in Chromium: installable by Chromium's own check,
a service worker that leaves data requests alone, the branded offline page, and
new-tab links that stay inside the app in standalone mode."""

import re
import tempfile

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.journeys import at, sign_in

# What the browser is served (manifest, service worker, texts) is the same in both
# modes: checked once, in the sqlite mode.
pytestmark = [pytest.mark.e2e, pytest.mark.ui_only]

# Playwright's browser.new_context() is an off-the-record (incognito) profile, and
# Chromium refuses to install from incognito whatever the page does. Seen here with
# Debian Chromium 156 headless: getInstallabilityErrors == [{"errorId": "in-incognito"}].
INCOGNITO = "in-incognito"


def sw_ready(page) -> str:
    """Wait until the service worker is active and controls the page; its script URL."""
    url = page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return url


def linked_manifest(page) -> tuple[str, dict]:
    """The manifest the page links to, read the way the browser finds it."""
    return page.evaluate("""async () => {
        const link = document.querySelector('link[rel="manifest"]');
        const response = await fetch(link.href);
        return [link.href, await response.json()];
    }""")


def installability_errors(context, page) -> list[str]:
    cdp = context.new_cdp_session(page)
    try:
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    finally:
        cdp.detach()
    return [e["errorId"] for e in errors]


def cache_contents(page) -> dict[str, list[str]]:
    return page.evaluate("""async () => {
        const out = {};
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            out[name] = (await cache.keys()).map(r => new URL(r.url).pathname + new URL(r.url).search);
        }
        return out;
    }""")


def test_sign_in_page_is_an_installable_app(portal, context):
    page = context.new_page()
    page.goto(portal.url("/login"))
    assert sw_ready(page) == portal.url("/sw.js")

    href, manifest = linked_manifest(page)
    assert href == portal.url("/manifest.webmanifest")
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/dashboard" and manifest["scope"] == "/"
    assert len(manifest["short_name"]) <= 12
    # Chromium parsed the same manifest without complaint.
    cdp = context.new_cdp_session(page)
    parsed = cdp.send("Page.getAppManifest")
    cdp.detach()
    assert parsed["url"] == href and parsed["errors"] == []

    # The head's static defaults were replaced with the business's own colour and name,
    # and stay so once React has hydrated the head: one tag each.
    page.wait_for_load_state("networkidle")
    for name, value in (("theme-color", manifest["theme_color"]),
                        ("apple-mobile-web-app-title", manifest["short_name"])):
        tags = page.locator(f'meta[name="{name}"]')
        expect(tags).to_have_count(1)
        expect(tags).to_have_attribute("content", value)
    for name in ("apple-mobile-web-app-capable", "mobile-web-app-capable"):
        expect(page.locator(f'meta[name="{name}"]')).to_have_attribute("content", "yes")
    touch = page.evaluate("fetch(document.querySelector('link[rel=apple-touch-icon]').href)"
                          ".then(r => r.headers.get('content-type'))")
    assert touch == "image/png"

    # Installability, as Chromium itself judges it. In this incognito context the
    # only objection allowed is the incognito profile itself.
    errors = installability_errors(context, page)
    assert [e for e in errors if e != INCOGNITO] == []


def test_chromium_finds_nothing_to_object_to_in_a_normal_profile(portal, browser):
    """The same check in a normal (persistent) profile, where it can pass outright."""
    with tempfile.TemporaryDirectory(prefix="pwa-profile-") as profile:
        ctx = browser.browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # First a control: with a manifest that has no icons the check objects,
            # so an empty answer below is a real verdict.
            broken = ctx.new_page()
            broken.route("**/manifest.webmanifest", lambda route: route.fulfill(
                status=200, content_type="application/manifest+json",
                body='{"name": "X", "short_name": "X", "start_url": "/dashboard", '
                     '"display": "standalone", "icons": []}'))
            broken.goto(portal.url("/login"))
            sw_ready(broken)
            assert "manifest-missing-suitable-icon" in installability_errors(ctx, broken)
            broken.close()

            page = ctx.new_page()
            page.goto(portal.url("/login"))
            sw_ready(page)
            assert installability_errors(ctx, page) == []
        finally:
            ctx.close()


def test_offline_dashboard_shows_the_branded_offline_page(portal, context):
    manifest = httpx.get(portal.url("/manifest.webmanifest")).json()
    email = portal.household("Offline Olive")
    page = context.new_page()
    sign_in(page, portal, email)
    page.wait_for_url(at("/dashboard"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    sw_ready(page)

    context.set_offline(True)
    try:
        response = page.goto(portal.url("/dashboard"))
        assert response.from_service_worker
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        expect(page.get_by_text(manifest["name"], exact=True)).to_be_visible()
        retry = page.get_by_role("button", name="Retry")
        expect(retry).to_have_css("background-color", _rgb(manifest["theme_color"]))
        # The icon came from the cache: it decoded although there is no network.
        assert page.evaluate("document.querySelector('img').naturalWidth") == 192
        retry.click()
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        assert at("/dashboard").match(page.url)
    finally:
        context.set_offline(False)

    # Back online, the same address is the real dashboard again (the page reloads
    # itself on the "online" event; Retry does the same if that came too early).
    for _ in range(10):
        if page.get_by_role("heading", name="Dashboard").is_visible():
            break
        if page.get_by_role("button", name="Retry").is_visible():
            page.get_by_role("button", name="Retry").click()
        page.wait_for_timeout(1000)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_service_worker_leaves_api_upload_and_event_traffic_alone(portal, context):
    page = context.new_page()
    page.goto(portal.url("/login"))
    sw_ready(page)
    seen = {}
    page.on("response", lambda r: seen.setdefault(re.sub(r"\?.*", "", r.url),
                                                  r.from_service_worker))
    page.evaluate("""Promise.all([
        fetch('/api/health'), fetch('/_upload/nothing.png'),
        fetch('/_event/?EIO=4&transport=polling'),
        fetch('/api/session/end', {method: 'POST'}),
    ])""")
    for path in ("/api/health", "/_upload/nothing.png", "/_event/", "/api/session/end"):
        assert seen[portal.url(path)] is False, path
    # A page load through /api is not the worker's either (downloads, session routes).
    assert page.goto(portal.url("/api/health")).from_service_worker is False
    # Pages are the worker's (network first); nothing but the offline page and icons
    # is ever put in its cache.
    assert page.goto(portal.url("/login")).from_service_worker is True
    page.goto(portal.url("/forgot-password"))
    (entries,) = cache_contents(page).values()
    assert entries[0] == "/offline"
    assert all(re.fullmatch(r"/pwa/(icon|maskable)-(192|512)\.png\?v=[0-9a-f]{12}", e)
               for e in entries[1:])
    assert len(entries) == 5


STANDALONE = """(() => {
    const real = window.matchMedia.bind(window);
    window.matchMedia = (query) => query.includes("display-mode: standalone")
        ? {matches: true, media: query, onchange: null, addListener() {}, removeListener() {},
           addEventListener() {}, removeEventListener() {}, dispatchEvent() { return false; }}
        : real(query);
})();"""


def _add_links(page):
    page.evaluate("""() => {
        for (const [text, href] of [["Same site", "/forgot-password"],
                                    ["Other site", "https://example.invalid/"]]) {
            const a = document.createElement("a");
            a.textContent = text; a.href = href; a.target = "_blank";
            document.body.prepend(a);
        }
    }""")


def test_new_tab_links_stay_in_the_app_in_standalone_mode(portal, browser):
    # Headless Chromium cannot be put in display-mode standalone (CDP has no emulation
    # for it), so the media query is answered by an init script before the page runs.
    ctx = browser.new_context()
    ctx.add_init_script(STANDALONE)
    try:
        page = ctx.new_page()
        page.goto(portal.url("/login"))
        _add_links(page)
        with ctx.expect_page() as popup:
            page.get_by_role("link", name="Other site").click()
        popup.value.close()  # another site still opens outside the app
        assert len(ctx.pages) == 1
        page.get_by_role("link", name="Same site").click()
        page.wait_for_url(at("/forgot-password"))
        assert len(ctx.pages) == 1  # same page, no new window
    finally:
        ctx.close()


def test_new_tab_links_still_open_a_tab_in_the_browser(portal, context):
    page = context.new_page()
    page.goto(portal.url("/login"))
    _add_links(page)
    with context.expect_page() as popup:
        page.get_by_role("link", name="Same site").click()
    popup.value.wait_for_url(at("/forgot-password"))
    assert at("/login").match(page.url)


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"
