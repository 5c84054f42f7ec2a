"""The paper of the business's PDFs: US Letter where people print on Letter (the US,
Canada, Mexico, the Philippines and a few neighbours), A4 everywhere else.

The choice follows the business's country (a setting, `Business.country`). Until
staff set it, the country is the one of the business's time zone ("America/Chicago"
-> US), so a US business prints on Letter without being asked.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.core import get_global
from sqlmodel import Session

from models import Business
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError

LETTER = "Letter"
A4 = "A4"
LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "PR", "GU", "VI", "AS", "MP", "CL",
                              "CO", "VE", "CR", "GT", "PA", "DO", "SV", "NI", "BZ"})
# CLDR territory codes that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
UNKNOWN_COUNTRY = "Choose a country from the list."


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code -> English name, sorted by name (the console's choices)."""
    names = {code: name for code, name in Locale("en").territories.items()
             if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES}
    return dict(sorted(names.items(), key=lambda item: item[1]))


def zone_country(zone: str) -> str:
    """The country of an IANA zone ("America/Chicago" -> "US"); "" for UTC and the like."""
    return get_global("zone_territories").get(zone or "", "")


def business_country(business: Business) -> str:
    """The country set in the settings, else the time zone's."""
    return (getattr(business, "country", "") or "").upper() or zone_country(business.timezone)


def paper_size(business: Business) -> str:
    """"Letter" or "A4" for the business's PDFs."""
    return LETTER if business_country(business) in LETTER_COUNTRIES else A4


def paper_note(business: Business) -> str:
    """For the console: "PDFs print on Letter (United States, from the time zone)."."""
    size = paper_size(business)
    name = country_names().get(business_country(business))
    if not name:
        return f"PDFs print on {size} (no country set, and none known from the time zone)."
    if business.country:
        return f"PDFs print on {size} ({name})."
    return f"PDFs print on {size} ({name}, from the time zone)."


def set_country(session: Session, *, staff_id: int, country: object) -> Business:
    """The business's country (ISO code), or "" to follow the time zone."""
    code = str(country or "").strip().upper()
    if code and code not in country_names():
        raise ServiceError(UNKNOWN_COUNTRY, field="country")
    business = get_business(session)
    if business.country != code:
        business.country = code
        session.add(business)
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="business.country_changed", country=code or "auto",
                     paper=paper_size(business))
        session.flush()
    return business
