"""What a message may say and who may send one: the subject and body cleaned,
the sender's side checked, and a client's messaging permission."""

from __future__ import annotations

from sqlmodel import Session

from models import Client
from portal_app.services.business import get_business
from portal_app.services.errors import NotAllowed, ServiceError
from portal_app.services.permissions import client_permissions, effective_access

NO_CONVERSATION = "That conversation does not exist."
NO_CLIENT = "That client does not exist."
SUBJECT_MAX = 200
BODY_MAX = 5000
SIDES = ("client", "staff")


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
