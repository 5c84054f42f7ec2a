"""The signed form's PDF, filed: rendered from the stored canonical document,
shared with the client as a Document (they see it in Documents), emailed to
the business with the PDF attached, and attached to the submission.

The Document row keeps the PDF file's own SHA-256, so "Verify a signed form"
finds the submission from an uploaded copy of the PDF (submit.verify_hash,
matched "pdf") as well as from the document hash printed on its audit page
(matched "document").
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from models import Client, Document, FormSubmission
from portal_app import i18n, routes
from portal_app.providers.base import Attachment
from portal_app.providers.storage import FileStorage
from portal_app.services.business import get_business
from portal_app.services.documents.file_checks import IncomingFile
from portal_app.services.documents.names import clean_filename
from portal_app.services.documents.sharing import share_documents
from portal_app.services.emails import client_language, inbox_language
from portal_app.services.errors import NotFound
from portal_app.services.forms.document import FormDocument, branding_of, logo_bytes
from portal_app.services.forms.pdf import form_pdf
from portal_app.services.forms.render import form_document_from
from portal_app.services.forms.submit import NO_SUBMISSION, attach_pdf
from portal_app.services.outbox import enqueue_email

MAX_PDF_BYTES = 50 * 1024 * 1024


def _signer(session: Session, submission: FormSubmission) -> tuple[str, bool]:
    """(the signer's name, whether they signed their own record). The signer is
    the person signed in, as recorded in the signed document at submit
    (submit.signer_record); a household member's form signed by the account
    holder is named as such on the PDF. Documents signed before the signer was
    recorded fall back to the account's first record now."""
    stored = submission.document.get("signer") or {}
    if stored.get("name"):
        return stored["name"], stored.get("client_id") == submission.client_id
    if submission.signer_account_id is None:
        client = session.get(Client, submission.client_id)
        return (client.full_name if client else submission.signer_email), True
    holder = session.exec(select(Client).where(
        Client.account_id == submission.signer_account_id).order_by(Client.id)).first()
    if holder is None:
        return submission.signer_email, True
    return holder.full_name, holder.id == submission.client_id


def submission_document(session: Session, *, submission: FormSubmission,
                        data_dir: Path | None = None, lang: str | None = None) -> FormDocument:
    """The `FormDocument` of a submission, built from its stored canonical document,
    in the business's branding and zone and the client's language."""
    business = get_business(session)
    client = session.get(Client, submission.client_id)
    logo = logo_bytes(business, data_dir) if data_dir is not None else None
    signer_name, own = _signer(session, submission)
    file_ids = [f["answer"] for f in submission.document.get("fields", [])
                if f["kind"] == "file" and isinstance(f.get("answer"), int)]
    titles = {d.id: d.title for d in session.exec(
        select(Document).where(Document.id.in_(file_ids))).all()} if file_ids else {}
    return form_document_from(
        submission.document, branding=branding_of(business, logo=logo),
        zone=business.timezone or "UTC", lang=lang or client_language(client, business),
        signer_name=signer_name, signer_is_client=own, file_titles=titles)


def signed_pdf_bytes(session: Session, *, submission: FormSubmission,
                     data_dir: Path | None = None) -> bytes:
    """The PDF of a submission; its audit page carries `document_sha256`."""
    document = submission_document(session, submission=submission, data_dir=data_dir)
    return form_pdf(document, sha256=submission.document_sha256)


def file_signed_pdf(session: Session, *, submission_id: int, base_url: str,
                    storage: FileStorage, data_dir: Path | None = None) -> Document:
    """Render the submission's PDF, share it with the client as a Document, email
    it to the business's contact address (outbox, attached) and attach it to the
    submission. Once: a submission that has its PDF returns that Document."""
    submission = session.get(FormSubmission, submission_id)
    if submission is None:
        raise NotFound(NO_SUBMISSION)
    if submission.pdf_document_id is not None:
        return session.get(Document, submission.pdf_document_id)
    business = get_business(session)
    client = session.get(Client, submission.client_id)
    data = signed_pdf_bytes(session, submission=submission, data_dir=data_dir)
    form_title = submission.document["form"]["title"]
    title = i18n.gettext(client_language(client, business), "{title} (signed)",
                         title=form_title)[:200]
    filename = clean_filename(f"{form_title}.pdf")
    (doc,) = share_documents(
        session, staff_id=None, client_id=client.id,
        files=[IncomingFile(filename=filename, data=data)], title=title, storage=storage,
        base_url=base_url, max_file_bytes=MAX_PDF_BYTES, max_request_bytes=MAX_PDF_BYTES)
    attach_pdf(session, submission_id=submission.id, document_id=doc.id)
    to = (business.contact_email or "").strip()
    if to:
        enqueue_email(
            session, to=to, template="form_signed", business=business,
            idempotency_key=f"form-signed-{submission.id}",
            attachments=[Attachment(filename=filename, content_type="application/pdf",
                                    content=data)],
            lang=inbox_language(session, business), client_name=client.full_name,
            title=form_title, sha256=submission.document_sha256,
            url=f"{base_url}{routes.console_client(client.id)}")
    return doc


def submissions_missing_pdf(session: Session, *, limit: int = 20) -> list[int]:
    """Submissions whose PDF is not filed yet (its first try failed): the
    reminder pass files them (`file_signed_pdf`, once each)."""
    return list(session.exec(select(FormSubmission.id).where(
        FormSubmission.pdf_document_id.is_(None)).order_by(FormSubmission.id).limit(limit)).all())
