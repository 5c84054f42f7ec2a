"""Secure messaging between a client record and the business.

A conversation belongs to one client record; a client may read and write only
its own (`get_conversation_for`, NotFound otherwise). Staff see every
conversation in the inbox and may assign it to a colleague.

Unread counters are changed with one atomic UPDATE per message, so two
writers never lose an increment. That UPDATE also takes the conversation
row's write lock, which serialises the "is an email already waiting?" check
below per conversation.

Email never carries message text (it is secure messaging): a new-message email
only says there are new messages and links to the portal. A burst of
messages sends one email: the first queues it `EMAIL_BATCH_DELAY` ahead, and
later ones see it still waiting and add nothing.

Audit rows record who started and who assigned a conversation, never the text.

A message may carry files (`files=`): they follow the document rules (size,
count, type by content, private storage; `documents.check_files` runs before
anything is written, so a refused file leaves no message, no row and no
file) and become the client's documents, linked by `conversation_message_id`
and listed per message by `attachments_for`. A client needs the upload
permission to attach; staff need the documents feature on (the client
downloads through it). The message's own notification covers them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, select

from models import (
    Client,
    Conversation,
    Document,
    Message,
    Notification,
    NotificationKind,
    OutboxMessage,
    OutboxStatus,
    StaffUser,
)
from models.base import utcnow
from portal_app import i18n, routes
from portal_app.providers.storage import FileStorage
from portal_app.services import documents
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.crypto import new_token
from portal_app.services.emails import business_language, client_language
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.notifications import email_preferences, fit_title, notify
from portal_app.services.outbox import enqueue_email
from portal_app.services.permissions import client_permissions, effective_access

NO_CONVERSATION = "That conversation does not exist."
NO_CLIENT = "That client does not exist."
SUBJECT_MAX = 200
BODY_MAX = 5000
EMAIL_BATCH_DELAY = timedelta(seconds=120)
EMAIL_KEY_PREFIX = "msgmail"
CONSOLE_MESSAGES = "/console/messages"
THREAD_MAX = 200
SIDES = ("client", "staff")


# --- input ------------------------------------------------------------------------------


def clean_subject(raw: object) -> str:
    subject = " ".join(raw.split()) if isinstance(raw, str) else ""
    if not subject:
        raise ServiceError("Enter a subject.", field="subject")
    if len(subject) > SUBJECT_MAX:
        raise ServiceError(f"Keep the subject under {SUBJECT_MAX} characters.", field="subject")
    return subject


def clean_body(raw: object) -> str:
    body = raw.replace("\r\n", "\n").strip() if isinstance(raw, str) else ""
    if not body:
        raise ServiceError("Write a message first.", field="body")
    if len(body) > BODY_MAX:
        raise ServiceError(f"Keep the message under {BODY_MAX:,} characters "
                           f"(it has {len(body):,}).", field="body")
    return body


def _side(by: str) -> str:
    if by not in SIDES:
        raise ValueError(f"by must be 'client' or 'staff', not {by!r}")
    return by


def _other(side: str) -> str:
    return "staff" if side == "client" else "client"


def _check_client_may_message(session: Session, client: Client) -> None:
    access = effective_access(get_business(session), client_permissions(client))
    if not access.messaging:
        raise NotAllowed("Secure messaging is not available for your account. "
                         "Please contact us directly.")


Checked = list[tuple[documents.IncomingFile, str, str]]


def _check_attachments(session: Session, *, files: Sequence[documents.IncomingFile] | None,
                       side: str, client: Client, storage: FileStorage | None,
                       max_file_bytes: int | None, max_request_bytes: int | None) -> Checked:
    """The files, checked as documents are, before anything is written ([] for none)."""
    files = list(files or [])
    if not files:
        return []
    if storage is None or max_file_bytes is None or max_request_bytes is None:
        raise ValueError("attachments need storage, max_file_bytes and max_request_bytes")
    business = get_business(session)
    if side == "client":
        if not effective_access(business, client_permissions(client)).upload:
            raise NotAllowed("Sending files is not available to you. Please contact us.",
                             field="files")
    elif not business.feature_documents:
        raise NotAllowed("Documents are turned off, so files cannot be attached.",
                         field="files")
    return documents.check_files(files, max_file_bytes=max_file_bytes,
                                 max_request_bytes=max_request_bytes)


# --- reading ----------------------------------------------------------------------------


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
           limit: int = 50, client_id: int | None = None) -> tuple[list[Message], bool]:
    """The newest `limit` messages before `before_id`, oldest first, and whether
    older ones exist (one query: it fetches one more than it shows).

    With `client_id`, only that client's conversation yields messages (a
    foreign id gives an empty page); callers should still resolve the
    conversation with `get_conversation_for` first.
    """
    limit = max(1, min(int(limit or 50), THREAD_MAX))
    query = select(Message).where(
        Message.conversation_id == parse_id(conversation_id, NO_CONVERSATION))
    if before_id not in (None, ""):
        query = query.where(Message.id < parse_id(before_id, NO_CONVERSATION))
    if client_id is not None:
        query = query.join(Conversation, Conversation.id == Message.conversation_id).where(
            Conversation.client_id == client_id)
    rows = list(session.exec(query.order_by(Message.id.desc()).limit(limit + 1)).all())
    has_older = len(rows) > limit
    return list(reversed(rows[:limit])), has_older


def attachments_for(session: Session, *, message_ids: Iterable[int],
                    client_id: int | None = None) -> dict[int, list[Document]]:
    """The live files attached to these messages, by message id, oldest first
    (one query; none for no ids). With `client_id`, only that client's."""
    ids = sorted({int(i) for i in message_ids})
    if not ids:
        return {}
    query = select(Document).where(Document.conversation_message_id.in_(ids),
                                   Document.deleted_at.is_(None))
    if client_id is not None:
        query = query.where(Document.client_id == client_id)
    found: dict[int, list[Document]] = {}
    for doc in session.exec(query.order_by(Document.id)).all():
        found.setdefault(doc.conversation_message_id, []).append(doc)
    return found


def unread_for_client(session: Session, *, client_id: int) -> int:
    """Unread messages across the client's conversations (one query)."""
    return int(session.exec(
        select(func.coalesce(func.sum(Conversation.client_unread), 0))
        .where(Conversation.client_id == client_id)
    ).one() or 0)


def unread_for_staff(session: Session) -> int:
    """Unread client messages across all conversations (one query)."""
    return int(session.exec(
        select(func.coalesce(func.sum(Conversation.staff_unread), 0))
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


# --- writing ----------------------------------------------------------------------------


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
    business = get_business(session)
    if side == "staff":
        _notify_client(session, client_id=client.id, conversation_id=conversation_id,
                       subject=subject, base_url=base_url, now=now)
        if "message" in email_preferences(client):
            to = portal_email_of(session, client) or client.email
            if to:
                _queue_batched_email(
                    session, conversation_id=conversation_id, side="client", to=to,
                    business=business, now=now, lang=client_language(client, business),
                    recipient_name=client.full_name,
                    from_name=business.name, subject=subject,
                    url=f"{base_url}{routes.MESSAGES}?c={conversation_id}")
    elif business.contact_email:
        _queue_batched_email(
            session, conversation_id=conversation_id, side="staff", to=business.contact_email,
            business=business, now=now, lang=business_language(business), recipient_name="",
            from_name=client.full_name,
            subject=subject, url=f"{base_url}{CONSOLE_MESSAGES}?c={conversation_id}")
    if checked:
        # Last: a failure before this point has written no file.
        documents.attach_to_message(session, client_id=client.id, message_id=message.id,
                                    checked=checked, by=side, staff_id=staff_id,
                                    storage=storage)
    return message


def _notify_client(session: Session, *, client_id: int, conversation_id: int, subject: str,
                   base_url: str, now: datetime) -> None:
    """One bell line per conversation while unread: a burst of replies moves the
    existing line to the top instead of adding ten."""
    link = f"{routes.MESSAGES}?c={conversation_id}"
    bumped = session.exec(
        update(Notification)
        .where(Notification.client_id == client_id,
               Notification.kind == NotificationKind.MESSAGE,
               Notification.link == link, Notification.read_at.is_(None))
        .values(created_at=now)
    ).rowcount
    if not bumped:
        lang = client_language(session.get(Client, client_id), get_business(session))
        notify(session, client_id=client_id, kind=NotificationKind.MESSAGE,
               title=fit_title(i18n.gettext(lang, "New message: {subject}", subject=subject)),
               link=link, base_url=base_url, email=False)


def _queue_batched_email(session: Session, *, conversation_id: int, side: str, to: str,
                         business, now: datetime, **context) -> OutboxMessage | None:
    """Queue the "you have new messages" email for one side of a conversation,
    unless one is already waiting to go out (then that one covers this message)."""
    prefix = f"{EMAIL_KEY_PREFIX}-{conversation_id}-{side}-"
    waiting = session.exec(
        select(OutboxMessage.id).where(
            OutboxMessage.idempotency_key.startswith(prefix, autoescape=True),
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at > now)
        .limit(1)
    ).first()
    if waiting is not None:
        return None
    email = enqueue_email(session, to=to, template="new_messages", business=business,
                          idempotency_key=prefix + new_token()[:16], **context)
    email.next_attempt_at = now + EMAIL_BATCH_DELAY
    session.add(email)
    session.flush()
    return email


def mark_read(session: Session, *, conversation_id: object, by: str,
              client_id: int | None = None) -> None:
    """The reader's side has read everything so far. With `client_id`, only
    that client's conversation is touched (NotFound otherwise)."""
    side = _side(by)
    conversation_key = parse_id(conversation_id, NO_CONVERSATION)
    statement = (update(Conversation).where(Conversation.id == conversation_key)
                 .values({f"{side}_read_at": utcnow(), f"{side}_unread": 0})
                 .execution_options(synchronize_session=False))
    if client_id is not None:
        statement = statement.where(Conversation.client_id == client_id)
    if session.exec(statement).rowcount == 0:
        raise NotFound(NO_CONVERSATION)
    # Refresh the copy this session holds, if any, without a query of its own.
    conversation = session.identity_map.get(identity_key(Conversation, conversation_key))
    if conversation is not None:
        session.expire(conversation, [f"{side}_read_at", f"{side}_unread"])


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
