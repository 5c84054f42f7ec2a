"""Audit rows, written in the caller's transaction with the change they record."""

from __future__ import annotations

from sqlmodel import Session

from models import AuditEvent
from models.base import utcnow


def record_audit(
    session: Session,
    *,
    actor_kind: str,
    actor_id: int | None,
    action: str,
    client_id: int | None = None,
    ip: str = "",
    **detail,
) -> AuditEvent:
    event = AuditEvent(
        at=utcnow(),
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        client_id=client_id,
        ip=ip[:64],
        detail=detail,
    )
    session.add(event)
    session.flush()
    return event
