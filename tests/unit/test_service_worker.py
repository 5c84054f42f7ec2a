"""The rendered service worker, run in Node with fake caches and network: it answers
only page loads (network first, offline page without a connection) and its precached
icons; it never touches /_event, /_upload, /api, other origins or non-GET requests."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from models import Business
from portal_app.services import web_app

HARNESS = Path(__file__).with_name("sw_harness.js")
NODE = shutil.which("node")
BUSINESS = Business(name="Harbor Physio", accent_color="#0F766E")


def run_worker(tmp_path, requests, existing_caches=()):
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is needed to run the service worker test")
        pytest.skip("node is not installed")
    sw = tmp_path / "sw.js"
    sw.write_text(web_app.render_service_worker(BUSINESS))
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"requests": requests,
                                    "existingCaches": list(existing_caches)}))
    done = subprocess.run([NODE, str(HARNESS), str(sw), str(scenario)], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


UNTOUCHED = [
    {"url": "/_event/?EIO=4&transport=polling"},
    {"url": "/_event"},
    {"url": "/_event/?EIO=4&transport=polling", "method": "POST"},
    {"url": "/_upload/logo.png"},
    {"url": "/_upload", "method": "POST"},
    {"url": "/api/health"},
    {"url": "/api"},
    {"url": "/api/documents/download?id=3", "mode": "navigate"},
    {"url": "/api/session/start?ticket=abc", "mode": "navigate"},
    {"url": "/api/health", "online": False, "mode": "navigate"},
    {"url": "/dashboard", "method": "POST", "mode": "navigate"},
    {"url": "/api/stripe/webhook", "method": "POST"},
    {"url": "https://checkout.stripe.com/pay/cs_1", "mode": "navigate"},
    {"url": "/assets/app-123.js"},
    {"url": "/favicon.svg"},
]


def test_sw_never_handles_event_upload_api_or_non_get_requests(tmp_path):
    out = run_worker(tmp_path, UNTOUCHED)
    handled = [r for r in out["results"] if r["handled"]]
    assert handled == []
    # Nothing it did not answer reached its fake network or its cache either.
    assert all(r["network"] == [] for r in out["results"])
    (contents,) = out["caches"].values()
    assert sorted(contents) == sorted(f"https://portal.test{u}"
                                      for u in web_app.precache_urls(BUSINESS))


def test_sw_page_loads_come_from_the_network_and_are_not_cached(tmp_path):
    out = run_worker(tmp_path, [
        {"url": "/dashboard", "mode": "navigate"},
        {"url": "/payments/invoice?id=7", "mode": "navigate"},
    ])
    first, second = out["results"]
    assert first["handled"] and first["body"] == "network /dashboard"
    assert first["network"] == ["https://portal.test/dashboard"]
    assert second["body"] == "network /payments/invoice"
    (contents,) = out["caches"].values()
    assert not any("/dashboard" in url or "/payments" in url for url in contents)


def test_sw_page_load_without_connection_shows_the_offline_page(tmp_path):
    out = run_worker(tmp_path, [{"url": "/dashboard", "mode": "navigate", "online": False}])
    (result,) = out["results"]
    assert result["handled"]
    assert result["body"] == "cached /offline"


def test_sw_precaches_only_offline_page_and_icons_bypassing_http_cache(tmp_path):
    out = run_worker(tmp_path, [])
    urls = web_app.precache_urls(BUSINESS)
    assert urls[0] == "/offline"
    assert all(u.startswith("/pwa/") and "?v=" in u for u in urls[1:])
    assert out["installNetwork"] == [{"url": f"https://portal.test{u}", "cache": "reload"}
                                     for u in urls]
    assert list(out["caches"]) == [web_app.cache_name(BUSINESS)]


def test_sw_serves_precached_icons_from_the_cache(tmp_path):
    icon = web_app.icon_urls(BUSINESS)["icon-192.png"]
    out = run_worker(tmp_path, [{"url": icon, "online": False},
                                {"url": "/pwa/icon-192.png?v=old"}])
    cached, other_version = out["results"]
    assert cached["handled"] and cached["body"] == "cached /pwa/icon-192.png"
    assert cached["network"] == []
    assert not other_version["handled"]


def test_sw_takes_over_at_once_and_drops_old_caches(tmp_path):
    out = run_worker(tmp_path, [], existing_caches=["portal-0ld-0ld", "someone-else"])
    assert out["calls"] == ["skipWaiting", "clients.claim"]
    assert set(out["caches"]) == {web_app.cache_name(BUSINESS), "someone-else"}
    assert set(out["listeners"]) == {"install", "activate", "fetch"}


def test_sw_cache_name_follows_branding():
    renamed = Business(name="Harbor Physio", accent_color="#7C3AED")
    with_logo = Business(name="Harbor Physio", accent_color="#0F766E",
                         logo_file="logo-0123456789abcdef.png")
    names = {web_app.cache_name(b) for b in (BUSINESS, renamed, with_logo)}
    assert len(names) == 3
    assert all(n.startswith("portal-") for n in names)
    assert web_app.cache_name(BUSINESS) in web_app.render_service_worker(BUSINESS)
