"""/api/certificates/<code>.pdf: the signed-in client's own certificate as a PDF.

Only the certificate of the selected client record is served; anyone else's code,
an unknown or malformed one, or no session is the same 404. The PDF carries the
code and the public verify URL (routes.VERIFY_CERTIFICATE)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal_app import i18n, routes
from portal_app.api.who import not_found, request_client
from portal_app.db import session_scope
from portal_app.services.courses.certificates import certificate_pdf_bytes, get_certificate_for
from portal_app.services.errors import NotFound
from portal_app.settings import get_settings


def _client_pdf(request: Request) -> Response:
    with session_scope() as session:
        business, ctx = request_client(session, request)
        if ctx is None or ctx.client_id is None:
            return not_found()
        try:
            row = get_certificate_for(session, client_id=ctx.client_id,
                                      code=request.path_params.get("code", ""))
        except NotFound:
            return not_found()
        lang = i18n.pick(ctx.language, request.cookies.get(i18n.COOKIE),
                         i18n.from_accept_language(request.headers.get("accept-language")),
                         business.language)
        body = certificate_pdf_bytes(session, row=row, lang=lang,
                                     base_url=get_settings().base_url)
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="certificate-{row.code}.pdf"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


async def client_certificate_pdf(request: Request) -> Response:
    return await asyncio.to_thread(_client_pdf, request)


def certificate_routes() -> list[Route]:
    return [Route(routes.API_CERTIFICATE_PDF, client_certificate_pdf, methods=["GET"])]
