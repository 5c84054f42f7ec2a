"""ASGI guard for Reflex's upload endpoint: a request body over the limit is
refused before it is parsed (the handler checks each file again).

One handler may take more (`LargerUpload`): a course's video goes to a staff
handler with its own limit (`PORTAL_COURSE_MEDIA_MAX_MB`). Reflex names the
handler in the `Reflex-Event-Handler` header, which anyone can set, so the larger
limit applies only when `allowed(scope)` says so too (a signed-in staff cookie);
everyone else keeps the document limit."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.responses import PlainTextResponse

MULTIPART_OVERHEAD = 256 * 1024
HANDLER_HEADER = b"reflex-event-handler"
log = logging.getLogger("portal.upload")


@dataclass(frozen=True)
class LargerUpload:
    handlers: frozenset[str]  # full event handler names (reflex.utils.format)
    max_bytes: int
    allowed: Callable[[dict], Awaitable[bool]]


class UploadSizeLimit:
    def __init__(self, app, *, max_bytes: int, prefix: str = "/_upload",
                 larger: LargerUpload | None = None):
        self.app = app
        self.max_bytes = max_bytes + MULTIPART_OVERHEAD
        self.prefix = prefix
        self.larger = larger

    async def _limit(self, scope) -> int:
        if self.larger is None:
            return self.max_bytes
        handler = next((v for k, v in scope.get("headers", []) if k == HANDLER_HEADER), b"")
        if (handler.decode("latin-1") in self.larger.handlers
                and await self.larger.allowed(scope)):
            return max(self.max_bytes, self.larger.max_bytes + MULTIPART_OVERHEAD)
        return self.max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            return await self.app(scope, receive, send)
        if scope.get("method") in ("GET", "HEAD"):
            # Reflex also serves its upload folder here as public static files. The
            # portal never keeps a file there (private files are served by its own
            # signed-in routes), so the mount is closed rather than trusted empty.
            return await PlainTextResponse("Not found.", status_code=404)(scope, receive, send)
        limit = await self._limit(scope)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = True
                if too_big:
                    return await self._refuse(scope, receive, send, limit)
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Stop the parser: the upload ends here, nothing is handed on.
                    return {"type": "http.disconnect"}
            return message

        return await self._guarded(scope, counting_receive, send)

    async def _guarded(self, scope, receive, send):
        """A malformed upload (a handler that takes no files, arguments it does not
        take, a broken form) makes Reflex's endpoint fail with a 500: it is answered
        400 with a plain sentence instead (no stack trace), and logged. The handler
        never ran, so nothing was stored."""
        refused = False

        async def guarded_send(message):
            nonlocal refused
            if message["type"] == "http.response.start" and message.get("status", 200) >= 500:
                refused = True
                await _bad_upload(send)
                return
            if not refused:  # the 500's own body is dropped
                await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except Exception:
            log.warning("refused a malformed upload to %s", scope.get("path"), exc_info=True)
            if not refused:
                await _bad_upload(send)

    async def _refuse(self, scope, receive, send, limit: int):
        limit_mb = (limit - MULTIPART_OVERHEAD) // (1024 * 1024)
        response = PlainTextResponse(f"These files add up to more than {limit_mb} MB.",
                                     status_code=413)
        await response(scope, receive, send)


BAD_UPLOAD = "That upload could not be read. Please try again from the page."


async def _bad_upload(send) -> None:
    body = BAD_UPLOAD.encode()
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def upload_limit(max_bytes: int, larger: LargerUpload | None = None):
    """An api_transformer for rx.App."""
    return lambda app: UploadSizeLimit(app, max_bytes=max_bytes, larger=larger)


def _staff_signed_in_now(scope) -> bool:
    from starlette.requests import Request

    from portal_app.api.who import request_staff
    from portal_app.db import session_scope

    with session_scope() as session:
        # Only its cookies are read: the headers are all the request it needs.
        request = Request({"type": "http", "headers": scope.get("headers", [])})
        return request_staff(session, request) is not None


async def staff_signed_in(scope) -> bool:
    """Whether the request carries a live staff session cookie (checked in a thread)."""
    import asyncio

    return await asyncio.to_thread(_staff_signed_in_now, scope)
