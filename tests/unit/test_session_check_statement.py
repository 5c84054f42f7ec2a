"""A kept session's check in one statement (services/session_cache.py
`start_client_event`): the access generation is read together with the shell's
counts for the record the session's last event asked about. Revocation still bites
on the very next event, and the counts still follow every change — written here
through another engine, as another worker or the CLI would."""

import pytest
from sqlmodel import Session, SQLModel

from models import Client
from portal_app.db import make_engine
from portal_app.services import notifications, session_cache
from portal_app.services.hub.entitlements import grant_needing
from portal_app.services.sessions import create_ticket, redeem_ticket, revoke_all_for_account
from tests import factories
from tests.sql import statements_of
from tests.unit.test_session_cache import REVOCATIONS, TIMEOUTS, _elsewhere, _signed_in


def _event(engine, token):
    """One client event's check as ClientState._client runs it: (context, shell facts)."""
    with Session(engine) as s:
        start = session_cache.start_client_event(s, raw_token=token)
        ctx = session_cache.client(s, raw_token=token, timeouts=TIMEOUTS,
                                   portal_enabled=start.business.portal_enabled,
                                   business=start.business, generation=start.generation)
        facts = None
        if ctx is not None and ctx.client_id is not None:
            facts = start.shell_facts(s, client_id=ctx.client_id,
                                      messaging=ctx.access.messaging,
                                      apps=grant_needing(start.business))
        s.commit()
        return ctx, facts


def _notify_elsewhere(engine, client_id: int) -> None:
    """A notification added by another process (it does not move the generation)."""
    other = make_engine(str(engine.url))
    try:
        with Session(other) as s:
            notifications.notify(s, client_id=client_id, kind="document", link="/documents",
                                 base_url="http://portal.test", title="A new file", email=False)
            s.commit()
    finally:
        other.dispose()


def test_a_kept_session_is_checked_in_one_statement_that_counts_a_new_notification(
        engine, session):
    factories.business(session)
    token, _account, (ana,) = _signed_in(session)
    _event(engine, token)  # the full check, then the shell: its question is remembered
    statements = statements_of(engine, lambda: _event(engine, token))
    assert len(statements) == 1, statements
    assert "access_generation" in statements[0] and "notification" in statements[0]
    assert _event(engine, token)[1].bell == 0
    _notify_elsewhere(engine, ana.id)
    statements = statements_of(engine, lambda: _event(engine, token))
    ctx, facts = _event(engine, token)
    assert len(statements) == 1 and ctx.client_id == ana.id and facts.bell == 1


@pytest.mark.parametrize("path", sorted(REVOCATIONS))
def test_every_revocation_refuses_the_next_one_statement_event(engine, session, path):
    factories.business(session)
    token, account, (ana,) = _signed_in(session)
    _event(engine, token)
    assert len(statements_of(engine, lambda: _event(engine, token))) == 1
    with Session(engine) as s:
        REVOCATIONS[path](s, token, account, s.get(Client, ana.id))
        s.commit()
    assert _event(engine, token) == (None, None)


def test_a_raw_revocation_elsewhere_runs_the_full_check_and_refuses(engine, session):
    factories.business(session)
    token, account, _clients = _signed_in(session)
    _event(engine, token)
    assert _event(engine, token)[0] is not None
    _elsewhere(engine, "UPDATE auth_session SET revoked_at = CURRENT_TIMESTAMP "
                       "WHERE account_id = :a", a=account.id)
    statements = statements_of(engine, lambda: _event(engine, token))
    assert any(s.lstrip().startswith("SELECT auth_session.") for s in statements)
    assert _event(engine, token) == (None, None)


def test_a_record_switched_elsewhere_reads_the_shell_of_the_new_record(engine, session):
    factories.business(session)
    account, (ana, bo) = factories.household(session, names=("Ana", "Bo"), access="active")
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=ana.id)
    token, _auth = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS)
    session.commit()
    _notify_elsewhere(engine, bo.id)
    _event(engine, token)
    ctx, facts = _event(engine, token)
    assert ctx.client_id == ana.id and facts.bell == 0
    # Another tab of the same cookie picks Bo: the guess (Ana's shell) is read with the
    # moved generation, then the full check answers Bo and Bo's shell is read.
    _elsewhere(engine, "UPDATE auth_session SET selected_client_id = :c WHERE account_id = :a",
               c=bo.id, a=account.id)
    ctx, facts = _event(engine, token)
    assert ctx.client_id == bo.id and facts.bell == 1
    assert len(statements_of(engine, lambda: _event(engine, token))) == 1
    assert _event(engine, token)[1].bell == 1


def test_messaging_taken_elsewhere_reads_the_shell_without_the_messages(engine, session):
    factories.business(session)
    token, _account, (ana,) = _signed_in(session)
    _event(engine, token)
    assert _event(engine, token)[0].access.messaging
    _elsewhere(engine, "UPDATE client SET perm_messaging = :off WHERE id = :id",
               off=False, id=ana.id)
    statements = statements_of(engine, lambda: _event(engine, token))
    # The guess (with messaging), the full check, then the shell without messaging.
    assert sum("FROM notification" in s for s in statements) == 2, statements
    ctx, facts = _event(engine, token)
    assert not ctx.access.messaging and facts.messages == 0


@pytest.mark.postgres
def test_on_postgres_the_one_statement_check_counts_and_refuses(pg_url):
    engine = make_engine(pg_url)
    try:
        SQLModel.metadata.create_all(engine)
        with Session(engine) as s:
            factories.business(s)
            token, account, (ana,) = _signed_in(s)
            account_id, ana_id = account.id, ana.id
        _event(engine, token)
        statements = statements_of(engine, lambda: _event(engine, token))
        assert len(statements) == 1 and "access_generation" in statements[0]
        _notify_elsewhere(engine, ana_id)
        assert _event(engine, token)[1].bell == 1
        with Session(engine) as writer:
            revoke_all_for_account(writer, account_id=account_id)
            writer.commit()
        assert _event(engine, token) == (None, None)
    finally:
        engine.dispose()
