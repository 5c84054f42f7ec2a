"""Submit: every rule on the server, immutable afterwards, a second tab refused,
the signer's facts and the document hash, consent, write-back to the record;
and verification by hash."""

import hashlib
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from models import AuditEvent, Client, Document, FormDraftAnswer, FormRequest, FormSubmission
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.forms.consent import current_consent, publish_consent
from portal_app.services.forms.drafts import load_form, save_draft
from portal_app.services.forms.fields import FieldErrors
from portal_app.services.forms.submit import (
    attach_pdf,
    canonical_bytes,
    get_submission,
    get_submission_for,
    submit_form,
    verify_hash,
)
from portal_app.services.forms.templates import create_template
from tests.unit.forms_helpers import CONSENT_FIELDS, NOW, send, setup

LATER = NOW + timedelta(minutes=5)
GOOD = {"name": "Alex Gómez", "phone": "212 736 5000", "dob": "1990-02-03",
        "allergies": "yes", "allergy_list": "Peanuts"}


@pytest.fixture
def sent(session):
    staff, account, (alex, sam), template = setup(session, names=("Alex", "Sam"))
    request = send(session, staff, alex, template)
    return staff, account, alex, sam, request


def submit(session, account, client, request, **kw):
    args = {"account_id": account.id, "email": account.email, "ip": "198.51.100.7",
            "user_agent": "Phone Browser", "consent_version": None, "now": LATER, **kw}
    return submit_form(session, client_id=client.id, request_id=request.id, **args)


def test_submit_checks_every_rule_and_changes_nothing_on_error(session, sent):
    _, account, alex, _, request = sent
    save_draft(session, client_id=alex.id, request_id=request.id,
               answers={"phone": "12", "allergies": "yes", "dob": "2999-01-01"}, now=NOW)

    with pytest.raises(FieldErrors) as exc:
        submit(session, account, alex, request)

    assert exc.value.errors == {
        "phone": "Enter a phone number with its country code, e.g. +1 212 736 5000.",
        "allergy_list": "This is required.", "dob": "Enter a date of birth in the past."}
    assert session.get(FormRequest, request.id).status == "in_progress"
    assert session.exec(select(FormSubmission)).all() == []


def test_submit_records_the_signer_and_the_hash_and_writes_back_to_the_record(session, sent):
    _, account, alex, _, request = sent
    save_draft(session, client_id=alex.id, request_id=request.id, answers=GOOD, now=NOW)

    sub = submit(session, account, alex, request, answers={"notes": "Thanks"})

    assert sub.answers == {"name": "Alex Gómez", "phone": "+1 212-736-5000",
                           "dob": "1990-02-03", "allergies": "yes",
                           "allergy_list": "Peanuts", "notes": "Thanks"}
    assert (sub.signer_account_id, sub.signer_email, sub.client_id, sub.submitted_at,
            sub.ip, sub.user_agent) == (account.id, account.email, alex.id, LATER,
                                        "198.51.100.7", "Phone Browser")
    assert sub.document_sha256 == hashlib.sha256(canonical_bytes(sub.document)).hexdigest()
    assert json.loads(canonical_bytes(sub.document))["signer"]["email"] == account.email
    saved = session.get(Client, alex.id)
    assert (saved.full_name, saved.mobile, saved.date_of_birth) == (
        "Alex Gómez", "+1 212-736-5000", date(1990, 2, 3))
    assert session.get(FormRequest, request.id).status == "completed"
    assert session.exec(select(FormDraftAnswer)).all() == []
    actions = {a.action for a in session.exec(select(AuditEvent)).all()}
    assert {"form.submitted", "client.profile_updated"} <= actions


def test_a_hidden_answer_is_not_stored_at_submit(session, sent):
    _, account, alex, _, request = sent
    save_draft(session, client_id=alex.id, request_id=request.id,
               answers={**GOOD, "allergies": "no"}, now=NOW)

    sub = submit(session, account, alex, request)

    assert "allergy_list" not in sub.answers
    assert "Peanuts" not in canonical_bytes(sub.document).decode()


def test_a_second_submit_from_another_tab_is_refused_and_the_first_stays(session, sent):
    _, account, alex, _, request = sent
    save_draft(session, client_id=alex.id, request_id=request.id, answers=GOOD, now=NOW)
    first = submit(session, account, alex, request)

    with pytest.raises(ServiceError) as exc:
        submit(session, account, alex, request, answers={"notes": "changed"})

    assert exc.value.message == "This form has been submitted; it can no longer be changed."
    assert session.exec(select(FormSubmission)).all() == [first]
    view = load_form(session, client_id=alex.id, request_id=request.id)
    assert view.read_only and view.answers == first.answers


def test_another_clients_request_is_not_found(session, sent):
    _, account, alex, sam, request = sent
    with pytest.raises(NotFound):
        submit(session, account, sam, request, answers=GOOD)
    submit(session, account, alex, request, answers=GOOD)
    with pytest.raises(NotFound):
        get_submission_for(session, client_id=sam.id, request_id=request.id)
    assert get_submission_for(session, client_id=alex.id, request_id=request.id).client_id == \
        alex.id


def test_a_signature_needs_the_current_consent_version(session):
    staff, account, (alex,), _ = setup(session)
    consent = create_template(session, staff_id=staff.id, title="Consent",
                              fields=CONSENT_FIELDS)
    request = send(session, staff, alex, consent)
    answers = {"sig": {"mode": "typed", "text": "Alex"}, "signed_on": "2030-05-01"}
    version = current_consent(session).version

    with pytest.raises(ServiceError) as missing:
        submit(session, account, alex, request, answers=answers)
    publish_consent(session, staff_id=staff.id, text="New wording of the consent.")
    with pytest.raises(ServiceError) as changed:
        submit(session, account, alex, request, answers=answers, consent_version=version)
    sub = submit(session, account, alex, request, answers=answers, consent_version=version + 1)

    assert missing.value.field == changed.value.field == "consent"
    assert sub.consent_version == version + 1
    assert sub.document["consent"] == {"version": version + 1,
                                       "text": "New wording of the consent."}
    assert sub.document["fields"][0]["help"] == "I consent to treatment."


def test_a_file_answer_must_be_a_document_of_this_client(session):
    staff, account, (alex, sam), _ = setup(session, names=("Alex", "Sam"))
    template = create_template(session, staff_id=staff.id, title="ID",
                               fields=[{"kind": "file", "key": "id", "label": "ID"}])
    request = send(session, staff, alex, template)
    docs = [Document(client_id=c.id, title="ID", filename="id.pdf", stored_name=f"s{c.id}",
                     content_type="application/pdf") for c in (alex, sam)]
    session.add_all(docs)
    session.flush()

    with pytest.raises(FieldErrors) as exc:
        submit(session, account, alex, request, answers={"id": docs[1].id})
    assert exc.value.errors == {"id": "Attach the file again."}
    assert submit(session, account, alex, request, answers={"id": docs[0].id}).answers == \
        {"id": docs[0].id}


def test_verify_by_hash_names_the_signer_or_finds_nothing(session, sent):
    _, account, alex, _, request = sent
    sub = submit(session, account, alex, request, answers=GOOD)
    pdf = Document(client_id=alex.id, title="Intake", filename="intake.pdf", stored_name="pdf1",
                   content_type="application/pdf", sha256="ab" * 32)
    session.add(pdf)
    session.flush()
    attach_pdf(session, submission_id=sub.id, document_id=pdf.id)

    found = verify_hash(session, sha256=sub.document_sha256.upper())
    by_pdf = verify_hash(session, sha256="ab" * 32)

    assert (found.submission.id, found.client_name, found.title, found.version, found.matched,
            found.intact) == (sub.id, "Alex Gómez", "Intake", 1, "document", True)
    assert found.submission.signer_email == account.email
    assert (by_pdf.submission.id, by_pdf.matched) == (sub.id, "pdf")
    assert verify_hash(session, sha256="0" * 64) is None
    with pytest.raises(ServiceError):
        verify_hash(session, sha256="not a hash")
    with pytest.raises(ServiceError):
        attach_pdf(session, submission_id=sub.id, document_id=pdf.id + 1)
    assert get_submission(session, request_id=request.id).id == sub.id


def test_a_submit_racing_another_tab_is_refused_by_the_conditional_update(session, sent):
    """Both tabs read the form as open; the other tab's submit lands first."""
    _, account, alex, _, request = sent
    assert session.get(FormRequest, request.id).status == "sent"  # this tab's (stale) view
    session.connection().execute(
        text("UPDATE form_request SET status = 'completed' WHERE id = :id"), {"id": request.id})

    with pytest.raises(ServiceError) as exc:
        submit(session, account, alex, request, answers=GOOD)

    assert exc.value.message == "This form has been submitted; it can no longer be changed."
