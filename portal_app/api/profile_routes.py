"""“Download my data”: the signed-in client's selected record as a zip.

The record always comes from the session cookie, never from the URL: the
route takes no parameters. The zip is built in an anonymous temporary file
(gone from the disk even if the process dies) and streamed from there in
chunks, then closed. Every export is audited.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from typing import IO

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from portal_app import routes
from portal_app.api.session_routes import _client_ip
from portal_app.api.stored_files import content_disposition
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.business import get_business
from portal_app.services.data_export import build_export, record_export, write_export_zip
from portal_app.services.sessions import COOKIE_NAME, resolve_client
from portal_app.timeouts import session_timeouts

CHUNK = 64 * 1024
# Kept in memory up to this size, then spilled to an unnamed file on disk.
IN_MEMORY_MAX = 1024 * 1024


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


def _build(request: Request) -> tuple[IO[bytes], int, str] | Response:
    handle = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_MAX)  # noqa: SIM115 - closed by _chunks
    try:
        with session_scope() as session:
            business = get_business(session)
            ctx = resolve_client(session, raw_token=request.cookies.get(COOKIE_NAME),
                                 timeouts=session_timeouts(),
                                 portal_enabled=business.portal_enabled, business=business)
            if ctx is None:
                handle.close()
                return Response("Sign in first.", status_code=403)
            if ctx.client_id is None:
                handle.close()
                return Response("Choose an account first.", status_code=404)
            export = build_export(session, client_id=ctx.client_id, access=ctx.access)
            summary = write_export_zip(export, storage=providers.current().storage, out=handle)
            record_export(session, account_id=ctx.account_id, client_id=ctx.client_id,
                          summary=summary, ip=_client_ip(request))
            stamp = export.data["exported_at"][:10]
        size = handle.tell()
    except BaseException:
        handle.close()
        raise
    return handle, size, f"my-data-{stamp}.zip"


async def profile_export(request: Request) -> Response:
    if request.method != "GET":  # a HEAD probe builds nothing and is not an export
        return Response(status_code=405, headers={"Allow": "GET"})
    # Database work, file reads and compression run in a thread: the event loop
    # keeps serving every open tab meanwhile.
    built = await asyncio.to_thread(_build, request)
    if isinstance(built, Response):
        return built
    handle, size, filename = built
    return StreamingResponse(_chunks(handle), media_type="application/zip", headers={
        "Content-Disposition": content_disposition(filename),
        "Content-Length": str(size),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": "private, no-store",
    })


def profile_routes() -> list[Route]:
    return [Route(routes.API_PROFILE_EXPORT, profile_export, methods=["GET"])]
