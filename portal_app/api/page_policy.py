"""The Content-Security-Policy of the portal's HTML pages (issue 25).

Reflex's compiled pages load their code from this origin (`/assets/*.js`) and carry
about ten small inline scripts (React Router's hydration data, the theme and
service-worker snippets from the page head). Rather than `'unsafe-inline'`, each
page's answer lists the sha256 of its own inline scripts, computed from the HTML
being sent (decompressed when it is a precompressed sidecar) and cached by content,
so a rebuilt frontend needs no configuration.

`'unsafe-eval'` stays: Reflex's `state.js` runs through `eval` every script event a
handler returns — `rx.toast.*` (about 150 in state/), `rx.set_clipboard`,
`rx.call_script` (the sign-in cookie exchange, sign-out, `<html lang>`, the browser's
zone) — and every `callback=` (the signature pad). Only what the server sends is
evaluated, never what a visitor typed.

To allow another source (e.g. a business that embeds a third video host) add its
origin to the directive in `page_sources` below — for a video host also to the
embed allow-list in `services/courses/authoring/embeds.py`."""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import re
import zlib
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

# The players `canonical_embed_url` produces (tests check the two stay in step).
VIDEO_PLAYERS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_HAS_SRC = re.compile(rb"\bsrc\s*=", re.I)
_CACHE_SIZE = 512


def page_sources(base_url: str) -> dict[str, tuple[str, ...]]:
    """Each directive and its sources, hashes aside. Same-origin media and files, the
    app's websocket (`ws:`/`wss:` of the base URL; 'self' alone misses it in older
    Safari), images from uploads previews (blob:) and QR codes (data:)."""
    parts = urlsplit(base_url)
    socket = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    return {
        "default-src": ("'self'",),
        "script-src": ("'self'", "'unsafe-eval'"),
        # Radix and emotion write <style> elements at run time.
        "style-src": ("'self'", "'unsafe-inline'"),
        "img-src": ("'self'", "data:", "blob:"),
        "media-src": ("'self'", "blob:"),
        "font-src": ("'self'", "data:"),
        "connect-src": ("'self'", socket),
        "frame-src": VIDEO_PLAYERS,
        "worker-src": ("'self'",),
        "manifest-src": ("'self'",),
        "object-src": ("'none'",),
        "base-uri": ("'self'",),
        "form-action": ("'self'",),
        "frame-ancestors": ("'none'",),
    }


def inline_script_hashes(html: bytes) -> list[str]:
    """`'sha256-…'` of every inline <script> in `html` (UTF-8), in order, once each."""
    seen: dict[str, None] = {}
    for attrs, body in _SCRIPT.findall(html):
        if not _HAS_SRC.search(attrs):
            digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
            seen[f"'sha256-{digest}'"] = None
    return list(seen)


def _decoded(body: bytes, encoding: str) -> bytes | None:
    try:
        if encoding in ("", "identity"):
            return body
        if encoding == "gzip":
            return gzip.decompress(body)
        if encoding == "deflate":
            return zlib.decompress(body)
    except (OSError, EOFError, zlib.error):
        return None
    return None


class PagePolicy:
    """The header value for one HTML answer, cached by the answer's bytes."""

    def __init__(self, base_url: str):
        self.sources = page_sources(base_url)
        self._cache: dict[tuple, bytes] = {}

    def render(self, script_hashes: list[str]) -> bytes:
        parts = []
        for name, sources in self.sources.items():
            if name == "script-src":
                sources = (*sources, *script_hashes)
            parts.append(" ".join((name, *sources)))
        return "; ".join(parts).encode()

    def for_body(self, body: bytes, encoding: str) -> bytes:
        key = (hashlib.blake2b(body, digest_size=16).digest(), encoding)
        return self._cached(key, lambda: body, encoding)

    def for_file(self, path: str, encoding: str, stat_key: tuple) -> bytes:
        """For an answer sent as a file (ASGI `pathsend`): read once per file version."""
        def read() -> bytes:
            try:
                with open(path, "rb") as handle:
                    return handle.read()
            except OSError:
                return b""

        return self._cached((path, *stat_key, encoding), read, encoding)

    def _cached(self, key: tuple, body, encoding: str) -> bytes:
        value = self._cache.get(key)
        if value is None:
            html = _decoded(body(), encoding)
            if html is None:
                # Fail closed: the page's inline scripts are refused, and the log says why.
                log.error("CSP: cannot read an HTML answer encoded %r; its inline scripts "
                          "will be refused (serve gzip or identity)", encoding)
                html = b""
            value = self.render(inline_script_hashes(html))
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = value
        return value
