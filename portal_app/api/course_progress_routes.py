"""The console's CSV of a course's progress:
`/api/console/courses/<course id>/progress.csv` (routes.API_CONSOLE_COURSE_PROGRESS_CSV).

A staff session is required (403 without one, as the console's other files); a
course that does not exist is 404. The file is an attachment, in the staff
member's console language (else the business's), never cached.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal_app import i18n, routes
from portal_app.api.who import forbidden, not_found, request_staff
from portal_app.db import session_scope
from portal_app.services.business import get_business
from portal_app.services.courses.progress_csv import progress_csv
from portal_app.services.errors import NotFound


def console_course_progress_csv(course_id: int | str) -> str:
    return f"/api/console/courses/{course_id}/progress.csv"


def _progress_csv(request: Request) -> Response:
    with session_scope() as session:
        staff = request_staff(session, request)
        if staff is None:
            return forbidden()
        lang = i18n.pick(staff.language, get_business(session).language)
        try:
            name, body = progress_csv(session, course_id=request.path_params.get("course_id"),
                                      lang=lang)
        except NotFound:
            return not_found()
    # A byte-order mark so spreadsheet programs read the accents as UTF-8.
    return Response("\ufeff" + body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


async def course_progress_csv(request: Request) -> Response:
    return await asyncio.to_thread(_progress_csv, request)


def course_progress_routes() -> list[Route]:
    return [Route(routes.API_CONSOLE_COURSE_PROGRESS_CSV, course_progress_csv, methods=["GET"])]
