"""Console → Forms and the client page's forms section, called the way the
websocket calls them with a real staff session: the builder saves through the
service (a refused question shows beside it and nothing is stored; a sent
template gets a new version and says so), packets, the outstanding filters,
sending from a client page with the seed-004 banners, "Send again" / "Cancel"
/ answers limited to the page's client, and verifying a hash or a PDF."""

import asyncio
import hashlib

from sqlmodel import select

from models import (
    Client,
    FormPacket,
    FormRequest,
    FormStatus,
    FormTemplate,
    FormTemplateVersion,
    PortalAccess,
)
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.sending import send_form
from portal_app.services.forms.submit import submit_form
from portal_app.services.forms.templates import create_template
from state.console_forms.client import ClientFormsState
from state.console_forms.outstanding import FormsOutstandingState
from state.console_forms.packets import FormPacketsState
from state.console_forms.templates import FormTemplatesState
from state.console_forms.verify import FormVerifyState
from tests import factories
from tests.state.harness import call, substate, tab_at
from tests.state.test_console_billing import client_token, staff_token

SIMPLE = [{"kind": "short_text", "key": "a", "label": "A"}]
BASE = "http://portal.test"


def _forms_tab(token):
    return tab_at(token, "/console/forms")


def test_the_builder_saves_a_template_with_a_show_if_question(engine, session):
    factories.business(session)
    token, _ = staff_token(session)
    root = _forms_tab(token)
    call(root, FormTemplatesState, "load")
    call(root, FormTemplatesState, "new_template")
    call(root, FormTemplatesState, "set_question", 0, "kind", "yes_no")
    call(root, FormTemplatesState, "add_question")
    call(root, FormTemplatesState, "set_question", 1, "show_field", "q1")
    call(root, FormTemplatesState, "set_question", 1, "required", True)
    call(root, FormTemplatesState, "save", {"title": "Health", "intro": "",
                                            "label_0": "Allergies?", "label_1": "Which?",
                                            "show_value_1": "yes"})
    session.expire_all()
    (version,) = session.exec(select(FormTemplateVersion)).all()
    assert version.title == "Health"
    assert [f["kind"] for f in version.fields] == ["yes_no", "short_text"]
    assert version.fields[1]["show_if"] == {"field": "q1", "op": "is", "value": "yes"}
    assert version.fields[1]["required"] is True
    s = substate(root, FormTemplatesState)
    assert s.saved_note == "Version 1 saved." and len(s.templates) == 1


def test_a_refused_question_shows_beside_it_and_nothing_is_stored(engine, session):
    factories.business(session)
    token, _ = staff_token(session)
    root = _forms_tab(token)
    call(root, FormTemplatesState, "new_template")
    call(root, FormTemplatesState, "add_question")
    call(root, FormTemplatesState, "set_question", 1, "kind", "single_choice")
    assert call(root, FormTemplatesState, "save",
                {"title": "", "label_0": "", "label_1": "Pick"}) is None
    s = substate(root, FormTemplatesState)
    assert s.title_error == "Give the form a title."
    assert call(root, FormTemplatesState, "save",
                {"title": "T", "label_0": "", "label_1": "Pick"}) is None
    assert s.fields[0]["error"] == "Give the question a label."
    assert s.fields[1]["error"] == "Give between 1 and 50 choices."
    assert s.fields[1]["label"] == "Pick"  # what was typed stays
    assert session.exec(select(FormTemplate)).all() == []


def test_saving_a_sent_template_makes_a_new_version_and_says_so(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    template = create_template(session, staff_id=staff.id, title="Intake", fields=SIMPLE)
    client = factories.client(session)
    send_form(session, staff_id=staff.id, client_id=client.id, template_id=template.id,
              base_url=BASE, now=factories_now())
    session.commit()
    root = _forms_tab(token)
    call(root, FormTemplatesState, "edit_template", str(template.id))
    s = substate(root, FormTemplatesState)
    assert "saving makes version 2" in s.version_note
    call(root, FormTemplatesState, "save", {"title": "Intake", "label_0": "A changed"})
    assert s.saved_note == "Version 2 — forms already sent keep version 1."
    session.expire_all()
    assert [v.number for v in session.exec(select(FormTemplateVersion)).all()] == [1, 2]


def factories_now():
    from models.base import utcnow

    return utcnow()


def test_packets_save_refuse_beside_the_field_and_switch(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    template = create_template(session, staff_id=staff.id, title="Intake", fields=SIMPLE)
    session.commit()
    root = _forms_tab(token)
    call(root, FormPacketsState, "new_packet")
    assert call(root, FormPacketsState, "save", {"name": "New client"}) is None
    s = substate(root, FormPacketsState)
    assert s.errors == {"template_ids": "Choose at least one form."}
    call(root, FormPacketsState, "choose_add", str(template.id))
    call(root, FormPacketsState, "add_form")
    call(root, FormPacketsState, "add_form")  # once only
    call(root, FormPacketsState, "set_trigger", "client_created")
    call(root, FormPacketsState, "set_due_rule", "days_after_sent")
    assert call(root, FormPacketsState, "save", {"name": "New client", "due_amount": "0"}) is None
    assert "due_amount" in s.errors
    call(root, FormPacketsState, "save", {"name": "New client", "due_amount": "3"})
    session.expire_all()
    (packet,) = session.exec(select(FormPacket)).all()
    assert (packet.template_ids, packet.trigger, packet.due_amount) == (
        [template.id], "client_created", 3)
    call(root, FormPacketsState, "switch", str(packet.id), False)
    session.expire_all()
    assert session.get(FormPacket, packet.id).archived_at is not None
    assert s.packets[0]["active"] == ""


def _client_page(token, client_id):
    return tab_at(token, f"/console/client?id={client_id}")


def test_sending_from_the_client_page_shows_the_banners_and_sends(engine, session):
    factories.business(session, portal_activation="first_share", portal_enabled=True)
    token, staff = staff_token(session)
    template = create_template(session, staff_id=staff.id, title="Intake", fields=SIMPLE)
    packet = create_packet(session, staff_id=staff.id, name="New", template_ids=[template.id])
    new = factories.client(session, full_name="Newbie", email_ok=False)
    session.commit()
    root = _client_page(token, new.id)
    call(root, ClientFormsState, "load")
    call(root, ClientFormsState, "open_send")
    s = substate(root, ClientFormsState)
    assert "Email OK is off" in s.email_note and "portal access" in s.portal_note
    assert [o["value"] for o in s.send_options] == [f"packet:{packet.id}", f"form:{template.id}"]

    ready = factories.client(session, full_name="Ready", email_ok=True)
    session.commit()
    root = _client_page(token, ready.id)
    call(root, ClientFormsState, "load")
    call(root, ClientFormsState, "open_send")
    s = substate(root, ClientFormsState)
    assert s.portal_note.startswith("This client will get access to the client portal")
    assert s.email_note == ""
    call(root, ClientFormsState, "send", {"what": f"packet:{packet.id}"})
    assert [r["state"] for r in s.form_rows] == ["sent"] and not s.send_open
    session.expire_all()
    assert session.get(Client, ready.id).portal_access == PortalAccess.INVITED

    assert call(root, ClientFormsState, "send", {"what": "packet:999"}) is None
    assert s.send_error == "That packet does not exist."
    assert call(root, ClientFormsState, "send", {"what": "nonsense"}) is None
    assert s.send_error == "Choose a packet or a form to send."


def test_remind_cancel_and_answers_are_limited_to_the_page_client(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    template = create_template(session, staff_id=staff.id, title="Intake", fields=SIMPLE)
    account, (mine,) = factories.household(session, names=("Mine",), access="active")
    other = factories.client(session, full_name="Other")
    now = factories_now()
    kw = {"staff_id": staff.id, "template_id": template.id, "base_url": BASE, "now": now}
    my_request = send_form(session, client_id=mine.id, **kw)
    their_request = send_form(session, client_id=other.id, **kw)
    session.commit()
    root = _client_page(token, mine.id)
    call(root, ClientFormsState, "load")
    for handler in ("remind", "cancel", "view_answers"):
        call(root, ClientFormsState, handler, str(their_request.id))
    session.expire_all()
    theirs = session.get(FormRequest, their_request.id)
    assert theirs.status == FormStatus.SENT and theirs.reminder_count == 0
    assert substate(root, ClientFormsState).answers_open is False

    call(root, ClientFormsState, "remind", str(my_request.id))
    session.expire_all()
    assert session.get(FormRequest, my_request.id).reminder_count == 1
    submit_form(session, client_id=mine.id, request_id=my_request.id, account_id=account.id,
                email=account.email, ip="", user_agent="", consent_version=None, now=now,
                answers={"a": "hello"})
    session.commit()
    call(root, ClientFormsState, "view_answers", str(my_request.id))
    s = substate(root, ClientFormsState)
    assert s.answers == [{"label": "A", "answer": "hello"}] and s.answers_open
    call(root, ClientFormsState, "load")
    assert s.form_rows[0]["state"] == "completed" and s.form_rows[0]["done"] == "yes"
    call(root, ClientFormsState, "cancel", str(my_request.id))  # completed: refused
    session.expire_all()
    assert session.get(FormRequest, my_request.id).status == FormStatus.COMPLETED


def test_cancel_withdraws_an_open_form(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    template = create_template(session, staff_id=staff.id, title="Intake", fields=SIMPLE)
    client = factories.client(session)
    request = send_form(session, staff_id=staff.id, client_id=client.id,
                        template_id=template.id, base_url=BASE, now=factories_now())
    session.commit()
    root = _client_page(token, client.id)
    call(root, ClientFormsState, "load")
    call(root, ClientFormsState, "cancel", str(request.id))
    session.expire_all()
    assert session.get(FormRequest, request.id).status == FormStatus.CANCELLED
    assert substate(root, ClientFormsState).form_rows == []


def test_outstanding_filters_by_state_and_form(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    a = create_template(session, staff_id=staff.id, title="A", fields=SIMPLE)
    b = create_template(session, staff_id=staff.id, title="B", fields=SIMPLE)
    client = factories.client(session, full_name="Cleo")
    kw = {"staff_id": staff.id, "client_id": client.id, "base_url": BASE,
          "now": factories_now()}
    send_form(session, template_id=a.id, **kw)
    send_form(session, template_id=b.id, **kw)
    session.commit()
    root = _forms_tab(token)
    call(root, FormsOutstandingState, "load")
    s = substate(root, FormsOutstandingState)
    assert sorted(r["form"] for r in s.rows) == ["A", "B"]
    assert s.rows[0]["url"] == f"/console/client?id={client.id}"
    call(root, FormsOutstandingState, "filter_form", str(b.id))
    assert [r["form"] for r in s.rows] == ["B"]
    call(root, FormsOutstandingState, "filter_state", "overdue")
    assert s.rows == []
    call(root, FormsOutstandingState, "filter_state", "bogus")
    assert s.state_filter == "" and len(s.rows) == 1


class _Upload:
    def __init__(self, data: bytes):
        self.data, self.name = data, "form.pdf"

    async def read(self):
        return self.data


def test_verify_accepts_our_hash_and_refuses_others(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    template = create_template(session, staff_id=staff.id, title="Intake", fields=SIMPLE)
    account, (client,) = factories.household(session, names=("Vera",), access="active")
    request = send_form(session, staff_id=staff.id, client_id=client.id,
                        template_id=template.id, base_url=BASE, now=factories_now())
    submission = submit_form(session, client_id=client.id, request_id=request.id,
                             account_id=account.id, email=account.email, ip="", user_agent="",
                             consent_version=None, now=factories_now(), answers={"a": "x"})
    session.commit()
    root = _forms_tab(token)
    s = substate(root, FormVerifyState)
    call(root, FormVerifyState, "verify", {"sha256": submission.document_sha256.upper()})
    assert s.verdict == "ok" and "signed by Vera" in s.verdict_text
    assert "(Intake, version 1)" in s.verdict_text
    call(root, FormVerifyState, "verify", {"sha256": "0" * 64})
    assert s.verdict == "bad" and s.verdict_text.startswith("Not a document we hold")
    call(root, FormVerifyState, "verify", {"sha256": "not a hash"})
    assert s.verdict == "" and s.verify_error.startswith("Enter the 64-character")
    asyncio.run(FormVerifyState.event_handlers["verify_upload"].fn(s, [_Upload(b"%PDF-1.4")]))
    assert s.verdict == "bad"


def test_verify_upload_refuses_anyone_but_staff(engine, session):
    factories.business(session)
    token = client_token(session)
    root = _forms_tab(token)
    s = substate(root, FormVerifyState)
    data = b"%PDF-1.4 x"
    result = asyncio.run(FormVerifyState.event_handlers["verify_upload"].fn(s, [_Upload(data)]))
    assert s.verdict == "" and result is not None
    assert hashlib.sha256(data).hexdigest() not in repr(root.dict())


def test_bulk_send_from_the_clients_list(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    template = create_template(session, staff_id=staff.id, title="Intake", fields=SIMPLE)
    packet = create_packet(session, staff_id=staff.id, name="New", template_ids=[template.id])
    a, b = factories.client(session), factories.client(session)
    session.commit()
    from state.console_forms.bulk import BulkFormsState

    root = tab_at(token, "/console/clients")
    call(root, BulkFormsState, "load")
    s = substate(root, BulkFormsState)
    assert s.bulk_packet == str(packet.id)
    call(root, BulkFormsState, "send_to_selected", [str(a.id), str(b.id), "999"])
    assert s.bulk_forms_message == ("Forms sent to 2 client(s). 1 skipped (access disabled, "
                                    "or no such client).")
    session.expire_all()
    assert {r.client_id for r in session.exec(select(FormRequest)).all()} == {a.id, b.id}
