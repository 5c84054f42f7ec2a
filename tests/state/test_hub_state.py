"""The hub in the client's session: the app switcher follows grants and the
business's switches on every event (no extra statement), `@client_event(app=...)`
and `guard_app` refuse a client without the app, an app asking for profile fields
sends the client to complete them first, and the console preview shows the
switcher as the client sees it."""

import pytest

from models import GrantKind, GrantSource
from portal_app import apps, routes
from portal_app.services.business import get_business
from portal_app.services.hub import entitlements
from state.client_pages import DashboardState
from state.console_client import ClientPreviewState
from state.guards import UNAVAILABLE, client_event
from state.profile_completion import ProfileCompletionState
from state.session import ClientState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import call, new_tab, page_events, signed_in_client, substate, tab_at
from tests.state.test_console_client import _staff_token

TEST_APP = apps.AppSpec("community", "Community", "users", "/community", needs_grant=True,
                        profile_fields=("display_name",))


def _grant(session, client, app_key=apps.COURSES):
    row = entitlements.grant(session, client_id=client.id, kind=GrantKind.APP, app_key=app_key,
                             source=GrantSource.STAFF)
    session.commit()
    return row


def _keys(root, cls=DashboardState):
    return [a["key"] for a in substate(root, cls).app_links]


def test_the_switcher_lists_granted_apps_and_hides_a_revoked_one_at_the_next_event(
        engine, session):
    factories.business(session, apps_enabled=["courses"])
    token, client = signed_in_client(session, "Ana")
    root = new_tab(token)
    call(root, DashboardState, "load")
    assert _keys(root) == []  # only the portal: the switcher is hidden (and sent empty)
    row = _grant(session, client)
    call(root, DashboardState, "load")
    links = substate(root, DashboardState).app_links
    assert [(a["key"], a["label"], a["route"]) for a in links] == [
        ("portal", "Portal", routes.DASHBOARD), ("courses", "Courses", routes.COURSES)]
    entitlements.revoke_grant(session, grant_id=row.id, staff_id=None)
    session.commit()
    call(root, ClientState, "mark_all_read")  # any private event
    assert _keys(root) == []


def test_an_app_the_business_turns_off_leaves_the_switcher(engine, session):
    business = factories.business(session, apps_enabled=["courses"])
    token, client = signed_in_client(session, "Ana")
    _grant(session, client)
    root = new_tab(token)
    call(root, DashboardState, "load")
    assert _keys(root) == ["portal", "courses"]
    business.apps_enabled = []
    session.add(business)
    session.commit()
    call(root, DashboardState, "load")
    assert _keys(root) == []


def test_the_switcher_costs_no_extra_statement_per_event(engine, session):
    factories.business(session, apps_enabled=[])
    token, client = signed_in_client(session, "Ana")
    root = new_tab(token)
    call(root, ClientState, "mark_all_read")
    without = len(statements_of(engine, lambda: call(root, ClientState, "mark_all_read")))
    business = get_business(session)
    business.apps_enabled = ["courses"]
    session.add(business)
    session.commit()
    _grant(session, client)
    call(root, ClientState, "mark_all_read")  # the business changed: a full check first
    with_app = len(statements_of(engine, lambda: call(root, ClientState, "mark_all_read")))
    assert with_app == without
    assert _keys(root) == ["portal", "courses"]


def test_the_switcher_labels_follow_the_language(engine, session):
    factories.business(session, apps_enabled=["courses"])
    token, client = signed_in_client(session, "Ana")
    client.language = "es"
    session.add(client)
    session.commit()
    _grant(session, client)
    root = new_tab(token)
    call(root, DashboardState, "load")
    assert [a["label"] for a in substate(root, DashboardState).app_links] == [
        "Portal", "Cursos"]


def _app_handler():
    def body(self, session, ctx):
        return "ran"

    return client_event(app=apps.COURSES)(body)


def test_an_app_handler_runs_for_a_granted_client_and_refuses_others(engine, session):
    factories.business(session, apps_enabled=["courses"])
    token, client = signed_in_client(session, "Ana")
    handler = _app_handler()
    root = new_tab(token)
    refused = handler(substate(root, DashboardState))
    assert routes.DASHBOARD in repr(refused) and UNAVAILABLE in repr(refused)
    row = _grant(session, client)
    assert handler(substate(root, DashboardState)) == "ran"
    entitlements.revoke_grant(session, grant_id=row.id, staff_id=None)
    session.commit()
    assert UNAVAILABLE in repr(handler(substate(root, DashboardState)))
    # Signed out: the sign-in page, the body never runs.
    assert routes.LOGIN in repr(handler(substate(new_tab(None), DashboardState)))


def test_an_unknown_app_in_a_guard_is_a_programming_error():
    with pytest.raises(ValueError):
        client_event(app="nope")(lambda self, session, ctx: None)


def test_guard_app_refuses_without_the_app_and_passes_with_it(engine, session):
    factories.business(session, apps_enabled=["courses"])
    token, client = signed_in_client(session, "Ana")
    root = tab_at(token, routes.COURSES)
    refused = call(root, ClientState, "guard_app", apps.COURSES)
    assert routes.DASHBOARD in repr(refused) and UNAVAILABLE in repr(refused)
    _grant(session, client)
    assert call(root, ClientState, "guard_app", apps.COURSES) is None
    assert UNAVAILABLE in repr(call(root, ClientState, "guard_app", "no-such-app"))


@pytest.fixture
def community(monkeypatch):
    monkeypatch.setattr(apps, "APPS", (*apps.APPS, TEST_APP))
    return TEST_APP


def test_an_app_asking_for_a_display_name_sends_the_client_to_complete_it_once(
        engine, session, community):
    factories.business(session, apps_enabled=["courses", "community"])
    token, client = signed_in_client(session, "Ana")
    _grant(session, client, app_key="community")
    root = tab_at(token, "/community/post?id=4")
    sent = call(root, ClientState, "guard_app", "community")
    assert "/complete-profile?app=community&next=%2Fcommunity%2Fpost%3Fid%3D4" in repr(sent)

    page = tab_at(token, "/complete-profile?app=community&next=%2Fcommunity%2Fpost%3Fid%3D4")
    assert page_events(call(page, ProfileCompletionState, "load")) == []
    view = substate(page, ProfileCompletionState)
    assert [f["key"] for f in view.fields] == ["display_name"] and view.app_label == "Community"
    # Too short: the message beside the field, nothing saved.
    call(page, ProfileCompletionState, "save", {"display_name": " x "})
    assert view.errors["display_name"] and view.error == ""
    session.refresh(client)
    assert client.display_name == ""
    done = call(page, ProfileCompletionState, "save", {"display_name": "  Ana B  "})
    assert "/community/post?id=4" in repr(done)
    session.refresh(client)
    assert client.display_name == "Ana B"
    # Once: the app opens straight away now, and the page itself moves on.
    assert call(root, ClientState, "guard_app", "community") is None
    assert "/community/post?id=4" in repr(call(page, ProfileCompletionState, "load"))


def test_the_profile_check_reads_with_the_shell_and_follows_a_change_at_the_next_event(
        engine, session, community):
    """The fields the apps ask for come in the shell's statement: checking them costs an
    app page no statement of its own, and a field emptied elsewhere sends the client to
    complete it at the next event."""
    factories.business(session, apps_enabled=["courses", "community"])
    token, client = signed_in_client(session, "Ana")
    client.display_name = "Ana B"
    session.add(client)
    session.commit()
    _grant(session, client, app_key="courses")
    _grant(session, client, app_key="community")
    root = tab_at(token, "/community/post?id=4")
    assert call(root, ClientState, "guard_app", "community") is None
    asking = len(statements_of(engine, lambda: call(root, ClientState, "guard_app", "community")))
    plain = len(statements_of(engine, lambda: call(root, ClientState, "guard_app", "courses")))
    assert asking == plain
    client.display_name = ""
    session.add(client)
    session.commit()
    assert "/complete-profile?app=community" in repr(
        call(root, ClientState, "guard_app", "community"))


def test_completion_refuses_an_app_the_client_may_not_use_and_an_outside_next(
        engine, session, community):
    factories.business(session, apps_enabled=["community"])
    token, client = signed_in_client(session, "Ana")
    page = tab_at(token, "/complete-profile?app=community&next=https%3A%2F%2Fevil.test")
    assert UNAVAILABLE in repr(call(page, ProfileCompletionState, "load"))
    assert UNAVAILABLE in repr(call(page, ProfileCompletionState, "save",
                                    {"display_name": "Ana B"}))
    session.refresh(client)
    assert client.display_name == ""
    _grant(session, client, app_key="community")
    assert page_events(call(page, ProfileCompletionState, "load")) == []
    done = repr(call(page, ProfileCompletionState, "save", {"display_name": "Ana B"}))
    assert "evil.test" not in done and "/community" in done


def test_switching_record_lands_on_the_landing_app_when_granted(engine, session):
    factories.business(session, apps_enabled=["courses"], landing_app="courses")
    account, (ana, bo) = factories.household(session, names=("Ana", "Bo"), access="active")
    from portal_app.services.sessions import create_ticket, redeem_ticket
    from portal_app.timeouts import session_timeouts

    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=ana.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    _grant(session, bo)
    root = new_tab(token)
    assert routes.COURSES in repr(call(root, ClientState, "switch_record", str(bo.id)))
    assert routes.DASHBOARD in repr(call(root, ClientState, "switch_record", str(ana.id)))


def test_the_console_preview_shows_the_switcher_as_the_client_sees_it(engine, session):
    factories.business(session, apps_enabled=["courses"])
    _, (alex,) = factories.household(session, names=("Alex",), access="active")
    token = _staff_token(session)
    root = tab_at(token, f"/console/preview?id={alex.id}")
    call(root, ClientPreviewState, "load")
    assert substate(root, ClientPreviewState).app_links == []
    _grant(session, alex)
    call(root, ClientPreviewState, "load")
    assert _keys(root, ClientPreviewState) == ["portal", "courses"]
