"""Figures for the console home page (one grouped query)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from models import Client, OutboxMessage, OutboxStatus, PortalAccess


@dataclass(frozen=True)
class ConsoleSummary:
    clients: int
    active: int
    invited: int
    outbox_pending: int


def get_console_summary(session: Session) -> ConsoleSummary:
    counts = dict(
        session.exec(select(Client.portal_access, func.count()).group_by(Client.portal_access)).all()
    )
    pending = session.exec(
        select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
    ).one()
    return ConsoleSummary(
        clients=sum(counts.values()),
        active=counts.get(PortalAccess.ACTIVE, 0),
        invited=counts.get(PortalAccess.INVITED, 0),
        outbox_pending=int(pending),
    )
