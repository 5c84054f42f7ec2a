"""Superbill PDFs: the client's (`/api/superbills/<id>.pdf`) and the console's
(`/api/console/superbills/<id>.pdf`).

The client gets a superbill only when it is issued, its client record is one of
the signed-in household's, that record has "access billing documents" and the
business offers superbills; anything else is 404, whether the id exists or not.
A superbill whose data became incomplete after it was issued is refused (409),
never printed with something missing. Staff get any superbill that passes the
pre-flight, in their console language (else the client's)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models import Client
from portal_app import i18n, routes
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.services.billing.superbills.build import build_superbill
from portal_app.services.billing.superbills.pdf import superbill_pdf_bytes
from portal_app.services.billing.superbills.requests import (
    get_issued_for,
    get_superbill,
    superbills_on,
)
from portal_app.services.business import get_business
from portal_app.services.emails import client_language
from portal_app.services.errors import NotFound
from portal_app.services.permissions import effective_access
from portal_app.services.sessions import COOKIE_NAME, resolve_client, resolve_staff
from portal_app.timeouts import session_timeouts

INCOMPLETE = "This superbill is missing data and cannot be printed. Please contact us."


def _not_found() -> Response:
    return Response("Not found.", status_code=404)


def _pdf(body: bytes, superbill_id: int) -> Response:
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="superbill-{superbill_id}.pdf"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


def _render(session, row, lang: str) -> bytes | None:
    """The PDF, or None when the pre-flight finds something missing now."""
    doc = build_superbill(session, client_id=row.client_id, start=row.start_date,
                          end=row.end_date)
    if doc.problems:
        return None
    issued_on = (formats.local_date_text(row.issued_at, doc.zone, lang)
                 if row.issued_at else "")
    return superbill_pdf_bytes(session, doc=doc, lang=lang, issued_on=issued_on)


def _client_pdf(request: Request) -> Response:
    with session_scope() as session:
        business = get_business(session)
        if not superbills_on(business):
            return _not_found()
        ctx = resolve_client(session, raw_token=request.cookies.get(COOKIE_NAME),
                             timeouts=session_timeouts(), portal_enabled=business.portal_enabled,
                             business=business)
        if ctx is None:
            return _not_found()
        allowed = [r.id for r in ctx.records if effective_access(business, r.perms).billing]
        try:
            row = get_issued_for(session, client_ids=allowed,
                                 superbill_id=request.path_params.get("id"))
        except NotFound:
            return _not_found()
        record = next(r for r in ctx.records if r.id == row.client_id)
        lang = i18n.pick(record.language, request.cookies.get(i18n.COOKIE),
                         i18n.from_accept_language(request.headers.get("accept-language")),
                         business.language)
        body = _render(session, row, lang)
        if body is None:
            return Response(i18n.gettext(lang, INCOMPLETE), status_code=409)
        return _pdf(body, row.id)


def _staff_pdf(request: Request) -> Response:
    with session_scope() as session:
        staff = resolve_staff(session, raw_token=request.cookies.get(COOKIE_NAME),
                              timeouts=session_timeouts())
        if staff is None:
            return Response("Sign in first.", status_code=403)
        try:
            row = get_superbill(session, superbill_id=request.path_params.get("id"))
        except NotFound:
            return _not_found()
        client = session.get(Client, row.client_id)
        business = get_business(session)
        lang = i18n.pick(staff.language, client_language(client, business))
        body = _render(session, row, lang)
        if body is None:
            return Response(i18n.gettext(lang, INCOMPLETE), status_code=409)
        return _pdf(body, row.id)


async def client_superbill_pdf(request: Request) -> Response:
    return await asyncio.to_thread(_client_pdf, request)


async def staff_superbill_pdf(request: Request) -> Response:
    return await asyncio.to_thread(_staff_pdf, request)


def superbill_routes() -> list[Route]:
    return [
        Route(routes.API_SUPERBILL_PDF, client_superbill_pdf, methods=["GET"]),
        Route(routes.API_CONSOLE_SUPERBILL_PDF, staff_superbill_pdf, methods=["GET"]),
    ]
