"""The two provider protocols and the messages they carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str
    sender: str
    idempotency_key: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class OutgoingSms:
    to: str
    text: str
    idempotency_key: str


class EmailProvider(Protocol):
    name: str

    def send_email(self, message: OutgoingEmail) -> str:
        """Deliver one email; return the provider's message id. Raise on failure."""
        ...


class SmsProvider(Protocol):
    name: str

    def send_sms(self, message: OutgoingSms) -> str:
        """Deliver one text message; return the provider's id. Raise on failure."""
        ...
