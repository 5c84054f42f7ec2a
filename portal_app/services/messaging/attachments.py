"""Files attached to a message. They follow the document rules (size, count,
type by content, private storage): `_check_attachments` runs before anything
is written, so a refused file leaves no message, no row and no file. A client
needs the upload permission to attach; staff need the documents feature on
(the client downloads through it). `attachments_for` lists them per message."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, select

from models import Document
from portal_app.providers.storage import FileStorage
from portal_app.services import documents
from portal_app.services.business import get_business
from portal_app.services.errors import NotAllowed
from portal_app.services.permissions import Access

Checked = list[tuple[documents.IncomingFile, str, str]]


def _check_attachments(session: Session, *, files: Sequence[documents.IncomingFile] | None,
                       side: str, access: Access | None, storage: FileStorage | None,
                       max_file_bytes: int | None, max_request_bytes: int | None) -> Checked:
    """The files, checked as documents are, before anything is written ([] for none).
    `access`: the writing client's (`rules.writer_of`); None for staff."""
    files = list(files or [])
    if not files:
        return []
    if storage is None or max_file_bytes is None or max_request_bytes is None:
        raise ValueError("attachments need storage, max_file_bytes and max_request_bytes")
    if side == "client":
        if access is None or not access.upload:
            raise NotAllowed("Sending files is not available to you. Please contact us.",
                             field="files")
    elif not get_business(session).feature_documents:
        raise NotAllowed("Documents are turned off, so files cannot be attached.",
                         field="files")
    return documents.check_files(files, max_file_bytes=max_file_bytes,
                                 max_request_bytes=max_request_bytes)


@cache
def _attachments_statement(of_client: bool):
    query = select(Document).where(
        Document.conversation_message_id.in_(bindparam("ids", expanding=True)),
        Document.deleted_at.is_(None))
    if of_client:
        query = query.where(Document.client_id == bindparam("client_id", type_=Integer))
    return query.order_by(Document.id)


def attachments_for(session: Session, *, message_ids: Iterable[int],
                    client_id: int | None = None) -> dict[int, list[Document]]:
    """The live files attached to these messages, by message id, oldest first
    (one query; none for no ids). With `client_id`, only that client's."""
    ids = sorted({int(i) for i in message_ids})
    if not ids:
        return {}
    params = {"ids": ids} if client_id is None else {"ids": ids, "client_id": int(client_id)}
    found: dict[int, list[Document]] = {}
    for doc in session.exec(_attachments_statement(client_id is not None), params=params).all():
        found.setdefault(doc.conversation_message_id, []).append(doc)
    return found
