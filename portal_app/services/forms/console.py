"""What the console shows of forms: a client's forms with their state and proof
(one query), the answers of a submitted one as text, and sending a packet to
many clients at once (the clients list's bulk action).

Staff see every client, but the client page passes its own client id, so a
request id from the browser that belongs to another client is NotFound here,
the same as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models import FieldKind, FormRequest, FormStatus, FormSubmission, FormTemplateVersion
from portal_app.services.errors import ServiceError
from portal_app.services.forms.packets import get_packet
from portal_app.services.forms.requests import get_request_for
from portal_app.services.forms.sending import send_packet
from portal_app.services.forms.submit import get_submission_for

BULK_MAX = 500
# What staff read as a form's state (overdue is worked out from the due time).
OVERDUE = "overdue"


@dataclass(frozen=True)
class ClientFormRow:
    request: FormRequest
    title: str
    version: int
    state: str  # a FormStatus, or OVERDUE for an open form past its due time
    submission_id: int | None
    pdf_document_id: int | None


def state_of(request: FormRequest, now: datetime) -> str:
    """sent / opened / in_progress / completed / cancelled, or overdue when still
    open after its due time."""
    if (request.status in FormStatus.OUTSTANDING and request.due_at is not None
            and request.due_at < now):
        return OVERDUE
    return request.status


def client_forms(session: Session, *, client_id: int, now: datetime,
                 include_cancelled: bool = False) -> list[ClientFormRow]:
    """A client's forms, newest send first (packet order within a send), each with
    its version, state, and the submission and PDF when completed; one query."""
    query = (select(FormRequest, FormTemplateVersion.title, FormTemplateVersion.number,
                    FormSubmission.id, FormSubmission.pdf_document_id)
             .join(FormTemplateVersion, FormTemplateVersion.id == FormRequest.version_id)
             .join(FormSubmission, FormSubmission.request_id == FormRequest.id, isouter=True)
             .where(FormRequest.client_id == client_id))
    if not include_cancelled:
        query = query.where(FormRequest.status != FormStatus.CANCELLED)
    rows = session.exec(query.order_by(FormRequest.sent_at.desc(), FormRequest.position,
                                       FormRequest.id)).all()
    return [ClientFormRow(request=r, title=title, version=number, state=state_of(r, now),
                          submission_id=sub_id, pdf_document_id=pdf_id)
            for r, title, number, sub_id, pdf_id in rows]


def answer_text(kind: str, answer: object) -> str:
    """One submitted answer as plain text for the console (signatures are named,
    not drawn; the PDF carries the image)."""
    if answer is None or answer == "" or answer == []:
        return "—"
    if kind in FieldKind.SIGNED:
        if isinstance(answer, dict):
            if any(str(v).startswith("data:") for v in answer.values()):
                return "Signed (drawn)"
            return f"Signed: {answer.get('text') or ''}"
        return "Signed (drawn)" if str(answer).startswith("data:") else f"Signed: {answer}"
    if kind == FieldKind.FILE:
        return "File attached (in Documents)"
    if kind == FieldKind.YES_NO:
        return {"yes": "Yes", "no": "No"}.get(str(answer), str(answer))
    if isinstance(answer, list):
        return ", ".join(str(a) for a in answer)
    return str(answer)


@dataclass(frozen=True)
class SubmittedAnswers:
    title: str
    version: int
    submitted_at: datetime
    signer_email: str
    sha256: str
    # (label, answer as text); statements show their label with an empty answer
    lines: list[tuple[str, str]]


def submitted_answers(session: Session, *, client_id: int,
                      request_id: object) -> SubmittedAnswers:
    """The answers of one of this client's submitted forms, read-only, as the
    client saw the form (the canonical document that was hashed)."""
    submission = get_submission_for(session, client_id=client_id, request_id=request_id)
    document = submission.document or {}
    form = document.get("form") or {}
    lines = [(str(f.get("label", "")),
              "" if f.get("kind") == FieldKind.STATEMENT
              else answer_text(str(f.get("kind", "")), f.get("answer")))
             for f in document.get("fields") or []]
    return SubmittedAnswers(title=str(form.get("title", "")), version=int(form.get("version", 0)),
                            submitted_at=submission.submitted_at,
                            signer_email=submission.signer_email,
                            sha256=submission.document_sha256, lines=lines)


def request_of_client(session: Session, *, client_id: int, request_id: object) -> FormRequest:
    """A request of this client (for "Send again" / "Cancel" on the client page)."""
    return get_request_for(session, client_id=client_id, request_id=request_id)


@dataclass(frozen=True)
class BulkSend:
    sent: int  # clients that got at least one new form
    already: int  # clients that had every form open already
    skipped: list[tuple[int, str]]  # (client id, why) for refused clients


def send_packet_to_clients(session: Session, *, staff_id: int, client_ids: object,
                           packet_id: object, base_url: str, now: datetime) -> BulkSend:
    """Send one packet to many clients (the clients list's bulk action). Each client
    is sent in its own savepoint: one refused client (disabled, gone) is skipped
    and named, the others are sent; each client gets each form once."""
    if not isinstance(client_ids, list | tuple) or not client_ids:
        raise ServiceError("Select at least one client.")
    if len(client_ids) > BULK_MAX:
        raise ServiceError(f"Send to at most {BULK_MAX} clients at once.")
    if get_packet(session, packet_id=packet_id).archived_at is not None:
        raise ServiceError("This packet is archived.")
    sent = already = 0
    skipped: list[tuple[int, str]] = []
    seen: set[str] = set()
    for raw in client_ids:
        if str(raw) in seen:
            continue
        seen.add(str(raw))
        before = session.exec(select(FormRequest.id).order_by(FormRequest.id.desc())).first()
        try:
            with session.begin_nested():
                requests = send_packet(session, staff_id=staff_id, client_id=raw,
                                       packet_id=packet_id, base_url=base_url, now=now)
        except ServiceError as exc:
            try:
                skipped.append((int(raw), exc.message))
            except (TypeError, ValueError):
                skipped.append((0, exc.message))
            continue
        if any(before is None or r.id > before for r in requests):
            sent += 1
        else:
            already += 1
    return BulkSend(sent=sent, already=already, skipped=skipped)
