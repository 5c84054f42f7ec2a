"""The staff inbox (filtered, searched, paged), the unread counts of both
sides, and assigning a conversation to a colleague (audited, never the text)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_
from sqlmodel import Session, select

from models import Client, Conversation, Message, StaffUser
from portal_app.services.audit import record_audit
from portal_app.services.errors import ServiceError, parse_id
from portal_app.services.messaging.conversations import get_conversation


def unread_for_client(session: Session, *, client_id: int) -> int:
    """Unread messages across the client's conversations (one query)."""
    return int(session.exec(
        select(func.coalesce(func.sum(Conversation.client_unread), 0))
        .where(Conversation.client_id == client_id)
    ).one() or 0)


def unread_for_staff(session: Session) -> int:
    """Unread client messages across all conversations (one query, which reads only the
    conversations with unread messages: the partial index ix_conversation_staff_unread)."""
    return int(session.exec(
        select(func.coalesce(func.sum(Conversation.staff_unread), 0))
        .where(Conversation.staff_unread > 0)
    ).one() or 0)


@dataclass(frozen=True)
class InboxRow:
    conversation: Conversation
    client_name: str
    assigned_name: str


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def staff_inbox(session: Session, *, unread_only: bool = False, assigned_to: object = None,
                unassigned: bool = False, search: str = "", page: int = 1, per_page: int = 50
                ) -> tuple[list[InboxRow], int]:
    """(rows, total count) of the staff inbox, latest activity first.

    Two statements at any size. `search` matches the subject, the client's
    name and any message's text (literally: % and _ are not wildcards).
    """
    query = (select(Conversation, Client.full_name, StaffUser.full_name)
             .join(Client, Client.id == Conversation.client_id)
             .outerjoin(StaffUser, StaffUser.id == Conversation.assigned_staff_id))
    count = (select(func.count()).select_from(Conversation)
             .join(Client, Client.id == Conversation.client_id))
    conditions = []
    if unread_only:
        conditions.append(Conversation.staff_unread > 0)
    if assigned_to not in (None, ""):
        conditions.append(Conversation.assigned_staff_id
                          == parse_id(assigned_to, "That staff member does not exist."))
    if unassigned:
        conditions.append(Conversation.assigned_staff_id.is_(None))
    text = (search or "").strip()[:100] if isinstance(search, str) else ""
    if text:
        like = _like(text)
        in_body = exists().where(Message.conversation_id == Conversation.id,
                                 func.lower(Message.body).like(like, escape="\\"))
        conditions.append(or_(func.lower(Conversation.subject).like(like, escape="\\"),
                              func.lower(Client.full_name).like(like, escape="\\"),
                              in_body))
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    try:
        page = max(int(page or 1), 1)
    except (TypeError, ValueError):
        page = 1
    per_page = max(1, min(int(per_page or 50), 200))
    rows = session.exec(query.order_by(Conversation.last_message_at.desc(),
                                       Conversation.id.desc())
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return ([InboxRow(c, client_name, assigned_name or "") for c, client_name, assigned_name
             in rows], int(session.exec(count).one()))


def assign(session: Session, *, staff_id: int, conversation_id: object,
           assignee_id: object | None) -> Conversation:
    """Give the conversation to an active staff member, or to no one (None)."""
    conversation = get_conversation(session, conversation_id=conversation_id)
    if assignee_id in (None, ""):
        new_id = None
    else:
        assignee = session.get(StaffUser, parse_id(assignee_id, "Choose a staff member."))
        if assignee is None or not assignee.active:
            raise ServiceError("Choose an active staff member.", field="assignee")
        new_id = assignee.id
    previous = conversation.assigned_staff_id
    if previous == new_id:
        return conversation
    conversation.assigned_staff_id = new_id
    session.add(conversation)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="conversation.assigned",
                 client_id=conversation.client_id, conversation_id=conversation.id,
                 assignee_id=new_id, previous_assignee_id=previous)
    session.flush()
    return conversation
