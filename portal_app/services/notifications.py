"""Notifications: the lines under a client's bell, and which of them also arrive
by email.

A notification belongs to one client record; every id a client gives is
checked against it. The email copy goes through the outbox in the caller's
transaction and only for the kinds the client chose (`Client.email_notifications`).
Services that already send their own transactional email (invoices, receipts,
bookings) call `notify(..., email=False)` so the client is not emailed twice.

A line is stored as its kind plus parameters and worded when it is read, in the
reader's language and zone (`title_of`, notification_texts.py); the stored
`title` is the English wording at the time, shown only for rows without
parameters (free-text lines, and old rows the migration could not parse).
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, String, bindparam, func, update
from sqlmodel import Session, select

from models import Client, Notification, NotificationKind
from models.base import UTCDateTime, utcnow
from portal_app import i18n
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.emails import client_language
from portal_app.services.errors import NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.notification_texts import render
from portal_app.services.outbox import enqueue_email

NO_CLIENT = "That client does not exist."
NO_NOTIFICATION = "That notification does not exist."
TITLE_MAX = 200
LINK_MAX = 300
LIST_MAX = 200


def fit_title(text: str, limit: int = TITLE_MAX) -> str:
    """One line of at most `limit` characters (an ellipsis marks a cut)."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _check_link(link: object) -> str:
    """A path inside the portal: never another site (`//host`, `/\\host`) or a scheme."""
    text = link if isinstance(link, str) else ""
    if (not text.startswith("/") or text.startswith("//") or "\\" in text
            or len(text) > LINK_MAX or any(c.isspace() or ord(c) < 32 for c in text)):
        raise ServiceError("A notification links to a page of the portal.", field="link")
    return text


def notify(session: Session, *, client_id: int, kind: str, link: str, base_url: str,
           params: dict | None = None, title: str = "", email: bool = True) -> Notification:
    """Add a line under the client's bell; with `email`, also email it when the
    client wants this kind by email (to the portal sign-in address first).

    `params` are the facts of the kind (notification_texts.py), worded in each
    reader's language when read; `title` is a free-text line instead (shown as is)."""
    if kind not in NotificationKind.ALL:
        raise ServiceError("Unknown kind of notification.", field="kind")
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    business = get_business(session)
    zone = client.timezone or business.timezone or "UTC"
    params = dict(params or {})
    if params:
        try:
            title = fit_title(render(kind, params, lang=i18n.DEFAULT, zone=zone))
        except (KeyError, TypeError, ValueError) as exc:
            raise ServiceError("A notification needs a title.", field="title") from exc
    clean_title = " ".join(str(title or "").split()) if isinstance(title, str) else ""
    if not clean_title:
        raise ServiceError("A notification needs a title.", field="title")
    if len(clean_title) > TITLE_MAX:
        raise ServiceError(f"Keep the title under {TITLE_MAX} characters.", field="title")
    path = _check_link(link)
    notification = Notification(client_id=client.id, kind=kind, title=clean_title, link=path,
                                params=params)
    session.add(notification)
    session.flush()
    if email and kind in email_preferences(client):
        to = portal_email_of(session, client) or client.email
        if to:
            lang = client_language(client, business)
            enqueue_email(session, to=to, template="notification", business=business,
                          idempotency_key=f"notification-{notification.id}", lang=lang,
                          client_name=client.full_name,
                          title=title_of(notification, lang=lang, zone=zone),
                          url=f"{base_url}{path}")
    return notification


def title_of(notification: Notification, *, lang: str, zone: str) -> str:
    """The line as `lang` reads it, times in `zone`: worded from kind + params, or
    the stored title for a row without parameters (or with ones no longer understood)."""
    if notification.params:
        try:
            return fit_title(render(notification.kind, notification.params, lang=lang,
                                    zone=zone))
        except (KeyError, TypeError, ValueError):
            pass
    return notification.title


def list_notifications(session: Session, *, client_id: int, limit: int = 20
                       ) -> list[Notification]:
    """The client's newest notifications first (one query)."""
    limit = max(1, min(int(limit or 20), LIST_MAX))
    return list(session.exec(_list_statement(), params={"client_id": int(client_id),
                                                         "limit": limit}).all())


@cache
def _list_statement():
    return (select(Notification)
            .where(Notification.client_id == bindparam("client_id", type_=Integer))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(bindparam("limit", type_=Integer)))


def unread_count(session: Session, *, client_id: int) -> int:
    """How many of the client's notifications are unread (one query)."""
    return int(session.exec(
        select(func.count()).select_from(Notification)
        .where(Notification.client_id == client_id, Notification.read_at.is_(None))
    ).one())


def mark_read(session: Session, *, client_id: int, notification_id: object) -> Notification:
    """Mark one of the client's own notifications read; someone else's is NotFound."""
    notification = session.get(Notification, parse_id(notification_id, NO_NOTIFICATION))
    if notification is None or notification.client_id != client_id:
        raise NotFound(NO_NOTIFICATION)
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.add(notification)
        session.flush()
    return notification


def mark_all_read(session: Session, *, client_id: int) -> int:
    """Mark every unread notification of the client read (one UPDATE); returns how many."""
    result = session.exec(
        update(Notification)
        .where(Notification.client_id == client_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(result.rowcount or 0)


def mark_link_read(session: Session, *, client_id: int, link: str) -> int:
    """Seeing the thing a notification points at reads it (one UPDATE)."""
    result = session.exec(_link_read_statement(), params={  # (an UPDATE's names differ
        "b_client_id": int(client_id), "b_link": str(link), "b_now": utcnow()})  # from columns)
    return int(result.rowcount or 0)


@cache
def _link_read_statement():
    return (update(Notification)
            .where(Notification.client_id == bindparam("b_client_id", type_=Integer),
                   Notification.link == bindparam("b_link", type_=String),
                   Notification.read_at.is_(None))
            .values(read_at=bindparam("b_now", type_=UTCDateTime)))


def email_preferences(client: Client) -> list[str]:
    """The kinds this client also gets by email, in NotificationKind order."""
    chosen = set(client.email_notifications or [])
    return [kind for kind in NotificationKind.ALL if kind in chosen]


def set_email_preferences(session: Session, *, client_id: int, kinds: list[str]) -> list[str]:
    """Choose which notifications also arrive by email; unknown kinds change nothing."""
    if not isinstance(kinds, list | tuple) or not all(isinstance(k, str) for k in kinds):
        raise ServiceError("Choose from the listed notifications.", field="email_notifications")
    unknown = [k for k in kinds if k not in NotificationKind.ALL]
    if unknown:
        raise ServiceError("Choose from the listed notifications.", field="email_notifications")
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    chosen = set(kinds)
    client.email_notifications = [k for k in NotificationKind.ALL if k in chosen]
    session.add(client)
    session.flush()
    return list(client.email_notifications)
