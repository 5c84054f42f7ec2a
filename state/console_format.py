"""Small display helpers shared by the console states.

Staff read every moment on the business's clock (or their own, when they chose a
zone in the console), with the zone named ("Dec 5, 2026, 10:00 PM EST"), in their
language, through the one formatter (portal_app/i18n/formats.py).

The reader of the event being handled is set once by the staff check
(`StaffState._staff` → `use`) and cleared when the event's transaction ends, so the
helpers below need no language or zone argument from each console state."""

from contextvars import ContextVar
from datetime import datetime

from models import PortalAccess
from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.billing.dates import business_zone
from portal_app.services.business import get_business

STATUS_LABELS = {
    PortalAccess.NOT_INVITED: "Not invited",
    PortalAccess.INVITED: "Invited — not signed in yet",
    PortalAccess.ACTIVE: "Active",
    PortalAccess.DISABLED: "Disabled",
}

# (language, own zone or "") of the staff member whose event is running.
_READER: ContextVar[tuple[str, str]] = ContextVar("console_reader", default=(i18n.DEFAULT, ""))


def use(lang: str | None, zone: str | None) -> None:
    """Set (or with None, None clear) the reader of this event."""
    _READER.set((lang or i18n.DEFAULT, zone or ""))


def lang() -> str:
    return _READER.get()[0]


def tr(text: str, **params) -> str:
    """Console text made on the server, in the reader's language."""
    return i18n.gettext(lang(), text, **params) if params else i18n.translate(lang(), text)


def status_label(status: str) -> str:
    return tr(STATUS_LABELS.get(status, status))


def console_zone(session) -> str:
    """The zone the console shows times in: the staff member's own, else the
    business's ("UTC" when unset)."""
    return _READER.get()[1] or business_zone(get_business(session))


def when(value: datetime | None, zone: str) -> str:
    """A moment on the reader's clock with the zone named, or "" for none."""
    return formats.when_medium(value, zone, lang()) if value else ""
