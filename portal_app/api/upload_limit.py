"""ASGI guard for Reflex's upload endpoint: a request body over the limit is
refused before it is parsed (the handler checks each file again)."""

from __future__ import annotations

from starlette.responses import PlainTextResponse

MULTIPART_OVERHEAD = 256 * 1024


class UploadSizeLimit:
    def __init__(self, app, *, max_bytes: int, prefix: str = "/_upload"):
        self.app = app
        self.max_bytes = max_bytes + MULTIPART_OVERHEAD
        self.prefix = prefix

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = True
                if too_big:
                    return await self._refuse(scope, receive, send)
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Stop the parser: the upload ends here, nothing is handed on.
                    return {"type": "http.disconnect"}
            return message

        return await self.app(scope, counting_receive, send)

    async def _refuse(self, scope, receive, send):
        limit_mb = (self.max_bytes - MULTIPART_OVERHEAD) // (1024 * 1024)
        response = PlainTextResponse(f"These files add up to more than {limit_mb} MB.",
                                     status_code=413)
        await response(scope, receive, send)


def upload_limit(max_bytes: int):
    """An api_transformer for rx.App."""
    return lambda app: UploadSizeLimit(app, max_bytes=max_bytes)
