"""/api/bookings/ics ("Add to calendar"): the file follows the booking's changes
(SEQUENCE up, METHOD:CANCEL once cancelled), read back with vobject, and it is
only the signed-in client's own booking."""

import warnings
from datetime import UTC, datetime, timedelta

import vobject
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import PortalAccess
from portal_app import routes
from portal_app.api.booking_routes import booking_routes
from portal_app.services.scheduling import booking_changes
from portal_app.services.sessions import COOKIE_NAME
from tests import factories
from tests.api.test_document_routes import client_token

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

BASE = "http://portal.test"


def _get(token: str, booking_id: int):
    app = Starlette(routes=booking_routes())
    return TestClient(app, raise_server_exceptions=False).get(
        routes.API_BOOKING_ICS, params={"id": booking_id},
        headers={"Cookie": f"{COOKIE_NAME}={token}"})


def _read(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    cal = vobject.readOne(response.text)
    (event,) = cal.vevent_list
    return cal.method.value, event.status.value, event.sequence.value


def test_the_calendar_file_follows_moves_and_cancellation(engine, session):
    factories.business(session, timezone="UTC")
    staff = factories.staff(session)
    factories.working_hours(session, staff, *[(d, "00:00", "23:55") for d in range(7)])
    svc = factories.service(session, providers=[staff])
    account, (client,) = factories.household(session, access=PortalAccess.ACTIVE)
    _other_account, (other,) = factories.household(session, access=PortalAccess.ACTIVE)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    # 09:00 five days on: the move two hours later stays inside the working day at any hour
    start = (now + timedelta(days=5)).replace(hour=9, minute=0)
    booking = booking_changes.book_with_notice(session, client_id=client.id, service_id=svc.id,
                                               start_at=start, now=now, base_url=BASE)
    token = client_token(session, account.id, client.id)
    session.commit()
    assert _read(_get(token, booking.id)) == ("PUBLISH", "CONFIRMED", "0")

    booking_changes.reschedule_with_notice(session, client_id=client.id, booking_id=booking.id,
                                           new_start=start + timedelta(hours=2), now=now,
                                           base_url=BASE)
    session.commit()
    assert _read(_get(token, booking.id)) == ("PUBLISH", "CONFIRMED", "1")

    booking_changes.cancel_with_notice(session, client_id=client.id, booking_id=booking.id,
                                       now=now, base_url=BASE)
    session.commit()
    assert _read(_get(token, booking.id)) == ("CANCEL", "CANCELLED", "2")

    stranger = client_token(session, _other_account.id, other.id)
    session.commit()
    assert _get(stranger, booking.id).status_code == 404
