"""Billing HTTP routes: invoice and receipt PDFs (client and staff), and the
Stripe webhook.

PDFs are served only to the signed-in owner with billing access (or to
staff); the webhook verifies Stripe's signature on the raw body before
anything else and deduplicates on the event id.

A client's PDF is in the language they read the portal in (the selected
record's choice, else this browser's, else the business's). The console's PDF
is in the language the staff member chose for the console (issue 21: "the
PDFs staff download"); a staff member who chose none gets the client's
document as the client gets it, in the client's language.
"""

from __future__ import annotations

import asyncio
import logging
import re

from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from models import Invoice
from portal_app import i18n, routes
from portal_app.db import one_thread_writer, session_scope
from portal_app.providers.payments import WebhookInvalid, verify_webhook
from portal_app.services.billing.events import DuplicateEvent, handle_event
from portal_app.services.billing.invoices import get_invoice, get_invoice_for
from portal_app.services.billing.payments import get_payment_for
from portal_app.services.billing.printouts import invoice_pdf_bytes, receipt_pdf_bytes
from portal_app.services.business import get_business
from portal_app.services.errors import NotFound
from portal_app.services.sessions import COOKIE_NAME, resolve_client, resolve_staff
from portal_app.settings import get_settings
from portal_app.timeouts import session_timeouts

log = logging.getLogger("portal.billing")

MAX_WEBHOOK_BYTES = 512 * 1024
_DUPLICATE = re.compile(r"processed_event|provider_ref")


def _pdf(body: bytes, filename: str) -> Response:
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


def _billing_client(session, request: Request):
    business = get_business(session)
    ctx = resolve_client(session, raw_token=request.cookies.get(COOKIE_NAME),
                         timeouts=session_timeouts(), portal_enabled=business.portal_enabled,
                         business=business)
    if ctx is None or ctx.client_id is None or not ctx.access.billing:
        return None
    return ctx


def _reader_language(request: Request, ctx, business) -> str:
    """The signed-in client's language, as the pages pick it."""
    return i18n.pick(ctx.language, request.cookies.get(i18n.COOKIE),
                     i18n.from_accept_language(request.headers.get("accept-language")),
                     business.language)


def _client_invoice_pdf(request: Request) -> Response:
    with session_scope() as session:
        ctx = _billing_client(session, request)
        if ctx is None:
            return Response("Sign in first.", status_code=403)
        try:
            invoice = get_invoice_for(session, client_id=ctx.client_id,
                                      invoice_id=request.query_params.get("id"))
        except NotFound:
            return Response("Not found.", status_code=404)
        body = invoice_pdf_bytes(session, invoice=invoice,
                                 lang=_reader_language(request, ctx, get_business(session)))
        name = f"{invoice.kind}-{invoice.number}.pdf"
    return _pdf(body, name)


def _client_receipt_pdf(request: Request) -> Response:
    with session_scope() as session:
        ctx = _billing_client(session, request)
        if ctx is None:
            return Response("Sign in first.", status_code=403)
        try:
            payment = get_payment_for(session, client_id=ctx.client_id,
                                      payment_id=request.query_params.get("id"))
        except NotFound:
            return Response("Not found.", status_code=404)
        body = receipt_pdf_bytes(session, payment=payment,
                                 invoice=session.get(Invoice, payment.invoice_id),
                                 lang=_reader_language(request, ctx, get_business(session)))
        name = f"receipt-{payment.receipt_number}.pdf"
    return _pdf(body, name)


def _staff_invoice_pdf(request: Request) -> Response:
    with session_scope() as session:
        staff = resolve_staff(session, raw_token=request.cookies.get(COOKIE_NAME),
                              timeouts=session_timeouts())
        if staff is None:
            return Response("Sign in first.", status_code=403)
        try:
            invoice = get_invoice(session, invoice_id=request.query_params.get("id"))
        except NotFound:
            return Response("Not found.", status_code=404)
        # The staff member's console language, else the client's.
        body = invoice_pdf_bytes(session, invoice=invoice, lang=staff.language)
        name = f"{invoice.kind}-{invoice.number}.pdf"
    return _pdf(body, name)


async def stripe_webhook(request: Request) -> Response:
    settings = get_settings()
    if not settings.stripe_webhook_secret:
        return Response("Not found.", status_code=404)
    payload = await request.body()
    if len(payload) > MAX_WEBHOOK_BYTES:
        return Response("Too large.", status_code=413)
    try:
        event = verify_webhook(payload, request.headers.get("stripe-signature"),
                               settings.stripe_webhook_secret)
    except WebhookInvalid:
        return Response("Invalid signature.", status_code=400)
    try:
        async with one_thread_writer():
            outcome = await asyncio.to_thread(_handle, event, settings.base_url)
    except DuplicateEvent:
        return JSONResponse({"received": True, "outcome": "duplicate"})
    except IntegrityError as exc:
        # A concurrent delivery of the same event, or of the same checkout, won the
        # race: its transaction recorded it. Anything else is an error Stripe retries.
        if not _DUPLICATE.search(str(exc.orig)):
            raise
        return JSONResponse({"received": True, "outcome": "duplicate"})
    if outcome == "recorded":
        from portal_app.live import payment_recorded

        await payment_recorded(event)
    return JSONResponse({"received": True, "outcome": outcome})


def _handle(event: dict, base_url: str) -> str:
    with session_scope() as session:
        return handle_event(session, provider="stripe", event=event, base_url=base_url)


# Database work and PDF rendering run in a thread: the event loop keeps
# serving every open tab meanwhile.
async def client_invoice_pdf(request: Request) -> Response:
    return await asyncio.to_thread(_client_invoice_pdf, request)


async def client_receipt_pdf(request: Request) -> Response:
    return await asyncio.to_thread(_client_receipt_pdf, request)


async def staff_invoice_pdf(request: Request) -> Response:
    return await asyncio.to_thread(_staff_invoice_pdf, request)


def billing_routes() -> list[Route]:
    return [
        Route(routes.API_INVOICE_PDF, client_invoice_pdf, methods=["GET"]),
        Route(routes.API_RECEIPT_PDF, client_receipt_pdf, methods=["GET"]),
        Route(routes.API_CONSOLE_INVOICE_PDF, staff_invoice_pdf, methods=["GET"]),
        Route(routes.API_STRIPE_WEBHOOK, stripe_webhook, methods=["POST"]),
    ]
