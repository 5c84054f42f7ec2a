"""The installable web app's files: manifest, service worker, offline page and icons.

All are public and built per request from the business's branding (one small query);
the icons' pixels are cached in memory (see services/app_icons.py).
"""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services import app_icons, web_app
from portal_app.services.business import get_business
from portal_app.settings import get_settings

NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
_OFFLINE_CSP = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")


def _business():
    with session_scope() as session:
        return get_business(session)


async def manifest(_request: Request) -> Response:
    body = json.dumps(web_app.web_manifest(_business()), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/manifest+json",
                    headers={"Cache-Control": NO_CACHE, "X-Content-Type-Options": "nosniff"})


async def service_worker(_request: Request) -> Response:
    # no-cache: the browser revalidates sw.js on every check, so a deploy or a branding
    # change reaches installed apps at their next page load.
    return Response(web_app.render_service_worker(_business()), media_type="text/javascript",
                    headers={"Cache-Control": NO_CACHE, "X-Content-Type-Options": "nosniff"})


async def offline(_request: Request) -> Response:
    return HTMLResponse(web_app.render_offline_page(_business()), headers={
        "Cache-Control": NO_CACHE, "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": _OFFLINE_CSP})


async def _icon(request: Request, name: str) -> Response:
    business = _business()
    version = web_app.brand_version(business)
    source = web_app.icon_source(business, brand_dir=get_settings().data_dir / "brand")
    # Drawing a 512 px icon takes tens of milliseconds the first time: off the event loop.
    png = await asyncio.to_thread(app_icons.render_icon, source, name)
    etag = f'"{version}"'
    # A URL naming this exact branding never changes; the unversioned apple-touch-icon
    # or an old version is revalidated.
    cache = IMMUTABLE if request.query_params.get("v") == version else NO_CACHE
    headers = {"Cache-Control": cache, "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(png, media_type="image/png", headers=headers)


async def app_icon(request: Request) -> Response:
    name = request.path_params.get("name", "")
    if name not in app_icons.ICONS or name == "apple-touch-icon.png":
        return Response("Not found", status_code=404)
    return await _icon(request, name)


async def apple_touch_icon(request: Request) -> Response:
    return await _icon(request, "apple-touch-icon.png")


def pwa_routes() -> list[Route]:
    return [
        Route(routes.WEB_MANIFEST, manifest, methods=["GET"]),
        Route(routes.SERVICE_WORKER, service_worker, methods=["GET"]),
        Route(routes.OFFLINE, offline, methods=["GET"]),
        Route(routes.APPLE_TOUCH_ICON, apple_touch_icon, methods=["GET"]),
        Route(routes.APP_ICON, app_icon, methods=["GET"]),
    ]
