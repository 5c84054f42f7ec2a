"""The forms sent to clients: reading them (the client's own only), marking one
opened, cancelling, and the staff list of what is outstanding.

Every function that takes a request id from a client checks it belongs to that
client record (household members are separate records): someone else's id is
NotFound, the same as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from models import Client, FormRequest, FormStatus, FormTemplateVersion
from portal_app.services.audit import record_audit
from portal_app.services.errors import NotFound, ServiceError, get_by_id, parse_id

NO_REQUEST = "That form does not exist."
LIST_MAX = 500


def get_request_for(session: Session, *, client_id: int, request_id: object) -> FormRequest:
    """The client's own request; another record's (or none) is NotFound."""
    request = session.get(FormRequest, parse_id(request_id, NO_REQUEST))
    if request is None or request.client_id != client_id:
        raise NotFound(NO_REQUEST)
    return request


def get_request_with_version(session: Session, *, client_id: int,
                             request_id: object) -> tuple[FormRequest, FormTemplateVersion]:
    """The client's own request and its version, read together (one statement:
    the autosave runs at every pause in typing)."""
    row = session.exec(
        select(FormRequest, FormTemplateVersion)
        .join(FormTemplateVersion, FormTemplateVersion.id == FormRequest.version_id)
        .where(FormRequest.id == parse_id(request_id, NO_REQUEST),
               FormRequest.client_id == client_id)).first()
    if row is None:
        raise NotFound(NO_REQUEST)
    return row[0], row[1]


def get_request(session: Session, *, request_id: object) -> FormRequest:
    """A request by id, for staff."""
    return get_by_id(session, FormRequest, request_id, NO_REQUEST)


def version_of(session: Session, request: FormRequest) -> FormTemplateVersion:
    return session.get(FormTemplateVersion, request.version_id)


def list_requests_for_client(session: Session, *, client_id: int,
                             include_cancelled: bool = False) -> list[FormRequest]:
    """A client's forms: packet order within a send, oldest send first."""
    query = select(FormRequest).where(FormRequest.client_id == client_id)
    if not include_cancelled:
        query = query.where(FormRequest.status != FormStatus.CANCELLED)
    return list(session.exec(query.order_by(FormRequest.sent_at, FormRequest.position,
                                            FormRequest.id)).all())


def count_outstanding(session: Session, *, client_id: int) -> int:
    """How many forms the client still has to complete (the dashboard card)."""
    return len(session.exec(select(FormRequest.id).where(
        FormRequest.client_id == client_id,
        FormRequest.status.in_(FormStatus.OUTSTANDING))).all())


@dataclass(frozen=True)
class OutstandingRow:
    request: FormRequest
    client_name: str
    title: str
    overdue: bool


def list_outstanding(session: Session, *, now: datetime, status: str | None = None,
                     client_id: int | None = None, overdue_only: bool = False,
                     template_id: int | None = None,
                     limit: int = 200) -> list[OutstandingRow]:
    """Every form not completed yet, across clients (staff), soonest due first;
    filter by status, client, form (template), or overdue (due before `now`)."""
    statuses = FormStatus.OUTSTANDING
    if status:
        if status not in FormStatus.OUTSTANDING:
            raise ServiceError("Choose a status from the list.", field="status")
        statuses = (status,)
    query = (select(FormRequest, Client.full_name, FormTemplateVersion.title)
             .join(Client, Client.id == FormRequest.client_id)
             .join(FormTemplateVersion, FormTemplateVersion.id == FormRequest.version_id)
             .where(FormRequest.status.in_(statuses)))
    if client_id is not None:
        query = query.where(FormRequest.client_id == client_id)
    if template_id is not None:
        query = query.where(FormRequest.template_id == template_id)
    if overdue_only:
        query = query.where(FormRequest.due_at.is_not(None), FormRequest.due_at < now)
    rows = session.exec(query.order_by(FormRequest.due_at.is_(None), FormRequest.due_at,
                                       FormRequest.sent_at, FormRequest.id)
                        .limit(max(1, min(int(limit), LIST_MAX)))).all()
    return [OutstandingRow(request=r, client_name=name, title=title,
                           overdue=r.due_at is not None and r.due_at < now)
            for r, name, title in rows]


def mark_opened(session: Session, *, client_id: int, request_id: object,
                now: datetime) -> FormRequest:
    """The client opened the form: sent -> opened (once), activity noted."""
    request = get_request_for(session, client_id=client_id, request_id=request_id)
    if request.status == FormStatus.SENT:
        request.status, request.opened_at = FormStatus.OPENED, now
        request.last_activity_at = now
        session.add(request)
        session.flush()
    return request


def cancel_request(session: Session, *, staff_id: int, request_id: object,
                   now: datetime) -> FormRequest:
    """Staff withdraw a form not completed yet (one conditional UPDATE, so a
    submit racing it either wins or finds it cancelled). Audited."""
    request = get_request(session, request_id=request_id)
    result = session.exec(
        update(FormRequest)
        .where(FormRequest.id == request.id, FormRequest.status.in_(FormStatus.OUTSTANDING))
        .values(status=FormStatus.CANCELLED, cancelled_at=now, cancelled_by_staff_id=staff_id,
                last_activity_at=now))
    if result.rowcount != 1:
        raise ServiceError("Only a form not completed yet can be cancelled.")
    session.refresh(request)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="form.cancelled",
                 client_id=request.client_id, request_id=request.id,
                 form=version_of(session, request).title)
    return request
