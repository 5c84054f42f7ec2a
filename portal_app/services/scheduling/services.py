"""Services the business offers (staff-managed) and who provides them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache

from sqlmodel import Session, select

from models import Service, ServiceProvider, StaffUser
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.money import currency_decimals, decimal_text
from portal_app.services.scheduling.slots import load_service

MAX_PRICE = Decimal("1000000")
_TRUE = {"1", "true", "yes", "on", "y", "t"}

# form key -> (min, max, multiple of)
_INT_FIELDS = {
    "duration_minutes": (5, 600, 5),
    "buffer_before_minutes": (0, 240, 5),
    "buffer_after_minutes": (0, 240, 5),
    "min_notice_minutes": (0, 10080, 1),
    "horizon_days": (1, 365, 1),
    "change_window_hours": (0, 720, 1),
}
SERVICE_FIELDS = ("name", "description", "duration_minutes", "price", "location", "video_link",
                  "needs_approval", "buffer_before_minutes", "buffer_after_minutes",
                  "min_notice_minutes", "horizon_days", "change_window_hours", "active",
                  "provider_ids")
_DEFAULTS = {"duration_minutes": 60, "buffer_before_minutes": 0, "buffer_after_minutes": 0,
             "min_notice_minutes": 120, "horizon_days": 60, "change_window_hours": 24}


def parse_price(raw: object, currency: str, *, field: str = "price") -> int:
    """A decimal string such as "80.00" -> minor units (8000); "" is free (0)."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return 0
    places = currency_decimals(currency)
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "e" in text.lower():
        raise ServiceError("Enter a price such as 80.00.", field=field)
    if value < 0:
        raise ServiceError("The price cannot be negative.", field=field)
    if value > MAX_PRICE:
        raise ServiceError("That price is too high.", field=field)
    if -value.as_tuple().exponent > places:
        if places == 0:
            raise ServiceError(f"{currency} prices have no decimals.", field=field)
        raise ServiceError(f"Use at most {places} decimal places.", field=field)
    return int(value.scaleb(places))


def format_price(price_minor: int, currency: str) -> str:
    """Minor units -> a decimal string (8000, USD -> "80.00")."""
    return decimal_text(price_minor, currency)


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def _int_field(form: dict, key: str, default: int) -> int:
    lo, hi, multiple = _INT_FIELDS[key]
    raw = form.get(key, default)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raw = default
    if isinstance(raw, bool):
        raise ServiceError("Enter a whole number.", field=key)
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ServiceError("Enter a whole number.", field=key) from None
    if not lo <= value <= hi:
        raise ServiceError(f"Enter a number from {lo} to {hi}.", field=key)
    if value % multiple:
        raise ServiceError(f"Use a multiple of {multiple}.", field=key)
    return value


def list_active_staff(session: Session) -> list[StaffUser]:
    """Active staff members by name: who may provide a service or have working hours."""
    return list(session.exec(select(StaffUser).where(StaffUser.active == True)  # noqa: E712
                             .order_by(StaffUser.full_name)).all())


def _provider_ids(session: Session, raw: object) -> list[int]:
    if isinstance(raw, (str, int)):
        raw = [raw]
    try:
        ids = sorted({int(x) for x in (raw or []) if str(x).strip()})
    except (TypeError, ValueError):
        raise ServiceError("Choose who provides this service.", field="provider_ids") from None
    if not ids:
        raise ServiceError("Choose at least one person who provides this service.",
                           field="provider_ids")
    found = set(session.exec(select(StaffUser.id).where(
        StaffUser.id.in_(ids), StaffUser.active == True)).all())  # noqa: E712
    if found != set(ids):
        raise ServiceError("Choose active staff members only.", field="provider_ids")
    return ids


def save_service(session: Session, *, staff_id: int, service_id: int | None,
                 form: dict) -> Service:
    """Create (service_id None) or update a service; errors name the form key."""
    service = Service(name="") if service_id is None else load_service(session, service_id)
    name = " ".join(str(form.get("name", "") or "").split())
    if not name:
        raise ServiceError("Enter a name for the service.", field="name")
    if len(name) > 120:
        raise ServiceError("Use at most 120 characters.", field="name")
    description = str(form.get("description", "") or "").strip()
    if len(description) > 5000:
        raise ServiceError("Use at most 5,000 characters.", field="description")
    ints = {key: _int_field(form, key, _DEFAULTS[key]) for key in _INT_FIELDS}
    currency = get_business(session).currency or "USD"
    price_minor = parse_price(form.get("price", ""), currency)
    location = str(form.get("location", "") or "").strip()
    if len(location) > 300:
        raise ServiceError("Use at most 300 characters.", field="location")
    video_link = str(form.get("video_link", "") or "").strip()
    if video_link and (not video_link.lower().startswith("https://") or len(video_link) > 500
                       or len(video_link) <= len("https://") or any(c.isspace() for c in video_link)):
        raise ServiceError("Enter a video link starting with https://", field="video_link")
    providers = _provider_ids(session, form.get("provider_ids"))

    service.name = name
    service.description = description
    for key, value in ints.items():
        setattr(service, key, value)
    service.price_minor = price_minor
    service.currency = currency
    service.location = location
    service.video_link = video_link
    service.needs_approval = _truthy(form.get("needs_approval", False))
    service.active = _truthy(form.get("active", True))
    session.add(service)
    session.flush()

    existing = session.exec(select(ServiceProvider).where(
        ServiceProvider.service_id == service.id)).all()
    for row in existing:
        if row.staff_id not in providers:
            session.delete(row)
    have = {row.staff_id for row in existing}
    for sid in providers:
        if sid not in have:
            session.add(ServiceProvider(service_id=service.id, staff_id=sid))
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="service.saved",
                 service_id=service.id, created=service_id is None, name=name,
                 provider_ids=providers)
    return service


def list_services(session: Session, *, active_only: bool) -> list[Service]:
    return list(session.exec(_services_statement(bool(active_only))).all())


@cache
def _services_statement(active_only: bool):
    query = select(Service)
    if active_only:
        query = query.where(Service.active == True)  # noqa: E712
    return query.order_by(Service.name, Service.id)


def get_service(session: Session, *, service_id: object) -> Service:
    """A service by id, active or not (NotFound otherwise)."""
    return load_service(session, service_id)


def provider_ids(session: Session, *, service_id: int) -> list[int]:
    """Staff ids linked to the service (active or not), ascending."""
    return list(session.exec(select(ServiceProvider.staff_id).where(
        ServiceProvider.service_id == service_id).order_by(ServiceProvider.staff_id)).all())
