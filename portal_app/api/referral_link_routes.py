"""/r/<code>: a referral link. Records the click and leaves the referral cookie, then
sends the visitor on to sign up (or to the home page when self sign-up is off).

The answer never tells a visitor anything about the code: an unknown, malformed or
disabled code, the Referrals app turned off, or an IP over its limit get the same
303 to the same place with the same cookies set, minus the referral cookie itself
(which only the visitor's own browser sees). Every answer (re)sets the long-lived
first-party visitor id, so a repeat visit within a day counts once. HEAD (link
previews, prefetchers) is answered the same way and records nothing.

The cookie is HttpOnly, SameSite=Lax, Secure behind https, signed with the portal's
secret key and lasts the program's attribution window (services/referrals/visits.py).
"""

from __future__ import annotations

import asyncio
import re
import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from portal_app import routes
from portal_app.api.session_routes import _client_ip
from portal_app.db import session_scope
from portal_app.services.business import get_business
from portal_app.services.referrals.attribution import REF_COOKIE, VISITOR_COOKIE
from portal_app.services.referrals.visits import visit_link
from portal_app.settings import get_settings

VISITOR_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
VISITOR_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _visitor(request: Request) -> tuple[str, bool]:
    """The browser's visitor id, or a new one (and True) when it has none."""
    raw = request.cookies.get(VISITOR_COOKIE, "")
    return (raw, False) if VISITOR_RE.match(raw) else (secrets.token_urlsafe(18), True)


def _visit(request: Request) -> Response:
    settings = get_settings()
    visitor, new_visitor = _visitor(request)
    with session_scope() as session:
        signup = get_business(session).allow_self_signup
        visit = None
        if request.method == "GET":
            visit = visit_link(session, code=request.path_params.get("code", ""),
                               visitor=visitor, ip=_client_ip(request),
                               secret_key=settings.secret_key,
                               current_cookie=request.cookies.get(REF_COOKIE),
                               new_visitor=new_visitor)
    response = RedirectResponse(routes.REGISTER if signup else routes.HOME, status_code=303)
    secure = settings.secure_cookies
    response.set_cookie(VISITOR_COOKIE, visitor, max_age=VISITOR_MAX_AGE, httponly=True,
                        samesite="lax", secure=secure, path="/")
    if visit is not None and visit.cookie:
        response.set_cookie(REF_COOKIE, visit.cookie, max_age=visit.max_age, httponly=True,
                            samesite="lax", secure=secure, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


async def referral_link(request: Request) -> Response:
    return await asyncio.to_thread(_visit, request)


def referral_link_routes() -> list[Route]:
    return [Route(f"{routes.REFERRAL_LINK}/{{code}}", referral_link, methods=["GET", "HEAD"])]
