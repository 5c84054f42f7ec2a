"""ClientState's session check once the session is kept: one statement per event (the
access generation with the shell's counts), the bell following a notification added
by another process, and a revocation by another process refusing the next event."""

from portal_app import routes
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.client_pages import SelectAccountState
from state.session import ClientState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import call, new_tab, signed_in_client, substate
from tests.unit.test_session_cache import _elsewhere
from tests.unit.test_session_check_statement import _notify_elsewhere


def test_a_kept_session_is_one_statement_and_the_bell_follows_another_process(
        engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Ana")
    root = new_tab(token)
    call(root, SelectAccountState, "load")
    assert len(statements_of(engine, lambda: call(root, SelectAccountState, "load"))) == 1
    shell = substate(root, ClientState)
    assert shell.signed_in and shell.bell_count == 0
    _notify_elsewhere(engine, client.id)
    assert len(statements_of(engine, lambda: call(root, SelectAccountState, "load"))) == 1
    assert shell.bell_count == 1
    _elsewhere(engine, "UPDATE auth_session SET revoked_at = CURRENT_TIMESTAMP "
                       "WHERE account_id = :a", a=client.account_id)
    answer = call(root, SelectAccountState, "load")
    assert routes.LOGIN in repr(answer) and not shell.signed_in and shell.bell_count == 0


def test_two_sessions_of_one_email_each_read_their_own_record(engine, session):
    factories.business(session)
    account, (ana, bo) = factories.household(session, names=("Ana", "Bo"), access="active")
    tabs = {}
    for record in (ana, bo):
        ticket = create_ticket(session, kind="client", account_id=account.id,
                               selected_client_id=record.id)
        token, _auth = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
        tabs[record.id] = new_tab(token)
    session.commit()
    _notify_elsewhere(engine, bo.id)
    for _ in range(3):
        for record_id, root in tabs.items():
            call(root, SelectAccountState, "load")
            shell = substate(root, ClientState)
            assert shell.selected_record == str(record_id)
            assert shell.bell_count == (1 if record_id == bo.id else 0)


def _touched(root) -> list[str]:
    """The states of the tab's tree an event marked touched (Reflex's Redis state
    manager writes those back after the event)."""
    found, stack = [], [root]
    while stack:
        state = stack.pop()
        if state._was_touched:
            found.append(type(state).__name__)
        stack.extend(state.substates.values())
    return found


def _untouch(root) -> None:
    stack = [root]
    while stack:
        state = stack.pop()
        state._was_touched = False
        stack.extend(state.substates.values())


def test_a_check_that_changes_nothing_touches_no_state(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Ana")
    root = new_tab(token)
    call(root, SelectAccountState, "load")
    _untouch(root)
    call(root, SelectAccountState, "load")
    assert _touched(root) == []
    _notify_elsewhere(engine, client.id)
    call(root, SelectAccountState, "load")
    assert substate(root, ClientState).bell_count == 1 and _touched(root)
