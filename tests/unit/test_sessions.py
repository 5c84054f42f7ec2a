"""Server-side sessions: tickets, tokens, expiry, revocation and record selection."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from models import AuthSession, Client, PortalAccess, SignInTicket
from portal_app.services import sessions
from portal_app.services.crypto import sha256_hex
from portal_app.services.errors import NotFound
from portal_app.services.sessions import (
    SessionTimeouts,
    create_ticket,
    redeem_ticket,
    resolve_client,
    resolve_staff,
)
from tests import factories
from tests.unit.helpers import NOW

TIMEOUTS = SessionTimeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=8))


def _household(session, **kwargs):
    kwargs.setdefault("access", PortalAccess.ACTIVE)
    return factories.household(session, **kwargs)


def _sign_in(session, account_id, *, selected=None, now=NOW):
    ticket = create_ticket(session, kind="client", account_id=account_id,
                           selected_client_id=selected, now=now)
    token, auth = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=now)
    return token, auth


def _resolve(session, token, *, now=NOW, portal_enabled=True):
    return resolve_client(session, raw_token=token, timeouts=TIMEOUTS,
                          portal_enabled=portal_enabled, now=now)


# --- tickets -------------------------------------------------------------------------------


def test_redeem_ticket_returns_token_for_fresh_ticket(session):
    account, (client,) = _household(session)
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=client.id, now=NOW)

    result = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, ip="192.0.2.1",
                           user_agent="pytest", now=NOW + timedelta(seconds=5))

    assert result is not None
    token, auth = result
    assert len(token) >= 40 and token != ticket
    assert (auth.kind, auth.account_id, auth.selected_client_id) == ("client", account.id,
                                                                      client.id)
    assert auth.expires_at == NOW + timedelta(seconds=5) + TIMEOUTS.absolute
    assert (auth.ip, auth.user_agent) == ("192.0.2.1", "pytest")


def test_redeem_ticket_refuses_second_use(session):
    account, _ = _household(session)
    ticket = create_ticket(session, kind="client", account_id=account.id, now=NOW)
    assert redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=NOW)

    assert redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=NOW) is None
    assert len(session.exec(select(AuthSession)).all()) == 1


@pytest.mark.parametrize(("after", "works"), [
    (sessions.TICKET_TTL - timedelta(seconds=1), True),
    (sessions.TICKET_TTL, False),
    (sessions.TICKET_TTL + timedelta(seconds=1), False),
])
def test_redeem_ticket_expires_after_two_minutes(session, after, works):
    account, _ = _household(session)
    ticket = create_ticket(session, kind="client", account_id=account.id, now=NOW)

    result = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=NOW + after)

    assert (result is not None) is works


@pytest.mark.parametrize("bogus", ["", "not-a-ticket", "x" * 500])
def test_redeem_ticket_refuses_unknown_ticket(session, bogus):
    assert redeem_ticket(session, raw_ticket=bogus, timeouts=TIMEOUTS, now=NOW) is None


def test_only_sha256_of_ticket_and_token_is_stored(session):
    account, _ = _household(session)
    ticket = create_ticket(session, kind="client", account_id=account.id, now=NOW)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=NOW)
    session.commit()

    ticket_row = session.execute(text("SELECT * FROM sign_in_ticket")).mappings().one()
    session_row = session.execute(text("SELECT * FROM auth_session")).mappings().one()

    assert ticket_row["ticket_hash"] == sha256_hex(ticket)
    assert session_row["token_hash"] == sha256_hex(token)
    for row in (ticket_row, session_row):
        assert all(ticket not in str(v) and token not in str(v) for v in row.values())


# --- resolving ---------------------------------------------------------------------------------


def test_resolve_client_returns_context(session):
    account, (client,) = _household(session, names=("Robin",))
    token, auth = _sign_in(session, account.id)

    ctx = _resolve(session, token, now=NOW + timedelta(minutes=1))

    assert ctx is not None
    assert (ctx.session_id, ctx.account_id, ctx.email) == (auth.id, account.id, account.email)
    assert [r.id for r in ctx.records] == [client.id]
    assert ctx.client_id == client.id  # one record: selected without asking
    assert ctx.client_name == client.full_name


def test_resolve_client_with_two_records_selects_none_until_chosen(session):
    account, clients = _household(session, names=("Alex", "Sam"))
    token, _ = _sign_in(session, account.id)

    ctx = _resolve(session, token)

    assert {r.id for r in ctx.records} == {c.id for c in clients}
    assert ctx.client_id is None


@pytest.mark.parametrize("token", [None, "", "unknown-token", "y" * 300])
def test_resolve_client_unknown_token_is_none(session, token):
    assert _resolve(session, token) is None


@pytest.mark.parametrize("how", ["session", "token", "account"])
def test_revoked_session_resolves_to_none_at_once(session, how):
    account, _ = _household(session)
    token, auth = _sign_in(session, account.id)
    other_token, _ = _sign_in(session, _household(session)[0].id)
    assert _resolve(session, token) is not None

    if how == "session":
        sessions.revoke_session(session, session_id=auth.id, now=NOW)
    elif how == "token":
        sessions.revoke_token(session, raw_token=token, now=NOW)
    else:
        assert sessions.revoke_all_for_account(session, account_id=account.id, now=NOW) == 1

    assert _resolve(session, token) is None
    assert _resolve(session, other_token) is not None  # someone else's session is untouched


def test_revoke_all_for_account_ends_every_session_of_the_account(session):
    account, _ = _household(session)
    tokens = [_sign_in(session, account.id)[0] for _ in range(3)]

    assert sessions.revoke_all_for_account(session, account_id=account.id, now=NOW) == 3

    assert [_resolve(session, t) for t in tokens] == [None, None, None]


def test_session_ends_after_idle_timeout(session):
    account, _ = _household(session)
    token, _ = _sign_in(session, account.id)
    step = TIMEOUTS.idle - timedelta(minutes=1)

    # Activity keeps it alive well past one idle period...
    assert _resolve(session, token, now=NOW + step) is not None
    assert _resolve(session, token, now=NOW + 2 * step) is not None
    # ...and a full idle period without any ends it.
    assert _resolve(session, token, now=NOW + 2 * step + TIMEOUTS.idle) is None


def test_session_ends_at_absolute_expiry_despite_activity(session):
    account, _ = _household(session)
    token, _ = _sign_in(session, account.id)
    at = NOW
    while at + timedelta(minutes=20) < NOW + TIMEOUTS.absolute:
        at += timedelta(minutes=20)
        assert _resolve(session, token, now=at) is not None

    assert _resolve(session, token, now=NOW + TIMEOUTS.absolute) is None


def test_resolve_client_is_none_when_portal_disabled(session):
    account, _ = _household(session)
    token, _ = _sign_in(session, account.id)

    assert _resolve(session, token, portal_enabled=False) is None
    assert _resolve(session, token) is not None


def test_disabled_record_disappears_and_no_records_resolves_to_none(session):
    account, (alex, sam) = _household(session, names=("Alex", "Sam"))
    token, _ = _sign_in(session, account.id, selected=alex.id)
    assert _resolve(session, token).client_id == alex.id

    alex.portal_access = PortalAccess.DISABLED
    session.add(alex)
    session.flush()
    ctx = _resolve(session, token)
    assert [r.id for r in ctx.records] == [sam.id]
    assert ctx.client_id == sam.id  # the selected record went away; the only one left is used

    sam.portal_access = PortalAccess.DISABLED
    session.add(sam)
    session.flush()
    assert _resolve(session, token) is None


def test_select_client_refuses_record_of_another_household(session):
    account, (alex, _sam) = _household(session, names=("Alex", "Sam"))
    _other_account, (stranger,) = _household(session)
    token, _ = _sign_in(session, account.id)
    ctx = _resolve(session, token)

    with pytest.raises(NotFound):
        sessions.select_client(session, ctx=ctx, client_id=stranger.id)
    assert _resolve(session, token).client_id is None

    record = sessions.select_client(session, ctx=ctx, client_id=alex.id)

    assert record.id == alex.id
    assert _resolve(session, token).client_id == alex.id


def test_select_client_refuses_disabled_record_of_same_email(session):
    account, (alex,) = _household(session)
    hidden = Client(full_name="Hidden", email=account.email, account_id=account.id,
                    portal_access=PortalAccess.DISABLED)
    session.add(hidden)
    session.flush()
    ctx = _resolve(session, _sign_in(session, account.id)[0])

    with pytest.raises(NotFound):
        sessions.select_client(session, ctx=ctx, client_id=hidden.id)
    assert ctx.client_id == alex.id


def test_staff_token_does_not_resolve_as_client_and_vice_versa(session):
    staff = factories.staff(session, totp_secret="JBSWY3DPEHPK3PXP")
    staff_ticket = create_ticket(session, kind="staff", staff_id=staff.id, now=NOW)
    staff_token, _ = redeem_ticket(session, raw_ticket=staff_ticket, timeouts=TIMEOUTS, now=NOW)
    account, _ = _household(session)
    client_token, _ = _sign_in(session, account.id)

    assert _resolve(session, staff_token) is None
    assert resolve_staff(session, raw_token=client_token, timeouts=TIMEOUTS, now=NOW) is None
    staff_ctx = resolve_staff(session, raw_token=staff_token, timeouts=TIMEOUTS, now=NOW)
    assert staff_ctx is not None and staff_ctx.staff_id == staff.id
    assert _resolve(session, client_token) is not None


def test_inactive_staff_session_resolves_to_none(session):
    staff = factories.staff(session, totp_secret="JBSWY3DPEHPK3PXP")
    ticket = create_ticket(session, kind="staff", staff_id=staff.id, now=NOW)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=NOW)

    staff.active = False
    session.add(staff)
    session.flush()

    assert resolve_staff(session, raw_token=token, timeouts=TIMEOUTS, now=NOW) is None


def test_create_ticket_refuses_unknown_kind(session):
    with pytest.raises(ValueError):
        create_ticket(session, kind="admin", now=NOW)
    assert session.exec(select(SignInTicket)).first() is None


def _statements(session, work):
    from sqlalchemy import event

    seen = []

    def count(*_args):
        seen.append(1)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = work()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, len(seen)


@pytest.mark.parametrize("names", [("Solo",), ("Ana", "Ben", "Cy")])
def test_resolve_client_is_one_statement_whatever_the_household(session, names):
    account, clients = _household(session, names=names)
    token, _ = _sign_in(session, account.id, selected=clients[-1].id)
    session.commit()
    # Within the touch interval: nothing is written, the check is a single read.
    ctx, statements = _statements(session, lambda: _resolve(session, token,
                                                            now=NOW + timedelta(seconds=5)))
    assert ctx is not None and ctx.client_id == clients[-1].id
    assert sorted(r.id for r in ctx.records) == sorted(c.id for c in clients)
    assert statements == 1


def test_shell_counts_read_the_bell_and_the_messages_in_one_statement(session):
    from models import Conversation, Notification
    from portal_app.services.shell import shell_counts

    _, (client,) = _household(session, names=("Counts",))
    session.add(Notification(client_id=client.id, kind="message", title="x", link="/messages"))
    session.add(Conversation(client_id=client.id, subject="s", created_by="staff",
                             last_message_at=NOW, client_unread=3))
    session.flush()
    counts, statements = _statements(session, lambda: shell_counts(
        session, client_id=client.id, messaging=True))
    assert (counts, statements) == ((1, 3), 1)
    assert shell_counts(session, client_id=client.id, messaging=False) == (1, 0)
