"""Writing documents: staff share files with a client (`share_documents`), a
client with the upload permission sends files to the business
(`upload_documents`), files attached to a secure message, and staff delete or
replace a document. Files are checked first (`file_checks`); the bytes go to
private storage under a random name (`providers.storage`), the row keeps the
metadata, and each write is audited in the same transaction."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence

from sqlmodel import Session

from models import Client, Document, DocumentDirection, Notification, NotificationKind
from models.base import utcnow
from portal_app import routes
from portal_app.providers.storage import FileStorage
from portal_app.services.activation import activate_on_first_share
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.documents.file_checks import IncomingFile, check_files
from portal_app.services.documents.names import (
    MAX_TITLE,
    _clean_message,
    _clean_title,
    _title_of,
)
from portal_app.services.documents.queries import get_document
from portal_app.services.emails import client_language, inbox_language
from portal_app.services.errors import NotAllowed, get_by_id
from portal_app.services.notification_texts import document_params
from portal_app.services.outbox import enqueue_email
from portal_app.services.stored_file_cleanup import (
    delete_after_commit,
    discard_unless_committed,
)

NO_CLIENT = "That client does not exist."


def _store(
    session: Session,
    *,
    storage: FileStorage,
    checked: list[tuple[IncomingFile, str, str]],
    titles: list[str],
    client_id: int,
    direction: str,
    message: str,
    staff_id: int | None,
    saved: list[str],
    conversation_message_id: int | None = None,
) -> list[Document]:
    """Write the bytes, then the rows. `saved` collects stored names for cleanup."""
    for incoming, _, _ in checked:
        saved.append(storage.save(bytes(incoming.data)))
        discard_unless_committed(session, storage, saved[-1:])
    docs = []
    for (incoming, content_type, name), stored, title in zip(checked, saved, titles,
                                                             strict=True):
        doc = Document(
            client_id=client_id, direction=direction, title=title, filename=name,
            stored_name=stored, content_type=content_type, size_bytes=len(incoming.data),
            sha256=hashlib.sha256(incoming.data).hexdigest(), message=message,
            shared_by_staff_id=staff_id, conversation_message_id=conversation_message_id,
        )
        session.add(doc)
        docs.append(doc)
    session.flush()
    return docs


def _discard(storage: FileStorage, saved: list[str]) -> None:
    for stored in saved:
        # Cleanup must not hide the error that brought us here.
        with contextlib.suppress(Exception):
            storage.delete(stored)


def _titles(checked: list[tuple[IncomingFile, str, str]], title: str) -> list[str]:
    if title and len(checked) == 1:
        return [title]
    return [_title_of(name)[:MAX_TITLE] for _, _, name in checked]


def _share(
    session: Session,
    *,
    staff_id: int,
    client: Client,
    files: Sequence[IncomingFile],
    title: str,
    message: str,
    storage: FileStorage,
    base_url: str,
    max_file_bytes: int,
    max_request_bytes: int,
    updated: bool = False,
) -> list[Document]:
    title = _clean_title(title)
    message = _clean_message(message)
    checked = check_files(files, max_file_bytes=max_file_bytes,
                          max_request_bytes=max_request_bytes)
    titles = _titles(checked, title)
    # Nothing has been written yet: every refusal above leaves no file and no row.
    # From here a failure removes the files written so far, and so does a failure
    # later, at the caller's commit (stored_file_cleanup); a kill in between leaves
    # unreferenced files that `portal storage gc` removes.
    saved: list[str] = []
    try:
        docs = _store(session, storage=storage, checked=checked, titles=titles,
                      client_id=client.id, direction=DocumentDirection.SHARED,
                      message=message, staff_id=staff_id, saved=saved)
        if len(docs) == 1:
            label = "Updated document" if updated else "New document"
            note = f"{label}: {docs[0].title}"
        else:
            note = f"{len(docs)} new documents"
        session.add(Notification(client_id=client.id, kind=NotificationKind.DOCUMENT,
                                 title=note[:200], link=routes.DOCUMENTS,
                                 params=document_params(titles=[d.title for d in docs],
                                                        updated=updated)))
        to = portal_email_of(session, client) or client.email
        emailed = bool(to) and NotificationKind.DOCUMENT in (client.email_notifications or [])
        if emailed:
            # A link only: the files stay behind the sign-in, never in an inbox.
            business = get_business(session)
            enqueue_email(
                session, to=to, template="documents_shared", business=business,
                idempotency_key=f"documents-shared-{docs[0].id}",
                lang=client_language(client, business),
                client_name=client.full_name, titles=[d.title for d in docs],
                message=message, updated=updated, url=f"{base_url}{routes.DOCUMENTS}")
        # staff_id None: the portal itself shares (a signed form's PDF)
        record_audit(session, actor_kind="staff" if staff_id is not None else "system",
                     actor_id=staff_id, action="document.shared",
                     client_id=client.id, document_ids=[d.id for d in docs],
                     titles=[d.title for d in docs], emailed=emailed)
        session.flush()
    except BaseException:
        _discard(storage, saved)
        raise
    return docs


def share_documents(
    session: Session,
    *,
    staff_id: int,
    client_id: object,
    files: Sequence[IncomingFile],
    title: str = "",
    message: str = "",
    storage: FileStorage,
    base_url: str,
    max_file_bytes: int,
    max_request_bytes: int,
) -> list[Document]:
    """Staff share files with a client: rows, files, a notification, one email
    with a link (when the client wants document emails) and an audit row; and the
    client's portal activation when the business activates at the first share.

    `title` names the document when exactly one file is shared; several files
    are each titled by their name.
    """
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    docs = _share(session, staff_id=staff_id, client=client, files=files, title=title,
                  message=message, storage=storage, base_url=base_url,
                  max_file_bytes=max_file_bytes, max_request_bytes=max_request_bytes)
    # When the business activates portals at the first share (once per client).
    activate_on_first_share(session, client_id=client.id, base_url=base_url, staff_id=staff_id)
    return docs


def upload_documents(
    session: Session,
    *,
    client_id: int,
    files: Sequence[IncomingFile],
    title: str = "",
    message: str = "",
    storage: FileStorage,
    base_url: str,
    max_file_bytes: int,
    max_request_bytes: int,
) -> list[Document]:
    """A client sends files to the business; the business's contact address gets
    one email with a link to the client's page. The caller checks `upload`."""
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    title = _clean_title(title)
    message = _clean_message(message)
    checked = check_files(files, max_file_bytes=max_file_bytes,
                          max_request_bytes=max_request_bytes)
    titles = _titles(checked, title)
    saved: list[str] = []  # see _share on what a failure leaves behind
    try:
        docs = _store(session, storage=storage, checked=checked, titles=titles,
                      client_id=client.id, direction=DocumentDirection.UPLOADED,
                      message=message, staff_id=None, saved=saved)
        business = get_business(session)
        to = (business.contact_email or "").strip()
        if to:
            enqueue_email(
                session, to=to, template="documents_uploaded", business=business,
                idempotency_key=f"documents-uploaded-{docs[0].id}",
                lang=inbox_language(session, business),
                client_name=client.full_name, titles=[d.title for d in docs],
                message=message, url=f"{base_url}{routes.console_client(client.id)}")
        record_audit(session, actor_kind="client", actor_id=client.id,
                     action="document.uploaded", client_id=client.id,
                     document_ids=[d.id for d in docs], titles=[d.title for d in docs],
                     emailed=bool(to))
        session.flush()
    except BaseException:
        _discard(storage, saved)
        raise
    return docs


def attach_to_message(
    session: Session,
    *,
    client_id: int,
    message_id: int,
    checked: list[tuple[IncomingFile, str, str]],
    by: str,
    staff_id: int | None,
    storage: FileStorage,
) -> list[Document]:
    """Files attached to one secure message, stored as that client's documents.

    `checked` is what `check_files` returned, before the message was written,
    so a refused file never leaves a message behind. "shared" when staff sent
    the message, "uploaded" when the client did; titled by the file's clean
    name. No notification or email of their own (the message's cover them);
    audited as a share or an upload is. The caller checks who may attach.
    """
    if by not in ("client", "staff"):
        raise ValueError("by must be 'client' or 'staff'")
    staff = by == "staff"
    saved: list[str] = []  # see _share on what a failure leaves behind
    try:
        docs = _store(session, storage=storage, checked=checked,
                      titles=[name[:MAX_TITLE] for _, _, name in checked],
                      client_id=client_id,
                      direction=DocumentDirection.SHARED if staff else DocumentDirection.UPLOADED,
                      message="", staff_id=staff_id if staff else None, saved=saved,
                      conversation_message_id=message_id)
        record_audit(session, actor_kind=by, actor_id=staff_id if staff else client_id,
                     action="document.shared" if staff else "document.uploaded",
                     client_id=client_id, document_ids=[d.id for d in docs],
                     titles=[d.title for d in docs], message_id=message_id, emailed=False)
        session.flush()
    except BaseException:
        _discard(storage, saved)
        raise
    return docs


# --- changing ----------------------------------------------------------------------------


def delete_document(session: Session, *, staff_id: int, document_id: object,
                    storage: FileStorage) -> Document:
    """Hide the document from both sides and remove its file.

    The row stays (soft delete) for the audit trail. The file goes once the
    caller's transaction commits: a failed commit leaves the row live and its
    file in place (a kill in between: `portal storage gc` removes the file).
    """
    doc = get_document(session, document_id=document_id)
    doc.deleted_at = utcnow()
    session.add(doc)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="document.deleted",
                 client_id=doc.client_id, document_id=doc.id, title=doc.title)
    session.flush()
    delete_after_commit(session, storage, doc.stored_name)
    return doc


def replace_document(
    session: Session,
    *,
    staff_id: int,
    document_id: object,
    file: IncomingFile,
    storage: FileStorage,
    base_url: str,
    max_file_bytes: int,
    max_request_bytes: int,
) -> Document:
    """A new version of a shared document: same client and title, the old one
    deleted and pointing at the new one; the client is told as for a share."""
    old = get_document(session, document_id=document_id)
    if old.direction != DocumentDirection.SHARED:
        raise NotAllowed("Only documents shared with the client can be replaced.")
    client = session.get(Client, old.client_id)
    (new,) = _share(session, staff_id=staff_id, client=client, files=[file], title=old.title,
                    message="", storage=storage, base_url=base_url,
                    max_file_bytes=max_file_bytes, max_request_bytes=max_request_bytes,
                    updated=True)
    # A replaced message attachment stays on its message, as the new version.
    new.conversation_message_id = old.conversation_message_id
    session.add(new)
    old.replaced_by_id = new.id
    old.deleted_at = utcnow()
    session.add(old)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="document.replaced",
                 client_id=old.client_id, document_id=old.id, replaced_by_id=new.id,
                 title=old.title)
    session.flush()
    delete_after_commit(session, storage, old.stored_name)
    return new
