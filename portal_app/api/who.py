"""Who is asking, for the HTTP routes outside Reflex's events (PDFs, media, CSV):
the same session check the events use, read from our HttpOnly cookie, and the two
refusals those routes answer with."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from models import Business
from portal_app.services.business import get_business
from portal_app.services.sessions import COOKIE_NAME, ClientContext, resolve_client, resolve_staff
from portal_app.timeouts import session_timeouts


def request_client(session: Session, request: Request
                   ) -> tuple[Business, ClientContext | None]:
    """The business and the signed-in client behind `request` (None when signed out)."""
    business = get_business(session)
    ctx = resolve_client(session, raw_token=request.cookies.get(COOKIE_NAME),
                         timeouts=session_timeouts(), portal_enabled=business.portal_enabled,
                         business=business)
    return business, ctx


def request_staff(session: Session, request: Request):
    """The signed-in staff member behind `request`, or None."""
    return resolve_staff(session, raw_token=request.cookies.get(COOKIE_NAME),
                         timeouts=session_timeouts())


def forbidden() -> Response:
    return Response("Sign in first.", status_code=403)


def not_found() -> Response:
    return Response("Not found.", status_code=404)
