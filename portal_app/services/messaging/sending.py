"""Writing messages: a new conversation with its first message, a reply, and
what both do (`_post`): the message row, the unread counters in one atomic
UPDATE, the other side's notices, then the attached files. The audit row
records who started a conversation, never the text."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlmodel import Session

from models import Client, Conversation, Message
from models.base import utcnow
from portal_app.providers.storage import FileStorage
from portal_app.services import documents
from portal_app.services.audit import record_audit
from portal_app.services.errors import NotAllowed, NotFound, get_by_id
from portal_app.services.messaging.attachments import Checked, _check_attachments
from portal_app.services.messaging.conversations import get_conversation, get_conversation_for
from portal_app.services.messaging.notices import _notify_other_side
from portal_app.services.messaging.rules import (
    NO_CLIENT,
    NO_CONVERSATION,
    _check_client_may_message,
    _other,
    _side,
    clean_body,
    clean_subject,
)


def start_conversation(session: Session, *, client_id: int, subject: str, body: str, by: str,
                       staff_id: int | None = None, base_url: str,
                       files: Sequence[documents.IncomingFile] | None = None,
                       storage: FileStorage | None = None, max_file_bytes: int | None = None,
                       max_request_bytes: int | None = None) -> Conversation:
    """A new conversation with its first message (and its `files`, if any). A
    client starts one about itself; staff start one with any client and are
    assigned to it."""
    side = _side(by)
    subject, body = clean_subject(subject), clean_body(body)
    if side == "client":
        client = get_by_id(session, Client, client_id, NO_CLIENT)
        _check_client_may_message(session, client)
        assigned = None
    else:
        if staff_id is None:
            raise NotAllowed("Only a signed-in staff member can start this conversation.")
        client = get_by_id(session, Client, client_id, NO_CLIENT)
        assigned = staff_id
    checked = _check_attachments(session, files=files, side=side, client=client,
                                 storage=storage, max_file_bytes=max_file_bytes,
                                 max_request_bytes=max_request_bytes)
    now = utcnow()
    conversation = Conversation(client_id=client.id, subject=subject, assigned_staff_id=assigned,
                                created_by=side, created_at=now, last_message_at=now)
    session.add(conversation)
    session.flush()
    record_audit(session, actor_kind=side, actor_id=staff_id if side == "staff" else client.id,
                 action="conversation.started", client_id=client.id,
                 conversation_id=conversation.id)
    _post(session, conversation=conversation, client=client, body=body, side=side,
          staff_id=staff_id, base_url=base_url, checked=checked, storage=storage)
    return conversation


def send_message(session: Session, *, conversation_id: object, body: str, by: str,
                 client_id: int | None = None, staff_id: int | None = None,
                 base_url: str, files: Sequence[documents.IncomingFile] | None = None,
                 storage: FileStorage | None = None, max_file_bytes: int | None = None,
                 max_request_bytes: int | None = None) -> Message:
    """Add a message, with its `files` if any. A client writes only in its own
    conversation (NotFound otherwise); the other side's unread counter goes up
    and it is notified."""
    side = _side(by)
    if side == "client":
        if client_id is None:
            raise NotFound(NO_CONVERSATION)
        conversation = get_conversation_for(session, client_id=client_id,
                                            conversation_id=conversation_id)
        client = session.get(Client, conversation.client_id)
        _check_client_may_message(session, client)
    else:
        if staff_id is None:
            raise NotAllowed("Only a signed-in staff member can reply.")
        conversation = get_conversation(session, conversation_id=conversation_id)
        client = session.get(Client, conversation.client_id)
    if conversation.closed_at is not None:
        raise NotAllowed("This conversation is closed. Start a new one instead.")
    body = clean_body(body)
    checked = _check_attachments(session, files=files, side=side, client=client,
                                 storage=storage, max_file_bytes=max_file_bytes,
                                 max_request_bytes=max_request_bytes)
    return _post(session, conversation=conversation, client=client, body=body, side=side,
                 staff_id=staff_id, base_url=base_url, checked=checked, storage=storage)


def _post(session: Session, *, conversation: Conversation, client: Client, body: str,
          side: str, staff_id: int | None, base_url: str, checked: Checked | None = None,
          storage: FileStorage | None = None) -> Message:
    now = utcnow()
    conversation_id, subject = conversation.id, conversation.subject
    message = Message(conversation_id=conversation_id, sender=side,
                      sender_staff_id=staff_id if side == "staff" else None, body=body,
                      created_at=now)
    session.add(message)
    session.flush()
    other = _other(side)
    unread = getattr(Conversation, f"{other}_unread")
    # One atomic UPDATE: the other side gains an unread message; the writer has
    # evidently read the conversation.
    session.exec(
        update(Conversation).where(Conversation.id == conversation_id)
        .values({"last_message_at": now, f"{other}_unread": unread + 1,
                 f"{side}_unread": 0, f"{side}_read_at": now})
        .execution_options(synchronize_session=False)
    )
    session.expire(conversation, ["last_message_at", "client_unread", "staff_unread",
                                  "client_read_at", "staff_read_at"])
    _notify_other_side(session, conversation_id=conversation_id, subject=subject,
                       client=client, side=side, base_url=base_url, now=now)
    if checked:
        # Last: a failure before this point has written no file.
        documents.attach_to_message(session, client_id=client.id, message_id=message.id,
                                    checked=checked, by=side, staff_id=staff_id,
                                    storage=storage)
    return message
