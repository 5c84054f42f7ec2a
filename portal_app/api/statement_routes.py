"""Statement PDFs: the client's `/api/statements/<client_id>.pdf?start=&end=` and the
console's `/api/console/statements/<client_id>.pdf?start=&end=` (URL builders in
services/billing/links.py).

The client's route serves only a record of the signed-in account's household whose
own permissions (and the business's switch) give "access billing documents":
anyone else's id, or a record without that access, is 404, exactly like an id that
does not exist. Not signed in is 403, as for the invoice and receipt PDFs. The
console's route needs a staff session (every staff member sees billing in the
console). A range that is not two ISO dates in order is 400 with the reason.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models import Client
from portal_app import i18n, routes
from portal_app.api.billing_routes import _pdf, _reader_language
from portal_app.db import session_scope
from portal_app.services.billing.statements import parse_range
from portal_app.services.billing.statements.pdf import statement_pdf_bytes
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.permissions import effective_access
from portal_app.services.sessions import COOKIE_NAME, resolve_client, resolve_staff
from portal_app.timeouts import session_timeouts

NOT_FOUND = "Not found."


def _range(request: Request):
    return parse_range(request.query_params.get("start"), request.query_params.get("end"))


def _file_name(client_id: int, start, end) -> str:
    return f"statement-{client_id}-{start.isoformat()}-{end.isoformat()}.pdf"


def _client_statement_pdf(request: Request) -> Response:
    client_id = request.path_params["client_id"]
    with session_scope() as session:
        business = get_business(session)
        ctx = resolve_client(session, raw_token=request.cookies.get(COOKIE_NAME),
                             timeouts=session_timeouts(),
                             portal_enabled=business.portal_enabled, business=business)
        if ctx is None:
            return Response("Sign in first.", status_code=403)
        record = next((r for r in ctx.records if r.id == client_id), None)
        if record is None or not effective_access(business, record.perms).billing:
            return Response(NOT_FOUND, status_code=404)
        lang = i18n.pick(record.language, _reader_language(request, ctx, business))
        try:
            start, end = _range(request)
            body = statement_pdf_bytes(session, client_id=client_id, start=start, end=end,
                                       lang=lang)
        except ServiceError as exc:
            return Response(i18n.translate(lang, exc.message), status_code=400)
    return _pdf(body, _file_name(client_id, start, end))


def _staff_statement_pdf(request: Request) -> Response:
    client_id = request.path_params["client_id"]
    with session_scope() as session:
        staff = resolve_staff(session, raw_token=request.cookies.get(COOKIE_NAME),
                              timeouts=session_timeouts())
        if staff is None:
            return Response("Sign in first.", status_code=403)
        if session.get(Client, client_id) is None:
            return Response(NOT_FOUND, status_code=404)
        try:
            start, end = _range(request)
            # The staff member's console language, else the client's.
            body = statement_pdf_bytes(session, client_id=client_id, start=start, end=end,
                                       lang=staff.language)
        except ServiceError as exc:
            return Response(exc.message, status_code=400)
    return _pdf(body, _file_name(client_id, start, end))


# Database work and PDF rendering run in a thread: the event loop keeps serving.
async def client_statement_pdf(request: Request) -> Response:
    return await asyncio.to_thread(_client_statement_pdf, request)


async def staff_statement_pdf(request: Request) -> Response:
    return await asyncio.to_thread(_staff_statement_pdf, request)


def statement_routes() -> list[Route]:
    return [
        Route(routes.API_STATEMENT_PDF, client_statement_pdf, methods=["GET"]),
        Route(routes.API_CONSOLE_STATEMENT_PDF, staff_statement_pdf, methods=["GET"]),
    ]
