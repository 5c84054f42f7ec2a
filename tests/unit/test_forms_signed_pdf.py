"""The signed PDF, filed: rendered from the stored document, the same hash on its
audit page as on the submission, shared with the client, emailed to the business,
and verifiable by its document hash or by the PDF file's own SHA-256."""

import base64
import hashlib
import io
from datetime import timedelta

import pypdf
from sqlmodel import select

from models import AuditEvent, Document, FormSubmission, OutboxMessage
from portal_app.providers.storage import LocalFileStorage
from portal_app.services.documents import list_client_documents
from portal_app.services.forms.consent import current_consent
from portal_app.services.forms.signed_pdf import file_signed_pdf
from portal_app.services.forms.submit import submit_form, verify_hash
from portal_app.services.forms.templates import create_template
from tests.unit.forms_helpers import BASE_URL, CONSENT_FIELDS, NOW, send, setup

LATER = NOW + timedelta(minutes=5)
GOOD = {"name": "Alex Gómez", "phone": "212 736 5000", "dob": "1990-02-03",
        "allergies": "yes", "allergy_list": "Peanuts and penicillin"}


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def _submit(session, account, client, request, answers, consent_version=None):
    return submit_form(session, client_id=client.id, request_id=request.id,
                       account_id=account.id, email=account.email, ip="198.51.100.7",
                       user_agent="Phone Browser", consent_version=consent_version,
                       now=LATER, answers=answers)


def test_filed_pdf_has_the_answers_and_the_submissions_hash_and_verifies(session, tmp_path):
    staff, account, (alex,), template = setup(session)
    sub = _submit(session, account, alex, send(session, staff, alex, template), GOOD)
    storage = LocalFileStorage(tmp_path / "files")

    doc = file_signed_pdf(session, submission_id=sub.id, base_url=BASE_URL, storage=storage)

    data = storage.read(doc.stored_name)
    text = _text(data)
    for phrase in ("Intake", "Alex Gómez", "Peanuts and penicillin", "Feb 3, 1990", "Yes",
                   "Signature record", "198.51.100.7", "Phone Browser", sub.document_sha256):
        assert phrase in text, phrase
    last = pypdf.PdfReader(io.BytesIO(data)).pages[-1].extract_text()
    assert sub.document_sha256 in last
    assert session.get(FormSubmission, sub.id).pdf_document_id == doc.id
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.content_type == "application/pdf"
    assert [d.id for d in list_client_documents(session, client_id=alex.id)] == [doc.id]
    shared = session.exec(select(AuditEvent).where(AuditEvent.action == "document.shared")).one()
    assert (shared.actor_kind, shared.actor_id) == ("system", None)  # the portal filed it

    by_document = verify_hash(session, sha256=sub.document_sha256)
    by_file = verify_hash(session, sha256=hashlib.sha256(data).hexdigest())
    assert (by_document.submission.id, by_document.matched, by_document.intact) == \
        (sub.id, "document", True)
    assert (by_file.submission.id, by_file.matched) == (sub.id, "pdf")
    middle = len(data) // 2
    altered = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:]
    assert verify_hash(session, sha256=hashlib.sha256(altered).hexdigest()) is None

    # emailed to the business, with the PDF attached
    (mail,) = session.exec(select(OutboxMessage).where(
        OutboxMessage.to == "hello@studio.test")).all()
    assert sub.document_sha256 in mail.body_text
    (attachment,) = mail.attachments
    assert attachment["content_type"] == "application/pdf"
    assert base64.b64decode(attachment["content_b64"]) == data

    # filed once: a second call returns the same document, no second email
    assert file_signed_pdf(session, submission_id=sub.id, base_url=BASE_URL,
                           storage=storage).id == doc.id
    assert len(session.exec(select(Document)).all()) == 1
    assert len(session.exec(select(OutboxMessage).where(
        OutboxMessage.to == "hello@studio.test")).all()) == 1


def test_signed_consent_pdf_embeds_the_signature_and_names_the_household_signer(
        session, tmp_path):
    staff, account, (alex, sam), _ = setup(session, names=("Alex", "Sam"))
    consent = create_template(session, staff_id=staff.id, title="Consent",
                              fields=CONSENT_FIELDS)
    request = send(session, staff, sam, consent)
    sub = _submit(session, account, sam, request,
                  {"sig": {"mode": "typed", "text": "Alex"}, "signed_on": "2030-05-01"},
                  consent_version=current_consent(session).version)
    storage = LocalFileStorage(tmp_path / "files")

    doc = file_signed_pdf(session, submission_id=sub.id, base_url=BASE_URL, storage=storage)

    data = storage.read(doc.stored_name)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages[0].images) == 1
    text = _text(data)
    assert f"Signed by {alex.full_name} for {sam.full_name}" in text
    assert "I consent to treatment." in text and sub.document_sha256 in text


def test_the_signer_is_kept_at_submit_so_a_later_household_change_does_not_rename_it(
        session, tmp_path):
    staff, account, (alex, sam), _ = setup(session, names=("Alex", "Sam"))
    consent = create_template(session, staff_id=staff.id, title="Consent",
                              fields=CONSENT_FIELDS)
    request = send(session, staff, sam, consent)
    sub = _submit(session, account, sam, request,
                  {"sig": {"mode": "typed", "text": "Alex"}, "signed_on": "2030-05-01"},
                  consent_version=current_consent(session).version)
    assert sub.document["signer"]["client_id"] == alex.id
    assert sub.document["signer"]["name"] == alex.full_name
    # Alex leaves the household after signing: Sam is now the account's first record.
    alex.account_id = None
    session.add(alex)
    session.flush()
    storage = LocalFileStorage(tmp_path / "files")

    doc = file_signed_pdf(session, submission_id=sub.id, base_url=BASE_URL, storage=storage)

    text = _text(storage.read(doc.stored_name))
    assert f"Signed by {alex.full_name} for {sam.full_name}" in text


def test_a_record_signing_its_own_form_is_named_without_for(session, tmp_path):
    staff, account, (alex,), _ = setup(session, names=("Alex",))
    consent = create_template(session, staff_id=staff.id, title="Consent",
                              fields=CONSENT_FIELDS)
    request = send(session, staff, alex, consent)
    sub = _submit(session, account, alex, request,
                  {"sig": {"mode": "typed", "text": "Alex"}, "signed_on": "2030-05-01"},
                  consent_version=current_consent(session).version)
    storage = LocalFileStorage(tmp_path / "files")

    doc = file_signed_pdf(session, submission_id=sub.id, base_url=BASE_URL, storage=storage)

    text = _text(storage.read(doc.stored_name))
    assert "Signed by" not in text or f" for {alex.full_name}" not in text
    assert sub.document["signer"]["client_id"] == alex.id
