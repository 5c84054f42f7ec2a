"""Staff adding a client (services/client_intake.py), the one sequence behind the
clients list's and the calendar's "New client": the record with its Email OK, the
portal invitation when asked for, the "when a client is created" packets; a refusal
at any step, beside its field, leaves nothing behind once the event rolls back."""

import pytest
from sqlmodel import select

from models import AuditEvent, Client, FormRequest, Invitation, OutboxMessage, PortalAccess
from portal_app.db import session_scope
from portal_app.services import client_intake
from portal_app.services.errors import ServiceError
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.templates import create_template
from tests import factories
from tests.unit.forms_helpers import INTAKE_FIELDS, NOW

BASE = "https://portal.example.test"


@pytest.fixture
def world(session):
    factories.business(session, timezone="UTC")
    staff = factories.staff(session)
    intake = create_template(session, staff_id=staff.id, title="Intake", fields=INTAKE_FIELDS)
    create_packet(session, staff_id=staff.id, name="New client", template_ids=[intake.id],
                  trigger="client_created")
    session.commit()
    return staff, intake


def test_add_client_records_consent_invites_and_sends_the_created_packet(session, world):
    staff, intake = world
    client = client_intake.add_client(
        session, staff_id=staff.id, base_url=BASE, now=NOW,
        form={"full_name": " Robin  Park ", "email": "Robin@Example.test", "mobile": "",
              "email_ok": "on", "invite": "on"})

    assert (client.full_name, client.email, client.email_ok) == (
        "Robin Park", "robin@example.test", True)
    assert client.portal_access == PortalAccess.INVITED
    assert client.timezone == "UTC"  # the business's, as the form asks none
    assert len(session.exec(select(Invitation).where(Invitation.client_id == client.id)).all()) == 1
    assert [r.template_id for r in session.exec(select(FormRequest).where(
        FormRequest.client_id == client.id)).all()] == [intake.id]
    assert session.exec(select(AuditEvent.action).where(
        AuditEvent.client_id == client.id, AuditEvent.action == "client.created")).all() == [
        "client.created"]


def test_add_client_without_the_boxes_invites_no_one_and_records_no_consent(session, world):
    staff, intake = world
    client = client_intake.add_client(session, staff_id=staff.id, base_url=BASE, now=NOW,
                                      form={"full_name": "Sam Lee"})

    assert (client.email_ok, client.portal_access) == (False, PortalAccess.NOT_INVITED)
    assert session.exec(select(Invitation)).all() == []
    # The packet is still made (staff see it outstanding); with no address, no email.
    assert [r.template_id for r in session.exec(select(FormRequest)).all()] == [intake.id]
    assert session.exec(select(OutboxMessage)).all() == []


@pytest.mark.parametrize(("form", "field"), [
    ({"full_name": "  ", "email": "a@example.test", "email_ok": "on"}, "full_name"),
    ({"full_name": "Robin Park", "email": "not an email", "email_ok": "on"}, "email"),
    ({"full_name": "Robin Park", "mobile": "12", "email_ok": "on"}, "mobile"),
    ({"full_name": "Robin Park", "email": "r@example.test", "invite": "on"}, "email_ok"),
    ({"full_name": "Robin Park", "email_ok": "on", "invite": "on"}, "email"),
])
def test_a_refusal_names_its_field_and_the_event_leaves_nothing(engine, session, world, form,
                                                                 field):
    staff, _ = world
    with pytest.raises(ServiceError) as refused, session_scope() as scope:
        client_intake.add_client(scope, staff_id=staff.id, form=form, base_url=BASE, now=NOW)

    assert refused.value.field == field
    session.expire_all()
    assert session.exec(select(Client)).all() == []
    assert session.exec(select(FormRequest)).all() == []
    assert session.exec(select(OutboxMessage)).all() == []
