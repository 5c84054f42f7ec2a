"""Document downloads: the client's own documents, and any document for staff.

Files are private: served only here, to the signed-in owner (with the
documents feature on) or to staff, always as an attachment the browser may
not sniff or render in the portal's origin. Every download is audited.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal_app.api.session_routes import _client_ip
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.business import get_business
from portal_app.services.documents import get_document, get_document_for_client, record_view
from portal_app.services.errors import NotFound
from portal_app.services.sessions import COOKIE_NAME, resolve_client, resolve_staff
from portal_app.timeouts import session_timeouts

API_DOCUMENT_DOWNLOAD = "/api/documents/download"
API_CONSOLE_DOCUMENT_DOWNLOAD = "/api/console/documents/download"

_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()\-,]")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_ASCII_UNSAFE.sub("_", text).split()).strip(". ")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266/5987)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    stem, ext = _ascii(stem), _ascii(ext).replace(".", "")
    if not any(ch.isalnum() for ch in stem):
        stem = "download"
    fallback = f"{stem}.{ext}" if ext else stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _attachment(body: bytes, *, content_type: str, filename: str) -> Response:
    return Response(body, media_type=content_type, headers={
        "Content-Disposition": content_disposition(filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": "private, no-store",
    })


def _forbidden() -> Response:
    return Response("Sign in first.", status_code=403)


def _not_found() -> Response:
    return Response("Not found.", status_code=404)


def _client_download(request: Request) -> Response:
    with session_scope() as session:
        business = get_business(session)
        ctx = resolve_client(session, raw_token=request.cookies.get(COOKIE_NAME),
                             timeouts=session_timeouts(), portal_enabled=business.portal_enabled,
                             business=business)
        if ctx is None or ctx.client_id is None or not ctx.access.documents:
            return _forbidden()
        try:
            doc = get_document_for_client(session, client_id=ctx.client_id,
                                          document_id=request.query_params.get("id"))
            body = providers.current().storage.read(doc.stored_name)
        except (NotFound, FileNotFoundError, ValueError):
            return _not_found()
        if request.method == "GET":  # a HEAD probe is not a download
            record_view(session, document=doc, by="client", actor_id=ctx.client_id,
                        ip=_client_ip(request))
        content_type, filename = doc.content_type, doc.filename
    return _attachment(body, content_type=content_type, filename=filename)


def _staff_download(request: Request) -> Response:
    with session_scope() as session:
        staff = resolve_staff(session, raw_token=request.cookies.get(COOKIE_NAME),
                              timeouts=session_timeouts())
        if staff is None:
            return _forbidden()
        try:
            doc = get_document(session, document_id=request.query_params.get("id"))
            body = providers.current().storage.read(doc.stored_name)
        except (NotFound, FileNotFoundError, ValueError):
            return _not_found()
        if request.method == "GET":  # a HEAD probe is not a download
            record_view(session, document=doc, by="staff", actor_id=staff.staff_id,
                        ip=_client_ip(request))
        content_type, filename = doc.content_type, doc.filename
    return _attachment(body, content_type=content_type, filename=filename)


# Database work and file reading run in a thread: the event loop keeps serving
# every open tab meanwhile.
async def client_document_download(request: Request) -> Response:
    return await asyncio.to_thread(_client_download, request)


async def staff_document_download(request: Request) -> Response:
    return await asyncio.to_thread(_staff_download, request)


def document_routes() -> list[Route]:
    return [
        Route(API_DOCUMENT_DOWNLOAD, client_document_download, methods=["GET"]),
        Route(API_CONSOLE_DOCUMENT_DOWNLOAD, staff_document_download, methods=["GET"]),
    ]
