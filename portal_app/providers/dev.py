"""Dev backends: keep in the outbox (shown at /dev/mailbox), print, or write files."""

from __future__ import annotations

import logging
import os
import re
from email.message import EmailMessage
from pathlib import Path

from portal_app.providers.base import OutgoingEmail, OutgoingSms

log = logging.getLogger("portal.mail")


def _safe_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", key)[:120]


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class MailboxProvider:
    """The dev default: the outbox row itself is the delivered message."""

    name = "mailbox"

    def send_email(self, message: OutgoingEmail) -> str:
        return "mailbox"

    def send_sms(self, message: OutgoingSms) -> str:
        return "mailbox"


class ConsoleProvider:
    name = "console"

    def send_email(self, message: OutgoingEmail) -> str:
        log.warning("EMAIL to %s: %s\n%s", message.to, message.subject, message.text)
        return "console"

    def send_sms(self, message: OutgoingSms) -> str:
        log.warning("SMS to %s: %s", message.to, message.text)
        return "console"


class FileProvider:
    """One `.eml` (or `.sms.txt`) file per message; the name is the idempotency key."""

    name = "file"

    def __init__(self, directory: Path):
        self.directory = directory

    def send_email(self, message: OutgoingEmail) -> str:
        msg = EmailMessage()
        msg["From"] = message.sender
        msg["To"] = message.to
        msg["Subject"] = message.subject
        msg["X-Idempotency-Key"] = message.idempotency_key
        msg.set_content(message.text)
        if message.html:
            msg.add_alternative(message.html, subtype="html")
        for item in message.attachments:
            maintype, _, subtype = item.content_type.partition("/")
            msg.add_attachment(item.content, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=item.filename)
        path = self.directory / f"{_safe_name(message.idempotency_key)}.eml"
        _write_atomically(path, bytes(msg))
        return str(path.name)

    def send_sms(self, message: OutgoingSms) -> str:
        path = self.directory / f"{_safe_name(message.idempotency_key)}.sms.txt"
        _write_atomically(path, f"To: {message.to}\n\n{message.text}\n".encode())
        return str(path.name)
