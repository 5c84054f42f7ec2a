"""A client's dated ICD-10 diagnoses (issue 20): kept by staff on the client's
page, read by the superbill builder.

A diagnosis is valid from its `from_date` through its optional `until_date`
(both inclusive); `position` orders them, primary first. Every write takes the
client's id and the diagnosis id and refuses a diagnosis of another client
(NotFound: we never say whether the id exists)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, or_, select

from models import ClientDiagnosis
from portal_app.services.audit import record_audit
from portal_app.services.billing.superbills.codes import clean_icd10
from portal_app.services.billing.superbills.setup import check_fields
from portal_app.services.clients import get_client
from portal_app.services.errors import NotFound, ServiceError, parse_id

NOT_FOUND = "That diagnosis does not exist."


# --- what the superbill builder calls --------------------------------------------------------


def diagnoses_on(session: Session, client_ids: Iterable[int], day_from: date,
                 day_to: date) -> dict[int, list[ClientDiagnosis]]:
    """The diagnoses of these clients valid on any day of [day_from, day_to], in one
    query: client id -> diagnoses in position order (a client with none is absent).
    Pick the ones of one date of service with `valid_on`."""
    ids = sorted({int(i) for i in client_ids})
    if not ids:
        return {}
    rows = session.exec(
        select(ClientDiagnosis)
        .where(col(ClientDiagnosis.client_id).in_(ids), ClientDiagnosis.from_date <= day_to,
               or_(col(ClientDiagnosis.until_date).is_(None),
                   ClientDiagnosis.until_date >= day_from))
        .order_by(ClientDiagnosis.client_id, ClientDiagnosis.position, ClientDiagnosis.id)
    ).all()
    found: dict[int, list[ClientDiagnosis]] = {}
    for row in rows:
        found.setdefault(row.client_id, []).append(row)
    return found


def valid_on(diagnoses: Iterable[ClientDiagnosis], day: date) -> list[ClientDiagnosis]:
    """Those valid on `day` (from_date <= day <= until_date, no until = open), primary
    first (position, then id)."""
    return sorted((d for d in diagnoses
                   if d.from_date <= day and (d.until_date is None or day <= d.until_date)),
                  key=lambda d: (d.position, d.id or 0))


# --- the console's list --------------------------------------------------------------------


def list_diagnoses(session: Session, *, client_id: object) -> list[ClientDiagnosis]:
    """All of a client's diagnoses, ended ones included, primary first."""
    client = get_client(session, client_id=client_id)
    return list(session.exec(
        select(ClientDiagnosis).where(ClientDiagnosis.client_id == client.id)
        .order_by(ClientDiagnosis.position, ClientDiagnosis.id)).all())


def get_diagnosis_for(session: Session, *, client_id: object,
                      diagnosis_id: object) -> ClientDiagnosis:
    """The diagnosis with this id if it belongs to this client; NotFound otherwise."""
    row = session.get(ClientDiagnosis, parse_id(diagnosis_id, NOT_FOUND))
    if row is None or row.client_id != parse_id(client_id, NOT_FOUND):
        raise NotFound(NOT_FOUND)
    return row


def _day(raw: object, field: str, *, required: bool) -> date | None:
    text = str(raw or "").strip()
    if not text:
        if required:
            raise ServiceError("Enter the date it applies from.", field=field)
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError("Enter a date.", field=field) from None


def _description(raw: object) -> str:
    text = " ".join(str(raw or "").split())
    if len(text) > 300:
        raise ServiceError("Use at most 300 characters.", field="description")
    return text


def _clean(form: dict) -> dict:
    v = check_fields({
        "code": lambda: clean_icd10(form.get("code"), field="code"),
        "description": lambda: _description(form.get("description")),
        "from_date": lambda: _day(form.get("from_date"), "from_date", required=True),
        "until_date": lambda: _day(form.get("until_date"), "until_date", required=False),
    })
    if v["until_date"] is not None and v["until_date"] < v["from_date"]:
        raise ServiceError("The end date must be on or after the start date.",
                           field="until_date")
    return v


def add_diagnosis(session: Session, *, staff_id: int, client_id: object,
                  form: dict) -> ClientDiagnosis:
    """A new diagnosis, listed last (staff move it up to make it primary)."""
    client = get_client(session, client_id=client_id)
    v = _clean(form)
    last = max((d.position for d in list_diagnoses(session, client_id=client.id)), default=-1)
    row = ClientDiagnosis(client_id=client.id, code=v["code"], description=v["description"],
                          from_date=v["from_date"], until_date=v["until_date"],
                          position=last + 1, created_by_staff_id=staff_id)
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=client.id,
                 action="client.diagnosis_added", diagnosis_id=row.id, code=row.code)
    return row


def update_diagnosis(session: Session, *, staff_id: int, client_id: object,
                     diagnosis_id: object, form: dict) -> ClientDiagnosis:
    row = get_diagnosis_for(session, client_id=client_id, diagnosis_id=diagnosis_id)
    v = _clean(form)
    row.code, row.description = v["code"], v["description"]
    row.from_date, row.until_date = v["from_date"], v["until_date"]
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=row.client_id,
                 action="client.diagnosis_changed", diagnosis_id=row.id, code=row.code)
    return row


def end_diagnosis(session: Session, *, staff_id: int, client_id: object, diagnosis_id: object,
                  until: object) -> ClientDiagnosis:
    """Set the last day a diagnosis applies (it stays on earlier superbills)."""
    row = get_diagnosis_for(session, client_id=client_id, diagnosis_id=diagnosis_id)
    day = _day(until, "until_date", required=False)
    if day is None:
        raise ServiceError("Enter the last day it applies.", field="until_date")
    if day < row.from_date:
        raise ServiceError("The end date must be on or after the start date.",
                           field="until_date")
    row.until_date = day
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=row.client_id,
                 action="client.diagnosis_changed", diagnosis_id=row.id, code=row.code)
    return row


def remove_diagnosis(session: Session, *, staff_id: int, client_id: object,
                     diagnosis_id: object) -> None:
    """Delete a diagnosis entered by mistake (to stop one, end it instead)."""
    row = get_diagnosis_for(session, client_id=client_id, diagnosis_id=diagnosis_id)
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=row.client_id,
                 action="client.diagnosis_removed", diagnosis_id=row.id, code=row.code)
    session.delete(row)
    session.flush()


def move_diagnosis(session: Session, *, staff_id: int, client_id: object, diagnosis_id: object,
                   step: object) -> list[ClientDiagnosis]:
    """Move a diagnosis up (-1, towards primary) or down (+1); positions renumbered 0..n-1."""
    row = get_diagnosis_for(session, client_id=client_id, diagnosis_id=diagnosis_id)
    rows = list_diagnoses(session, client_id=row.client_id)
    i = [d.id for d in rows].index(row.id)
    try:
        j = i + (1 if int(str(step)) > 0 else -1)
    except ValueError:
        raise ServiceError("Choose up or down.") from None
    if 0 <= j < len(rows):
        rows[i], rows[j] = rows[j], rows[i]
    for position, d in enumerate(rows):
        if d.position != position:
            d.position = position
            session.add(d)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, client_id=row.client_id,
                 action="client.diagnosis_changed", diagnosis_id=row.id, code=row.code,
                 position=rows.index(row))
    return rows
