"""ASGI middleware that gives every HTTP answer (pages, API routes, files) the
browser-side protections a probe of a fresh install found missing: no framing by
other sites (`X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`), no MIME
sniffing (`nosniff`), a `Referrer-Policy` that keeps paths and query strings (which
may carry a ticket or a key) on this origin, and HSTS when the portal is served over
https. A header a route set itself is kept (a download's `sandbox` CSP gains the
`frame-ancestors` directive)."""

from __future__ import annotations

from collections.abc import Callable

FRAME_ANCESTORS = "frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(*, https: bool) -> Callable:
    """An `api_transformer` for rx.App: wraps the backend app."""

    def transform(app):
        return SecurityHeaders(app, https=https)

    return transform


class SecurityHeaders:
    def __init__(self, app, *, https: bool):
        self.app = app
        self.fixed = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                      (b"referrer-policy", b"strict-origin-when-cross-origin")]
        if https:
            self.fixed.append((b"strict-transport-security", HSTS.encode()))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = with_security_headers(list(message.get("headers", [])),
                                                           self.fixed)
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def with_security_headers(headers: list, fixed: list) -> list:
    """`headers` (ASGI byte pairs) plus each of `fixed` it lacks, and a CSP with
    `frame-ancestors 'none'` (added to the route's own CSP when it has one)."""
    names = {name.lower() for name, _ in headers}
    out = list(headers) + [(name, value) for name, value in fixed if name not in names]
    csp = [i for i, (name, _) in enumerate(out) if name.lower() == b"content-security-policy"]
    if not csp:
        out.append((b"content-security-policy", FRAME_ANCESTORS.encode()))
    for i in csp:
        name, value = out[i]
        if b"frame-ancestors" not in value:
            out[i] = (name, value.rstrip(b"; ") + b"; " + FRAME_ANCESTORS.encode())
    return out
