"""Writing messages: a new conversation with its first message, a reply, and
what both do (`_post`): the message row, the other side's notices, then the
attached files. A reply first moves its conversation (`_bump`): one atomic
UPDATE of the unread counters that is also the check that the conversation is
open (and the client's own), so it is not read first. The audit row records who
started a conversation, never the text.

A client's message takes the caller's session check of this event (`writer=`, a
ClientContext): its selected record and access stand for reading the client
row again (rules.writer_of)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Integer, Row, bindparam, insert, select, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session

from models import Client, Conversation, Message
from models.base import UTCDateTime, utcnow
from portal_app.providers.storage import FileStorage
from portal_app.services import documents
from portal_app.services.audit import record_audit
from portal_app.services.errors import NotAllowed, NotFound, get_by_id, parse_id
from portal_app.services.messaging.attachments import Checked, _check_attachments
from portal_app.services.messaging.notices import _notify_other_side
from portal_app.services.messaging.rules import (
    NO_CLIENT,
    NO_CONVERSATION,
    _other,
    _side,
    clean_body,
    clean_subject,
    writer_of,
)

if TYPE_CHECKING:
    from portal_app.services.sessions import ClientContext, ClientRecord

CLOSED = "This conversation is closed. Start a new one instead."


def start_conversation(session: Session, *, client_id: int, subject: str, body: str, by: str,
                       staff_id: int | None = None, base_url: str,
                       files: Sequence[documents.IncomingFile] | None = None,
                       storage: FileStorage | None = None, max_file_bytes: int | None = None,
                       max_request_bytes: int | None = None,
                       writer: ClientContext | None = None) -> Conversation:
    """A new conversation with its first message (and its `files`, if any). A
    client starts one about itself (`writer`: see the module docstring); staff
    start one with any client and are assigned to it."""
    side = _side(by)
    subject, body = clean_subject(subject), clean_body(body)
    access = None
    if side == "client":
        client, access = writer_of(session, client_id=client_id, writer=writer)
        assigned = None
    else:
        if staff_id is None:
            raise NotAllowed("Only a signed-in staff member can start this conversation.")
        client = get_by_id(session, Client, client_id, NO_CLIENT)
        assigned = staff_id
    checked = _check_attachments(session, files=files, side=side, access=access,
                                 storage=storage, max_file_bytes=max_file_bytes,
                                 max_request_bytes=max_request_bytes)
    now = utcnow()
    # Written with its first message counted: the other side has one unread, the
    # writer has read it.
    conversation = Conversation(client_id=client.id, subject=subject, assigned_staff_id=assigned,
                                created_by=side, created_at=now, last_message_at=now,
                                **{f"{_other(side)}_unread": 1, f"{side}_read_at": now})
    session.add(conversation)
    session.flush()
    record_audit(session, actor_kind=side, actor_id=staff_id if side == "staff" else client.id,
                 action="conversation.started", client_id=client.id,
                 conversation_id=conversation.id)
    _post(session, conversation_id=conversation.id, subject=subject, client=client, body=body,
          side=side, staff_id=staff_id, base_url=base_url, now=now, checked=checked,
          storage=storage)
    return conversation


def send_message(session: Session, *, conversation_id: object, body: str, by: str,
                 client_id: int | None = None, staff_id: int | None = None,
                 base_url: str, files: Sequence[documents.IncomingFile] | None = None,
                 storage: FileStorage | None = None, max_file_bytes: int | None = None,
                 max_request_bytes: int | None = None,
                 writer: ClientContext | None = None) -> Row:
    """Add a message, with its `files` if any, to an open conversation. A client
    writes only in its own conversation (NotFound otherwise; `writer`: see the
    module docstring); the other side's unread counter goes up and it is notified.
    The message as written: a read-only row with a Message's columns as attributes."""
    side = _side(by)
    access = None
    if side == "client":
        if client_id is None and writer is None:
            raise NotFound(NO_CONVERSATION)
        client, access = writer_of(session, client_id=client_id, writer=writer)
    elif staff_id is None:
        raise NotAllowed("Only a signed-in staff member can reply.")
    key = parse_id(conversation_id, NO_CONVERSATION)
    body = clean_body(body)
    checked = _check_attachments(session, files=files, side=side, access=access,
                                 storage=storage, max_file_bytes=max_file_bytes,
                                 max_request_bytes=max_request_bytes)
    now = utcnow()
    subject, owner = _bump(session, key, side=side, now=now,
                           client_id=client.id if side == "client" else None)
    if side == "staff":
        client = session.get(Client, owner)
    return _post(session, conversation_id=key, subject=subject, client=client, body=body,
                 side=side, staff_id=staff_id, base_url=base_url, now=now, checked=checked,
                 storage=storage)


def _bump(session: Session, conversation_id: int, *, side: str, now,
          client_id: int | None) -> tuple[str, int]:
    """A message from `side` moves its conversation, in one atomic UPDATE (two writers
    never lose an increment; it takes the row's write lock, which serialises the "is an
    email already waiting?" check after it): the other side gains an unread message, the
    writer has evidently read it. Only an open conversation (the client's own, with
    `client_id`) is moved; its subject and client come back (RETURNING). Nothing moved:
    NotFound, or NotAllowed for a closed one, read only then to say which."""
    params = {"b_id": conversation_id, "b_now": now}
    if client_id is not None:
        params["b_client_id"] = int(client_id)
    row = session.connection().execute(_bump_statement(side, client_id is not None),
                                       params).first()
    if row is None:
        found = session.connection().execute(
            select(Conversation.client_id, Conversation.closed_at)
            .where(Conversation.id == conversation_id)).first()
        if found is None or (client_id is not None and found.client_id != client_id):
            raise NotFound(NO_CONVERSATION)
        raise NotAllowed(CLOSED)
    # A copy this session holds is refreshed when next used, without a query now.
    conversation = session.identity_map.get(identity_key(Conversation, conversation_id))
    if conversation is not None:
        session.expire(conversation, ["last_message_at", "client_unread", "staff_unread",
                                      "client_read_at", "staff_read_at"])
    return row.subject, row.client_id


@cache
def _bump_statement(side: str, of_client: bool):
    other = _other(side)
    statement = (update(Conversation)
                 .where(Conversation.id == bindparam("b_id", type_=Integer),
                        Conversation.closed_at.is_(None))
                 .values({"last_message_at": bindparam("b_now", type_=UTCDateTime),
                          f"{other}_unread": getattr(Conversation, f"{other}_unread") + 1,
                          f"{side}_unread": 0,
                          f"{side}_read_at": bindparam("b_now", type_=UTCDateTime)})
                 .returning(Conversation.subject, Conversation.client_id))
    if of_client:
        statement = statement.where(Conversation.client_id == bindparam("b_client_id",
                                                                         type_=Integer))
    return statement


@cache
def _insert_statement():
    return insert(Message).returning(*Message.__table__.columns)


def _post(session: Session, *, conversation_id: int, subject: str,
          client: Client | ClientRecord, body: str, side: str, staff_id: int | None,
          base_url: str, now, checked: Checked | None = None,
          storage: FileStorage | None = None) -> Row:
    """The message row (its conversation already moved), the other side's notices, the
    files. `client`: the Client row for a staff message (its notices read it); for a
    client's, anything with its `id` and `full_name`. The message as written: a
    read-only row with a Message's columns as attributes (as `thread` gives them), not
    an ORM object."""
    # One INSERT built once (not the unit of work's flush), giving the row back.
    message = session.connection().execute(_insert_statement(), {
        "conversation_id": conversation_id, "sender": side,
        "sender_staff_id": staff_id if side == "staff" else None, "body": body,
        "created_at": now}).one()
    _notify_other_side(session, conversation_id=conversation_id, subject=subject,
                       client=client, side=side, base_url=base_url, now=now)
    if checked:
        # Last: a failure before this point has written no file.
        documents.attach_to_message(session, client_id=client.id, message_id=message.id,
                                    checked=checked, by=side, staff_id=staff_id,
                                    storage=storage)
    return message
