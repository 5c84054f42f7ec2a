"""Autosave: ownership, per-field server-time stamps (two tabs never lose each
other's answers), size limits that store nothing, rate limit, pre-fill."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import FormDraftAnswer, FormRequest
from portal_app.services.errors import NotFound, RateLimited, ServiceError
from portal_app.services.forms import drafts as drafts_module
from portal_app.services.forms.drafts import DRAFT_LIMIT, load_form, save_draft
from portal_app.services.forms.fields import FieldErrors
from portal_app.services.forms.requests import get_request_for, mark_opened
from portal_app.services.forms.submit import submit_form
from tests.unit.forms_helpers import NOW, send, setup

LATER = NOW + timedelta(seconds=5)


def drafts(session, request_id):
    return {row.field_key: (row.value["v"], row.saved_at) for row in session.exec(
        select(FormDraftAnswer).where(FormDraftAnswer.request_id == request_id)).all()}


@pytest.fixture
def sent(session):
    staff, account, (alex, sam), template = setup(session, names=("Alex", "Sam"))
    request = send(session, staff, alex, template)
    return account, alex, sam, request


def test_a_draft_saves_each_field_with_the_server_time_and_marks_the_form_in_progress(
        session, sent):
    _, alex, _, request = sent

    result = save_draft(session, client_id=alex.id, request_id=request.id,
                        answers={"notes": "Hi", "allergies": "no"}, now=NOW)

    assert sorted(result.saved) == ["allergies", "notes"] and result.kept == []
    assert drafts(session, request.id) == {"notes": ("Hi", NOW), "allergies": ("no", NOW)}
    saved = session.get(FormRequest, request.id)
    assert (saved.status, saved.last_activity_at, saved.opened_at) == ("in_progress", NOW, NOW)


def test_two_tabs_last_write_per_field_wins_and_the_other_fields_are_kept(session, sent):
    _, alex, _, request = sent
    # Tab A types the notes; tab B (opened earlier) answers allergies, then notes later.
    save_draft(session, client_id=alex.id, request_id=request.id,
               answers={"notes": "from A"}, now=NOW)
    save_draft(session, client_id=alex.id, request_id=request.id,
               answers={"allergies": "yes"}, now=NOW + timedelta(seconds=1))
    save_draft(session, client_id=alex.id, request_id=request.id,
               answers={"notes": "from B"}, now=LATER)
    # A save that arrives stamped before the stored answer does not overwrite it.
    late = save_draft(session, client_id=alex.id, request_id=request.id,
                      answers={"notes": "stale A", "allergy_list": "nuts"},
                      now=NOW + timedelta(seconds=2))

    assert late.saved == ["allergy_list"] and late.kept == ["notes"]
    assert drafts(session, request.id) == {
        "notes": ("from B", LATER), "allergies": ("yes", NOW + timedelta(seconds=1)),
        "allergy_list": ("nuts", NOW + timedelta(seconds=2))}


def test_another_clients_request_id_is_not_found_even_in_the_same_household(session, sent):
    _, alex, sam, request = sent
    for bad in (request.id, "999", "x", None, -1):
        with pytest.raises(NotFound):
            save_draft(session, client_id=sam.id, request_id=bad, answers={"notes": "x"},
                       now=NOW)
    with pytest.raises(NotFound):
        get_request_for(session, client_id=sam.id, request_id=request.id)
    with pytest.raises(NotFound):
        load_form(session, client_id=sam.id, request_id=request.id)
    with pytest.raises(NotFound):
        mark_opened(session, client_id=sam.id, request_id=request.id, now=NOW)
    assert drafts(session, request.id) == {}


def test_a_5_mb_answer_is_refused_with_a_message_and_nothing_is_stored(session, sent):
    _, alex, _, request = sent

    with pytest.raises(FieldErrors) as exc:
        save_draft(session, client_id=alex.id, request_id=request.id,
                   answers={"notes": "x" * 5_000_000, "allergies": "yes"}, now=NOW)

    assert exc.value.errors == {"notes": "Keep this answer under 20,000 characters."}
    assert drafts(session, request.id) == {}


def test_autosave_is_rate_limited_per_client_record(session, sent, monkeypatch):
    _, alex, _, request = sent
    assert DRAFT_LIMIT >= 60  # a debounced form saves far less often than once a second
    monkeypatch.setattr(drafts_module, "DRAFT_LIMIT", 5)
    for i in range(5):
        save_draft(session, client_id=alex.id, request_id=request.id,
                   answers={"notes": str(i)}, now=NOW + timedelta(milliseconds=i))
    with pytest.raises(RateLimited):
        save_draft(session, client_id=alex.id, request_id=request.id, answers={"notes": "x"},
                   now=NOW + timedelta(seconds=1))
    save_draft(session, client_id=alex.id, request_id=request.id, answers={"notes": "ok"},
               now=NOW + timedelta(minutes=2))


def test_a_draft_is_refused_after_submit(session, sent):
    account, alex, _, request = sent
    save_draft(session, client_id=alex.id, request_id=request.id,
               answers={"name": "Alex G", "allergies": "no"}, now=NOW)
    submit_form(session, client_id=alex.id, request_id=request.id, account_id=account.id,
                email=account.email, ip="", user_agent="", consent_version=None, now=LATER)

    with pytest.raises(ServiceError) as exc:
        save_draft(session, client_id=alex.id, request_id=request.id, answers={"notes": "x"},
                   now=LATER)
    assert exc.value.message == "This form has been submitted; it can no longer be changed."


def test_load_form_prefills_from_the_record_and_continues_where_left_off(session, sent):
    _, alex, _, request = sent
    alex.mobile, alex.date_of_birth = "+1 212 736 5000", date(1990, 2, 3)
    session.add(alex)
    save_draft(session, client_id=alex.id, request_id=request.id, answers={"notes": "Hi"},
               now=NOW)

    view = load_form(session, client_id=alex.id, request_id=request.id)

    assert view.answers == {"name": alex.full_name, "phone": "+1 212 736 5000",
                            "dob": "1990-02-03", "notes": "Hi"}
    assert view.saved_at == {"notes": NOW} and view.read_only is False


def test_an_autosave_costs_a_few_statements_and_notes_activity_once_a_minute(
        engine, session, sent):
    from tests.sql import statements_of

    _, alex, _, request = sent
    client_id, request_id = alex.id, request.id
    save_draft(session, client_id=client_id, request_id=request_id, answers={"notes": "a"},
               now=NOW)
    session.commit()
    session.expire_all()

    sql = statements_of(engine, lambda: save_draft(
        session, client_id=client_id, request_id=request_id, answers={"notes": "ab"},
        now=NOW + timedelta(seconds=20)))

    # the request with its version, the rate limit (count, insert), the field's row, its update
    assert len(sql) == 5, sql
    assert session.get(FormRequest, request.id).last_activity_at == NOW
    save_draft(session, client_id=alex.id, request_id=request.id, answers={"notes": "abc"},
               now=NOW + timedelta(minutes=1))
    assert session.get(FormRequest, request.id).last_activity_at == NOW + timedelta(minutes=1)
