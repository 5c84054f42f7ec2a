"""Gamification points (off by default, per group).

Every point is a `PointEvent` with a unique `source` ("post:12", "comment:40",
"reaction:7", "best:40"), so an action scores once whichever path calls twice,
and is taken back by deleting its row. After an award the member's total is
compared with the group's levels: a level with a reward offer, reached for the
first time, inserts its `LevelReward` (unique level + client) and grants the
offer's items through the hub's own path (offer_grants.grant_offer, source
"offer") — once, even when the threshold is crossed again after points were
taken back — and tells the member on their bell.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    CommunityGroup,
    CommunityLevel,
    GrantSource,
    LevelReward,
    NotificationKind,
    PointEvent,
    PointReason,
)
from portal_app import routes
from portal_app.services.community.notices import LEVEL, community_params
from portal_app.services.hub.offer_grants import grant_offer
from portal_app.services.notifications import notify
from portal_app.settings import get_settings


def points_for(group: CommunityGroup, reason: str) -> int:
    """What `reason` earns in this group (0 when gamification is off)."""
    if not group.gamification:
        return 0
    return max(0, int({
        PointReason.POST: group.points_post,
        PointReason.COMMENT: group.points_comment,
        PointReason.REACTION: group.points_reaction,
        PointReason.BEST_ANSWER: group.points_best_answer,
    }.get(reason, 0) or 0))


def total_of(session: Session, *, group_id: int, client_id: int) -> int:
    """A member's points in a group, never below 0 (one statement)."""
    total = session.exec(select(func.coalesce(func.sum(PointEvent.points), 0)).where(
        PointEvent.group_id == group_id, PointEvent.client_id == client_id)).one()
    return max(0, int(total or 0))


def award(session: Session, *, group: CommunityGroup, client_id: int, reason: str,
          source: str) -> None:
    """One award for one thing (`source` like "post:12"), only when the group has
    gamification on; a second call with the same source changes nothing."""
    points = points_for(group, reason)
    if points <= 0 or client_id is None:
        return
    if session.exec(select(PointEvent.id).where(PointEvent.source == source)).first():
        return
    try:
        with session.begin_nested():
            session.add(PointEvent(group_id=group.id, client_id=client_id, reason=reason,
                                   source=source, points=points))
    except IntegrityError:  # another transaction scored the same source first
        return
    _reward_levels(session, group=group, client_id=client_id)


def take_back(session: Session, *, source: str) -> None:
    """Remove the points of `source` (its post or comment deleted or removed).
    A reward already granted stays granted."""
    row = session.exec(select(PointEvent).where(PointEvent.source == source)).first()
    if row is not None:
        session.delete(row)
        session.flush()


def _reward_levels(session: Session, *, group: CommunityGroup, client_id: int) -> None:
    """Grant the reward of every level reached for the first time (one LevelReward each)."""
    total = total_of(session, group_id=group.id, client_id=client_id)
    levels = session.exec(select(CommunityLevel).where(
        CommunityLevel.group_id == group.id, CommunityLevel.threshold <= total,
        CommunityLevel.reward_offer_id.is_not(None)).order_by(CommunityLevel.threshold)).all()
    if not levels:
        return
    done = set(session.exec(select(LevelReward.level_id).where(
        LevelReward.client_id == client_id,
        LevelReward.level_id.in_([lv.id for lv in levels]))).all())
    for level in levels:
        if level.id in done:
            continue
        try:
            with session.begin_nested():
                session.add(LevelReward(level_id=level.id, group_id=group.id,
                                        client_id=client_id, offer_id=level.reward_offer_id))
        except IntegrityError:  # granted by a concurrent award
            continue
        grant_offer(session, client_id=client_id, offer_id=level.reward_offer_id,
                    source=GrantSource.OFFER)
        notify(session, client_id=client_id, kind=NotificationKind.COMMUNITY,
               link=routes.community_leaderboard(group.id), base_url=get_settings().base_url,
               params=community_params(event=LEVEL, group=group.name, level=level.name))
