"""A community post's file (`routes.API_COMMUNITY_FILE`): for a signed-in client who
may see the post now (the Community app theirs, the group readable, the post
published or their own held one: services/community/files.get_file_for_client), or
for signed-in staff (any post its author has not deleted). Anything else is 404,
whether the file exists or not; signed out is 403.

Images the browser shows (PNG, JPEG, GIF, WEBP) are sent inline so the feed can
show them; every other type is an attachment. Every answer is `private, no-store`,
`nosniff` and sandboxed, streamed from the storage (or, with
PORTAL_STORAGE_PRESIGN=1, a `no-store` redirect to a presigned URL)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal_app import apps, routes
from portal_app.api.stored_files import (
    NOT_FOUND,
    Download,
    StorageUnavailable,
    content_disposition,
    deliver,
    open_download,
    unavailable,
)
from portal_app.api.who import forbidden, not_found, request_client, request_staff
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.community.files import (
    get_file_for_client,
    get_file_for_staff,
    is_shown_image,
)
from portal_app.services.errors import NotFound
from portal_app.services.hub.entitlements import has_app


def _file(request: Request) -> Response:
    download: Download | None = None
    method = request.method
    raw_id = request.path_params.get("file_id")
    try:
        with session_scope() as session:
            business, ctx = request_client(session, request)
            staff = None if ctx is not None else request_staff(session, request)
            if staff is None and (ctx is None or ctx.client_id is None):
                return forbidden()
            try:
                if staff is not None:
                    row = get_file_for_staff(session, file_id=raw_id)
                else:
                    if not has_app(session, business=business, client_id=ctx.client_id,
                                   app_key=apps.COMMUNITY):
                        return not_found()
                    row = get_file_for_client(session, client_id=ctx.client_id, file_id=raw_id)
                disposition = ("inline" if is_shown_image(row.content_type)
                               else content_disposition(row.filename))
                download = open_download(providers.current().storage, row.stored_name,
                                         method=method, disposition=disposition,
                                         content_type=row.content_type)
            except (NotFound, *NOT_FOUND):
                return not_found()
            except StorageUnavailable:
                return unavailable(request)
            content_type = row.content_type
        return deliver(download, method=method, media_type=content_type,
                       disposition=disposition)
    except BaseException:
        if download is not None:
            download.close()
        raise


# The database work runs in a thread; the body streams from the storage afterwards.
async def community_file(request: Request) -> Response:
    return await asyncio.to_thread(_file, request)


def community_file_routes() -> list[Route]:
    return [Route(routes.API_COMMUNITY_FILE, community_file, methods=["GET", "HEAD"])]
