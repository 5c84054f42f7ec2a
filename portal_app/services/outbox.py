"""The outbox: write a message with its cause, deliver it later with retries.

`enqueue_email`/`enqueue_sms` add a row in the caller's transaction, so a
rolled-back change sends nothing and a committed one is never lost.
`deliver_due` claims due rows with a lease (safe with several workers), sends
each with its idempotency key, and backs off on failure.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, select

from models import Business, OutboxMessage, OutboxStatus
from models.base import utcnow
from portal_app.i18n import DEFAULT
from portal_app.providers.base import (
    Attachment,
    EmailProvider,
    OutgoingEmail,
    OutgoingSms,
    SmsProvider,
)
from portal_app.services.emails import render_email, render_sms

log = logging.getLogger("portal.outbox")

MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=60)


def enqueue_email(
    session: Session,
    *,
    to: str,
    template: str,
    business: Business | None,
    idempotency_key: str,
    attachments: list[Attachment] | None = None,
    lang: str = DEFAULT,
    **context,
) -> OutboxMessage:
    """Render `template` in `lang` (the recipient's language) and queue it."""
    subject, text, html = render_email(template, business, lang=lang, **context)
    message = OutboxMessage(
        channel="email",
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        idempotency_key=idempotency_key,
        attachments=[
            {"filename": a.filename, "content_type": a.content_type,
             "content_b64": base64.b64encode(a.content).decode()}
            for a in attachments or []
        ],
    )
    session.add(message)
    session.flush()
    return message


def enqueue_sms(
    session: Session,
    *,
    to: str,
    template: str,
    business: Business | None,
    idempotency_key: str,
    lang: str = DEFAULT,
    **context,
) -> OutboxMessage:
    message = OutboxMessage(
        channel="sms",
        to=to,
        subject="",
        body_text=render_sms(template, business, lang=lang, **context),
        idempotency_key=idempotency_key,
    )
    session.add(message)
    session.flush()
    return message


def list_recent_messages(session: Session, *, limit: int = 50) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(session.exec(stmt).all())


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    retried: int = 0


def _claim(session: Session, *, now: datetime, limit: int) -> list[OutboxMessage]:
    due = session.exec(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed: list[OutboxMessage] = []
    for message_id in due:
        result = session.exec(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == OutboxStatus.PENDING,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
            .values(lease_until=now + LEASE)
        )
        if result.rowcount == 1:
            claimed.append(session.get(OutboxMessage, message_id))
    return claimed


def deliver_due(
    session_factory: Callable[[], Session],
    *,
    email: EmailProvider,
    sms: SmsProvider | None,
    sender: str,
    now: datetime | None = None,
    limit: int = 50,
) -> DeliveryReport:
    """Send what is due. Each claim and each outcome is its own transaction."""
    now = now or utcnow()
    report = DeliveryReport()
    with session_factory() as session:
        claimed = _claim(session, now=now, limit=limit)
        session.commit()
        for message in claimed:
            session.expunge(message)
    for message in claimed:
        error = ""
        provider_name = ""
        provider_id = ""
        try:
            if message.channel == "sms":
                if sms is None:
                    raise RuntimeError("SMS backend is off")
                provider_name = sms.name
                provider_id = sms.send_sms(
                    OutgoingSms(message.to, message.body_text, message.idempotency_key)
                )
            else:
                provider_name = email.name
                provider_id = email.send_email(
                    OutgoingEmail(
                        to=message.to,
                        subject=message.subject,
                        text=message.body_text,
                        html=message.body_html,
                        sender=sender,
                        idempotency_key=message.idempotency_key,
                        attachments=tuple(
                            Attachment(a["filename"], a["content_type"],
                                       base64.b64decode(a["content_b64"]))
                            for a in message.attachments or []
                        ),
                    )
                )
        except Exception as exc:  # any provider failure is retried later
            error = f"{type(exc).__name__}: {exc}"[:1000]
            log.warning("outbox message %s failed: %s", message.id, error)
        with session_factory() as session:
            row = session.get(OutboxMessage, message.id)
            row.attempts += 1
            row.lease_until = None
            row.provider = provider_name
            if not error:
                row.status = OutboxStatus.SENT
                row.sent_at = utcnow()
                row.provider_message_id = provider_id[:200]
                report.sent += 1
            elif row.attempts >= MAX_ATTEMPTS:
                row.status = OutboxStatus.FAILED
                row.last_error = error
                report.failed += 1
            else:
                row.last_error = error
                row.next_attempt_at = utcnow() + timedelta(seconds=min(3600, 5 * 2**row.attempts))
                report.retried += 1
            session.add(row)
            session.commit()
    return report
