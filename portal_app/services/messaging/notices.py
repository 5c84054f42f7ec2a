"""How the other side learns of a new message: the client by a bell line and,
if it wants them, an email; the business by an email to its contact address.

Email never carries message text (it is secure messaging): a new-message email
only says there are new messages and links to the portal. A burst of
messages sends one email: the first queues it `EMAIL_BATCH_DELAY` ahead, and
later ones see it still waiting and add nothing. The conversation row's write
lock, taken by the unread-counter UPDATE before this runs, serialises that
"is an email already waiting?" check per conversation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import Session, select

from models import Client, Notification, NotificationKind, OutboxMessage, OutboxStatus
from portal_app import routes
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.crypto import new_token
from portal_app.services.emails import client_language, inbox_language
from portal_app.services.notification_texts import message_params
from portal_app.services.notifications import email_preferences, notify
from portal_app.services.outbox import enqueue_email

if TYPE_CHECKING:
    from portal_app.services.sessions import ClientRecord

EMAIL_BATCH_DELAY = timedelta(seconds=120)
EMAIL_KEY_PREFIX = "msgmail"
CONSOLE_MESSAGES = "/console/messages"


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
        notify(session, client_id=client_id, kind=NotificationKind.MESSAGE,
               params=message_params(subject=subject), link=link, base_url=base_url,
               email=False)


def _email_waiting(session: Session, *, conversation_id: int, side: str,
                   now: datetime) -> bool:
    """Whether a "you have new messages" email for this side of the conversation is
    already waiting to go out (then it covers a new message too)."""
    prefix = f"{EMAIL_KEY_PREFIX}-{conversation_id}-{side}-"
    return session.exec(
        select(OutboxMessage.id).where(
            OutboxMessage.idempotency_key.startswith(prefix, autoescape=True),
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at > now)
        .limit(1)
    ).first() is not None


def _queue_batched_email(session: Session, *, conversation_id: int, side: str, to: str,
                         business, now: datetime, **context) -> OutboxMessage | None:
    """Queue the "you have new messages" email for one side of a conversation (the
    caller has found none waiting: `_email_waiting`)."""
    prefix = f"{EMAIL_KEY_PREFIX}-{conversation_id}-{side}-"
    # (None when held back: the address has not agreed to email.)
    return enqueue_email(session, to=to, template="new_messages", business=business,
                         idempotency_key=prefix + new_token()[:16],
                         send_after=now + EMAIL_BATCH_DELAY, **context)


def _notify_other_side(session: Session, *, conversation_id: int, subject: str,
                       client: Client | ClientRecord,
                       side: str, base_url: str, now: datetime) -> None:
    """After a message from `side`: a staff message gives the client (its Client row)
    a bell line and, if it wants message emails, a batched email; a client message
    emails the business's contact address (batched), if it has one, from the client's
    name (`client` is then anything with a `full_name`)."""
    business = get_business(session)
    if side == "staff":
        _notify_client(session, client_id=client.id, conversation_id=conversation_id,
                       subject=subject, base_url=base_url, now=now)
        if "message" in email_preferences(client):
            to = portal_email_of(session, client) or client.email
            if to and not _email_waiting(session, conversation_id=conversation_id,
                                         side="client", now=now):
                _queue_batched_email(
                    session, conversation_id=conversation_id, side="client", to=to,
                    business=business, now=now, lang=client_language(client, business),
                    recipient_name=client.full_name,
                    from_name=business.name, subject=subject,
                    url=f"{base_url}{routes.MESSAGES}?c={conversation_id}")
    elif business.contact_email and not _email_waiting(
            session, conversation_id=conversation_id, side="staff", now=now):
        # (Asked first: the inbox's language is read only for an email that goes out.)
        _queue_batched_email(
            session, conversation_id=conversation_id, side="staff", to=business.contact_email,
            business=business, now=now, lang=inbox_language(session, business), recipient_name="",
            from_name=client.full_name,
            subject=subject, url=f"{base_url}{CONSOLE_MESSAGES}?c={conversation_id}")
