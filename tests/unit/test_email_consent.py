"""Email OK (seed 004), enforced where every email is queued (services/outbox.py):
without consent nothing but the sign-in emails the person asks for goes to the
address, whichever path tries; the console's warnings read the same rule."""

import pytest
from sqlmodel import select

from models import AuditEvent, OutboxMessage, PortalAccess
from portal_app.services import activity, client_auth, clients, outbox
from portal_app.services.billing import invoices
from portal_app.services.errors import ServiceError
from portal_app.services.invitations import NO_CONSENT, invite_client, invite_clients
from portal_app.services.notifications import notify
from tests import factories
from tests.unit.helpers import BASE_URL, SECRET, code_sent_to, count


@pytest.fixture
def staff(session):
    factories.business(session, timezone="UTC")
    return factories.staff(session)


def _no_consent(session, client):
    client.email_ok = False
    session.add(client)
    session.flush()
    return client


def _queued_to(session, address) -> list[str]:
    return list(session.exec(select(OutboxMessage.idempotency_key)
                             .where(OutboxMessage.to == address)).all())


def test_an_email_to_an_address_without_consent_is_not_queued(session, staff):
    client = _no_consent(session, factories.client(session, email="quiet@example.test"))

    queued = outbox.enqueue_email(session, to="Quiet@Example.test", template="notification",
                                  business=None, idempotency_key="n-1",
                                  client_name="Q", title="Hello", url=BASE_URL)

    assert queued is None
    assert count(session, OutboxMessage) == 0
    blocked = session.exec(select(AuditEvent).where(AuditEvent.action == "email.blocked")).one()
    assert (blocked.client_id, blocked.detail["template"]) == (client.id, "notification")
    assert activity.recent_activity(session, client_id=client.id)[0].text.endswith(
        "was held back (Email OK is off)")


def test_the_portal_email_counts_as_the_clients_address(session, staff):
    _, (member,) = factories.household(session, email="portal@example.test",
                                       access=PortalAccess.ACTIVE)
    member.email = "contact@example.test"  # the contact email differs from the sign-in
    _no_consent(session, member)

    assert outbox.consent_withheld_by(session, to="portal@example.test") == member.id
    assert outbox.consent_withheld_by(session, to="contact@example.test") == member.id
    assert outbox.consent_withheld_by(session, to="someone@example.test") is None


def test_sign_in_codes_still_go_without_consent(session, staff):
    account, (client,) = factories.household(session, email="codes@example.test",
                                             access=PortalAccess.ACTIVE)
    _no_consent(session, client)

    client_auth.request_sign_in_code(session, email="codes@example.test", secret_key=SECRET,
                                     sms_enabled=False)

    assert len(code_sent_to(session, "codes@example.test")) == 6


def test_every_path_obeys_consent(session, staff):
    """A staff-side path (an invoice), a bell email (notify) and an invitation: none goes."""
    client = _no_consent(session, factories.client(session, email="nomail@example.test"))
    invoice = invoices.save_draft(
        session, staff_id=staff.id, invoice_id=None,
        form={"client_id": client.id, "kind": "invoice"},
        lines=[{"description": "Session", "quantity": "1", "unit_price": "80.00"}])
    invoices.send_invoice(session, staff_id=staff.id, invoice_id=invoice.id, base_url=BASE_URL)
    notify(session, client_id=client.id, kind="message", title="A new message",
           link="/messages", base_url=BASE_URL)
    with pytest.raises(ServiceError) as refused:
        invite_client(session, staff_id=staff.id, client_id=client.id, base_url=BASE_URL)
    bulk = invite_clients(session, staff_id=staff.id, client_ids=[client.id],
                          base_url=BASE_URL, request_key="k")

    assert _queued_to(session, "nomail@example.test") == []
    assert refused.value.message == NO_CONSENT
    assert (bulk.invited, bulk.skipped) == (0, [(client.id, NO_CONSENT)])
    assert clients.email_held_back(session, client_id=client.id) is True


def test_ticking_email_ok_again_lets_email_through_and_is_audited(session, staff):
    client = _no_consent(session, factories.client(session, email="back@example.test"))
    clients.set_email_consent(session, staff_id=staff.id, client_id=client.id, email_ok=True)
    clients.set_email_consent(session, staff_id=staff.id, client_id=client.id, email_ok=True)

    invite_client(session, staff_id=staff.id, client_id=client.id, base_url=BASE_URL)

    assert len(_queued_to(session, "back@example.test")) == 1
    assert clients.email_held_back(session, client_id=client.id) is False
    changes = session.exec(select(AuditEvent).where(
        AuditEvent.action == "client.email_consent_changed")).all()
    assert [c.detail["email_ok"] for c in changes] == [True]


def test_a_new_client_records_the_email_ok_box(session, staff):
    declined = clients.create_client(session, staff_id=staff.id, email_ok=False,
                                     form={"full_name": "No Mail", "email": "n@example.test"})
    default = clients.create_client(session, staff_id=staff.id,
                                    form={"full_name": "Some Mail", "email": "s@example.test"})
    assert (declined.email_ok, default.email_ok) == (False, True)


def test_turning_email_ok_off_holds_back_what_is_still_queued_but_not_sign_in_codes(
        session, staff):
    account, (client,) = factories.household(session, names=("Rae",), access="active")
    address = client.email
    outbox.enqueue_email(session, to=address, template="notification", business=None,
                         idempotency_key="n-queued", client_name="R", title="Hi", url=BASE_URL)
    outbox.enqueue_email(session, to=address, template="sign_in_code", business=None,
                         idempotency_key="code-queued", code="123456", minutes=10)
    outbox.enqueue_email(session, to="someone.else@example.test", template="notification",
                         business=None, idempotency_key="n-other", client_name="S",
                         title="Hi", url=BASE_URL)
    session.flush()

    clients.set_email_consent(session, staff_id=staff.id, client_id=client.id, email_ok=False)

    status = dict(session.exec(select(OutboxMessage.idempotency_key, OutboxMessage.status)).all())
    assert status == {"n-queued": "withheld", "code-queued": "pending", "n-other": "pending"}
    changed = session.exec(select(AuditEvent).where(
        AuditEvent.action == "client.email_consent_changed")).one()
    assert changed.detail["withheld"] == 1
    # turning it back on does not send what was held back while consent was off
    clients.set_email_consent(session, staff_id=staff.id, client_id=client.id, email_ok=True)
    assert session.exec(select(OutboxMessage.status)
                        .where(OutboxMessage.idempotency_key == "n-queued")).one() == "withheld"
