"""/api/calendar/feed/<token>.ics: a staff member's bookings, for a calendar app.

The secret token in the URL is the only credential (a calendar app sends no
cookie): an unknown, replaced or revoked token gets 404, the same answer as
a URL that never existed."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services.calendar_feed import feed_calendar, feed_for_token
from portal_app.settings import get_settings


async def calendar_feed(request: Request) -> Response:
    with session_scope() as session:
        feed = feed_for_token(session, raw_token=request.path_params.get("token", ""))
        if feed is None:
            return Response("Not found.", status_code=404, media_type="text/plain")
        body = feed_calendar(session, feed=feed, base_url=get_settings().base_url)
    return Response(body, media_type="text/calendar", headers={
        "Content-Disposition": 'inline; filename="bookings.ics"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Referrer-Policy": "no-referrer",
    })


def calendar_feed_routes() -> list[Route]:
    return [Route(routes.API_CALENDAR_FEED, calendar_feed, methods=["GET"])]
