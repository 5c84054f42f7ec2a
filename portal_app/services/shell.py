"""What the client shell shows on every page: the bell's unread count and the
unread messages next to "Messages", read together in one statement (the
shell runs on every private event, so its cost is paid by every action)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from models import Conversation, Notification


def shell_counts(session: Session, *, client_id: int, messaging: bool) -> tuple[int, int]:
    """(unread notifications, unread messages; 0 without messaging access)."""
    bell = (select(func.count()).select_from(Notification)
            .where(Notification.client_id == client_id, Notification.read_at.is_(None))
            .scalar_subquery())
    if not messaging:
        return int(session.exec(select(bell)).one()), 0
    messages = (select(func.coalesce(func.sum(Conversation.client_unread), 0))
                .where(Conversation.client_id == client_id).scalar_subquery())
    row = session.exec(select(bell, messages)).one()
    return int(row[0] or 0), int(row[1] or 0)
