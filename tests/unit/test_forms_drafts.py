"""Autosave: ownership, per-field server-time stamps (two tabs never lose each
other's answers), size limits that store nothing, rate limit, pre-fill."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import FormDraftAnswer, FormRequest, FormSubmission
from portal_app.services.errors import NotFound, RateLimited, ServiceError
from portal_app.services.forms import drafts as drafts_module
from portal_app.services.forms.drafts import DRAFT_LIMIT, ShownVersion, load_form, save_draft
from portal_app.services.forms.fields import FieldErrors
from portal_app.services.forms.requests import get_request_for, mark_opened, version_of
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

    # the request with its version, the rate limit (one INSERT that counts), the field's
    # row, its update
    assert len(sql) == 4, sql
    assert session.get(FormRequest, request.id).last_activity_at == NOW
    save_draft(session, client_id=alex.id, request_id=request.id, answers={"notes": "abc"},
               now=NOW + timedelta(minutes=1))
    assert session.get(FormRequest, request.id).last_activity_at == NOW + timedelta(minutes=1)


# --- the page's usual autosave: one checked UPDATE (issue 18) -------------------------

def _shown(session, request):
    version = version_of(session, request)
    return ShownVersion(version.id, list(version.fields))


def _save(session, client_id, request_id, shown, answers, now):
    return save_draft(session, client_id=client_id, request_id=request_id, answers=answers,
                      now=now, shown=shown)


def test_the_usual_autosave_is_the_limit_and_one_update_however_many_answers(
        engine, session, sent):
    """An answer typed again, on a form noted active in the last minute: the rate limit's
    INSERT and one UPDATE, with 1 or 4 other fields answered; the request's activity
    is noted once a minute (the full path, once)."""
    from tests.sql import statements_of

    _, alex, _, request = sent
    client_id, request_id, shown = alex.id, request.id, _shown(session, request)
    _save(session, client_id, request_id, shown, {"notes": "a", "allergies": "no"}, NOW)
    session.commit()
    costs = []
    for extra in ({}, {"name": "Alex G", "phone": "+1 212 736 5000", "dob": "1990-02-03"}):
        if extra:
            _save(session, client_id, request_id, shown, extra, NOW)
            session.commit()
        for n in range(2):
            at = NOW + timedelta(seconds=10 + len(costs))
            costs.append(statements_of(engine, lambda at=at, n=n: _save(
                session, client_id, request_id, shown, {"notes": f"typed {n}"}, at)))
            session.commit()
    assert [len(sql) for sql in costs] == [2, 2, 2, 2], costs
    assert costs[0][0].startswith("INSERT INTO rate_event")
    assert costs[0][1].startswith("UPDATE form_draft_answer")
    assert drafts(session, request_id)["notes"] == ("typed 1", NOW + timedelta(seconds=13))

    # A minute on: the activity is noted (the full path), then the usual save again.
    later = NOW + timedelta(minutes=1, seconds=5)
    noted = statements_of(engine, lambda: _save(session, client_id, request_id, shown,
                                                {"notes": "after a pause"}, later))
    assert len(noted) > 2
    session.expire_all()
    assert session.get(FormRequest, request_id).last_activity_at == later
    again = statements_of(engine, lambda: _save(session, client_id, request_id, shown,
                                                {"notes": "and on"}, later))
    assert len(again) == 2
    assert drafts(session, request_id)["notes"] == ("and on", later)


def test_the_usual_autosave_keeps_every_rule_of_the_full_one(session, sent, monkeypatch):
    """With the page's version: another record's request, a newer answer from another
    tab, an answer too large, a wrong version, the rate limit and a submitted form
    are refused or kept exactly as without it."""
    account, alex, sam, request = sent
    shown = _shown(session, request)
    _save(session, alex.id, request.id, shown, {"notes": "mine", "allergies": "no"}, NOW)

    with pytest.raises(NotFound):  # the same household's other record
        _save(session, sam.id, request.id, shown, {"notes": "x"}, LATER)
    # Stamped before the stored answer: kept as it was.
    late = _save(session, alex.id, request.id, shown, {"notes": "stale"},
                 NOW - timedelta(seconds=1))
    assert late.saved == [] and late.kept == ["notes"]
    with pytest.raises(FieldErrors) as exc:
        _save(session, alex.id, request.id, shown, {"notes": "x" * 5_000_000}, LATER)
    assert list(exc.value.errors) == ["notes"]
    # A page showing another version: the request's own fields decide (a short text).
    _save(session, alex.id, request.id, shown, {"name": "Alex"}, NOW)
    loose = [{**f, "kind": "long_text"} if f["key"] == "name" else f for f in shown.fields]
    with pytest.raises(FieldErrors):
        _save(session, alex.id, request.id, ShownVersion(shown.version_id + 100, loose),
              {"name": "A" * 5_000}, LATER)
    assert drafts(session, request.id)["name"] == ("Alex", NOW)
    wrong = ShownVersion(shown.version_id + 100, shown.fields)
    assert _save(session, alex.id, request.id, wrong, {"notes": "right"}, LATER).saved == [
        "notes"]
    assert drafts(session, request.id)["notes"] == ("right", LATER)

    monkeypatch.setattr(drafts_module, "DRAFT_LIMIT", 6)  # 5 counted so far
    _save(session, alex.id, request.id, shown, {"notes": "fourth"}, LATER)
    with pytest.raises(RateLimited):
        _save(session, alex.id, request.id, shown, {"notes": "too many"}, LATER)
    assert drafts(session, request.id)["notes"] == ("fourth", LATER)
    monkeypatch.setattr(drafts_module, "DRAFT_LIMIT", DRAFT_LIMIT)

    _save(session, alex.id, request.id, shown, {"name": "Alex G"}, LATER)
    submit_form(session, client_id=alex.id, request_id=request.id, account_id=account.id,
                email=account.email, ip="", user_agent="", consent_version=None, now=LATER)
    with pytest.raises(ServiceError) as closed:
        _save(session, alex.id, request.id, shown, {"notes": "after"}, LATER)
    assert closed.value.message == drafts_module.SUBMITTED
    submitted = session.exec(select(FormSubmission)).one()
    assert submitted.answers["notes"] == "fourth"


def test_an_unchanged_answer_is_not_written_again(engine, session, sent):
    from tests.sql import statements_of

    _, alex, _, request = sent
    save_draft(session, client_id=alex.id, request_id=request.id, answers={"notes": "same"},
               now=NOW)
    session.commit()
    sql = statements_of(engine, lambda: save_draft(
        session, client_id=alex.id, request_id=request.id, answers={"notes": "same"},
        now=NOW + timedelta(seconds=3)))
    assert not any(s.startswith("UPDATE form_draft_answer") for s in sql), sql
    assert drafts(session, request.id)["notes"] == ("same", NOW)


def test_the_usual_autosave_and_its_limit_on_postgresql(pg_url):
    """The one-statement limit (INSERT … SELECT … WHERE count < limit) and the checked
    UPDATE as PostgreSQL runs them."""
    from sqlmodel import Session, SQLModel

    from portal_app.db import make_engine
    from tests.sql import statements_of

    engine = make_engine(pg_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        staff, _, (alex,), template = setup(session)
        request = send(session, staff, alex, template)
        shown = _shown(session, request)
        _save(session, alex.id, request.id, shown, {"notes": "a"}, NOW)
        session.commit()
        client_id, request_id = alex.id, request.id
        sql = statements_of(engine, lambda: _save(session, client_id, request_id, shown,
                                                  {"notes": "ab"}, LATER))
        session.commit()
        assert len(sql) == 2, sql
        assert drafts(session, request_id)["notes"] == ("ab", LATER)
        with pytest.raises(RateLimited):
            save_draft(session, client_id=client_id, request_id=request_id,
                       answers={"notes": "abc"}, now=LATER, shown=shown, limit=2)
        session.rollback()
        assert drafts(session, request_id)["notes"] == ("ab", LATER)
    engine.dispose()
