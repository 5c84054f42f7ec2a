"""A community member's avatar (`routes.API_COMMUNITY_AVATAR`).

Served to staff, to the client themselves, and to a signed-in client who may use
the Community app and shares an active group with that client
(services/community/avatars.may_see_avatar); anyone else gets 404 whether the
client or the image exists or not (signed out: 403). The image is at most 2 MB, so
it is read whole; its type is judged again from its bytes, sent with `nosniff`
and kept only in the viewer's private cache (its URL changes with the image).
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal_app import apps, routes
from portal_app.api.stored_files import NOT_FOUND, unavailable
from portal_app.api.who import forbidden, not_found, request_client, request_staff
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.community.avatars import avatar_file, image_type, may_see_avatar
from portal_app.services.hub.entitlements import has_app

log = logging.getLogger("portal.downloads")
AVATAR_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox",
                  "Cache-Control": "private, max-age=86400"}


def _stored_name(request: Request) -> str | Response:
    """The avatar's stored name for this viewer, or the refusal."""
    client_id = int(request.path_params.get("client_id") or 0)
    with session_scope() as session:
        if request_staff(session, request) is None:
            business, ctx = request_client(session, request)
            if ctx is None or ctx.client_id is None:
                return forbidden()
            if not has_app(session, business=business, client_id=ctx.client_id,
                           app_key=apps.COMMUNITY):
                return not_found()
            if not may_see_avatar(session, viewer_client_id=ctx.client_id,
                                  client_id=client_id):
                return not_found()
        return avatar_file(session, client_id=client_id) or not_found()


def _avatar(request: Request) -> Response:
    found = _stored_name(request)
    if isinstance(found, Response):
        return found
    try:
        data = providers.current().storage.read(found)
    except NOT_FOUND:
        return not_found()
    except Exception:  # the storage failed otherwise: say so, record nothing
        log.exception("reading an avatar failed")
        return unavailable(request)
    content_type = image_type(data)
    if content_type is None:
        return not_found()
    body = b"" if request.method == "HEAD" else data
    return Response(body, media_type=content_type,
                    headers={**AVATAR_HEADERS, "Content-Length": str(len(data))})


async def community_avatar(request: Request) -> Response:
    return await asyncio.to_thread(_avatar, request)


def community_avatar_routes() -> list[Route]:
    return [Route(routes.API_COMMUNITY_AVATAR, community_avatar, methods=["GET", "HEAD"])]
