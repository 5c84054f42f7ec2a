"""Small display helpers shared by the console states.

Staff read every moment on the business's clock, with the zone named ("Dec 5,
2026, 10:00 PM EST"), through the one formatter (portal_app/i18n/formats.py)."""

from datetime import datetime

from models import PortalAccess
from portal_app.i18n import formats
from portal_app.services.billing.dates import business_zone
from portal_app.services.business import get_business

STATUS_LABELS = {
    PortalAccess.NOT_INVITED: "Not invited",
    PortalAccess.INVITED: "Invited — not signed in yet",
    PortalAccess.ACTIVE: "Active",
    PortalAccess.DISABLED: "Disabled",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def console_zone(session) -> str:
    """The zone the console shows times in: the business's ("UTC" when unset)."""
    return business_zone(get_business(session))


def when(value: datetime | None, zone: str) -> str:
    """A moment on the business's clock with the zone named, or "" for none."""
    return formats.when_medium(value, zone) if value else ""
