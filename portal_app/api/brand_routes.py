"""The business logo, public by nature, served with headers that keep an SVG inert."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services import stored_images
from portal_app.services.business import get_business
from portal_app.services.portal_settings import LOGO_TYPES
from portal_app.settings import get_settings


async def logo(_request: Request) -> Response:
    with session_scope() as session:
        name = get_business(session).logo_file
    path = await asyncio.to_thread(stored_images.logo_path, get_settings().data_dir, name)
    if path is None:
        return Response(status_code=404)
    return FileResponse(path, media_type=LOGO_TYPES[name.rsplit(".", 1)[1]], headers={
        "X-Content-Type-Options": "nosniff",
        # An SVG opened directly can run no script and load nothing.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "Cache-Control": "public, max-age=300",
    })


async def slug_entry(request: Request) -> Response:
    """/p/<slug>: the business's short portal address, when it has one."""
    with session_scope() as session:
        slug = get_business(session).portal_slug
    if not slug or request.path_params.get("slug", "").lower() != slug:
        return Response("Not found", status_code=404)
    return RedirectResponse(routes.LOGIN, status_code=303)


def brand_routes() -> list[Route]:
    return [
        Route(routes.API_BRAND_LOGO, logo, methods=["GET"]),
        Route(routes.SLUG_ENTRY, slug_entry, methods=["GET"]),
    ]
