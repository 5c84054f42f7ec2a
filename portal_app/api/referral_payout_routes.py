"""The payout CSV for the bank: `/console/referrals/payouts.csv`
(routes.CONSOLE_REFERRAL_PAYOUTS_CSV).

`?from=YYYY-MM-DD&to=YYYY-MM-DD` (days on the business's calendar, either may be
left out) or `?ids=3,5,8` (the payouts ticked in the console). A staff session is
required (403 without one, as the console's other files); a bad day is 400 and an id
that is no payout 404. The file is an attachment in the staff member's console
language (else the business's), never cached.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal_app import i18n, routes
from portal_app.api.stored_files import PRIVATE_FILE_HEADERS, content_disposition
from portal_app.api.who import forbidden, not_found, request_staff
from portal_app.db import session_scope
from portal_app.services.business import get_business
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.referrals.payout_admin import parse_ids, parse_range, payouts_csv


def _payouts_csv(request: Request) -> Response:
    query = request.query_params
    with session_scope() as session:
        staff = request_staff(session, request)
        if staff is None:
            return forbidden()
        lang = i18n.pick(staff.language, get_business(session).language)
        try:
            start, end = parse_range(query.get("from"), query.get("to"))
            ids = parse_ids(query.get("ids")) if "ids" in query else None
            name, body = payouts_csv(session, staff_id=staff.staff_id, date_from=start,
                                     date_to=end, payout_ids=ids, lang=lang)
        except NotFound:
            return not_found()
        except ServiceError as exc:
            return Response(i18n.translate(lang, exc.message), status_code=400,
                            media_type="text/plain; charset=utf-8")
    # A byte-order mark so spreadsheet programs read the accents as UTF-8.
    return Response("\ufeff" + body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(name),
                             **PRIVATE_FILE_HEADERS})


async def referral_payouts_csv(request: Request) -> Response:
    return await asyncio.to_thread(_payouts_csv, request)


def referral_payout_routes() -> list[Route]:
    return [Route(routes.CONSOLE_REFERRAL_PAYOUTS_CSV, referral_payouts_csv, methods=["GET"])]
