"""Portal activation (seeds 003 and 004): the business's moment (manual, on creation,
at the first booking, at the first share), each trigger once, an existing sign-in
linked instead of invited, and the setting itself. Rules only, no Reflex."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models import (
    AuditEvent,
    Client,
    Invitation,
    OutboxMessage,
    PortalAccess,
    PortalAccount,
    PortalActivation,
)
from portal_app.providers.storage import LocalFileStorage
from portal_app.services import activation, clients, portal_settings
from portal_app.services.documents import IncomingFile, share_documents
from portal_app.services.errors import ServiceError
from portal_app.services.invitations import NO_CONSENT, invite_client
from portal_app.services.scheduling import booking_changes
from portal_app.services.sessions import list_eligible_records
from tests import factories
from tests.unit.helpers import BASE_URL, NOW, count
from tests.unit.test_file_checks import pdf_bytes

AT = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)  # a Monday after NOW
LIMITS = {"max_file_bytes": 10 * 1024 * 1024, "max_request_bytes": 25 * 1024 * 1024}


@pytest.fixture
def staff(session):
    factories.business(session, timezone="UTC")
    return factories.staff(session)


def _mode(session, staff, mode):
    portal_settings.set_activation_mode(session, staff_id=staff.id, mode=mode)


def _new_client(session, staff, *, email="robin@example.test", email_ok=True, invite=False):
    """Create a client as the console does (create, then the creation hook)."""
    client = clients.create_client(session, staff_id=staff.id, email_ok=email_ok,
                                   form={"full_name": "Robin Park", "email": email})
    outcome = activation.activate_on_create(session, client_id=client.id, staff_id=staff.id,
                                            base_url=BASE_URL, invite=invite, now=NOW)
    return client, outcome


def _invitations(session, client) -> int:
    return len(session.exec(select(Invitation).where(Invitation.client_id == client.id)).all())


def _emails_to(session, address) -> list[str]:
    return list(session.exec(select(OutboxMessage.subject)
                             .where(OutboxMessage.to == address)).all())


def _book(session, staff, client, at=AT):
    factories.working_hours(session, staff, (0, "09:00", "17:00"))
    svc = factories.service(session, providers=[staff], duration_minutes=60)
    return booking_changes.book_with_notice(session, client_id=client.id, service_id=svc.id,
                                            start_at=at, now=NOW, base_url=BASE_URL,
                                            by_staff_id=staff.id)


def _share(session, staff, client, tmp_path, name="plan.pdf"):
    return share_documents(session, staff_id=staff.id, client_id=client.id,
                           files=[IncomingFile(filename=name, data=pdf_bytes())],
                           storage=LocalFileStorage(tmp_path / "files"), base_url=BASE_URL,
                           **LIMITS)


# --- manual: nothing automatic ---------------------------------------------------------------


def test_manual_activation_is_the_default_and_nothing_is_automatic(session, staff, tmp_path):
    client, outcome = _new_client(session, staff)
    _book(session, staff, client)
    _share(session, staff, client, tmp_path)

    assert activation.activation_mode(session) == PortalActivation.MANUAL
    assert outcome == activation.NOT_NOW
    session.refresh(client)
    assert (client.portal_access, client.invited_at) == (PortalAccess.NOT_INVITED, None)
    assert _invitations(session, client) == 0


def test_ticking_invite_at_creation_invites_even_when_manual(session, staff):
    client, outcome = _new_client(session, staff, invite=True)

    assert outcome == activation.INVITED
    assert (client.portal_access, _invitations(session, client)) == (PortalAccess.INVITED, 1)


# --- each trigger, once ----------------------------------------------------------------------


def test_activation_on_creation_invites_once(session, staff):
    _mode(session, staff, PortalActivation.ON_CREATE)
    client, outcome = _new_client(session, staff)
    again = activation.activate_on_create(session, client_id=client.id, staff_id=staff.id,
                                          base_url=BASE_URL, now=NOW)

    assert (outcome, again) == (activation.INVITED, activation.NOT_NOW)
    assert client.portal_access == PortalAccess.INVITED
    assert _invitations(session, client) == 1
    assert len(_emails_to(session, "robin@example.test")) == 1


def test_activation_at_the_first_booking_invites_once(session, staff):
    _mode(session, staff, PortalActivation.FIRST_BOOKING)
    client, created = _new_client(session, staff)
    assert (created, client.portal_access) == (activation.NOT_NOW, PortalAccess.NOT_INVITED)

    _book(session, staff, client)
    session.refresh(client)
    assert client.portal_access == PortalAccess.INVITED
    _book(session, staff, client, AT + timedelta(days=7))

    assert _invitations(session, client) == 1


def test_activation_at_the_first_share_invites_once(session, staff, tmp_path):
    _mode(session, staff, PortalActivation.FIRST_SHARE)
    client, _ = _new_client(session, staff)
    _book(session, staff, client)  # not this business's moment
    session.refresh(client)
    assert client.portal_access == PortalAccess.NOT_INVITED
    assert activation.share_outcome(session, client_id=client.id) == activation.INVITED

    _share(session, staff, client, tmp_path)
    _share(session, staff, client, tmp_path, name="second.pdf")

    session.refresh(client)
    assert client.portal_access == PortalAccess.INVITED
    assert _invitations(session, client) == 1
    assert activation.share_outcome(session, client_id=client.id) == activation.NOT_NOW


def test_a_client_once_invited_or_disabled_is_never_activated_again(session, staff):
    _mode(session, staff, PortalActivation.FIRST_BOOKING)
    invited, _ = _new_client(session, staff, email="was-invited@example.test")
    invite_client(session, staff_id=staff.id, client_id=invited.id, base_url=BASE_URL,
                  now=NOW - timedelta(days=30))  # long expired, never accepted
    disabled, _ = _new_client(session, staff, email="disabled@example.test")
    clients.disable_access(session, staff_id=staff.id, client_id=disabled.id)

    for client in (invited, disabled):
        outcome = activation.activate_on_first_booking(session, client_id=client.id,
                                                       base_url=BASE_URL, now=NOW)
        assert outcome == activation.NOT_NOW
    assert (_invitations(session, invited), _invitations(session, disabled)) == (1, 0)
    assert disabled.portal_access == PortalAccess.DISABLED


@pytest.mark.parametrize(("setup", "reason"), [
    ({"email": ""}, activation.NO_EMAIL_YET),
    ({"email_ok": False}, activation.EMAIL_NOT_OK),
])
def test_no_email_or_no_consent_activates_nothing(session, staff, setup, reason):
    _mode(session, staff, PortalActivation.ON_CREATE)
    client, outcome = _new_client(session, staff, **setup)

    assert outcome == reason
    assert (client.portal_access, _invitations(session, client)) == (
        PortalAccess.NOT_INVITED, 0)
    assert count(session, OutboxMessage) == 0


def test_activation_waits_while_the_portal_is_off(session, staff):
    _mode(session, staff, PortalActivation.ON_CREATE)
    portal_settings.set_portal_enabled(session, staff_id=staff.id, enabled=False)
    client, outcome = _new_client(session, staff)
    assert outcome == activation.PORTAL_OFF
    assert client.portal_access == PortalAccess.NOT_INVITED


def test_ticking_invite_without_email_ok_is_refused_beside_the_box(session, staff):
    with pytest.raises(ServiceError) as refused:
        _new_client(session, staff, email_ok=False, invite=True)
    assert (refused.value.message, refused.value.field) == (NO_CONSENT, "email_ok")


# --- an existing sign-in is linked, not invited ------------------------------------------------


def test_a_client_whose_email_already_signs_in_is_linked_not_invited(session, staff):
    account, (sibling,) = factories.household(session, email="family@example.test",
                                              access=PortalAccess.ACTIVE)
    account.last_sign_in_at = NOW - timedelta(days=3)
    session.add(account)
    session.flush()
    _mode(session, staff, PortalActivation.ON_CREATE)

    client, outcome = _new_client(session, staff, email="Family@Example.test")

    assert outcome == activation.LINKED
    assert (client.account_id, client.portal_access) == (account.id, PortalAccess.ACTIVE)
    assert _invitations(session, client) == 0
    assert _emails_to(session, "family@example.test") == []  # no sign-up email
    assert {r.id for r in list_eligible_records(session, account_id=account.id)} == {
        sibling.id, client.id}
    linked = session.exec(select(AuditEvent).where(AuditEvent.action == "client.portal_linked",
                                                   AuditEvent.client_id == client.id)).one()
    assert linked.detail["trigger"] == PortalActivation.ON_CREATE


def test_an_account_that_was_never_used_gets_the_invitation(session, staff):
    session.add(PortalAccount(email="pending@example.test"))  # an open invitation elsewhere
    session.flush()
    _mode(session, staff, PortalActivation.ON_CREATE)

    client, outcome = _new_client(session, staff, email="pending@example.test")

    assert outcome == activation.INVITED
    assert _invitations(session, client) == 1


# --- the setting and the list's invitation age ------------------------------------------------


def test_the_activation_setting_is_checked_and_audited(session, staff):
    with pytest.raises(ServiceError) as refused:
        portal_settings.set_activation_mode(session, staff_id=staff.id, mode="sometimes")
    assert refused.value.field == "portal_activation"
    assert activation.activation_mode(session) == PortalActivation.MANUAL

    _mode(session, staff, PortalActivation.FIRST_SHARE)
    _mode(session, staff, PortalActivation.FIRST_SHARE)  # unchanged: no second audit row

    assert activation.activation_mode(session) == PortalActivation.FIRST_SHARE
    audits = session.exec(select(AuditEvent).where(
        AuditEvent.action == "portal.activation_changed")).all()
    assert [a.detail["mode"] for a in audits] == [PortalActivation.FIRST_SHARE]
    assert {value for value, _ in portal_settings.ACTIVATION_CHOICES} == set(
        PortalActivation.ALL)


@pytest.mark.parametrize(("ago", "text"), [
    (timedelta(hours=3), "invited today"),
    (timedelta(days=1, hours=2), "invited yesterday"),
    (timedelta(days=6, hours=23), "invited 6 days ago"),
    (timedelta(days=9), "invited 9 days ago, link expired"),
])
def test_invitation_age_reads_in_whole_days_and_says_when_the_link_expired(ago, text):
    assert clients.invitation_age(NOW - ago, now=NOW, ttl_days=7) == text
    assert clients.invitation_age(None, now=NOW, ttl_days=7) == ""


def test_existing_clients_keep_email_ok(session, staff):
    """The column's default (and the migration's server default) is consent given."""
    session.add(Client(full_name="Old Client", email="old@example.test"))
    session.flush()
    old = session.exec(select(Client).where(Client.email == "old@example.test")).one()
    assert old.email_ok is True
