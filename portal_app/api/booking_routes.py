"""/api/bookings/ics?id=…: "Add to calendar" for the signed-in client's own booking."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from models import Service
from portal_app import routes
from portal_app.db import session_scope
from portal_app.services.business import get_business
from portal_app.services.calendar_ics import booking_calendar
from portal_app.services.errors import NotFound
from portal_app.services.scheduling.bookings import get_booking_for
from portal_app.services.sessions import COOKIE_NAME, resolve_client
from portal_app.settings import get_settings
from portal_app.timeouts import session_timeouts


async def booking_calendar_file(request: Request) -> Response:
    with session_scope() as session:
        business = get_business(session)
        ctx = resolve_client(session, raw_token=request.cookies.get(COOKIE_NAME),
                             timeouts=session_timeouts(), portal_enabled=business.portal_enabled,
                             business=business)
        if ctx is None or ctx.client_id is None or not ctx.access.bookings:
            return Response("Sign in first.", status_code=403)
        try:
            booking = get_booking_for(session, client_id=ctx.client_id,
                                      booking_id=int(request.query_params.get("id", "")))
        except (NotFound, ValueError):
            return Response("Not found.", status_code=404)
        body = booking_calendar(booking=booking, service=session.get(Service, booking.service_id),
                                business=business, base_url=get_settings().base_url)
    return Response(body, media_type="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="booking-{booking.id}.ics"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


def booking_routes() -> list[Route]:
    return [Route(routes.API_BOOKING_ICS, booking_calendar_file, methods=["GET"])]
