"""Sign-up adding a record to a household (the business allows several records per
email): the new record gets the "when a client is created" packets (the records
already there get nothing again), and the browser goes on to the record picker.
A one-record sign-in goes to the business's landing app when the client may use it."""

from sqlmodel import select

from models import Client, FormRequest, GrantKind, GrantSource
from portal_app import apps, routes
from portal_app.services import client_auth
from portal_app.services.forms.packets import create_packet
from portal_app.services.forms.templates import create_template
from portal_app.services.hub import entitlements
from portal_app.settings import get_settings
from state.login import LoginState, RegisterState
from tests import factories
from tests.state.harness import call, new_tab, substate
from tests.unit.forms_helpers import INTAKE_FIELDS
from tests.unit.helpers import code_sent_to


def test_sign_up_with_a_known_email_adds_a_record_and_goes_to_the_picker(engine, session):
    factories.business(session, allow_several_records_per_email=True)
    staff = factories.staff(session)
    intake = create_template(session, staff_id=staff.id, title="Intake", fields=INTAKE_FIELDS)
    create_packet(session, staff_id=staff.id, name="New client", template_ids=[intake.id],
                  trigger="client_created")
    account, (first,) = factories.household(session, names=("Ana",), access="active")
    client_auth.start_registration(session, full_name="Sam Second", email=account.email,
                                   password="a long passphrase 42",
                                   secret_key=get_settings().secret_key)
    session.commit()
    root = new_tab(path="/register")
    substate(root, RegisterState).email = account.email

    result = call(root, RegisterState, "finish", {"code": code_sent_to(session, account.email)})

    assert routes.SELECT_ACCOUNT in repr(result)
    session.expire_all()
    added = session.exec(select(Client).where(Client.full_name == "Sam Second")).one()
    assert added.account_id == account.id
    sent = session.exec(select(FormRequest.client_id)).all()
    assert sent == [added.id]  # the existing record got nothing again


def test_a_one_record_sign_in_lands_on_the_landing_app_when_granted(engine, session):
    factories.business(session, apps_enabled=["courses"], landing_app="courses")
    account, (ana,) = factories.household(session, names=("Ana",), access="active")
    session.commit()
    root = new_tab(path="/login")

    def sign_in():
        client_auth.request_sign_in_code(session, email=account.email, sms_enabled=False,
                                         secret_key=get_settings().secret_key)
        session.commit()
        substate(root, LoginState).email = account.email
        return repr(call(root, LoginState, "submit_code",
                         {"code": code_sent_to(session, account.email)}))

    assert routes.DASHBOARD in sign_in()
    entitlements.grant(session, client_id=ana.id, kind=GrantKind.APP, app_key=apps.COURSES,
                       source=GrantSource.STAFF)
    session.commit()
    assert routes.COURSES in sign_in()
