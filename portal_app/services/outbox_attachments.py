"""Email attachments made when the email is sent, not when it is queued.

A receipt's PDF used to be rendered inside the transaction that records the payment
(the Stripe webhook, a test-mode checkout, staff recording a payment): about a tenth
of a second of CPU in the request, per payment. Now the queued message keeps what to
make (`{"render": {"kind": "receipt", ...}}`) and the outbox worker makes it just
before sending; a failure to make it is retried like a failed send, so nothing is
lost. Attachments whose bytes are known at once (an .ics, a signed form) are still
stored whole (`content_b64`).

`RENDERERS` names each kind's function as "module:function", imported when first
used, so this low-level module imports no feature's code (no import circle).
"""

from __future__ import annotations

import base64
import importlib
from dataclasses import dataclass, field

from sqlmodel import Session

from portal_app.providers.base import Attachment

RENDERERS = {
    # (session, *, payment_id, lang) -> bytes
    "receipt": "portal_app.services.billing.printouts:receipt_pdf_for",
}


@dataclass(frozen=True)
class Deferred:
    """An attachment to make at send time: `RENDERERS[kind](session, **params)`."""

    filename: str
    content_type: str
    kind: str
    params: dict = field(default_factory=dict)


def stored(attachment: Attachment | Deferred) -> dict:
    """The JSON an outbox row keeps for one attachment."""
    if isinstance(attachment, Deferred):
        if attachment.kind not in RENDERERS:
            raise ValueError(f"unknown attachment kind {attachment.kind!r}")
        return {"filename": attachment.filename, "content_type": attachment.content_type,
                "render": {"kind": attachment.kind, **attachment.params}}
    return {"filename": attachment.filename, "content_type": attachment.content_type,
            "content_b64": base64.b64encode(attachment.content).decode()}


def content(session: Session, row: dict) -> bytes:
    """The bytes of a stored attachment: kept, or made now."""
    if "content_b64" in row:
        return base64.b64decode(row["content_b64"])
    params = dict(row["render"])
    module, _, function = RENDERERS[params.pop("kind")].partition(":")
    return getattr(importlib.import_module(module), function)(session, **params)


def materialise(session: Session, rows: list[dict] | None) -> tuple[Attachment, ...]:
    """Every attachment of a queued message, ready for the provider."""
    return tuple(Attachment(r["filename"], r["content_type"], content(session, r))
                 for r in rows or [])
