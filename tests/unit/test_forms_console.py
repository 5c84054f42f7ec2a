"""The console's view of forms: every refused question reported at once, the
outstanding list by form, packets switched off, a client's forms with their
state (overdue included), the answers read-only, and the bulk send."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import FormRequest, FormStatus
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.forms import console
from portal_app.services.forms.fields import FieldErrors, clean_fields
from portal_app.services.forms.packets import create_packet, packets_for_event, set_packet_active
from portal_app.services.forms.requests import cancel_request, list_outstanding
from portal_app.services.forms.submit import submit_form
from portal_app.services.forms.templates import create_template
from tests import factories
from tests.unit.forms_helpers import BASE_URL, NOW, send, setup

SIMPLE = [{"kind": "short_text", "key": "a", "label": "A"}]


def test_clean_fields_reports_every_refused_question_at_once():
    with pytest.raises(FieldErrors) as exc:
        clean_fields([{"kind": "short_text", "key": "a", "label": "Fine"},
                      {"kind": "nope", "label": "Bad kind"},
                      {"kind": "single_choice", "key": "c", "label": "Choice", "options": []},
                      {"kind": "long_text", "key": "d", "label": "Shown",
                       "show_if": {"field": "zzz", "op": "is", "value": "x"}}])
    assert set(exc.value.errors) == {"fields.1", "fields.2", "fields.3"}
    assert exc.value.errors["fields.1"] == "Choose the kind of question."
    assert exc.value.field == "fields.1"


def test_list_outstanding_filters_by_form(session):
    staff, _, (alex,), intake = setup(session)
    policy = create_template(session, staff_id=staff.id, title="Policy", fields=SIMPLE)
    send(session, staff, alex, intake)
    send(session, staff, alex, policy)
    rows = list_outstanding(session, now=NOW, template_id=policy.id)
    assert [r.title for r in rows] == ["Policy"]


def test_a_packet_switched_off_is_not_sent_by_its_trigger(session):
    staff, _, (alex,), intake = setup(session)
    packet = create_packet(session, staff_id=staff.id, name="New", template_ids=[intake.id],
                           trigger="client_created")
    set_packet_active(session, staff_id=staff.id, packet_id=packet.id, active=False, now=NOW)
    assert packet.archived_at is not None
    assert packets_for_event(session, client_id=alex.id, event="client_created") == []
    set_packet_active(session, staff_id=staff.id, packet_id=packet.id, active=True, now=NOW)
    assert packets_for_event(session, client_id=alex.id, event="client_created") == [packet]
    with pytest.raises(NotFound):
        set_packet_active(session, staff_id=staff.id, packet_id="999", active=True, now=NOW)


def test_client_forms_show_each_state_and_the_proof(session):
    staff, account, (alex,), _ = setup(session)
    a = create_template(session, staff_id=staff.id, title="A", fields=SIMPLE)
    b = create_template(session, staff_id=staff.id, title="B", fields=SIMPLE)
    c = create_template(session, staff_id=staff.id, title="C", fields=SIMPLE)
    done = send(session, staff, alex, a)
    late = send(session, staff, alex, b)
    late.due_at = NOW + timedelta(hours=1)
    gone = send(session, staff, alex, c)
    cancel_request(session, staff_id=staff.id, request_id=gone.id, now=NOW)
    submit_form(session, client_id=alex.id, request_id=done.id, account_id=account.id,
                email=account.email, ip="198.51.100.7", user_agent="UA", consent_version=None,
                now=NOW, answers={"a": "hello"})
    later = NOW + timedelta(hours=2)
    rows = {r.title: r for r in console.client_forms(session, client_id=alex.id, now=later)}
    assert set(rows) == {"A", "B"}
    assert rows["A"].state == FormStatus.COMPLETED and rows["A"].submission_id
    assert rows["B"].state == console.OVERDUE and rows["B"].submission_id is None
    assert rows["B"].version == 1

    answers = console.submitted_answers(session, client_id=alex.id, request_id=done.id)
    assert answers.lines == [("A", "hello")] and len(answers.sha256) == 64
    other = factories.client(session, full_name="Other")
    with pytest.raises(NotFound):
        console.submitted_answers(session, client_id=other.id, request_id=done.id)
    with pytest.raises(NotFound):
        console.request_of_client(session, client_id=other.id, request_id=late.id)


@pytest.mark.parametrize(("kind", "answer", "text"), [
    ("signature", "data:image/png;base64,AAAA", "Signed (drawn)"),
    ("initials", {"text": "AB"}, "Signed: AB"),
    ("yes_no", "yes", "Yes"),
    ("multiple_choice", ["x", "y"], "x, y"),
    ("short_text", None, "—"),
])
def test_answer_text(kind, answer, text):
    assert console.answer_text(kind, answer) == text


def test_bulk_send_sends_each_client_once_and_names_the_refused(session):
    staff, _, (alex, sam), intake = setup(session, names=("Alex", "Sam"))
    off = factories.client(session, full_name="Off")
    off.disabled_at = NOW
    session.add(off)
    packet = create_packet(session, staff_id=staff.id, name="New", template_ids=[intake.id])
    ids = [alex.id, str(sam.id), off.id, alex.id]
    result = console.send_packet_to_clients(session, staff_id=staff.id, client_ids=ids,
                                            packet_id=packet.id, base_url=BASE_URL, now=NOW)
    assert (result.sent, result.already) == (2, 0)
    assert [cid for cid, _ in result.skipped] == [off.id]
    again = console.send_packet_to_clients(session, staff_id=staff.id, client_ids=ids[:2],
                                           packet_id=packet.id, base_url=BASE_URL, now=NOW)
    assert (again.sent, again.already) == (0, 2)
    assert len(session.exec(select(FormRequest)).all()) == 2
    with pytest.raises(ServiceError):
        console.send_packet_to_clients(session, staff_id=staff.id, client_ids=[],
                                       packet_id=packet.id, base_url=BASE_URL, now=NOW)
    with pytest.raises(NotFound):
        console.send_packet_to_clients(session, staff_id=staff.id, client_ids=[alex.id],
                                       packet_id="999", base_url=BASE_URL, now=NOW)


def test_latest_versions_gives_each_templates_newest(session):
    from portal_app.services.forms.templates import latest_versions, save_template

    staff, _, (alex,), intake = setup(session)
    other = create_template(session, staff_id=staff.id, title="Other", fields=SIMPLE)
    send(session, staff, alex, other)
    save_template(session, staff_id=staff.id, template_id=other.id, title="Other 2",
                  intro="", fields=SIMPLE)
    latest = latest_versions(session)
    assert {k: (v.number, v.title) for k, v in latest.items()} == {
        intake.id: (1, "Intake"), other.id: (2, "Other 2")}


def test_send_again_is_refused_when_email_ok_is_off(session):
    from portal_app.services.forms.reminders import EMAIL_HELD, remind_request

    staff, _, (alex,), intake = setup(session)
    request = send(session, staff, alex, intake)
    alex.email_ok = False
    session.add(alex)
    with pytest.raises(ServiceError) as exc:
        remind_request(session, staff_id=staff.id, request_id=request.id, base_url=BASE_URL,
                       now=NOW + timedelta(days=2))
    assert exc.value.message == EMAIL_HELD
    assert request.reminder_count == 0
