"""Reading conversations and their threads, and marking them read. A client
reads only its own conversation (`get_conversation_for`, NotFound otherwise);
staff may read any."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, bindparam, func, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, select

from models import Conversation, Message
from models.base import UTCDateTime, utcnow
from portal_app.services import reads
from portal_app.services.errors import NotFound, get_by_id, parse_id
from portal_app.services.messaging.rules import NO_CONVERSATION, _side

THREAD_MAX = 200


def get_conversation_for(session: Session, *, client_id: int, conversation_id: object
                         ) -> Conversation:
    """The client's own conversation; another client's, or a bad id, is NotFound."""
    conversation = session.get(Conversation, parse_id(conversation_id, NO_CONVERSATION))
    if conversation is None or conversation.client_id != client_id:
        raise NotFound(NO_CONVERSATION)
    return conversation


def get_conversation(session: Session, *, conversation_id: object) -> Conversation:
    """Any conversation, for staff (single business: staff may read them all)."""
    return get_by_id(session, Conversation, conversation_id, NO_CONVERSATION)


def client_conversations(session: Session, *, client_id: int, limit: int = 100
                         ) -> list[Conversation]:
    """The client's conversations, latest activity first (one query)."""
    limit = max(1, min(int(limit or 100), 500))
    return list(session.exec(
        select(Conversation).where(Conversation.client_id == client_id)
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc()).limit(limit)
    ).all())


def thread(session: Session, *, conversation_id: object, before_id: object | None = None,
           after_id: object | None = None, limit: int = 50, client_id: int | None = None
           ) -> tuple[list, bool]:
    """The newest `limit` messages before `before_id` (or after `after_id`: the
    ones a page showing up to that id lacks), oldest first, and whether more exist
    beyond the page (older ones; with `after_id`, newer ones than the page holds
    between `after_id` and it) — one query: it fetches one more than it shows. Each
    is a read-only row with a Message's columns as attributes (id, conversation_id,
    sender, sender_staff_id, body, created_at), not an ORM object.

    With `client_id`, only that client's conversation yields messages (a
    foreign id gives an empty page); callers should still resolve the
    conversation with `get_conversation_for` first.
    """
    limit = max(1, min(int(limit or 50), THREAD_MAX))
    params = {"conversation_id": parse_id(conversation_id, NO_CONVERSATION), "limit": limit + 1}
    older = before_id not in (None, "")
    if older:
        params["before_id"] = parse_id(before_id, NO_CONVERSATION)
    newer = after_id not in (None, "")
    if newer:
        params["after_id"] = parse_id(after_id, NO_CONVERSATION)
    if client_id is not None:
        params["client_id"] = int(client_id)
    statement = _thread_statement(older, client_id is not None, newer)
    rows = reads.run(session, statement, **params).all()
    has_more = len(rows) > limit
    return list(reversed(rows[:limit])), has_more


@cache
def _thread_statement(older: bool, of_client: bool, newer: bool = False):
    """A page of a thread, newest first (one more than shown), built once per shape."""
    query = select(*Message.__table__.columns).where(
        Message.conversation_id == bindparam("conversation_id", type_=Integer))
    if older:
        query = query.where(Message.id < bindparam("before_id", type_=Integer))
    if newer:
        query = query.where(Message.id > bindparam("after_id", type_=Integer))
    if of_client:
        query = query.join(Conversation, Conversation.id == Message.conversation_id).where(
            Conversation.client_id == bindparam("client_id", type_=Integer))
    return query.order_by(Message.id.desc()).limit(bindparam("limit", type_=Integer))


def mark_read(session: Session, *, conversation_id: object, by: str,
              client_id: int | None = None) -> None:
    """The reader's side has read everything so far. With `client_id`, only
    that client's conversation is touched (NotFound otherwise)."""
    side = _side(by)
    conversation_key = parse_id(conversation_id, NO_CONVERSATION)
    params = {"b_id": conversation_key, "b_now": utcnow()}  # (an UPDATE's names: not columns')
    if client_id is not None:
        params["b_client_id"] = int(client_id)
    if session.exec(_read_statement(side, client_id is not None), params=params).rowcount == 0:
        raise NotFound(NO_CONVERSATION)
    # Refresh the copy this session holds, if any, without a query of its own.
    conversation = session.identity_map.get(identity_key(Conversation, conversation_key))
    if conversation is not None:
        session.expire(conversation, [f"{side}_read_at", f"{side}_unread"])


@cache
def _read_statement(side: str, of_client: bool):
    statement = (update(Conversation)
                 .where(Conversation.id == bindparam("b_id", type_=Integer))
                 .values({f"{side}_read_at": bindparam("b_now", type_=UTCDateTime),
                          f"{side}_unread": 0})
                 .execution_options(synchronize_session=False))
    if of_client:
        statement = statement.where(Conversation.client_id == bindparam("b_client_id",
                                                                         type_=Integer))
    return statement


PREVIEW_CHARS = 80


@dataclass(frozen=True)
class ConversationRow:
    """One line of the client's conversation list: the conversation, the first
    `PREVIEW_CHARS` characters of its last message as one line of plain text
    (cut with "…"), and who wrote that message ("client" | "staff" | "")."""

    conversation: Conversation
    preview: str
    last_sender: str

    @property
    def unread(self) -> int:
        return self.conversation.client_unread


def preview_text(body: str | None, limit: int = PREVIEW_CHARS) -> str:
    """A message as one line of plain text, at most `limit` characters (with "…")."""
    text = " ".join((body or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


@cache
def _list_statement():
    last_id = (select(func.max(Message.id)).where(Message.conversation_id == Conversation.id)
               .correlate(Conversation).scalar_subquery())
    return (select(Conversation, func.substr(Message.body, 1, PREVIEW_CHARS * 4), Message.sender)
            .outerjoin(Message, Message.id == last_id)
            .where(Conversation.client_id == bindparam("client_id", type_=Integer))
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
            .limit(bindparam("limit", type_=Integer)))


def client_conversation_list(session: Session, *, client_id: int, limit: int = 100
                             ) -> list[ConversationRow]:
    """The client's conversations, latest activity first, each with a preview of
    its last message: one statement however many conversations there are (the
    last message is joined by a correlated max(id), and only the start of its
    text is read)."""
    limit = max(1, min(int(limit or 100), 500))
    rows = session.exec(_list_statement(), params={"client_id": int(client_id),
                                                    "limit": limit}).all()
    return [ConversationRow(conversation, preview_text(body), sender or "")
            for conversation, body, sender in rows]
