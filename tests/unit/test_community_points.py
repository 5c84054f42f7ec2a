"""Gamification points: off by default, once per source, taken back, and a level's
reward offer granted once even when its threshold is crossed twice."""

from sqlmodel import select

from models import (
    CommunityLevel,
    Entitlement,
    GrantKind,
    GrantSource,
    LevelReward,
    Notification,
    Offer,
    OfferItem,
    PointEvent,
)
from portal_app import apps
from portal_app.services.community import points
from tests import community_notices_rows as rows
from tests import factories


def _setup(session, **fields):
    factories.business(session)
    group = rows.group(session, gamification=True, **fields)
    ana = rows.member(session, group, display="Ana")
    return group, ana


def _reward_level(session, group, threshold=10, name="Gold"):
    offer = Offer(name="Free course", status="active")
    session.add(offer)
    session.flush()
    session.add(OfferItem(offer_id=offer.id, kind=GrantKind.APP, app_key=apps.COMMUNITY))
    level = CommunityLevel(group_id=group.id, name=name, threshold=threshold,
                           reward_offer_id=offer.id)
    session.add(level)
    session.flush()
    return level, offer


def test_gamification_off_by_default_awards_nothing(session):
    factories.business(session)
    group = rows.group(session)
    ana = rows.member(session, group)
    assert group.gamification is False
    points.award(session, group=group, client_id=ana.id, reason="post", source="post:1")
    assert session.exec(select(PointEvent)).all() == []


def test_a_reason_worth_zero_points_awards_nothing(session):
    group, ana = _setup(session, points_reaction=0)
    points.award(session, group=group, client_id=ana.id, reason="reaction", source="reaction:1")
    assert session.exec(select(PointEvent)).all() == []


def test_an_award_is_idempotent_by_its_source(session):
    group, ana = _setup(session)
    for _ in range(3):
        points.award(session, group=group, client_id=ana.id, reason="post", source="post:7")
    assert points.total_of(session, group_id=group.id, client_id=ana.id) == 5
    points.award(session, group=group, client_id=ana.id, reason="comment", source="comment:3")
    assert points.total_of(session, group_id=group.id, client_id=ana.id) == 7


def test_a_concurrent_duplicate_is_absorbed_by_the_unique_source(session, engine):
    from sqlmodel import Session

    group, ana = _setup(session)
    session.commit()
    with Session(engine) as other:
        other.add(PointEvent(group_id=group.id, client_id=ana.id, reason="post",
                             source="post:9", points=5))
        # the check-before-insert saw nothing yet: the insert hits the unique index
        real_exec = session.exec
        calls = []

        def blind(statement, *a, **k):
            if not calls:
                calls.append(1)
                return real_exec(select(PointEvent.id).where(PointEvent.id == -1))
            return real_exec(statement, *a, **k)

        other.commit()
        session.exec = blind
        try:
            points.award(session, group=group, client_id=ana.id, reason="post", source="post:9")
        finally:
            session.exec = real_exec
    assert len(session.exec(select(PointEvent)).all()) == 1
    session.commit()


def test_take_back_removes_the_points_and_totals_never_go_below_zero(session):
    group, ana = _setup(session)
    points.award(session, group=group, client_id=ana.id, reason="post", source="post:1")
    points.take_back(session, source="post:1")
    points.take_back(session, source="post:1")
    assert points.total_of(session, group_id=group.id, client_id=ana.id) == 0
    assert session.exec(select(PointEvent)).all() == []


def test_a_level_reward_is_granted_once_even_when_the_threshold_is_crossed_twice(session):
    group, ana = _setup(session, points_post=10)
    level, offer = _reward_level(session, group)
    points.award(session, group=group, client_id=ana.id, reason="post", source="post:1")
    points.take_back(session, source="post:1")
    points.award(session, group=group, client_id=ana.id, reason="post", source="post:2")
    (reward,) = session.exec(select(LevelReward)).all()
    assert (reward.level_id, reward.client_id, reward.offer_id) == (level.id, ana.id, offer.id)
    grants = session.exec(select(Entitlement).where(Entitlement.client_id == ana.id,
                                                    Entitlement.offer_id == offer.id)).all()
    assert [g.source for g in grants] == [GrantSource.OFFER]
    bells = session.exec(select(Notification).where(Notification.client_id == ana.id)).all()
    assert [b.title for b in bells] == ["You reached Gold in Runners"]
    assert bells[0].link == f"/community/leaderboard?id={group.id}"


def test_a_level_not_reached_grants_nothing(session):
    group, ana = _setup(session)
    _reward_level(session, group, threshold=50)
    points.award(session, group=group, client_id=ana.id, reason="post", source="post:1")
    assert session.exec(select(LevelReward)).all() == []
