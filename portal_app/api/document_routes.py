"""Document downloads: the client's own documents, and any document for staff.

Files are private: served only here, to the signed-in owner (with the
documents feature on) or to staff, always as an attachment the browser may
not sniff or render in the portal's origin. Every download is audited.
The file streams from the storage a chunk at a time (api/stored_files.py); with
PORTAL_STORAGE_PRESIGN=1 (S3) the answer, after the same checks and the same
audit, is a `no-store` redirect to a short-lived presigned URL instead.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal_app.api.session_routes import _client_ip
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
from portal_app.services.documents import get_document, get_document_for_client, record_view
from portal_app.services.errors import NotFound

API_DOCUMENT_DOWNLOAD = "/api/documents/download"
API_CONSOLE_DOCUMENT_DOWNLOAD = "/api/console/documents/download"

def _download(request: Request, *, as_staff: bool) -> Response:
    """The document asked for, once the session may have it: streamed from the storage,
    or a redirect to a presigned URL (PORTAL_STORAGE_PRESIGN=1). Missing: 404, no audit."""
    download: Download | None = None
    method = request.method
    try:
        with session_scope() as session:
            if as_staff:
                staff = request_staff(session, request)
                if staff is None:
                    return forbidden()
                by, actor_id = "staff", staff.staff_id
            else:
                _, ctx = request_client(session, request)
                if ctx is None or ctx.client_id is None or not ctx.access.documents:
                    return forbidden()
                by, actor_id = "client", ctx.client_id
            raw_id = request.query_params.get("id")
            try:
                if as_staff:
                    doc = get_document(session, document_id=raw_id)
                else:
                    doc = get_document_for_client(session, client_id=actor_id,
                                                  document_id=raw_id)
                disposition = content_disposition(doc.filename)
                download = open_download(providers.current().storage, doc.stored_name,
                                         method=method, disposition=disposition,
                                         content_type=doc.content_type)
            except (NotFound, *NOT_FOUND):
                return not_found()
            except StorageUnavailable:
                return unavailable(request)
            if method == "GET":  # a HEAD probe is not a download
                record_view(session, document=doc, by=by, actor_id=actor_id,
                            ip=_client_ip(request))
            content_type = doc.content_type
        return deliver(download, method=method, media_type=content_type,
                       disposition=disposition)
    except BaseException:
        if download is not None:
            download.close()
        raise


def _client_download(request: Request) -> Response:
    return _download(request, as_staff=False)


def _staff_download(request: Request) -> Response:
    return _download(request, as_staff=True)


# The database work runs in a thread: the event loop keeps serving every open tab
# meanwhile; the body then streams from the storage, a chunk at a time.
async def client_document_download(request: Request) -> Response:
    return await asyncio.to_thread(_client_download, request)


async def staff_document_download(request: Request) -> Response:
    return await asyncio.to_thread(_staff_download, request)


def document_routes() -> list[Route]:
    return [
        Route(API_DOCUMENT_DOWNLOAD, client_document_download, methods=["GET"]),
        Route(API_CONSOLE_DOCUMENT_DOWNLOAD, staff_document_download, methods=["GET"]),
    ]
