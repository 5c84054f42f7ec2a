"""ASGI middleware for how the built frontend is served (Reflex's single-port static
mount): one round trip per page and cache headers a phone can use.

- A page asked for without its trailing slash (`/dashboard`, as every link and
  redirect writes it) is served at once from its prerendered `dashboard/index.html`;
  Starlette's static files would answer 307 to `/dashboard/` first, a whole round
  trip (Lighthouse's mobile profile counts ~600 ms of it) before the first paint.
- The build's hashed files under `/assets/` never change under their name:
  `Cache-Control: public, max-age=31536000, immutable`. The pages themselves
  (HTML, whose script hashes and asset names change with each build) are
  `no-cache`: revalidated each time (their ETag makes that a 304). Other files of
  the web root (favicon, fonts, scripts from assets/) keep a name across builds:
  a day. A header a route set itself is kept (the API's own answers, the PWA's).
Compression is the static mount's own (the build's precompressed `.gz` files).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"no-cache"
A_DAY = b"public, max-age=86400"
CACHE_CONTROL = b"cache-control"
# Paths that are never the static mount's: the API, Reflex's own endpoints.
NOT_STATIC = ("/api/", "/_event", "/_upload", "/_health", "/ping", "/_all_routes", "/auth-codespace")


def static_files(static_dir: Callable[[], Path | None]) -> Callable:
    """An `api_transformer` for rx.App. `static_dir` finds the built frontend's folder
    (the same one Reflex mounts) when the first request comes."""

    def transform(app):
        return StaticFiles(app, static_dir)

    return transform


def reflex_static_dir() -> Path | None:
    """Where `reflex run --env prod` serves the frontend from (reflex.utils.exec)."""
    from reflex.utils import prerequisites
    from reflex_base import constants
    from reflex_base.config import get_config

    path = (prerequisites.get_web_dir() / constants.Dirs.STATIC
            / get_config().frontend_path.strip("/"))
    return path if path.is_dir() else None


def _has_header(headers: list, name: bytes) -> bool:
    return any(key.lower() == name for key, _ in headers)


def _content_type(headers: list) -> bytes:
    for key, value in headers:
        if key.lower() == b"content-type":
            return value.split(b";")[0].strip().lower()
    return b""


def cache_control_for(path: str, status: int, content_type: bytes, *, page: bool,
                      static_file: bool) -> bytes | None:
    """The Cache-Control a static answer gets (None: leave the answer alone). `page`:
    the path is a prerendered page; `static_file`: a file of the built web root."""
    if status not in (200, 304):
        return None
    if content_type == b"text/html" or page:
        return REVALIDATE
    if not static_file:  # a route's own answer (a CSV, a PDF): not ours to make cacheable
        return None
    return IMMUTABLE if path.startswith("/assets/") else A_DAY


class StaticFiles:
    def __init__(self, app, static_dir: Callable[[], Path | None]):
        self.app = app
        self._static_dir = static_dir
        self._root: Path | None = None
        self._pages: dict[str, bool] = {}  # path -> has a prerendered <path>/index.html

    def _is_page_dir(self, path: str) -> bool:
        known = self._pages.get(path)
        if known is not None:
            return known
        if self._root is None:
            self._root = self._static_dir()
            if self._root is None:
                return False
        rel = path.strip("/")
        found = (".." not in rel.split("/") and os.path.isfile(self._root / rel / "index.html"))
        if len(self._pages) < 4096:  # the route table is finite; odd paths are not kept
            self._pages[path] = found
        return found

    def _is_static_file(self, path: str) -> bool:
        if self._root is None:
            self._root = self._static_dir()
        rel = path.strip("/")
        return bool(self._root and rel and ".." not in rel.split("/")
                    and os.path.isfile(self._root / rel))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if path.startswith(NOT_STATIC):
            return await self.app(scope, receive, send)
        last = path.rsplit("/", 1)[-1]
        page = path.endswith(("/", ".html"))
        if not page and "." not in last and self._is_page_dir(path):
            page = True
            scope = {**scope, "path": path + "/",
                     "raw_path": scope.get("raw_path", path.encode()) + b"/"}

        async def send_with_cache(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not _has_header(headers, CACHE_CONTROL):
                    status = message.get("status", 200)
                    value = cache_control_for(
                        path, status, _content_type(headers), page=page,
                        static_file=status in (200, 304) and not page
                        and self._is_static_file(path))
                    if value:
                        message = {**message, "headers": headers + [(CACHE_CONTROL, value)]}
            await send(message)

        return await self.app(scope, receive, send_with_cache)
