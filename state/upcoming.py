"""The dashboard's "Upcoming appointments" rows (one query, three rows)."""

from datetime import UTC, datetime

from portal_app.i18n import DEFAULT, formats
from portal_app.services.scheduling.bookings import list_client_bookings


def upcoming_cards(session, *, client_id: int, zone: str, lang: str = DEFAULT,
                   limit: int = 3) -> list[dict[str, str]]:
    views = list_client_bookings(session, client_id=client_id, now=datetime.now(UTC),
                                 upcoming=True, limit=limit)
    return [{"service": v.service_name, "when": formats.when_long(v.start_at, zone, lang),
             "status": v.status} for v in views]
