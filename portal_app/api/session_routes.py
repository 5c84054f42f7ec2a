"""HTTP routes that set and clear the HttpOnly session cookie.

Reflex events cannot set an HttpOnly cookie, so a sign-in event hands the
browser a single-use ticket which it POSTs here; we answer with the cookie.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal_app import i18n, routes
from portal_app.db import session_scope
from portal_app.services.languages import language_at_sign_in
from portal_app.services.sessions import COOKIE_NAME, redeem_ticket, revoke_token
from portal_app.settings import get_settings
from portal_app.timeouts import session_timeouts

MAX_BODY = 2048


def _same_origin(request: Request) -> bool:
    """Refuse cross-site posts (the cookie is SameSite=Lax; this is belt and braces)."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    return origin.rstrip("/") == get_settings().base_url


def _client_ip(request: Request) -> str:
    hops = get_settings().trusted_proxy_hops
    if hops > 0:
        forwarded = [p.strip() for p in request.headers.get("x-forwarded-for", "").split(",") if p]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.client.host if request.client else ""


def _set_cookie(response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
        path="/",
    )


async def start_session(request: Request) -> Response:
    if not _same_origin(request):
        return JSONResponse({"error": "cross-site request refused"}, status_code=403)
    body = await request.body()
    if len(body) > MAX_BODY:
        return JSONResponse({"error": "too large"}, status_code=413)
    try:
        ticket = str(json.loads(body or b"{}").get("ticket", ""))
    except (ValueError, AttributeError):
        return JSONResponse({"error": "bad request"}, status_code=400)
    timeouts = session_timeouts()
    with session_scope() as session:
        # Rotation: a sign-in always gets a new token; the old one is revoked.
        revoke_token(session, raw_token=request.cookies.get(COOKIE_NAME))
        result = redeem_ticket(session, raw_ticket=ticket, timeouts=timeouts,
                               ip=_client_ip(request),
                               user_agent=request.headers.get("user-agent", ""))
        if result is None:
            return JSONResponse({"error": "expired"}, status_code=400)
        token, auth = result
        kind = auth.kind
        lang = ""
        if kind == "client" and auth.account_id is not None:
            lang = language_at_sign_in(session, account_id=auth.account_id,
                                       selected_client_id=auth.selected_client_id,
                                       page_lang=request.cookies.get(i18n.COOKIE, ""))
    response = JSONResponse({"ok": True, "kind": kind})
    _set_cookie(response, token, int(timeouts.absolute.total_seconds()))
    if lang:  # the interface follows the record's language from the next page on
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax",
                            secure=get_settings().secure_cookies, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


async def end_session(request: Request) -> Response:
    if not _same_origin(request):
        return JSONResponse({"error": "cross-site request refused"}, status_code=403)
    with session_scope() as session:
        revoke_token(session, raw_token=request.cookies.get(COOKIE_NAME))
    response = JSONResponse({"ok": True})
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=get_settings().secure_cookies)
    response.headers["Cache-Control"] = "no-store"
    return response


async def health(_request: Request) -> Response:
    return JSONResponse({"ok": True})


def session_routes() -> list[Route]:
    return [
        Route(routes.API_SESSION_START, start_session, methods=["POST"]),
        Route(routes.API_SESSION_END, end_session, methods=["POST"]),
        Route(routes.API_HEALTH, health, methods=["GET"]),
    ]
