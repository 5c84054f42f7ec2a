"""Console wiring of the forms triggers: creating a client from the clients list
sends the packets set to go "when a client is created" (once), in the same event."""

from sqlmodel import select

from models import Client, FormRequest, FormTriggerFiring, OutboxMessage
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.templates import create_template
from state.console_clients import ClientListState
from tests import factories
from tests.state.harness import call, tab_at
from tests.state.test_console_billing import staff_token
from tests.unit.forms_helpers import INTAKE_FIELDS


def test_creating_a_client_sends_the_on_client_created_packet(engine, session):
    factories.business(session)
    token, staff = staff_token(session)
    intake = create_template(session, staff_id=staff.id, title="Intake", fields=INTAKE_FIELDS)
    create_packet(session, staff_id=staff.id, name="New client", template_ids=[intake.id],
                  trigger="client_created")
    session.commit()
    root = tab_at(token, "/console/clients")
    call(root, ClientListState, "load")

    call(root, ClientListState, "create_client",
         {"full_name": "New Client", "email": "new@example.test", "email_ok": "on"})

    session.expire_all()
    client = session.exec(select(Client)).one()
    requests = session.exec(select(FormRequest).where(FormRequest.client_id == client.id)).all()
    assert [(r.template_id, r.trigger) for r in requests] == [(intake.id, "client_created")]
    assert len(session.exec(select(FormTriggerFiring)).all()) == 1
    assert any(key.startswith("forms-") for key in session.exec(
        select(OutboxMessage.idempotency_key)).all())


def test_open_sign_up_sends_the_on_client_created_packet_too(engine, session):
    """A client who signs up on their own gets the same "new client" packet as one
    staff create, once."""
    from portal_app.services import client_auth
    from portal_app.settings import get_settings
    from state.login import RegisterState
    from tests.state.harness import new_tab
    from tests.unit.helpers import code_sent_to

    factories.business(session)  # open sign-up
    staff = factories.staff(session)
    intake = create_template(session, staff_id=staff.id, title="Intake", fields=INTAKE_FIELDS)
    create_packet(session, staff_id=staff.id, name="New client", template_ids=[intake.id],
                  trigger="client_created")
    email = "self.signup@example.test"
    client_auth.start_registration(session, full_name="Self Signup", email=email,
                                   password="a long passphrase 42",
                                   secret_key=get_settings().secret_key)
    session.commit()
    root = new_tab(path="/register")
    root.get_substate(RegisterState.get_full_name().split(".")[1:]).email = email

    call(root, RegisterState, "finish", {"code": code_sent_to(session, email)})

    session.expire_all()
    client = session.exec(select(Client).where(Client.email == email)).one()
    requests = session.exec(select(FormRequest).where(FormRequest.client_id == client.id)).all()
    assert [(r.template_id, r.trigger) for r in requests] == [(intake.id, "client_created")]
