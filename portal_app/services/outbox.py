"""The outbox: write a message with its cause, deliver it later with retries.

`enqueue_email`/`enqueue_sms` add a row in the caller's transaction, so a
rolled-back change sends nothing and a committed one is never lost.
Email consent ("Email OK", seed 004) is enforced here, at the one door every
email goes through: an address that a client record withholds consent for
gets nothing but the sign-in emails its owner asks for (`SIGN_IN_TEMPLATES`).

`deliver_due` claims due rows with a lease (safe with several workers), sends
each with its idempotency key, and backs off on failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import false, func, or_, update
from sqlmodel import Session, select

from models import Business, Client, OutboxMessage, OutboxStatus, PortalAccount
from models.base import utcnow
from portal_app.i18n import DEFAULT
from portal_app.providers.base import (
    Attachment,
    EmailProvider,
    OutgoingEmail,
    OutgoingSms,
    SmsProvider,
)
from portal_app.services.audit import record_audit
from portal_app.services.emails import render_email, render_sms
from portal_app.services.outbox_attachments import Deferred, materialise, stored

log = logging.getLogger("portal.outbox")

MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=60)
# Answers to what the person at the address asked for on the sign-in pages (a code, a
# reset link, a sign-up check, "no account / already registered"): they go even without
# Email OK, so a client who declined email can still sign in. Invitations are not here:
# portal access needs an email with consent (seed 004).
SIGN_IN_TEMPLATES = frozenset({"sign_in_code", "reset_password", "verify_email",
                               "already_registered", "no_account", "add_record"})


def consent_withheld_by(session: Session, *, to: str) -> int | None:
    """The id of a client record whose Email OK is off for address `to` (its contact
    or portal email), or None when email may go there (one query)."""
    address = str(to or "").strip().lower()
    if not address:
        return None
    return session.exec(
        select(Client.id)
        .outerjoin(PortalAccount, PortalAccount.id == Client.account_id)
        .where(Client.email_ok == false(),
               or_(func.lower(Client.email) == address, PortalAccount.email == address))
        .order_by(Client.id)
        .limit(1)
    ).first()


def withhold_queued_email(session: Session, *, addresses: list[str]) -> int:
    """Email OK was just turned off: what is still queued for these addresses does not
    go either (sign-in emails aside, as at enqueue). Returns how many were held back."""
    wanted = sorted({str(a or "").strip().lower() for a in addresses} - {""})
    if not wanted:
        return 0
    result = session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.channel == "email",
               OutboxMessage.status == OutboxStatus.PENDING,
               func.lower(OutboxMessage.to).in_(wanted),
               OutboxMessage.template.not_in(SIGN_IN_TEMPLATES))
        .values(status=OutboxStatus.WITHHELD, last_error="Email OK turned off"))
    return int(result.rowcount or 0)


def enqueue_email(
    session: Session,
    *,
    to: str,
    template: str,
    business: Business | None,
    idempotency_key: str,
    attachments: list[Attachment | Deferred] | None = None,
    lang: str = DEFAULT,
    send_after: datetime | None = None,
    **context,
) -> OutboxMessage | None:
    """Render `template` in `lang` (the recipient's language) and queue it, to go out
    now or from `send_after`.

    None, and nothing queued, when a client at `to` has not agreed to email (Email OK
    off) and the template is not a sign-in email; the client's timeline records it."""
    if template not in SIGN_IN_TEMPLATES:
        withheld = consent_withheld_by(session, to=to)
        if withheld is not None:
            log.info("email %r to client %s held back: Email OK is off", template, withheld)
            record_audit(session, actor_kind="system", actor_id=None, action="email.blocked",
                         client_id=withheld, template=template)
            return None
    subject, text, html = render_email(template, business, lang=lang, **context)
    message = OutboxMessage(
        channel="email",
        template=template,
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        idempotency_key=idempotency_key,
        attachments=[stored(a) for a in attachments or []],
    )
    if send_after is not None:
        message.next_attempt_at = send_after
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
                with session_factory() as render_session:  # a receipt's PDF, say
                    attachments = materialise(render_session, message.attachments)
                provider_id = email.send_email(
                    OutgoingEmail(
                        to=message.to,
                        subject=message.subject,
                        text=message.body_text,
                        html=message.body_html,
                        sender=sender,
                        idempotency_key=message.idempotency_key,
                        attachments=attachments,
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
