"""Reading a client's documents (both directions, deleted ones hidden), the
ownership check every id from a client goes through (`get_document_for_client`),
downloads counted as views, and storage totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, bindparam, func, literal, update
from sqlmodel import Session, select

from models import Document, DocumentDirection, StaffUser
from models.base import UTCDateTime, utcnow
from portal_app.services import reads
from portal_app.services.audit import record_audit
from portal_app.services.documents.names import format_size
from portal_app.services.errors import NotFound, get_by_id, parse_id

NO_DOCUMENT = "That document does not exist."


def _live() -> list:
    return [Document.deleted_at.is_(None)]


def list_client_documents(session: Session, *, client_id: int, limit: int = 500
                          ) -> list[Document]:
    """Both directions for one client record, newest first; deleted ones hidden."""
    stmt = (select(Document).where(Document.client_id == client_id, *_live())
            .order_by(Document.created_at.desc(), Document.id.desc()).limit(limit))
    return list(session.exec(stmt).all())


@cache
def new_count_statement():
    """How many shared documents a client never opened (the client a bound parameter)."""
    return select(func.count()).select_from(Document).where(
        Document.client_id == bindparam("client_id", type_=Integer),
        Document.direction == DocumentDirection.SHARED, Document.first_viewed_at.is_(None),
        *_live())


def new_document_count(session: Session, *, client_id: int) -> int:
    """Documents shared with the client that the client has never opened."""
    return int(reads.run(session, new_count_statement(), client_id=int(client_id)).scalar())


def get_document_for_client(session: Session, *, client_id: int, document_id: object
                            ) -> Document:
    """The client's own live document, or NotFound (someone else's, deleted, bad id)."""
    doc_id = parse_id(document_id, NO_DOCUMENT)
    doc = session.exec(select(Document).where(
        Document.id == doc_id, Document.client_id == client_id, *_live())).first()
    if doc is None:
        raise NotFound(NO_DOCUMENT)
    return doc


def get_document(session: Session, *, document_id: object) -> Document:
    """Any live document (staff act for the one business); NotFound if deleted."""
    doc = get_by_id(session, Document, document_id, NO_DOCUMENT)
    if doc.deleted_at is not None:
        raise NotFound(NO_DOCUMENT)
    return doc


def _receiver(document: Document) -> str:
    return "client" if document.direction == DocumentDirection.SHARED else "staff"


def record_view(session: Session, *, document: Document, by: str, actor_id: int | None,
                ip: str = "") -> Document:
    """A download. Every one is audited; one by the receiving side (the client
    for a shared document, staff for an upload) also counts as a view, which
    is what "viewed on …" shows the sender."""
    if by not in ("client", "staff"):
        raise ValueError("by must be 'client' or 'staff'")
    counted = by == _receiver(document)
    if counted:
        now = utcnow()
        # One UPDATE, so simultaneous downloads never lose a count.
        session.exec(
            update(Document).where(Document.id == document.id).values(
                view_count=Document.view_count + 1,
                last_viewed_at=now,
                first_viewed_at=func.coalesce(Document.first_viewed_at,
                                              literal(now, UTCDateTime())),
            )
        )
        session.refresh(document)
    record_audit(session, actor_kind=by, actor_id=actor_id, action="document.downloaded",
                 client_id=document.client_id, ip=ip, document_id=document.id,
                 title=document.title, direction=document.direction, counted_as_view=counted)
    return document


def storage_totals(session: Session, *, client_ids: list[int] | None = None) -> dict[int, int]:
    """Bytes of live documents per client (all clients, or just these)."""
    if client_ids is not None and not client_ids:
        return {}
    stmt = (select(Document.client_id, func.coalesce(func.sum(Document.size_bytes), 0))
            .where(*_live()).group_by(Document.client_id))
    if client_ids is not None:
        stmt = stmt.where(Document.client_id.in_(list(client_ids)))
    return {int(cid): int(total) for cid, total in session.exec(stmt).all()}


@dataclass(frozen=True)
class DocumentRow:
    """One line of a client's documents in the console."""

    id: int
    direction: str
    title: str
    filename: str
    content_type: str
    size_bytes: int
    message: str
    created_at: datetime
    shared_by: str
    first_viewed_at: datetime | None
    last_viewed_at: datetime | None
    view_count: int

    @property
    def size_label(self) -> str:
        return format_size(self.size_bytes)


def client_document_rows(session: Session, *, client_id: int, limit: int = 500
                         ) -> list[DocumentRow]:
    """The console's view of one client's live documents, with who shared each."""
    stmt = (select(Document, StaffUser.full_name)
            .outerjoin(StaffUser, StaffUser.id == Document.shared_by_staff_id)
            .where(Document.client_id == client_id, *_live())
            .order_by(Document.created_at.desc(), Document.id.desc()).limit(limit))
    return [
        DocumentRow(id=d.id, direction=d.direction, title=d.title, filename=d.filename,
                    content_type=d.content_type, size_bytes=d.size_bytes, message=d.message,
                    created_at=d.created_at, shared_by=name or "",
                    first_viewed_at=d.first_viewed_at, last_viewed_at=d.last_viewed_at,
                    view_count=d.view_count)
        for d, name in session.exec(stmt).all()
    ]
