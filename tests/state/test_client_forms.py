"""The client's forms pages: opening a form marks it opened and shows its place
in the packet; every change is saved as a draft (show-if rules follow); bad
or oversized answers are refused beside the field with nothing stored; submit
checks consent and the fields, files the signed PDF once, goes to the next
form, and turns another tab on the same form read-only; an autosave costs the same
few statements however many answers the form holds. Another record's form
(another household, or another record of the same household) is never shown
or changed, and staff are not clients here."""

import base64
import io

import pytest
from PIL import Image, ImageDraw
from sqlmodel import select

from models import Document, FormDraftAnswer, FormRequest, FormSubmission
from portal_app import jobs
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.sending import send_packet
from portal_app.services.forms.templates import create_template
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.client_forms import form_page
from state.client_forms.form_page import FormState
from state.client_forms.list_page import FormsListState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import all_vars, call, substate, tab_at
from tests.state.test_console_billing import staff_token
from tests.unit.forms_helpers import BASE_URL, CONSENT_FIELDS, INTAKE_FIELDS, NOW


def drawn_signature() -> str:
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(20, 60), (120, 20), (200, 80), (280, 30)], fill="black",
                               width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _token(session, account, client):
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=client.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    return token


@pytest.fixture
def world(engine, session, monkeypatch):
    monkeypatch.setattr(form_page, "drafts_now", lambda: NOW)
    factories.business(session, country="US", contact_email="hello@studio.test")
    staff = factories.staff(session)
    account, (alex, sam) = factories.household(session, names=("Alex", "Sam"),
                                               access="active")
    other_account, (mallory,) = factories.household(session, names=("Mallory",),
                                                    access="active")
    consent = create_template(session, staff_id=staff.id, title="Consent",
                              fields=CONSENT_FIELDS)
    intake = create_template(session, staff_id=staff.id, title="Intake", fields=INTAKE_FIELDS)
    packet = create_packet(session, staff_id=staff.id, name="New client",
                           template_ids=[consent.id, intake.id])
    sent = {c.id: send_packet(session, staff_id=staff.id, client_id=c.id, packet_id=packet.id,
                              base_url=BASE_URL, now=NOW)
            for c in (alex, sam, mallory)}
    tokens = {"alex": _token(session, account, alex),
              "mallory": _token(session, other_account, mallory)}
    session.commit()
    return {"alex": alex, "sam": sam, "mallory": mallory, "sent": sent, "tokens": tokens,
            "staff": staff}


def _open(w, who: str, request_id: int):
    root = tab_at(w["tokens"][who], f"/forms/form?id={request_id}")
    call(root, FormState, "load")
    return root, substate(root, FormState)


def _drafts(session, request_id):
    session.expire_all()
    return {r.field_key: r.value["v"] for r in session.exec(
        select(FormDraftAnswer).where(FormDraftAnswer.request_id == request_id)).all()}


def test_opening_a_form_marks_it_opened_and_shows_its_place_in_the_packet(session, world):
    consent, intake = world["sent"][world["alex"].id]
    root, page = _open(world, "alex", intake.id)
    assert page.found and page.title == "Intake" and page.progress == "Form 2 of 2"
    assert [r.key for r in page.rows if r.visible] == ["name", "phone", "dob", "allergies",
                                                       "notes"]
    assert page.rows[0].value == world["alex"].full_name  # pre-filled from the record
    assert page.forms_count == 2 and page.forms_open == 2  # "Forms" shows in the nav
    session.expire_all()
    assert session.get(FormRequest, intake.id).status == "opened"


def test_a_change_is_saved_as_a_draft_and_show_if_follows(session, world):
    _, intake = world["sent"][world["alex"].id]
    root, page = _open(world, "alex", intake.id)

    call(root, FormState, "save_field", "allergies", "yes")
    assert next(r for r in page.rows if r.key == "allergy_list").visible
    call(root, FormState, "save_field", "allergy_list", "Peanuts")
    assert page.saved_text.startswith("Saved")
    assert _drafts(session, intake.id) == {"allergies": "yes", "allergy_list": "Peanuts"}
    assert session.get(FormRequest, intake.id).status == "in_progress"

    # reloaded (another device): the answers are back, the rule still applied
    _, again = _open(world, "alex", intake.id)
    assert {r.key: r.value for r in again.rows}["allergy_list"] == "Peanuts"
    assert next(r for r in again.rows if r.key == "allergy_list").visible

    call(root, FormState, "save_field", "allergies", "no")
    assert not next(r for r in page.rows if r.key == "allergy_list").visible


def test_a_5_mb_answer_is_refused_beside_the_field_and_nothing_is_stored(session, world):
    _, intake = world["sent"][world["alex"].id]
    root, page = _open(world, "alex", intake.id)

    assert call(root, FormState, "save_field", "notes", "x" * (5 * 1024 * 1024)) is None

    assert next(r for r in page.rows if r.key == "notes").error.startswith(
        "Keep this answer under")
    assert _drafts(session, intake.id) == {}
    assert page.saved_text == ""


def test_multiple_choice_and_signatures_are_saved_from_their_own_handlers(session, world):
    consent, _ = world["sent"][world["alex"].id]
    root, page = _open(world, "alex", consent.id)
    sig = next(r for r in page.rows if r.key == "sig")
    assert sig.slot == "0" and page.needs_consent and page.consent_text

    call(root, FormState, "sign_drawn", "0", drawn_signature())
    assert next(r for r in page.rows if r.key == "sig").drawn
    assert _drafts(session, consent.id)["sig"].startswith("data:image/png;base64,")
    assert "data:image/png" not in all_vars(root)  # the drawing is not sent back
    assert len(repr(substate(root, FormState)._answers)) < 2_000  # nor kept in the tab

    call(root, FormState, "sign_typed", "sig", "Alex Gómez")
    assert _drafts(session, consent.id)["sig"] == {"text": "Alex Gómez"}
    call(root, FormState, "sign_drawn", "7", drawn_signature())  # no such pad: nothing
    assert _drafts(session, consent.id)["sig"] == {"text": "Alex Gómez"}


def test_submit_needs_consent_then_files_the_pdf_once_and_goes_to_the_next_form(
        session, world):
    consent, intake = world["sent"][world["alex"].id]
    root, page = _open(world, "alex", consent.id)
    call(root, FormState, "sign_drawn", "0", drawn_signature())

    call(root, FormState, "submit")  # no date, no consent
    assert next(r for r in page.rows if r.key == "signed_on").error == "This is required."
    call(root, FormState, "save_field", "signed_on", "2030-05-01")
    call(root, FormState, "submit")
    assert page.consent_error.startswith("Tick")
    session.expire_all()
    assert session.get(FormRequest, consent.id).status == "in_progress"

    call(root, FormState, "set_consent", True)
    events = call(root, FormState, "submit")

    assert f"/forms/form?id={intake.id}" in repr(events)
    session.expire_all()
    sub = session.exec(select(FormSubmission).where(
        FormSubmission.request_id == consent.id)).one()
    doc = session.get(Document, sub.pdf_document_id)
    assert doc.client_id == world["alex"].id and doc.content_type == "application/pdf"
    assert sub.ip and sub.user_agent == "pytest" and sub.consent_version == 1
    # submitted: read-only, a second submit changes nothing
    _, done = _open(world, "alex", consent.id)
    assert done.read_only and done.pdf_url.endswith(f"id={doc.id}")
    call(root, FormState, "submit")
    session.expire_all()
    assert len(session.exec(select(Document)).all()) == 1


def test_a_second_tab_turns_read_only_when_the_form_is_submitted_elsewhere(session, world):
    _, intake = world["sent"][world["alex"].id]
    first, _ = _open(world, "alex", intake.id)
    second, other = _open(world, "alex", intake.id)
    call(first, FormState, "save_field", "allergies", "no")
    call(first, FormState, "submit")
    assert not other.read_only

    other._live_refresh()  # the push (live.client_changed) reloads the page state

    assert other.read_only
    assert call(second, FormState, "save_field", "notes", "late") is not None  # a toast
    session.expire_all()
    assert session.exec(select(FormDraftAnswer).where(
        FormDraftAnswer.request_id == intake.id)).all() == []


def test_a_pdf_that_fails_loses_nothing_and_is_filed_by_the_next_pass(session, world,
                                                                       monkeypatch):
    _, intake = world["sent"][world["alex"].id]
    root, _ = _open(world, "alex", intake.id)
    call(root, FormState, "save_field", "allergies", "no")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(form_page.signed_pdf, "file_signed_pdf", broken)
    events = call(root, FormState, "submit")
    assert "/forms" in repr(events)
    session.expire_all()
    sub = session.exec(select(FormSubmission).where(FormSubmission.request_id == intake.id)).one()
    assert sub.pdf_document_id is None
    monkeypatch.undo()

    assert jobs.file_missing_pdfs() == 1
    assert jobs.file_missing_pdfs() == 0
    session.expire_all()
    assert session.get(FormSubmission, sub.id).pdf_document_id is not None


@pytest.mark.parametrize("owner", ["mallory", "sam"])
def test_another_records_form_is_not_found_and_nothing_changes(session, world, owner):
    """Mallory is another household; Sam shares Alex's sign-in but is another record."""
    theirs = world["sent"][world[owner].id][1]
    root, page = _open(world, "alex", theirs.id)
    assert not page.found and page.rows == [] and page.notice == "That form does not exist."
    for handler, args in (("save_field", ("notes", "x")), ("submit", ()),
                          ("toggle_choice", ("notes", "a", True)),
                          ("sign_typed", ("sig", "Alex"))):
        call(root, FormState, handler, *args)
    session.expire_all()
    request = session.get(FormRequest, theirs.id)
    assert request.status == "sent" and request.opened_at is None
    assert _drafts(session, theirs.id) == {}
    assert "Mallory" not in all_vars(root) and "Intake" not in all_vars(root)


def test_staff_are_not_clients_here(session, world):
    token, _ = staff_token(session)
    _, intake = world["sent"][world["alex"].id]
    root = tab_at(token, f"/forms/form?id={intake.id}")
    events = call(root, FormState, "load")
    assert "/login" in repr(events)
    assert not substate(root, FormState).found


def test_the_list_shows_outstanding_and_completed_forms(session, world):
    consent, intake = world["sent"][world["alex"].id]
    root, _ = _open(world, "alex", intake.id)
    call(root, FormState, "save_field", "allergies", "no")
    call(root, FormState, "save_field", "notes", "hello")
    listing = tab_at(world["tokens"]["alex"], "/forms")
    call(listing, FormsListState, "load")
    page = substate(listing, FormsListState)
    assert [(r["title"], r["status"], r["progress"]) for r in page.outstanding] == [
        ("Consent", "new", "Form 1 of 2"), ("Intake", "in_progress", "Form 2 of 2")]
    assert page.outstanding[1]["status_text"] == "Continue where you left off"
    call(root, FormState, "submit")
    call(listing, FormsListState, "load")
    assert [r["title"] for r in page.completed] == ["Intake"]
    assert page.completed[0]["pdf_url"].startswith("/api/documents/download?id=")


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _upload(name: str, data: bytes):
    from pathlib import Path

    from reflex_components_core.core._upload import UploadFile

    return UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def test_a_file_answer_is_stored_by_the_document_rules_and_submitted(session, world):
    from portal_app.services.forms.sending import send_form

    template = create_template(session, staff_id=world["staff"].id, title="Referral", fields=[
        {"kind": "file", "key": "letter", "label": "Referral letter", "required": True}])
    request = send_form(session, staff_id=world["staff"].id, client_id=world["alex"].id,
                        template_id=template.id, base_url=BASE_URL, now=NOW)
    session.commit()
    root, page = _open(world, "alex", request.id)
    assert page.rows[0].slot == "0"

    call(root, FormState, "upload_file", "0", [_upload("virus.exe", b"MZ\x90\x00" * 50)])
    assert page.rows[0].error and _drafts(session, request.id) == {}
    assert session.exec(select(Document)).all() == []

    call(root, FormState, "upload_file", "0", [_upload("letter.pdf", PDF)])
    (doc,) = session.exec(select(Document)).all()
    assert doc.client_id == world["alex"].id and page.rows[0].value == doc.title
    assert _drafts(session, request.id) == {"letter": doc.id}
    call(root, FormState, "submit")
    session.expire_all()
    assert session.get(FormRequest, request.id).status == "completed"


def test_a_push_leaves_the_fields_alone_until_the_form_is_withdrawn(session, world):
    from portal_app.services.forms.requests import cancel_request

    _, intake = world["sent"][world["alex"].id]
    first, _ = _open(world, "alex", intake.id)
    _, other = _open(world, "alex", intake.id)
    call(first, FormState, "save_field", "notes", "typed in the first tab")

    other._live_refresh()  # e.g. staff sent a message: the shell reloads, the fields do not
    assert {r.key: r.value for r in other.rows}["notes"] == "" and not other.read_only

    cancel_request(session, staff_id=world["staff"].id, request_id=intake.id, now=NOW)
    session.commit()
    other._live_refresh()
    assert other.read_only and other.completed_text.startswith("This form was withdrawn")


# --- what an autosave costs (issue 18) ------------------------------------------------

# The session check (one statement while the session is kept), the rate limit (one
# INSERT that counts the window), the field's row overwritten where its request is the
# client's, on the page's version, in progress and noted active in the last minute.
AUTOSAVE_STATEMENTS = 3


def _row(page, key):
    return next(r for r in page.rows if r.key == key)


def test_an_autosave_costs_the_same_few_statements_however_many_answers(
        engine, session, world):
    _, intake = world["sent"][world["alex"].id]
    root, page = _open(world, "alex", intake.id)
    call(root, FormState, "save_field", "notes", "first")  # the field's first answer
    costs = []
    for others in ({}, {"allergies": "yes", "allergy_list": "Peanuts", "dob": "1990-02-03",
                        "name": "Alex G"}):
        for key, value in others.items():
            call(root, FormState, "save_field", key, value)
        for n in range(2):
            costs.append(len(statements_of(
                engine, lambda n=n: call(root, FormState, "save_field", "notes", f"typed {n}"))))
        assert _row(page, "notes").value == "typed 1" and _row(page, "notes").error == ""
        assert page.saved_text.startswith("Saved")
    assert costs == [AUTOSAVE_STATEMENTS] * 4
    assert _drafts(session, intake.id)["notes"] == "typed 1"
    assert _row(page, "allergy_list").visible  # the show-if rule followed the answer


def test_an_autosave_after_a_submit_elsewhere_says_so_and_writes_nothing(session, world):
    _, intake = world["sent"][world["alex"].id]
    first, _ = _open(world, "alex", intake.id)
    second, other = _open(world, "alex", intake.id)
    call(second, FormState, "save_field", "notes", "typed in the second tab")
    call(first, FormState, "save_field", "allergies", "no")
    call(first, FormState, "submit")

    # The second tab was not pushed yet: its next autosave of the same field is refused.
    event = call(second, FormState, "save_field", "notes", "late")
    assert "submitted" in repr(event)
    assert other.read_only and other.saved_text == ""
    session.expire_all()
    assert session.exec(select(FormDraftAnswer).where(
        FormDraftAnswer.request_id == intake.id)).all() == []
    sub = session.exec(select(FormSubmission).where(FormSubmission.request_id == intake.id)
                       ).one()
    assert sub.answers["notes"] == "typed in the second tab"
