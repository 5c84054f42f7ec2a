"""A staff member's own console settings: the language and the clock it shows."""

from __future__ import annotations

from sqlmodel import Session

from models import StaffUser
from portal_app import i18n
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.timezones import BAD_ZONE, canonical_zone

BAD_LANGUAGE = "Choose a language from the list."


def set_staff_language(session: Session, *, staff_id: int, language: object) -> str:
    """Save the console language of this staff member; returns the code saved."""
    code = i18n.normalize(language)
    if not code:
        raise ServiceError(BAD_LANGUAGE, field="language")
    staff = session.get(StaffUser, staff_id)
    if staff is None:
        raise NotFound("That staff member does not exist.")
    staff.language = code
    session.add(staff)
    session.flush()
    return code


def set_staff_timezone(session: Session, *, staff_id: int, timezone: object) -> str:
    """Save the zone the console shows this staff member times in ("" = the business's)."""
    raw = str(timezone or "").strip()
    zone = canonical_zone(raw) if raw else ""
    if raw and not zone:
        raise ServiceError(BAD_ZONE, field="timezone")
    staff = session.get(StaffUser, staff_id)
    if staff is None:
        raise NotFound("That staff member does not exist.")
    staff.timezone = zone
    session.add(staff)
    session.flush()
    return zone
