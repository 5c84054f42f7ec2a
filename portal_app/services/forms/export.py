"""The client's forms in "Download my data": each form sent (not cancelled),
its state, and for a submitted one the answers and the signer's record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, select

from models import FormRequest, FormStatus, FormSubmission, FormTemplateVersion


def forms_for_export(session: Session, *, client_id: int,
                     when: Callable[[datetime | None], str | None]) -> list[dict]:
    """One entry per form of the record (one query); `when` writes a moment."""
    rows = session.exec(
        select(FormRequest, FormTemplateVersion, FormSubmission)
        .join(FormTemplateVersion, FormTemplateVersion.id == FormRequest.version_id)
        .outerjoin(FormSubmission, FormSubmission.request_id == FormRequest.id)
        .where(FormRequest.client_id == client_id, FormRequest.status != FormStatus.CANCELLED)
        .order_by(FormRequest.sent_at, FormRequest.position, FormRequest.id)).all()
    out = []
    for request, version, submission in rows:
        entry = {"id": request.id, "title": version.title, "version": version.number,
                 "status": request.status, "sent_at": when(request.sent_at),
                 "due_at": when(request.due_at), "completed_at": when(request.completed_at)}
        if submission is not None:
            labels = {f["key"]: f["label"] for f in version.fields}
            entry["answers"] = [{"question": labels.get(key, key), "answer": value}
                                for key, value in submission.answers.items()]
            entry["signed"] = {"email": submission.signer_email,
                               "at": when(submission.submitted_at), "ip": submission.ip,
                               "user_agent": submission.user_agent,
                               "consent_version": submission.consent_version,
                               "document_sha256": submission.document_sha256}
        out.append(entry)
    return out
