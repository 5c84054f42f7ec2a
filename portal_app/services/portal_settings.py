"""Practice-wide portal settings: on/off, branding, logo, features, buttons, defaults."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from models import Business, PortalActivation
from models.business import DEFAULT_CTAS
from portal_app.services import stored_images
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.contrast import accessible_accent
from portal_app.services.errors import ServiceError
from portal_app.services.permissions import FEATURE_KEYS, check_permission_set
from portal_app.services.sessions import revoke_all_clients
from portal_app.services.validation import normalize_email

LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}
CTA_KEYS = tuple(c["key"] for c in DEFAULT_CTAS)
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def set_portal_enabled(session: Session, *, staff_id: int, enabled: bool) -> Business:
    """The practice-wide switch. Off: every client session ends now."""
    business = get_business(session)
    business.portal_enabled = bool(enabled)
    session.add(business)
    ended = 0 if enabled else revoke_all_clients(session)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="portal.enabled" if enabled else "portal.disabled", sessions_ended=ended)
    return business


@dataclass(frozen=True)
class BrandingSaved:
    business: Business
    note: str


def update_branding(session: Session, *, staff_id: int, form: dict) -> BrandingSaved:
    name = " ".join(str(form.get("name", "") or "").split())
    if not name:
        raise ServiceError("Enter the business name.", field="name")
    if len(name) > 200:
        raise ServiceError("Use at most 200 characters.", field="name")
    accent, note = accessible_accent(str(form.get("accent_color", "")))
    contact_email = str(form.get("contact_email", "") or "").strip()
    if contact_email:
        contact_email = normalize_email(contact_email, field="contact_email")
    phone = " ".join(str(form.get("contact_phone", "") or "").split())[:40]
    address = str(form.get("address", "") or "").strip()[:500]
    tagline = " ".join(str(form.get("tagline", "") or "").split())[:300]
    business = get_business(session)
    business.name, business.accent_color, business.tagline = name, accent, tagline
    business.contact_email, business.contact_phone, business.address = contact_email, phone, address
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="portal.branding_changed")
    return BrandingSaved(business, note)


LOGO, LOGO_KINDS = stored_images.LOGO, stored_images.LOGO_KINDS


def logo_kind(data: bytes) -> str:
    """The logo's type from its content, not its name."""
    kind = stored_images.raster_kind(data)
    if kind:
        return kind
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return "svg"
    raise ServiceError("The logo must be a PNG, JPEG or SVG image.", field="logo")


def save_logo(session: Session, *, staff_id: int, data: bytes, brand_dir: Path) -> str:
    """Store a new logo under a random name; the old file is removed."""
    if not data:
        raise ServiceError("Choose an image file.", field="logo")
    if len(data) > LOGO_MAX_BYTES:
        raise ServiceError(f"The logo must be at most {LOGO_MAX_BYTES // 1024} KB.", field="logo")
    name = stored_images.store(brand_dir, LOGO, logo_kind(data), data)
    business = get_business(session)
    old = business.logo_file
    business.logo_file = name
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="portal.logo_changed")
    if old != name:
        stored_images.remove(brand_dir, old, LOGO, LOGO_KINDS)
    return name


def remove_logo(session: Session, *, staff_id: int) -> None:
    business = get_business(session)
    business.logo_file = None
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="portal.logo_removed")


def update_features(session: Session, *, staff_id: int, form: dict) -> Business:
    """Which features the portal offers, self sign-up, the slug and invite expiry."""
    business = get_business(session)
    for key in FEATURE_KEYS:
        setattr(business, f"feature_{key}", bool(form.get(key)))
    business.allow_self_signup = bool(form.get("self_signup"))
    slug = str(form.get("portal_slug", "") or "").strip().lower()
    if slug and not _SLUG.match(slug):
        raise ServiceError("Use lowercase letters, digits and dashes (at most 40).",
                           field="portal_slug")
    business.portal_slug = slug
    raw = form.get("invite_ttl_days")
    raw_days = "" if raw is None else str(raw).strip()
    try:
        days = int(raw_days) if raw_days else 7
    except ValueError:
        days = 0
    if not 1 <= days <= 30:
        raise ServiceError("Invitation links can last from 1 to 30 days.", field="invite_ttl_days")
    business.invite_ttl_days = days
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="portal.features_changed")
    return business


def update_default_permissions(session: Session, *, staff_id: int, form: dict) -> Business:
    business = get_business(session)
    clean = check_permission_set({k: bool(v) for k, v in form.items()})
    for key, value in clean.items():
        setattr(business, f"default_perm_{key}", value)
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="portal.default_permissions_changed")
    return business


def update_ctas(session: Session, *, staff_id: int, ctas: list) -> list[dict]:
    """Order, labels and visibility of the right-panel buttons."""
    if not isinstance(ctas, list):
        raise ServiceError("Bad button list.")
    clean, seen = [], set()
    for item in ctas:
        if not isinstance(item, dict):
            raise ServiceError("Bad button list.")
        key = str(item.get("key", ""))
        if key not in CTA_KEYS or key in seen:
            raise ServiceError("Bad button list.")
        seen.add(key)
        label = " ".join(str(item.get("label", "") or "").split())
        if not label or len(label) > 40:
            raise ServiceError("Each button needs a label of at most 40 characters.",
                               field=f"label-{key}")
        clean.append({"key": key, "label": label, "enabled": bool(item.get("enabled"))})
    if seen != set(CTA_KEYS):
        raise ServiceError("Bad button list.")
    business = get_business(session)
    business.cta_config = clean
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="portal.buttons_changed")
    return clean


ACTIVATION_CHOICES = (
    (PortalActivation.MANUAL, "Manually: staff send the invitation"),
    (PortalActivation.ON_CREATE, "When the client is created"),
    (PortalActivation.FIRST_BOOKING, "At the client's first booking"),
    (PortalActivation.FIRST_SHARE, "At the first document shared with the client"),
)


def set_activation_mode(session: Session, *, staff_id: int, mode: object) -> str:
    """When a client's portal is activated (seeds 003 and 004); see services/activation.py."""
    clean = str(mode or "").strip()
    if clean not in PortalActivation.ALL:
        raise ServiceError("Choose when the portal is activated for a client.",
                           field="portal_activation")
    business = get_business(session)
    if business.portal_activation != clean:
        business.portal_activation = clean
        session.add(business)
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="portal.activation_changed", mode=clean)
    return clean
