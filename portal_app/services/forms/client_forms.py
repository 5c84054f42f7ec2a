"""The client's view of their forms: the /forms list (outstanding and
completed, with the signed PDF's Document), a form's place in its packet
("2 of 4") and the form that comes after it.

A packet's forms are the requests sent together: the same packet and the same
send time (services/forms/sending.py writes them in one go, in order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models import Document, FormRequest, FormStatus, FormSubmission, FormTemplateVersion


class RowStatus:
    NEW = "new"  # sent or opened, nothing saved yet
    IN_PROGRESS = "in_progress"  # a draft is saved: "Continue where you left off"
    OVERDUE = "overdue"  # not completed and past its due time
    COMPLETED = "completed"


@dataclass(frozen=True)
class FormRow:
    request_id: int
    title: str
    status: str  # RowStatus
    due_at: datetime | None
    completed_at: datetime | None
    position: int  # 1-based place in its packet
    packet_size: int
    pdf_document_id: int | None


def _group(request: FormRequest) -> tuple:
    return (request.packet_id, request.sent_at) if request.packet_id else ("one", request.id)


def row_status(request: FormRequest, now: datetime) -> str:
    if request.status == FormStatus.COMPLETED:
        return RowStatus.COMPLETED
    if request.due_at is not None and request.due_at < now:
        return RowStatus.OVERDUE
    if request.status == FormStatus.IN_PROGRESS:
        return RowStatus.IN_PROGRESS
    return RowStatus.NEW


def list_forms_for_client(session: Session, *, client_id: int, now: datetime) -> list[FormRow]:
    """The record's forms (withdrawn ones left out), in packet order, oldest
    send first, with titles and PDFs read in the same statement."""
    rows = session.exec(
        select(FormRequest, FormTemplateVersion.title, FormSubmission.pdf_document_id)
        .join(FormTemplateVersion, FormTemplateVersion.id == FormRequest.version_id)
        .outerjoin(FormSubmission, FormSubmission.request_id == FormRequest.id)
        .where(FormRequest.client_id == client_id,
               FormRequest.status != FormStatus.CANCELLED)
        .order_by(FormRequest.sent_at, FormRequest.position, FormRequest.id)).all()
    sizes: dict[tuple, int] = {}
    for request, _, _ in rows:
        sizes[_group(request)] = sizes.get(_group(request), 0) + 1
    seen: dict[tuple, int] = {}
    out = []
    for request, title, pdf_id in rows:
        group = _group(request)
        seen[group] = seen.get(group, 0) + 1
        out.append(FormRow(request_id=request.id, title=title,
                           status=row_status(request, now), due_at=request.due_at,
                           completed_at=request.completed_at, position=seen[group],
                           packet_size=sizes[group], pdf_document_id=pdf_id))
    return out


@dataclass(frozen=True)
class PacketPlace:
    position: int  # 1-based
    size: int
    next_request_id: int | None  # the next form of the packet still to complete


def packet_place(session: Session, *, request: FormRequest) -> PacketPlace:
    """Where a form sits in its packet, and which one to open after it (the
    next outstanding one after it, else the first outstanding before it)."""
    if request.packet_id is None:
        return PacketPlace(1, 1, None)
    siblings = list(session.exec(
        select(FormRequest).where(FormRequest.client_id == request.client_id,
                                  FormRequest.packet_id == request.packet_id,
                                  FormRequest.sent_at == request.sent_at,
                                  FormRequest.status != FormStatus.CANCELLED)
        .order_by(FormRequest.position, FormRequest.id)).all())
    ids = [r.id for r in siblings]
    index = ids.index(request.id) if request.id in ids else 0
    open_ = [r.id for r in siblings[index + 1:] + siblings[:index]
             if r.status in FormStatus.OUTSTANDING and r.id != request.id]
    return PacketPlace(index + 1, max(len(siblings), 1), open_[0] if open_ else None)


def first_outstanding(session: Session, *, client_id: int) -> tuple[int, str, int] | None:
    """(request id, title, how many are outstanding) of the form to do first
    (soonest due, then oldest sent, in packet order), or None. One statement."""
    rows = session.exec(
        select(FormRequest.id, FormTemplateVersion.title)
        .join(FormTemplateVersion, FormTemplateVersion.id == FormRequest.version_id)
        .where(FormRequest.client_id == client_id,
               FormRequest.status.in_(FormStatus.OUTSTANDING))
        .order_by(FormRequest.due_at.is_(None), FormRequest.due_at, FormRequest.sent_at,
                  FormRequest.position, FormRequest.id)).all()
    if not rows:
        return None
    return rows[0][0], rows[0][1], len(rows)


def document_titles(session: Session, *, client_id: int, document_ids: list[int]) -> dict[int, str]:
    """Titles of the record's own live documents among `document_ids` (file answers)."""
    if not document_ids:
        return {}
    return {d.id: d.title for d in session.exec(
        select(Document).where(Document.id.in_(document_ids), Document.client_id == client_id,
                               Document.deleted_at.is_(None))).all()}
