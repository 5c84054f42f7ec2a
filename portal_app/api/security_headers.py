"""ASGI middleware that gives every HTTP answer (pages, API routes, files) the
browser-side protections a probe of a fresh install found missing: no framing by
other sites (`X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`), no MIME
sniffing (`nosniff`), a `Referrer-Policy` that keeps paths and query strings (which
may carry a ticket or a key) on this origin, and HSTS when the portal is served over
https. HTML pages get the full policy of `page_policy` (their inline scripts by
hash). A header a route set itself is kept (a download's `sandbox` CSP gains the
`frame-ancestors` directive)."""

from __future__ import annotations

import os
from collections.abc import Callable

from portal_app.api.page_policy import PagePolicy

FRAME_ANCESTORS = "frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"
CSP = b"content-security-policy"


def security_headers(*, base_url: str) -> Callable:
    """An `api_transformer` for rx.App: wraps the backend app."""

    def transform(app):
        return SecurityHeaders(app, base_url=base_url)

    return transform


def _header(headers: list, name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _is_html_page(start: dict) -> bool:
    """An HTML answer without a CSP of its own. A 304 is left alone: its headers
    would replace the cached page's policy (and its script hashes)."""
    headers = start.get("headers", [])
    kind = _header(headers, b"content-type") or b""
    return (start.get("status") != 304 and kind.split(b";")[0].strip().lower() == b"text/html"
            and _header(headers, CSP) is None)


class SecurityHeaders:
    def __init__(self, app, *, base_url: str):
        self.app = app
        self.policy = PagePolicy(base_url)
        self.fixed = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                      (b"referrer-policy", b"strict-origin-when-cross-origin")]
        if base_url.startswith("https://"):
            self.fixed.append((b"strict-transport-security", HSTS.encode()))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        held: dict = {}  # an HTML page's start, sent once its body is known
        chunks: list[bytes] = []

        async def send_with_headers(message):
            kind = message["type"]
            if kind == "http.response.start":
                if _is_html_page(message):
                    held["start"] = message
                    return
                message["headers"] = with_security_headers(
                    list(message.get("headers", [])), self.fixed,
                    skip_csp=message.get("status") == 304)
                return await send(message)
            if "start" not in held:
                return await send(message)
            start = held.pop("start")
            headers = list(start.get("headers", []))
            encoding = (_header(headers, b"content-encoding") or b"").decode("latin-1").lower()
            if kind == "http.response.pathsend":
                stat = os.stat(message["path"])
                page = self.policy.for_file(message["path"], encoding,
                                            (stat.st_mtime_ns, stat.st_size))
            elif kind == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    held["start"] = start
                    return
                message = {"type": kind, "body": b"".join(chunks), "more_body": False}
                page = self.policy.for_body(message["body"], encoding)
            else:  # an ASGI extension we do not read: the page gets no inline scripts
                page = self.policy.render([])
            start["headers"] = with_security_headers(headers + [(CSP, page)], self.fixed)
            await send(start)
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def with_security_headers(headers: list, fixed: list, *, skip_csp: bool = False) -> list:
    """`headers` (ASGI byte pairs) plus each of `fixed` it lacks, and a CSP with
    `frame-ancestors 'none'` (added to the route's own CSP when it has one)."""
    names = {name.lower() for name, _ in headers}
    out = list(headers) + [(name, value) for name, value in fixed if name not in names]
    if skip_csp:
        return out
    csp = [i for i, (name, _) in enumerate(out) if name.lower() == CSP]
    if not csp:
        out.append((CSP, FRAME_ANCESTORS.encode()))
    for i in csp:
        name, value = out[i]
        if b"frame-ancestors" not in value:
            out[i] = (name, value.rstrip(b"; ") + b"; " + FRAME_ANCESTORS.encode())
    return out
