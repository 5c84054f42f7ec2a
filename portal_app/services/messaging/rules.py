"""What a message may say and who may send one: the subject and body cleaned,
the sender's side checked, and a client's messaging permission (from its row, or
from the caller's session check of this event: `writer_of`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from models import Client
from portal_app.services.business import get_business
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, get_by_id
from portal_app.services.permissions import Access, client_permissions, effective_access

if TYPE_CHECKING:
    from portal_app.services.sessions import ClientContext, ClientRecord

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


def _check_client_may_message(access: Access) -> None:
    if not access.messaging:
        raise NotAllowed("Secure messaging is not available for your account. "
                         "Please contact us directly.")


def writer_of(session: Session, *, client_id: object,
              writer: ClientContext | None) -> tuple[Client | ClientRecord, Access]:
    """The client writing (its `id` and `full_name`) and its access, refused unless it
    may message. `writer`: the caller's session check of this event (its selected
    record and access, resolved against the access generation in this transaction,
    which every permission or feature change moves), so the client row is not read
    again; without it, the row `client_id` names is read."""
    if writer is not None:
        record = writer.record
        if record is None or (client_id is not None and client_id != record.id):
            raise NotFound(NO_CLIENT)
        access = writer.access
        client = record
    else:
        client = get_by_id(session, Client, client_id, NO_CLIENT)
        access = effective_access(get_business(session), client_permissions(client))
    _check_client_may_message(access)
    return client, access
