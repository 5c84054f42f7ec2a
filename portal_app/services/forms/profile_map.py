"""Fields mapped to the client record: the record pre-fills them, and a
submitted answer writes back to it (audited like a profile edit)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from models import Client, ProfileField
from portal_app.services import timezones
from portal_app.services.audit import record_audit

WIDTHS = {ProfileField.FULL_NAME: 200, ProfileField.PHONE: 32, ProfileField.ADDRESS: 500,
          ProfileField.EMERGENCY_CONTACT: 300, ProfileField.TIMEZONE: 64}
BAD_ZONE = "Choose a time zone from the list, e.g. America/New_York."
BAD_BIRTH = "Enter a date of birth in the past."


def profile_value(client: Client, column: str) -> str:
    """The record's value for a mapped field, as the form shows it ("" when empty)."""
    value = getattr(client, column, None)
    if isinstance(value, date):
        return value.isoformat()
    return value or ""


def prefill(client: Client, fields: list[dict]) -> dict:
    """key -> the record's value, for every mapped field the record has a value for."""
    out = {}
    for field in fields:
        column = field.get("maps_to")
        if column in ProfileField.ALL:
            value = profile_value(client, column)
            if value:
                out[field["key"]] = value
    return out


def _column_value(column: str, answer: object) -> object | None:
    """The answer as the column stores it; None to leave the column alone."""
    if answer is None or answer == "":
        return None
    if column == ProfileField.DATE_OF_BIRTH:
        return date.fromisoformat(str(answer))
    if column == ProfileField.TIMEZONE:
        return timezones.canonical_zone(answer) or None  # only a zone we know
    text = " ".join(str(answer).split()) if column != ProfileField.ADDRESS else str(answer)
    return text[:WIDTHS[column]]


def check_mapped(fields: list[dict], answers: dict, *, today: date) -> dict[str, str]:
    """Problems with answers that fill the record (key -> message): a time zone we
    know, a date of birth not in the future."""
    errors = {}
    for field in fields:
        answer = answers.get(field["key"])
        if answer in (None, ""):
            continue
        if field.get("maps_to") == ProfileField.TIMEZONE and not timezones.canonical_zone(answer):
            errors[field["key"]] = BAD_ZONE
        if (field.get("maps_to") == ProfileField.DATE_OF_BIRTH
                and date.fromisoformat(str(answer)) > today):
            errors[field["key"]] = BAD_BIRTH
    return errors


def write_back(session: Session, *, client: Client, fields: list[dict], answers: dict,
               account_id: int | None, ip: str = "") -> list[str]:
    """Copy the submitted answers of mapped fields onto the record; returns the
    columns changed (audited as `client.profile_updated`, source "form")."""
    changed = []
    for field in fields:
        column = field.get("maps_to")
        if column not in ProfileField.ALL or field["key"] not in answers:
            continue
        value = _column_value(column, answers[field["key"]])
        if value is not None and getattr(client, column) != value:
            setattr(client, column, value)
            changed.append(column)
    if changed:
        session.add(client)
        session.flush()
        record_audit(session, actor_kind="client", actor_id=account_id,
                     action="client.profile_updated", client_id=client.id, ip=ip,
                     fields=changed, source="form")
    return changed
