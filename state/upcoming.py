"""The dashboard's "Upcoming appointments" rows (one query, three rows)."""

from datetime import UTC, datetime

from portal_app.services.booking_notices import local_time
from portal_app.services.scheduling.bookings import list_client_bookings


def upcoming_cards(session, *, client_id: int, zone: str, limit: int = 3) -> list[dict[str, str]]:
    views = list_client_bookings(session, client_id=client_id, now=datetime.now(UTC),
                                 upcoming=True, limit=limit)
    return [{"service": v.service_name, "when": local_time(v.start_at, zone)[0],
             "status": v.status} for v in views]
