"""Portal invitations: sending, opening vs accepting, expiry, concurrency, changing the
portal email, previews and bulk invites."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    AuditEvent,
    AuthSession,
    Client,
    Invitation,
    OutboxMessage,
    PortalAccess,
    PortalAccount,
    SignInTicket,
)
from portal_app.db import session_scope
from portal_app.services import clients, invitations
from portal_app.services.crypto import sha256_hex
from portal_app.services.errors import PortalClosed, ServiceError
from portal_app.services.invitations import (
    ALREADY_ACTIVE,
    INVALID_LINK,
    NO_EMAIL,
    accept_invitation,
    change_portal_email,
    invite_client,
    invite_clients,
    open_invitation,
    preview_invitation,
)
from tests import factories
from tests.unit.helpers import (
    BASE_URL,
    INVITE_KEY_RE,
    NOW,
    count,
    invite_and_sign_in,
    invite_key_sent_to,
    last_message,
    redeem,
    resolve,
)


@pytest.fixture
def business(session):
    return factories.business(session, name="Harbour Physio", invite_ttl_days=7)


@pytest.fixture
def staff(session, business):
    return factories.staff(session)


def _client(session, staff, *, name="Robin Park", email="robin@example.test", **form):
    return clients.create_client(session, staff_id=staff.id,
                                 form={"full_name": name, "email": email, **form})


def _invite(session, staff, client, *, now=NOW, **kwargs):
    invitation = invite_client(session, staff_id=staff.id, client_id=client.id,
                               base_url=BASE_URL, now=now, **kwargs)
    return invitation, invite_key_sent_to(session, invitation.email)


def _audits(session, action, client_id=None):
    stmt = select(AuditEvent).where(AuditEvent.action == action)
    if client_id is not None:
        stmt = stmt.where(AuditEvent.client_id == client_id)
    return session.exec(stmt).all()


def _refused(fn):
    with pytest.raises(ServiceError) as exc:
        fn()
    return exc.value


# --- inviting ------------------------------------------------------------------------------


def test_invite_client_stores_hash_and_queues_one_email(session, staff, business):
    client = _client(session, staff)

    invitation, key = _invite(session, staff, client, message="See you soon!")

    session.commit()
    account = session.exec(select(PortalAccount)).one()
    assert account.email == "robin@example.test"
    assert (invitation.client_id, invitation.account_id) == (client.id, account.id)
    assert invitation.created_by_staff_id == staff.id
    assert invitation.expires_at == NOW + timedelta(days=business.invite_ttl_days)
    row = session.execute(text("SELECT * FROM invitation")).mappings().one()
    assert row["token_hash"] == sha256_hex(key)
    assert all(key not in str(value) for value in row.values())
    session.refresh(client)
    assert (client.portal_access, client.invited_at) == (PortalAccess.INVITED, NOW)
    assert client.account_id == account.id
    (message,) = session.exec(select(OutboxMessage)).all()
    assert message.to == "robin@example.test"
    assert f"{BASE_URL}/invite?key={key}" in message.body_text
    assert "Robin Park" in message.body_text and "See you soon!" in message.body_text
    assert "Harbour Physio" in message.subject
    assert len(_audits(session, "client.invited", client.id)) == 1


def test_invite_client_without_email_is_refused(session, staff):
    client = _client(session, staff, email="")

    error = _refused(lambda: _invite(session, staff, client))

    assert (error.field, error.message) == ("email", NO_EMAIL)
    assert count(session, Invitation) == count(session, OutboxMessage) == 0


def test_invite_client_already_active_is_refused(session, staff):
    client = _client(session, staff)
    invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)

    error = _refused(lambda: _invite(session, staff, client))

    assert error.message == ALREADY_ACTIVE
    assert count(session, Invitation) == count(session, OutboxMessage) == 1


def test_reinvite_retires_the_old_link(session, staff):
    client = _client(session, staff)
    first, old_key = _invite(session, staff, client)

    second, new_key = _invite(session, staff, client, now=NOW + timedelta(hours=1))

    assert old_key != new_key
    session.refresh(first)
    assert first.revoked_at == NOW + timedelta(hours=1)
    assert second.account_id == first.account_id  # same portal account, not a new one
    assert count(session, PortalAccount) == 1
    assert count(session, OutboxMessage) == 2
    assert open_invitation(session, raw=old_key, now=NOW + timedelta(hours=2)).valid is False
    error = _refused(lambda: accept_invitation(session, raw=old_key,
                                               now=NOW + timedelta(hours=2)))
    assert error.message == INVALID_LINK
    assert accept_invitation(session, raw=new_key, now=NOW + timedelta(hours=2)).ticket


# --- opening and accepting -----------------------------------------------------------------


def test_open_invitation_consumes_nothing_and_audits_first_open(session, staff):
    client = _client(session, staff)
    invitation, key = _invite(session, staff, client)

    views = [open_invitation(session, raw=key, now=NOW + timedelta(minutes=m))
             for m in (1, 2, 3)]

    assert all(v.valid for v in views)
    assert (views[0].client_name, views[0].email) == ("Robin Park", "robin@example.test")
    session.refresh(invitation)
    assert (invitation.opened_at, invitation.used_at) == (NOW + timedelta(minutes=1), None)
    assert len(_audits(session, "client.invitation_opened", client.id)) == 1
    assert accept_invitation(session, raw=key, now=NOW + timedelta(minutes=4)).ticket


@pytest.mark.parametrize("raw", ["", "not-a-key", "k" * 500])
def test_open_invitation_unknown_key_is_invalid(session, staff, raw):
    assert open_invitation(session, raw=raw, now=NOW).valid is False
    assert _refused(lambda: accept_invitation(session, raw=raw, now=NOW)).message == INVALID_LINK


def test_accept_invitation_signs_in_and_activates(session, staff):
    client = _client(session, staff)
    invitation, key = _invite(session, staff, client)
    accepted_at = NOW + timedelta(hours=3)

    signed_in = accept_invitation(session, raw=key, ip="192.0.2.7", now=accepted_at)

    assert (signed_in.account_id, signed_in.record_count) == (invitation.account_id, 1)
    token = redeem(session, signed_in.ticket, now=accepted_at)
    ctx = resolve(session, token, now=accepted_at)
    assert (ctx.client_id, ctx.email) == (client.id, "robin@example.test")
    session.refresh(client)
    session.refresh(invitation)
    assert client.portal_access == PortalAccess.ACTIVE
    assert client.first_sign_in_at == client.last_sign_in_at == accepted_at
    assert invitation.used_at == accepted_at
    (audit,) = _audits(session, "client.invitation_accepted", client.id)
    assert audit.ip == "192.0.2.7"


def test_accept_invitation_works_only_once(session, staff):
    client = _client(session, staff)
    _, key = _invite(session, staff, client)
    accept_invitation(session, raw=key, now=NOW)

    error = _refused(lambda: accept_invitation(session, raw=key, now=NOW + timedelta(seconds=1)))

    assert error.message == INVALID_LINK
    assert count(session, SignInTicket) == 1


@pytest.mark.parametrize(("after", "works"), [
    (timedelta(days=7) - timedelta(seconds=1), True),
    (timedelta(days=7), False),
    (timedelta(days=30), False),
])
def test_accept_invitation_expires_after_invite_ttl(session, staff, after, works):
    client = _client(session, staff)
    _, key = _invite(session, staff, client)

    if works:
        assert open_invitation(session, raw=key, now=NOW + after).valid
        assert accept_invitation(session, raw=key, now=NOW + after).ticket
    else:
        assert open_invitation(session, raw=key, now=NOW + after).valid is False
        assert _refused(lambda: accept_invitation(session, raw=key, now=NOW + after)).message \
            == INVALID_LINK
        session.refresh(client)
        assert client.portal_access == PortalAccess.INVITED


def test_invite_ttl_follows_business_setting(session, staff, business):
    business.invite_ttl_days = 2
    session.add(business)
    client = _client(session, staff)
    _, key = _invite(session, staff, client)

    assert _refused(lambda: accept_invitation(session, raw=key,
                                              now=NOW + timedelta(days=2))).message == INVALID_LINK


def test_portal_switched_off_refuses_open_and_accept(session, staff, business):
    client = _client(session, staff)
    _, key = _invite(session, staff, client)
    business.portal_enabled = False
    session.add(business)

    with pytest.raises(PortalClosed):
        open_invitation(session, raw=key, now=NOW)
    with pytest.raises(PortalClosed):
        accept_invitation(session, raw=key, now=NOW)

    business.portal_enabled = True
    session.add(business)
    assert accept_invitation(session, raw=key, now=NOW).ticket  # the link was not spent


def test_disable_access_after_invite_refuses_link(session, staff):
    client = _client(session, staff)
    _, key = _invite(session, staff, client)

    clients.disable_access(session, staff_id=staff.id, client_id=client.id)

    assert open_invitation(session, raw=key, now=NOW).valid is False
    assert _refused(lambda: accept_invitation(session, raw=key, now=NOW)).message == INVALID_LINK
    assert count(session, SignInTicket) == 0


def test_concurrent_accepts_of_one_link_sign_in_once(engine, session, staff):
    client = _client(session, staff)
    _, key = _invite(session, staff, client)
    session.commit()
    threads = 8
    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    outcomes: list[object] = []

    def attempt():
        with Session(engine, expire_on_commit=False) as own:
            barrier.wait(timeout=30)
            try:
                signed_in = accept_invitation(own, raw=key, now=NOW)
                own.commit()
                result: object = signed_in
            except ServiceError as exc:
                own.rollback()
                result = exc.message
            except Exception as exc:  # surfaced in the assertion below
                own.rollback()
                result = exc
        with lock:
            outcomes.append(result)

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)

    winners = [o for o in outcomes if isinstance(o, invitations.SignedIn)]
    assert len(outcomes) == threads
    assert len(winners) == 1, outcomes
    assert [o for o in outcomes if o is not winners[0]] == [INVALID_LINK] * (threads - 1)
    session.expire_all()
    assert count(session, SignInTicket) == 1
    assert len(_audits(session, "client.invitation_accepted")) == 1
    assert session.get(Client, client.id).portal_access == PortalAccess.ACTIVE


# --- changing the portal email -------------------------------------------------------------


@pytest.mark.parametrize("also_primary", [True, False])
def test_change_portal_email_moves_record_and_invites_new_email(session, staff, also_primary):
    client = _client(session, staff, email="old@example.test")
    old_token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    old_account_id = client.account_id

    invitation = change_portal_email(session, staff_id=staff.id, client_id=client.id,
                                     new_email=" New@Example.TEST ", also_primary=also_primary,
                                     base_url=BASE_URL, now=NOW)

    session.refresh(client)
    new_account = session.exec(select(PortalAccount)
                               .where(PortalAccount.email == "new@example.test")).one()
    assert client.account_id == new_account.id != old_account_id
    assert client.portal_access == PortalAccess.INVITED
    assert client.email == ("new@example.test" if also_primary else "old@example.test")
    assert (invitation.email, invitation.account_id) == ("new@example.test", new_account.id)
    notice = last_message(session, "old@example.test")
    assert "sign-in email has changed" in notice.subject
    assert "no longer gives access" in notice.body_text
    assert "/invite?key=" not in notice.body_text
    key = invite_key_sent_to(session, "new@example.test")
    assert resolve(session, old_token) is None  # old email held no other record
    assert session.get(AuthSession, 1).revoked_at == NOW
    new_token = redeem(session, accept_invitation(session, raw=key, now=NOW).ticket)
    assert resolve(session, new_token).client_id == client.id
    (audit,) = _audits(session, "client.portal_email_changed", client.id)
    assert (audit.detail["old"], audit.detail["new"]) == ("old@example.test", "new@example.test")
    assert audit.detail["also_primary"] is also_primary


def test_change_portal_email_keeps_old_sessions_when_old_email_has_other_record(session, staff):
    client = _client(session, staff, email="family@example.test")
    token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    member = clients.add_household_member(session, staff_id=staff.id, client_id=client.id,
                                          full_name="Kim Park")

    change_portal_email(session, staff_id=staff.id, client_id=member.id,
                        new_email="kim@example.test", also_primary=True, base_url=BASE_URL,
                        now=NOW)

    ctx = resolve(session, token)
    assert ctx is not None
    assert [r.id for r in ctx.records] == [client.id]
    assert session.exec(select(AuthSession)).one().revoked_at is None


def test_change_portal_email_of_uninvited_client_sends_no_notice(session, staff):
    client = _client(session, staff, email="")

    change_portal_email(session, staff_id=staff.id, client_id=client.id,
                        new_email="first@example.test", also_primary=True, base_url=BASE_URL,
                        now=NOW)

    assert [m.to for m in session.exec(select(OutboxMessage)).all()] == ["first@example.test"]
    session.refresh(client)
    assert (client.email, client.portal_access) == ("first@example.test", PortalAccess.INVITED)


@pytest.mark.parametrize("new_email", ["robin@example.test", " ROBIN@example.test ", "bad"])
def test_change_portal_email_to_same_or_invalid_email_is_refused(session, staff, new_email):
    client = _client(session, staff)
    _invite(session, staff, client)

    error = _refused(lambda: change_portal_email(
        session, staff_id=staff.id, client_id=client.id, new_email=new_email, also_primary=True,
        base_url=BASE_URL, now=NOW))

    assert error.field == "new_email"
    assert count(session, OutboxMessage) == 1


# --- preview -------------------------------------------------------------------------------


def test_preview_invitation_shows_text_without_a_real_key(session, staff):
    client = _client(session, staff)

    subject, body = preview_invitation(session, client_id=client.id, base_url=BASE_URL,
                                       message="We look forward to it.")

    assert "Harbour Physio" in subject
    assert "Robin Park" in body and "We look forward to it." in body
    assert "robin@example.test" in body
    assert f"{BASE_URL}/invite?key=" in body
    # Only the readable placeholder, never a real key.
    assert [m.group(1) for m in INVITE_KEY_RE.finditer(body)] == ["EXAMPLE-SINGLE-USE-KEY"]
    assert "/invite?key=EXAMPLE-SINGLE-USE-KEY" in body
    assert count(session, Invitation) == count(session, OutboxMessage) == 0
    assert count(session, PortalAccount) == 0
    session.refresh(client)
    assert client.portal_access == PortalAccess.NOT_INVITED


def test_preview_invitation_without_email_still_renders(session, staff):
    client = _client(session, staff, email="")

    _, body = preview_invitation(session, client_id=client.id, base_url=BASE_URL)

    assert "(no email yet)" in body


# --- bulk ----------------------------------------------------------------------------------


def _bulk_set(session, staff):
    plain = _client(session, staff, name="Ann Plain", email="ann@example.test")
    no_email = _client(session, staff, name="Ben Noemail", email="")
    active = _client(session, staff, name="Cat Active", email="cat@example.test")
    invite_and_sign_in(session, staff_id=staff.id, client_id=active.id)
    invited = _client(session, staff, name="Dan Invited", email="dan@example.test")
    _invite(session, staff, invited)
    session.commit()
    return plain, no_email, active, invited


def test_invite_clients_skips_active_and_emailless_with_reasons(session, staff):
    plain, no_email, active, invited = _bulk_set(session, staff)
    before = count(session, OutboxMessage)

    result = invite_clients(session, staff_id=staff.id,
                            client_ids=[str(invited.id), plain.id, active.id, no_email.id,
                                        plain.id, "junk", 9999],
                            base_url=BASE_URL, request_key="req-1")

    assert result.invited == 2
    assert result.skipped == [(no_email.id, NO_EMAIL), (active.id, ALREADY_ACTIVE),
                              (9999, "That client does not exist.")]
    new = session.exec(select(OutboxMessage).where(OutboxMessage.id > before)
                       .order_by(OutboxMessage.to)).all()
    assert [(m.to, m.idempotency_key) for m in new] == [
        ("ann@example.test", f"invite-req-1-{plain.id}"),
        ("dan@example.test", f"invite-req-1-{invited.id}")]
    for client in (plain, invited):
        session.refresh(client)
        assert client.portal_access == PortalAccess.INVITED
    session.refresh(no_email)
    session.refresh(active)
    assert (no_email.portal_access, active.portal_access) == (PortalAccess.NOT_INVITED,
                                                              PortalAccess.ACTIVE)


@pytest.mark.parametrize(("ids", "message"), [
    ([], "Select at least one client."),
    (["x", None], "Select at least one client."),
    (list(range(1, 1002)), "Invite at most 1,000 clients at a time."),
])
def test_invite_clients_bad_selection_is_refused(session, staff, ids, message):
    error = _refused(lambda: invite_clients(session, staff_id=staff.id, client_ids=ids,
                                            base_url=BASE_URL, request_key="req"))

    assert error.message == message


def test_invite_clients_same_request_key_rerun_duplicates_nothing(engine, session, staff):
    """A retried bulk request with the same key hits the outbox's unique idempotency key:
    it raises and is rolled back whole; the first run's links and messages stand."""
    plain, no_email, active, invited = _bulk_set(session, staff)
    ids = [plain.id, no_email.id, active.id, invited.id]
    with session_scope() as s:
        first = invite_clients(s, staff_id=staff.id, client_ids=ids, base_url=BASE_URL,
                               request_key="bulk-1")
    assert first.invited == 2
    keys = {c.id: invite_key_sent_to(session, c.email) for c in (plain, invited)}
    before = _snapshot(engine)

    with pytest.raises(IntegrityError), session_scope() as s:
        invite_clients(s, staff_id=staff.id, client_ids=ids, base_url=BASE_URL,
                       request_key="bulk-1")

    assert _snapshot(engine) == before
    session.expire_all()
    for key in keys.values():
        assert accept_invitation(session, raw=key).ticket  # the first run's links still work


def _snapshot(engine):
    """Every invitation and outbox row as committed."""
    with Session(engine) as fresh:
        invites = [(i.id, i.client_id, i.token_hash, i.revoked_at, i.used_at)
                   for i in fresh.exec(select(Invitation).order_by(Invitation.id))]
        outbox = [(m.id, m.to, m.idempotency_key, m.body_text)
                  for m in fresh.exec(select(OutboxMessage).order_by(OutboxMessage.id))]
        client_rows = [(c.id, c.portal_access, c.invited_at)
                       for c in fresh.exec(select(Client).order_by(Client.id))]
    return invites, outbox, client_rows


def test_invite_clients_new_request_key_sends_new_links(session, staff):
    plain, *_ = _bulk_set(session, staff)
    invite_clients(session, staff_id=staff.id, client_ids=[plain.id], base_url=BASE_URL,
                   request_key="one")
    first_key = invite_key_sent_to(session, plain.email)

    invite_clients(session, staff_id=staff.id, client_ids=[plain.id], base_url=BASE_URL,
                   request_key="two")

    second_key = invite_key_sent_to(session, plain.email)
    assert second_key != first_key
    assert count(session, Invitation) == 4  # cat's, dan's and two of ann's
    assert _refused(lambda: accept_invitation(session, raw=first_key)).message == INVALID_LINK
    assert accept_invitation(session, raw=second_key).ticket


def test_invite_clients_is_one_transaction_all_or_none(engine, session, staff):
    """Nothing is visible to others (or kept) until the caller commits."""
    ids = [_client(session, staff, name=f"Person {i}", email=f"p{i}@example.test").id
           for i in range(5)]
    session.commit()

    with Session(engine) as bulk:
        result = invite_clients(bulk, staff_id=staff.id, client_ids=ids, base_url=BASE_URL,
                                request_key="atomic")
        with Session(engine) as other:
            seen_during = (count(other, Invitation), count(other, OutboxMessage))
        bulk.rollback()

    assert result.invited == 5
    assert seen_during == (0, 0)
    with Session(engine) as other:
        assert (count(other, Invitation), count(other, OutboxMessage)) == (0, 0)
        assert {c.portal_access for c in other.exec(select(Client))} == {
            PortalAccess.NOT_INVITED}
