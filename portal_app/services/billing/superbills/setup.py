"""The insurance billing setup (issue 20): the business's provider block, its
signature image, and the insurance fields of services and clients.

Every form is checked whole: each bad field gets its own message (`FormErrors`),
and nothing is saved unless all are good. The tax id never leaves the server
in full: what the console is given is `InsuranceSetup.tax_id_masked`."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session

from models import Business, Client, Service, StaffRole, StaffUser
from portal_app.services import stored_images
from portal_app.services.audit import record_audit
from portal_app.services.billing.superbills.codes import (
    clean_cpt,
    clean_modifiers,
    clean_npi,
    clean_pos,
    clean_state,
    clean_tax_id,
    clean_taxonomy,
    mask_tax_id,
)
from portal_app.services.business import get_business
from portal_app.services.clients import get_client
from portal_app.services.errors import NotAllowed, ServiceError

SIGNATURE_MAX_BYTES = 200 * 1024
SIGNATURE_TYPES = {"png": "image/png", "jpg": "image/jpeg"}
SIGNATURE_DIR = "private"  # under the data directory; never under Reflex's /_upload
SIGNATURE, SIGNATURE_KINDS = "signature", ("png", "jpg")
TAX_ID_KINDS = ("ein", "ssn")
OWNER_ONLY = "Only the owner can change the insurance billing settings."


class FormErrors(ServiceError):
    """Several fields refused at once: `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = dict(errors)


def check_fields(checks: dict[str, Callable[[], object]]) -> dict[str, object]:
    """Run every field's check; all values, or FormErrors naming each bad field."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except ServiceError as exc:
            errors[exc.field or name] = exc.message
    if errors:
        raise FormErrors(errors)
    return values


def _text(form: dict, key: str, limit: int) -> str:
    value = " ".join(str(form.get(key, "") or "").split())
    if len(value) > limit:
        raise ServiceError(f"Use at most {limit} characters.", field=key)
    return value


def _auto_day(raw: object) -> int:
    try:
        day = int(str(raw if raw not in (None, "") else "0").strip())
    except ValueError:
        day = -1
    if not 0 <= day <= 28:
        raise ServiceError("Choose a day from 1 to 28, or 0 for off.", field="superbill_auto_day")
    return day


def require_owner(session: Session, *, staff_id: int) -> None:
    """The provider block holds the owner's tax id and NPI: only an owner changes it."""
    staff = session.get(StaffUser, staff_id)
    if staff is None or staff.role != StaffRole.OWNER:
        raise NotAllowed(OWNER_ONLY)


@dataclass(frozen=True)
class InsuranceSetup:
    """What the console shows of the setup: the tax id masked, nothing else hidden."""

    enabled: bool
    legal_name: str
    npi_individual: str
    npi_organisation: str
    tax_id_masked: str
    tax_id_kind: str
    license_number: str
    license_state: str
    taxonomy_code: str
    address: str
    phone: str
    auto_day: int
    has_signature: bool


def get_insurance_setup(session: Session) -> InsuranceSetup:
    b = get_business(session)
    return InsuranceSetup(
        enabled=b.superbills_enabled, legal_name=b.legal_name or b.name,
        npi_individual=b.npi_individual, npi_organisation=b.npi_organisation,
        tax_id_masked=mask_tax_id(b.tax_id), tax_id_kind=b.tax_id_kind or "ein",
        license_number=b.license_number, license_state=b.license_state,
        taxonomy_code=b.taxonomy_code, address=b.address, phone=b.contact_phone,
        auto_day=b.superbill_auto_day, has_signature=bool(b.signature_file))


def superbills_enabled(session: Session) -> bool:
    return bool(get_business(session).superbills_enabled)


def set_superbills_enabled(session: Session, *, staff_id: int, enabled: bool) -> Business:
    """"We bill clients who claim from insurance": on or off (audited)."""
    require_owner(session, staff_id=staff_id)
    business = get_business(session)
    business.superbills_enabled = bool(enabled)
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="superbills.enabled" if enabled else "superbills.disabled")
    return business


def save_insurance_setup(session: Session, *, staff_id: int, form: dict) -> Business:
    """Save the provider block. A blank tax id keeps the stored one (the browser never
    has it); `tax_id_clear` removes it. The address and phone are the business's own
    (the portal's contact details), so a superbill and the portal never disagree."""
    require_owner(session, staff_id=staff_id)
    business = get_business(session)
    kind = str(form.get("tax_id_kind", "") or "ein").strip().lower()
    if kind not in TAX_ID_KINDS:
        raise FormErrors({"tax_id_kind": "Choose EIN or SSN."})
    clear = bool(form.get("tax_id_clear"))
    typed = str(form.get("tax_id", "") or "").strip()

    def tax_id() -> str:
        if clear and not typed:
            return ""
        return clean_tax_id(typed or business.tax_id, kind)

    v = check_fields({
        "legal_name": lambda: _text(form, "legal_name", 200),
        "npi_individual": lambda: clean_npi(form.get("npi_individual"), field="npi_individual"),
        "npi_organisation": lambda: clean_npi(form.get("npi_organisation"),
                                              field="npi_organisation"),
        "tax_id": tax_id,
        "license_number": lambda: _text(form, "license_number", 40),
        "license_state": lambda: clean_state(form.get("license_state")),
        "taxonomy_code": lambda: clean_taxonomy(form.get("taxonomy_code")),
        "address": lambda: str(form.get("address", "") or "").strip()[:500],
        "phone": lambda: _text(form, "phone", 40),
        "superbill_auto_day": lambda: _auto_day(form.get("superbill_auto_day")),
    })
    tax_id_changed = v["tax_id"] != business.tax_id or kind != business.tax_id_kind
    business.legal_name = v["legal_name"]
    business.npi_individual, business.npi_organisation = v["npi_individual"], v["npi_organisation"]
    business.tax_id, business.tax_id_kind = v["tax_id"], kind
    business.license_number, business.license_state = v["license_number"], v["license_state"]
    business.taxonomy_code = v["taxonomy_code"]
    business.address, business.contact_phone = v["address"], v["phone"]
    business.superbill_auto_day = v["superbill_auto_day"]
    session.add(business)
    # The audit names what changed, never the tax id itself.
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="superbills.setup_changed", tax_id_changed=tax_id_changed,
                 auto_day=v["superbill_auto_day"])
    return business


# --- the signature image -------------------------------------------------------------------


def signature_kind(data: bytes) -> str:
    """PNG or JPEG, judged by the content, not the name."""
    kind = stored_images.raster_kind(data)
    if kind is None:
        raise ServiceError("The signature must be a PNG or JPEG image.", field="signature")
    return kind


def save_signature(session: Session, *, staff_id: int, data: bytes, data_dir: Path) -> str:
    """Store a new signature image under a random name in the private directory; the
    old file is removed. Returns the stored name."""
    require_owner(session, staff_id=staff_id)
    if not data:
        raise ServiceError("Choose an image file.", field="signature")
    if len(data) > SIGNATURE_MAX_BYTES:
        raise ServiceError(f"The signature must be at most {SIGNATURE_MAX_BYTES // 1024} KB.",
                           field="signature")
    folder = data_dir / SIGNATURE_DIR
    name = stored_images.store(folder, SIGNATURE, signature_kind(data), data)
    business = get_business(session)
    old = business.signature_file
    business.signature_file = name
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="superbills.signature_changed")
    if old != name:
        stored_images.remove(folder, old, SIGNATURE, SIGNATURE_KINDS)
    return name


def remove_signature(session: Session, *, staff_id: int, data_dir: Path) -> None:
    require_owner(session, staff_id=staff_id)
    business = get_business(session)
    old, business.signature_file = business.signature_file, None
    session.add(business)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="superbills.signature_removed")
    stored_images.remove(data_dir / SIGNATURE_DIR, old, SIGNATURE, SIGNATURE_KINDS)


def signature_path(business: Business, *, data_dir: Path) -> Path | None:
    """The stored signature image (for the superbill PDF), or None."""
    return stored_images.local_copy(data_dir / SIGNATURE_DIR, business.signature_file,
                                    SIGNATURE, SIGNATURE_KINDS)


def signature_data_url(business: Business, *, data_dir: Path) -> str:
    """The signature as a data URL for the console's preview (staff only), or ""."""
    path = signature_path(business, data_dir=data_dir)
    if path is None:
        return ""
    kind = path.suffix.lstrip(".")
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{SIGNATURE_TYPES[kind]};base64,{encoded}"


# --- services and clients ------------------------------------------------------------------


def clean_service_codes(form: dict) -> dict[str, str]:
    """CPT code, place of service and modifiers of a service form (each bad one named)."""
    return check_fields({
        "cpt_code": lambda: clean_cpt(form.get("cpt_code")),
        "pos_code": lambda: clean_pos(form.get("pos_code") or "11"),
        "modifiers": lambda: clean_modifiers(form.get("modifiers")),
    })


def service_codes_from(session: Session, form: dict) -> dict[str, str] | None:
    """The checked codes of a service form, or None while superbills are off or the
    form was shown without the fields (switched on meanwhile): the stored codes stay."""
    if "cpt_code" not in form or not superbills_enabled(session):
        return None
    return clean_service_codes(form)


def set_service_codes(session: Session, *, staff_id: int, service: Service,
                      codes: dict[str, str] | None) -> Service:
    """Store codes checked by `service_codes_from` on a saved service (audited)."""
    if codes is None:
        return service
    changed = {k: v for k, v in codes.items() if getattr(service, k) != v}
    for key, value in codes.items():
        setattr(service, key, value)
    session.add(service)
    if changed:
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="service.codes_changed", service_id=service.id, **changed)
    return service


def _birth_date(raw: object, *, today: date) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ServiceError("Enter the date of birth as a date.", field="date_of_birth") from None
    if not date(1900, 1, 1) <= day <= today:
        raise ServiceError("Enter a date of birth in the past.", field="date_of_birth")
    return day


def _member_id(raw: object) -> str:
    value = " ".join(str(raw or "").split())
    if len(value) > 40:
        raise ServiceError("Use at most 40 characters.", field="insurance_member_id")
    if value and not re.fullmatch(r"[0-9A-Za-z\- ]+", value):
        raise ServiceError("Use letters, digits and dashes only.", field="insurance_member_id")
    return value


def save_client_insurance(session: Session, *, staff_id: int, client_id: object, form: dict,
                          today: date) -> Client:
    """A client's insurance member id and date of birth (audited on the client)."""
    client = get_client(session, client_id=client_id)
    v = check_fields({
        "insurance_member_id": lambda: _member_id(form.get("insurance_member_id")),
        "date_of_birth": lambda: _birth_date(form.get("date_of_birth"), today=today),
    })
    client.insurance_member_id = v["insurance_member_id"]
    client.date_of_birth = v["date_of_birth"]
    session.add(client)
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=client.id,
                 action="client.insurance_changed")
    return client
