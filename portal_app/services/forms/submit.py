"""Submitting a form, and what proves it afterwards.

Every rule is checked on the server at submit (errors per field, nothing
changed). The form is then completed by one conditional UPDATE, so a second
submit (another tab, another device) is refused, and the submission row is
never changed again. It records the signer (portal account, email, the client
record signed for, time, IP, user agent, consent version) and the SHA-256 of
the canonical document: sorted-key compact UTF-8 JSON of what the client saw
and answered (`canonical_bytes`), which the PDF renders.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, select

from models import (
    Client,
    Document,
    FieldKind,
    FormDraftAnswer,
    FormRequest,
    FormStatus,
    FormSubmission,
    FormTemplateVersion,
)
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.forms.consent import current_consent
from portal_app.services.forms.drafts import SUBMITTED, check_open, draft_answers
from portal_app.services.forms.fields import FieldErrors
from portal_app.services.forms.profile_map import check_mapped, prefill, write_back
from portal_app.services.forms.requests import get_request, get_request_for, version_of
from portal_app.services.forms.rules import BAD_FILE, check_all, visible_keys

FORMAT = "portal-form/1"
NEEDS_CONSENT = "Tick “I agree to sign electronically” to sign this form."
CONSENT_CHANGED = "The consent text has changed. Read it again, then agree."
NO_SUBMISSION = "That form has not been submitted."


def canonical_document(*, business_name: str, client: Client, request: FormRequest,
                       version: FormTemplateVersion, answers: dict, account_id: int | None,
                       email: str, ip: str, user_agent: str, consent: tuple[int, str] | None,
                       submitted_at: datetime, signer: Client | None = None) -> dict:
    """The document as signed: the form as shown (visible fields and statements,
    in order, with the answers) and the signer's facts, the signing person's
    record among them (`signer`: see `signer_record`)."""
    shown = visible_keys(version.fields, answers)
    return {
        "format": FORMAT,
        "business": business_name,
        "form": {"template_id": version.template_id, "version_id": version.id,
                 "version": version.number, "title": version.title, "intro": version.intro,
                 "request_id": request.id},
        "client": {"id": client.id, "name": client.full_name},
        "fields": [{"key": f["key"], "kind": f["kind"], "label": f["label"], "help": f["help"],
                    "answer": None if f["kind"] == FieldKind.STATEMENT else answers.get(f["key"])}
                   for f in version.fields if f["key"] in shown],
        "signer": {"account_id": account_id, "email": email, "ip": ip,
                   "user_agent": user_agent,
                   **({"client_id": signer.id, "name": signer.full_name} if signer else {})},
        "consent": {"version": consent[0], "text": consent[1]} if consent else None,
        "submitted_at": submitted_at.isoformat(),
    }


def canonical_bytes(document: dict) -> bytes:
    """The exact bytes that are hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def document_hash(document: dict) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def signer_record(session: Session, *, account_id: int | None, client: Client) -> Client:
    """The person signing: the holder of the portal account signed in (the
    account's first record; household members are added under it), or the
    form's own record when it has no account. Kept in the signed document at
    submit, so the PDF names the signer even if the household changes later."""
    if account_id is None:
        return client
    holder = session.exec(select(Client).where(Client.account_id == account_id)
                          .order_by(Client.id)).first()
    return holder or client


def _file_errors(session: Session, fields: list[dict], answers: dict,
                 client_id: int) -> dict[str, str]:
    """A file answer must be a live document of this client record."""
    errors = {}
    for field in fields:
        doc_id = answers.get(field["key"])
        if field["kind"] != FieldKind.FILE or doc_id is None:
            continue
        doc = session.get(Document, doc_id)
        if doc is None or doc.client_id != client_id or doc.deleted_at is not None:
            errors[field["key"]] = BAD_FILE
    return errors


def submit_form(session: Session, *, client_id: int, request_id: object,
                account_id: int | None, email: str, ip: str, user_agent: str,
                consent_version: int | None, now: datetime,
                answers: dict | None = None) -> FormSubmission:
    """Submit the client's own form: its saved draft (the record pre-filling
    mapped fields), overlaid with `answers` if given. Raises FieldErrors (a
    message per field) or ServiceError (consent, already submitted) and changes
    nothing then. `consent_version` is the consent text version the signer
    agreed to; it is required when a signature or initials field is answered."""
    request = get_request_for(session, client_id=client_id, request_id=request_id)
    check_open(request)
    version = version_of(session, request)
    client = session.get(Client, client_id)
    business = get_business(session)
    merged = prefill(client, version.fields)
    merged.update({key: value for key, (value, _) in
                   draft_answers(session, request_id=request.id).items()})
    merged.update(answers or {})
    clean, errors = check_all(version.fields, merged, region=business.country)
    errors = {**check_mapped(version.fields, clean, today=now.date()),
              **_file_errors(session, version.fields, clean, client_id), **errors}
    if errors:
        raise FieldErrors(errors)
    consent = None
    if any(f["kind"] in FieldKind.SIGNED and clean.get(f["key"]) is not None
           for f in version.fields):
        current = current_consent(session)
        if consent_version is None:
            raise ServiceError(NEEDS_CONSENT, field="consent")
        if consent_version != current.version:
            raise ServiceError(CONSENT_CHANGED, field="consent")
        consent = (current.version, current.text)
    done = session.exec(
        update(FormRequest)
        .where(FormRequest.id == request.id, FormRequest.status.in_(FormStatus.OUTSTANDING))
        .values(status=FormStatus.COMPLETED, completed_at=now, last_activity_at=now))
    if done.rowcount != 1:
        raise ServiceError(SUBMITTED)
    session.refresh(request)
    ip, user_agent = (ip or "")[:64], (user_agent or "")[:500]
    document = canonical_document(
        business_name=business.name, client=client, request=request, version=version,
        answers=clean, account_id=account_id, email=email, ip=ip, user_agent=user_agent,
        consent=consent, submitted_at=now,
        signer=signer_record(session, account_id=account_id, client=client))
    submission = FormSubmission(
        request_id=request.id, client_id=client_id, version_id=version.id, answers=clean,
        document=document, signer_account_id=account_id, signer_email=email[:254],
        submitted_at=now, ip=ip, user_agent=user_agent,
        consent_version=consent[0] if consent else None,
        document_sha256=document_hash(document))
    session.add(submission)
    session.exec(delete(FormDraftAnswer).where(FormDraftAnswer.request_id == request.id))
    session.flush()
    changed = write_back(session, client=client, fields=version.fields, answers=clean,
                         account_id=account_id, ip=ip)
    record_audit(session, actor_kind="client", actor_id=account_id, action="form.submitted",
                 client_id=client_id, ip=ip, request_id=request.id,
                 submission_id=submission.id, sha256=submission.document_sha256,
                 form=version.title,
                 profile_fields=changed)
    return submission


def get_submission_for(session: Session, *, client_id: int,
                       request_id: object) -> FormSubmission:
    """The submission of the client's own form (NotFound otherwise)."""
    request = get_request_for(session, client_id=client_id, request_id=request_id)
    return _submission_of(session, request.id)


def get_submission(session: Session, *, request_id: object) -> FormSubmission:
    """The submission of a form, for staff."""
    return _submission_of(session, get_request(session, request_id=request_id).id)


def _submission_of(session: Session, request_id: int) -> FormSubmission:
    submission = session.exec(select(FormSubmission).where(
        FormSubmission.request_id == request_id)).first()
    if submission is None:
        raise NotFound(NO_SUBMISSION)
    return submission


def attach_pdf(session: Session, *, submission_id: int, document_id: int) -> FormSubmission:
    """File the rendered PDF's Document on the submission (once; never replaced)."""
    submission = session.get(FormSubmission, submission_id)
    if submission is None:
        raise NotFound(NO_SUBMISSION)
    if submission.pdf_document_id not in (None, document_id):
        raise ServiceError("This form already has its PDF.")
    submission.pdf_document_id = document_id
    session.add(submission)
    session.flush()
    return submission


@dataclass(frozen=True)
class Verification:
    submission: FormSubmission
    client_name: str
    title: str
    version: int
    matched: str  # "document" (the canonical document's hash) | "pdf" (the PDF file's)
    intact: bool  # the stored document still hashes to the stored hash


def verify_hash(session: Session, *, sha256: object) -> Verification | None:
    """Which submission a SHA-256 belongs to (the canonical document's, or its
    PDF file's), who signed it and when; None when we hold no such document."""
    digest = str(sha256 or "").strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ServiceError("Enter the 64-character SHA-256 of the document.", field="sha256")
    submission, matched = session.exec(select(FormSubmission).where(
        FormSubmission.document_sha256 == digest)).first(), "document"
    if submission is None:
        matched = "pdf"
        submission = session.exec(
            select(FormSubmission).join(Document, Document.id == FormSubmission.pdf_document_id)
            .where(Document.sha256 == digest)).first()
    if submission is None:
        return None
    client = session.get(Client, submission.client_id)
    version = session.get(FormTemplateVersion, submission.version_id)
    return Verification(submission=submission, client_name=client.full_name if client else "",
                        title=version.title, version=version.number, matched=matched,
                        intact=document_hash(submission.document) == submission.document_sha256)
