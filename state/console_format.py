"""Small display helpers shared by the console states."""

from datetime import datetime

from models import PortalAccess

STATUS_LABELS = {
    PortalAccess.NOT_INVITED: "Not invited",
    PortalAccess.INVITED: "Invited — not signed in yet",
    PortalAccess.ACTIVE: "Active",
    PortalAccess.DISABLED: "Disabled",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""
