"""The client's view of their forms: the list (statuses, packet places, PDFs),
where a form sits in its packet and which comes next, the dashboard's first
form, and the shell's counts that show "Forms"."""

from datetime import timedelta

from portal_app.services.forms.client_forms import (
    PacketPlace,
    RowStatus,
    first_outstanding,
    list_forms_for_client,
    packet_place,
)
from portal_app.services.forms.drafts import save_draft
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.requests import cancel_request
from portal_app.services.forms.sending import send_packet
from portal_app.services.forms.submit import submit_form
from portal_app.services.forms.templates import create_template
from portal_app.services.shell import shell_facts
from tests.unit.forms_helpers import BASE_URL, NOW, send, setup

FIELDS = [{"kind": "short_text", "key": "a", "label": "A"}]


def _packet(session, staff, client, titles, now=NOW, **packet):
    templates = [create_template(session, staff_id=staff.id, title=t, fields=FIELDS)
                 for t in titles]
    made = create_packet(session, staff_id=staff.id, name="P", template_ids=[t.id for t in templates],
                         **packet)
    return send_packet(session, staff_id=staff.id, client_id=client.id, packet_id=made.id,
                       base_url=BASE_URL, now=now)


def test_the_list_has_statuses_places_and_the_signed_pdf(session):
    staff, account, (alex, sam), _ = setup(session, names=("Alex", "Sam"))
    first, second, third = _packet(session, staff, alex, ("One", "Two", "Three"),
                                   due_rule="days_after_sent", due_amount=2)
    _packet(session, staff, sam, ("Sam's",))  # another record's: never listed for Alex
    save_draft(session, client_id=alex.id, request_id=second.id, answers={"a": "x"}, now=NOW)
    sub = submit_form(session, client_id=alex.id, request_id=third.id, account_id=account.id,
                      email=account.email, ip="", user_agent="", consent_version=None, now=NOW)
    sub.pdf_document_id = None

    rows = list_forms_for_client(session, client_id=alex.id, now=NOW + timedelta(hours=1))
    assert [(r.title, r.status, r.position, r.packet_size) for r in rows] == [
        ("One", RowStatus.NEW, 1, 3), ("Two", RowStatus.IN_PROGRESS, 2, 3),
        ("Three", RowStatus.COMPLETED, 3, 3)]
    late = list_forms_for_client(session, client_id=alex.id, now=NOW + timedelta(days=3))
    assert [r.status for r in late] == [RowStatus.OVERDUE, RowStatus.OVERDUE,
                                        RowStatus.COMPLETED]

    cancel_request(session, staff_id=staff.id, request_id=first.id, now=NOW)
    assert [r.title for r in list_forms_for_client(session, client_id=alex.id, now=NOW)] == [
        "Two", "Three"]


def test_the_next_form_is_the_next_open_one_of_the_packet(session):
    staff, account, (alex,), template = setup(session)
    first, second, third = _packet(session, staff, alex, ("One", "Two", "Three"))
    assert packet_place(session, request=first) == PacketPlace(1, 3, second.id)
    assert packet_place(session, request=third) == PacketPlace(3, 3, first.id)  # wraps
    for request in (first, second):
        submit_form(session, client_id=alex.id, request_id=request.id, account_id=account.id,
                    email=account.email, ip="", user_agent="", consent_version=None, now=NOW)
    assert packet_place(session, request=third).next_request_id is None
    single = send(session, staff, alex, template)
    assert packet_place(session, request=single) == PacketPlace(1, 1, None)


def test_the_first_form_to_do_is_the_soonest_due_and_the_shell_counts_them(session):
    staff, account, (alex,), _ = setup(session)
    template = create_template(session, staff_id=staff.id, title="Undated", fields=FIELDS)
    assert first_outstanding(session, client_id=alex.id) is None
    assert shell_facts(session, client_id=alex.id, messaging=False).forms == 0
    undated = send(session, staff, alex, template)
    (due,) = _packet(session, staff, alex, ("Due soon",), now=NOW + timedelta(hours=1),
                     due_rule="days_after_sent", due_amount=1)

    assert first_outstanding(session, client_id=alex.id) == (due.id, "Due soon", 2)
    submit_form(session, client_id=alex.id, request_id=undated.id, account_id=account.id,
                email=account.email, ip="", user_agent="", consent_version=None, now=NOW)
    facts = shell_facts(session, client_id=alex.id, messaging=True)
    assert (facts.forms, facts.forms_open) == (2, 1)
