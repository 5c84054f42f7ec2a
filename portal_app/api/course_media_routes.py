"""A course lesson's media: the client's route (`routes.API_COURSE_MEDIA`) and the
console's (`routes.API_CONSOLE_COURSE_MEDIA`).

A client gets a file only when a published lesson that plays it is one they may
see and that is open for them now (services/courses/media.client_media); anything
else is 404, whether the id exists or not (signed out: 403). Staff get any file.

Both answer HTTP range requests, so players can seek and big files need not be
fetched whole: one range `bytes=a-b`, `bytes=a-` or `bytes=-n` gets 206 with
Content-Range; a range that starts past the end gets 416 (`bytes */size`); an end
past the file is clamped to its last byte, so nothing past the file is ever read.
Several ranges at once (`bytes=0-1,5-9`) and a malformed header are ignored, as
RFC 9110 allows: the answer is 200 with the whole file. Bodies are streamed in
chunks from the open file (on disk, or an S3 object read by HTTP range); every
answer is `private, no-store`, `nosniff`, and a download (a file lesson, or a type
that is not audio or video) is an attachment. With PORTAL_STORAGE_PRESIGN=1 a GET
is answered, after the same checks, by a `no-store` redirect to a presigned URL.
"""

from __future__ import annotations

import asyncio
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models import CourseMedia, LessonKind
from portal_app import routes
from portal_app.api.stored_files import (
    NOT_FOUND,
    PRIVATE_FILE_HEADERS,
    StorageUnavailable,
    content_disposition,
    open_download,
    redirect,
    stream,
    unavailable,
)
from portal_app.api.who import forbidden, not_found, request_client, request_staff
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.courses.media import client_media, staff_media
from portal_app.services.errors import NotFound

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
PLAYED = ("video/", "audio/")
BASE_HEADERS = {"Accept-Ranges": "bytes", **PRIVATE_FILE_HEADERS}


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """(first, last) byte to send; None for the whole file; "unsatisfiable" for 416."""
    if not header:
        return None
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:  # malformed, another unit, or several ranges: the whole file
        return None
    start, end = match.groups()
    if not start and not end:
        return None
    if not start:  # the last `end` bytes
        length = int(end)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    first = int(start)
    last = int(end) if end else size - 1
    if end and last < first:
        return None  # invalid: ignored
    if first >= size:
        return "unsatisfiable"
    return first, min(last, size - 1)


def media_response(request: Request, media: CourseMedia, *, download: bool) -> Response:
    """The file (or the asked range of it) with the headers above; 404 if it is gone.
    With PORTAL_STORAGE_PRESIGN=1 a GET is a `no-store` redirect to a presigned URL
    (the player then sends its Range requests to the storage itself)."""
    method = request.method
    disposition = content_disposition(media.filename) if download else "inline"
    try:
        opened = open_download(providers.current().storage, media.stored_name, method=method,
                               disposition=disposition, content_type=media.content_type)
    except NOT_FOUND:
        return not_found()
    except StorageUnavailable:
        return unavailable(request)
    if opened.url is not None:
        return redirect(opened.url)
    size = opened.size  # the file as it is: a range never reads past it
    headers = dict(BASE_HEADERS)
    if download:
        headers["Content-Disposition"] = disposition
    wanted = parse_range(request.headers.get("range"), size)
    if wanted == "unsatisfiable":
        opened.close()
        headers["Content-Range"] = f"bytes */{size}"
        return Response(status_code=416, headers=headers)
    first, last = (0, size - 1) if wanted is None else wanted
    status = 200
    if wanted is not None:
        status = 206
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return stream(opened, method=method, headers=headers, media_type=media.content_type,
                  status=status, first=first, length=max(last - first + 1, 0))


def _client_media(request: Request) -> Response:
    with session_scope() as session:
        business, ctx = request_client(session, request)
        if ctx is None or ctx.client_id is None:
            return forbidden()
        try:
            media, lesson = client_media(session, client_id=ctx.client_id, business=business,
                                         media_id=request.path_params.get("media_id"))
        except NotFound:
            return not_found()
        session.expunge(media)
        download = lesson.kind == LessonKind.FILE or not media.content_type.startswith(PLAYED)
    return media_response(request, media, download=download)


def _staff_media(request: Request) -> Response:
    with session_scope() as session:
        staff = request_staff(session, request)
        if staff is None:
            return forbidden()
        try:
            media = staff_media(session, media_id=request.path_params.get("media_id"))
        except NotFound:
            return not_found()
        session.expunge(media)
    return media_response(request, media, download=not media.content_type.startswith(PLAYED))


# The database work runs in a thread; the body streams from the file afterwards.
async def client_course_media(request: Request) -> Response:
    return await asyncio.to_thread(_client_media, request)


async def staff_course_media(request: Request) -> Response:
    return await asyncio.to_thread(_staff_media, request)


def course_media_routes() -> list[Route]:
    return [
        Route(routes.API_COURSE_MEDIA, client_course_media, methods=["GET", "HEAD"]),
        Route(routes.API_CONSOLE_COURSE_MEDIA, staff_course_media, methods=["GET", "HEAD"]),
    ]
