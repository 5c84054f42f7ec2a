"""Reminders of forms not completed yet, through the outbox: at most one email
a day per client record (listing every open form), at most MAX_REMINDERS per
form, none before a form is a day old. Staff may "send again" an open form,
under the same once-a-day rule."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from models import Client, FormRequest, FormStatus, FormTemplateVersion
from portal_app.services.audit import record_audit
from portal_app.services.clients import email_held_back
from portal_app.services.errors import ServiceError
from portal_app.services.forms.requests import get_request, version_of
from portal_app.services.forms.sending import email_forms

EVERY = timedelta(days=1)
MAX_REMINDERS = 7
TOO_SOON = "A reminder went out less than a day ago."
EMAIL_HELD = "Email OK is off for this client, so no reminder can be emailed."


def _reminded_recently(session: Session, client_id: int, now: datetime) -> bool:
    last = session.exec(select(func.max(FormRequest.last_reminder_at)).where(
        FormRequest.client_id == client_id)).one()
    return last is not None and last > now - EVERY


def _mark(session: Session, requests: list[FormRequest], now: datetime) -> None:
    for request in requests:
        request.reminder_count += 1
        request.last_reminder_at = now
        session.add(request)
    session.flush()


def send_reminders(session: Session, *, base_url: str, now: datetime) -> int:
    """Email each client with open forms sent over a day ago (and not reminded in
    the last day) one reminder listing them. Returns how many emails were queued."""
    rows = session.exec(
        select(FormRequest, FormTemplateVersion.title)
        .join(FormTemplateVersion, FormTemplateVersion.id == FormRequest.version_id)
        .where(FormRequest.status.in_(FormStatus.OUTSTANDING),
               FormRequest.sent_at <= now - EVERY,
               FormRequest.reminder_count < MAX_REMINDERS)
        .order_by(FormRequest.client_id, FormRequest.sent_at, FormRequest.position)).all()
    by_client: dict[int, list[tuple[FormRequest, str]]] = {}
    for request, title in rows:
        by_client.setdefault(request.client_id, []).append((request, title))
    sent = 0
    for client_id, items in by_client.items():
        client = session.get(Client, client_id)
        if client is None or client.disabled_at is not None:
            continue
        if _reminded_recently(session, client_id, now):
            continue
        if email_forms(session, client=client, titles=[title for _, title in items],
                       key=f"reminder-{client_id}-{now.date().isoformat()}", base_url=base_url,
                       reminder=True):
            _mark(session, [request for request, _ in items], now)
            sent += 1
    return sent


def remind_request(session: Session, *, staff_id: int, request_id: object, base_url: str,
                   now: datetime) -> FormRequest:
    """Staff "Send again" for an open form: one reminder email now (not if one
    went to this client in the last day). Audited."""
    request = get_request(session, request_id=request_id)
    if request.status not in FormStatus.OUTSTANDING:
        raise ServiceError("Only a form not completed yet can be sent again.")
    if _reminded_recently(session, request.client_id, now):
        raise ServiceError(TOO_SOON)
    if email_held_back(session, client_id=request.client_id):
        raise ServiceError(EMAIL_HELD)  # the outbox would hold it back: say so, send nothing
    client = session.get(Client, request.client_id)
    if not email_forms(session, client=client, titles=[version_of(session, request).title],
                       key=f"again-{request.id}-{int(now.timestamp())}", base_url=base_url,
                       reminder=True):
        raise ServiceError("This client has no email address.")
    _mark(session, [request], now)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="form.reminded",
                 client_id=request.client_id, request_id=request.id,
                 form=version_of(session, request).title)
    return request
