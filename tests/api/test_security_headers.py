"""Every HTTP answer carries the anti-framing, no-sniff and referrer headers (and HSTS
over https); a route's own headers are kept, its CSP gains frame-ancestors."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from portal_app.api.security_headers import security_headers


def _app(https: bool):
    async def page(_request):
        return PlainTextResponse("<html></html>", media_type="text/html")

    async def download(_request):
        return Response(b"%PDF", media_type="application/pdf", headers={
            "Content-Security-Policy": "sandbox", "Referrer-Policy": "no-referrer"})

    inner = Starlette(routes=[Route("/login", page), Route("/file", download)])
    return security_headers(https=https)(inner)


def test_a_page_cannot_be_framed_or_sniffed_and_keeps_its_paths_to_itself():
    answer = TestClient(_app(https=False)).get("/login")
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in answer.headers


def test_hsts_only_when_the_portal_is_served_over_https():
    answer = TestClient(_app(https=True)).get("/login")
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_a_routes_own_headers_are_kept_and_its_csp_gains_frame_ancestors():
    answer = TestClient(_app(https=False)).get("/file")
    assert answer.headers["content-security-policy"] == "sandbox; frame-ancestors 'none'"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers.get_list("referrer-policy") == ["no-referrer"]
    assert answer.headers.get_list("x-frame-options") == ["DENY"]
