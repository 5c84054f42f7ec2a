"""Leaderboards: order and ranks, the weekly window (Monday 00:00 in the business's
zone), display names only, the viewer's rank, constant statements."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from models import CommunityLevel, PointEvent
from portal_app.services.community import leaderboard
from tests import community_notices_rows as rows
from tests import factories
from tests.sql import statements_of

# Wed Dec 9 2026 12:00 UTC; the week began Mon Dec 7 00:00 in Chicago = 06:00 UTC.
NOW = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)
MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _points(session, group, client, points, at, tag):
    session.add(PointEvent(group_id=group.id, client_id=client.id, reason="post",
                           source=f"t:{tag}", points=points, created_at=at))
    session.flush()


def _setup(session):
    factories.business(session, timezone="America/Chicago")
    group = rows.group(session, gamification=True)
    session.add(CommunityLevel(group_id=group.id, name="Bronze", threshold=5))
    session.add(CommunityLevel(group_id=group.id, name="Gold", threshold=20))
    return group


def test_the_week_starts_on_monday_midnight_in_the_business_zone(session):
    factories.business(session, timezone="America/Chicago")
    assert leaderboard.week_start(session, now=NOW) == MONDAY
    # 05:59 UTC on Monday is still Sunday in Chicago: the week before
    assert leaderboard.week_start(session, now=MONDAY - timedelta(minutes=1)) == (
        MONDAY - timedelta(days=7))


def test_boards_order_by_points_share_ranks_and_show_display_names(session):
    group = _setup(session)
    ana = rows.member(session, group, display="Ana")
    bea = rows.member(session, group, display="Bea")
    cy = rows.member(session, group, display="")
    gone = rows.member(session, group, display="Gone", status="left")
    _points(session, group, ana, 25, MONDAY - timedelta(days=3), 1)  # last week
    _points(session, group, bea, 6, MONDAY + timedelta(hours=1), 2)
    _points(session, group, cy, 6, MONDAY + timedelta(hours=2), 3)
    _points(session, group, ana, 2, MONDAY + timedelta(hours=3), 4)
    _points(session, group, gone, 99, MONDAY + timedelta(hours=3), 5)
    all_time = leaderboard.board(session, group=group, viewer_id=cy.id, since=None)
    assert [(r.rank, r.name, r.points, r.level) for r in all_time.rows] == [
        (1, "Ana", 27, "Gold"), (2, "Bea", 6, "Bronze"), (2, "", 6, "Bronze")]
    assert (all_time.my_rank, all_time.my_points) == (2, 6)
    assert cy.full_name not in [r.name for r in all_time.rows]
    week = leaderboard.board(session, group=group, viewer_id=ana.id,
                             since=leaderboard.week_start(session, now=NOW))
    assert [(r.rank, r.name, r.points, r.level) for r in week.rows] == [
        (1, "Bea", 6, "Bronze"), (1, "", 6, "Bronze"), (3, "Ana", 2, "Gold")]
    assert (week.my_rank, week.my_points, week.rows[2].me) == (3, 2, True)


def test_a_viewer_without_points_has_no_rank_and_the_top_is_ten(session):
    group = _setup(session)
    viewer = rows.member(session, group)
    for n in range(12):
        _points(session, group, rows.member(session, group, display=f"M{n}"), n + 1, NOW, n)
    board = leaderboard.board(session, group=group, viewer_id=viewer.id, since=None)
    assert len(board.rows) == 10 and board.rows[0].name == "M11"
    assert (board.my_rank, board.my_points) == (None, 0)


def test_standing_gives_the_level_and_the_next_one():
    levels = [CommunityLevel(name="Bronze", threshold=5), CommunityLevel(name="Gold", threshold=20)]
    assert leaderboard.standing(levels, 0) == leaderboard.Standing(0, "", "Bronze", 5)
    assert leaderboard.standing(levels, 7) == leaderboard.Standing(7, "Bronze", "Gold", 13)
    assert leaderboard.standing(levels, 30) == leaderboard.Standing(30, "Gold", "", 0)
    assert leaderboard.standing(levels, -4).points == 0


def _count(engine, members: int) -> int:
    with Session(engine, expire_on_commit=False) as session:
        group = _setup(session)
        viewer = rows.member(session, group, display="Me")
        _points(session, group, viewer, 3, NOW, f"v{members}")
        for n in range(members):
            _points(session, group, rows.member(session, group, display=f"M{n}"), n + 1, NOW,
                    f"{members}-{n}")
        session.commit()
        session.expire_all()

        def work():
            levels = leaderboard.levels_of(session, group_id=group.id)
            since = leaderboard.week_start(session, now=NOW)
            leaderboard.board(session, group=group, viewer_id=viewer.id, since=since,
                              levels=levels)
            leaderboard.board(session, group=group, viewer_id=viewer.id, since=None,
                              levels=levels)

        return len(statements_of(engine, work))


def test_statements_stay_constant_with_5_or_50_members(engine):
    assert _count(engine, 5) == _count(engine, 50)
