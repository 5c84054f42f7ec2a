"""Every HTTP answer carries the anti-framing, no-sniff and referrer headers (and HSTS
over https); a route's own headers are kept, its CSP gains frame-ancestors. An HTML
page carries the full Content-Security-Policy with its own inline scripts by hash,
whether sent as bytes, gzipped or as a file (ASGI pathsend)."""

import asyncio
import base64
import gzip
import hashlib
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from portal_app.api.security_headers import security_headers
from portal_app.services.courses.authoring.embeds import canonical_embed_url

THEME = b'document.documentElement.dataset.theme = "light";'
DATA = b'window.__ctx = {"route": "/login"};'
PAGE = (b'<!DOCTYPE html><html><head><script>' + THEME + b'</script>'
        b'<script type="module" src="/assets/entry.js"></script></head><body>'
        b'<script type="module" async="">' + DATA + b'</script></body></html>')


def _sha(script: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"


def _app(base_url: str = "http://portal.test:3000", page_file=None):
    async def page(_request):
        return Response(PAGE, media_type="text/html")

    async def zipped(_request):
        return Response(gzip.compress(PAGE), media_type="text/html",
                        headers={"Content-Encoding": "gzip"})

    async def as_file(_request):
        return FileResponse(page_file, media_type="text/html")

    async def unchanged(_request):
        return Response(status_code=304, headers={"ETag": '"1"'})

    async def text(_request):
        return PlainTextResponse("ok")

    async def download(_request):
        return Response(b"%PDF", media_type="application/pdf", headers={
            "Content-Security-Policy": "sandbox", "Referrer-Policy": "no-referrer"})

    inner = Starlette(routes=[Route("/login", page), Route("/zipped", zipped),
                              Route("/file", as_file), Route("/again", unchanged),
                              Route("/text", text), Route("/download", download)])
    return security_headers(base_url=base_url)(inner)


def _policy(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";")]
    return {words[0]: words[1:] for words in directives}


def test_a_page_cannot_be_framed_or_sniffed_and_keeps_its_paths_to_itself():
    answer = TestClient(_app()).get("/login")
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in answer.headers
    assert answer.content == PAGE


def test_a_page_allows_only_this_origin_its_websocket_and_its_own_inline_scripts():
    answer = TestClient(_app()).get("/login")
    assert answer.headers.get_list("content-security-policy") == [
        answer.headers["content-security-policy"]]
    policy = _policy(answer.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    # The two inline scripts by hash; the external one needs none; never 'unsafe-inline'.
    assert policy["script-src"] == ["'self'", "'unsafe-eval'", _sha(THEME), _sha(DATA)]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["media-src"] == ["'self'", "blob:"]
    assert policy["font-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'", "ws://portal.test:3000"]
    assert policy["frame-src"] == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
    assert policy["worker-src"] == ["'self'"]
    assert policy["manifest-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_a_gzipped_page_and_a_page_sent_as_a_file_carry_the_same_hashes(tmp_path):
    page_file = tmp_path / "login.html"
    page_file.write_bytes(PAGE)
    client = TestClient(_app(page_file=page_file))
    expected = client.get("/login").headers["content-security-policy"]
    assert client.get("/zipped").headers["content-security-policy"] == expected

    async def via_pathsend() -> list[dict]:
        sent = []
        scope = {"type": "http", "method": "GET", "path": "/file", "raw_path": b"/file",
                 "root_path": "", "scheme": "http", "query_string": b"", "headers": [],
                 "server": ("portal.test", 3000), "http_version": "1.1",
                 "extensions": {"http.response.pathsend": {}}}

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        await _app(page_file=page_file)(scope, receive, send)
        return sent

    start, body = asyncio.run(via_pathsend())
    assert body == {"type": "http.response.pathsend", "path": str(page_file)}
    assert dict(start["headers"])[b"content-security-policy"].decode() == expected


def test_a_not_modified_answer_leaves_the_cached_pages_policy_alone():
    answer = TestClient(_app()).get("/again")
    assert answer.status_code == 304
    assert "content-security-policy" not in answer.headers
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_other_answers_only_forbid_framing():
    answer = TestClient(_app()).get("/text")
    assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"


def test_over_https_hsts_and_a_secure_websocket():
    answer = TestClient(_app(base_url="https://portal.example")).get("/login")
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    policy = _policy(answer.headers["content-security-policy"])
    assert policy["connect-src"] == ["'self'", "wss://portal.example"]


def test_a_routes_own_headers_are_kept_and_its_csp_gains_frame_ancestors():
    answer = TestClient(_app()).get("/download")
    assert answer.headers["content-security-policy"] == "sandbox; frame-ancestors 'none'"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers.get_list("referrer-policy") == ["no-referrer"]
    assert answer.headers.get_list("x-frame-options") == ["DENY"]


def test_every_video_player_a_lesson_may_embed_is_allowed_in_frames():
    policy = _policy(TestClient(_app()).get("/login").headers["content-security-policy"])
    for link in ("https://youtu.be/inpok4MKVLM", "https://vimeo.com/76979871"):
        player = urlsplit(canonical_embed_url(link))
        assert f"{player.scheme}://{player.netloc}" in policy["frame-src"]
