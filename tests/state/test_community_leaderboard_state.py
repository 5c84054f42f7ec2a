"""The leaderboard page's handler holds on the server: the Community app check, the
group id from the URL checked for membership (another group, a ban, a bogus id:
nothing shown), the points-off note, and the boards with display names only."""

from models import PointEvent
from portal_app import routes
from state.community.leaderboard import LeaderboardState as S
from tests import community_notices_rows as rows
from tests import factories
from tests.state import harness
from tests.state.harness import all_vars, call, substate, tab_at


def signed_in_client(session, name):
    """A signed-in client who has chosen a display name (the app asks for one first)."""
    token, client = harness.signed_in_client(session, name)
    client.display_name = name
    session.add(client)
    session.commit()
    return token, client


def _business(session, *, on=True):
    factories.business(session, apps_enabled=["community"] if on else [],
                       apps_open=["community"] if on else [])
    session.commit()


def _load(token, group_id):
    tab = tab_at(token, routes.community_leaderboard(group_id))
    result = call(tab, S, "load")
    return tab, substate(tab, S), result


def test_without_the_app_the_page_goes_to_the_dashboard(engine, session):
    _business(session, on=False)
    token, client = signed_in_client(session, "Rita")
    group = rows.group(session, gamification=True)
    rows.member(session, group, client=client)
    session.commit()
    _tab, page, result = _load(token, group.id)
    assert "/dashboard" in repr(result) and page.group_name == ""


def test_a_group_the_client_is_not_in_shows_nothing(engine, session):
    _business(session)
    token, _client = signed_in_client(session, "Rita")
    group = rows.group(session, gamification=True, name="Secret circle", visibility="private")
    other = rows.member(session, group, display="Other")
    session.add(PointEvent(group_id=group.id, client_id=other.id, reason="post",
                           source="post:1", points=5))
    session.commit()
    for raw in (group.id, "abc", 99999):
        tab, page, result = _load(token, raw)
        assert page.missing and page.week_rows == [] and page.all_rows == []
        assert "Secret circle" not in all_vars(tab) and "Other" not in all_vars(tab)


def test_a_banned_member_sees_nothing(engine, session):
    _business(session)
    token, client = signed_in_client(session, "Rita")
    group = rows.group(session, gamification=True, name="Runners")
    rows.member(session, group, client=client, status="banned")
    session.commit()
    _tab, page, _result = _load(token, group.id)
    assert page.missing and page.group_name == ""


def test_points_off_shows_the_note_only(engine, session):
    _business(session)
    token, client = signed_in_client(session, "Rita")
    group = rows.group(session, name="Runners")
    rows.member(session, group, client=client)
    session.commit()
    _tab, page, _result = _load(token, group.id)
    assert (page.missing, page.gamification, page.group_name) == (False, False, "Runners")
    assert page.week_rows == [] and page.my_points == ""


def test_a_member_sees_both_boards_and_their_standing(engine, session):
    _business(session)
    token, client = signed_in_client(session, "Rita")
    group = rows.group(session, gamification=True, name="Runners")
    rows.member(session, group, client=client, display="")
    bea = rows.member(session, group, display="Bea")
    for n, (who, pts) in enumerate(((client, 4), (bea, 9))):
        session.add(PointEvent(group_id=group.id, client_id=who.id, reason="post",
                               source=f"post:{n}", points=pts))
    from models import CommunityLevel
    session.add(CommunityLevel(group_id=group.id, name="Bronze", threshold=5))
    session.commit()
    tab, page, _result = _load(token, group.id)
    assert [(r["rank"], r["name"], r["points"], r["me"]) for r in page.all_rows] == [
        ("1", "Bea", "9", ""), ("2", "Rita", "4", "yes")]
    assert page.week_rows == page.all_rows
    assert (page.my_points, page.my_level) == ("Points: 4", "No level yet")
    assert page.next_text == "Points to the next level (Bronze): 1"
    assert page.all_rank == "Your rank: 2"
    assert bea.full_name not in all_vars(tab)
