"""A group's leaderboards: the week (since Monday 00:00 in the business's zone) and
all time. Top ten active members by points, with the display name each chose
(never the legal name; "" for none, the page says "A member"), their rank (equal
points share a rank), points and level (by all-time points); and the viewer's own
standing. A fixed handful of statements whatever the size of the group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from models import Client, CommunityGroup, CommunityLevel, GroupMember, PointEvent
from models.base import utcnow
from portal_app.services.billing.dates import business_zone
from portal_app.services.business import get_business
from portal_app.services.community import access, points

TOP = 10
WEEK = "week"
ALL_TIME = "all"


@dataclass
class BoardRow:
    rank: int
    client_id: int
    name: str
    points: int
    level: str
    me: bool


@dataclass
class Board:
    rows: list[BoardRow] = field(default_factory=list)
    my_rank: int | None = None  # None: no points in this window yet
    my_points: int = 0


@dataclass
class Standing:
    points: int
    level: str  # "" below the first level
    next_level: str  # "" at the top
    to_next: int  # points still needed for the next level


def week_start(session: Session, *, now: datetime | None = None) -> datetime:
    """Monday 00:00 of this week on the business's calendar, as a UTC moment."""
    zone = ZoneInfo(business_zone(get_business(session)))
    local = (now or utcnow()).astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def levels_of(session: Session, *, group_id: int) -> list[CommunityLevel]:
    """The group's levels, lowest threshold first (one statement)."""
    return list(session.exec(select(CommunityLevel).where(CommunityLevel.group_id == group_id)
                             .order_by(CommunityLevel.threshold, CommunityLevel.id)).all())


def level_for(levels: list[CommunityLevel], points: int) -> str:
    name = ""
    for level in levels:
        if points >= level.threshold:
            name = level.name
    return name


def standing(levels: list[CommunityLevel], points: int) -> Standing:
    """The member's level and the next one, from rows already read."""
    points = max(0, points)
    upcoming = [lv for lv in levels if lv.threshold > points]
    nxt = upcoming[0] if upcoming else None
    return Standing(points=points, level=level_for(levels, points),
                    next_level=nxt.name if nxt else "",
                    to_next=(nxt.threshold - points) if nxt else 0)


def _totals(group_id: int, since: datetime | None, visibility: str, now: datetime):
    """client id -> points in the window, members who may read the group only (a
    subquery)."""
    where = [PointEvent.group_id == group_id]
    if since is not None:
        where.append(PointEvent.created_at >= since)
    total = func.sum(PointEvent.points).label("total")
    return (select(PointEvent.client_id.label("client_id"), total)
            .join(GroupMember, (GroupMember.group_id == PointEvent.group_id)
                  & (GroupMember.client_id == PointEvent.client_id))
            .where(*where, access.reads_clause(visibility, now))
            .group_by(PointEvent.client_id).having(total > 0).subquery())


def board(session: Session, *, group: CommunityGroup, viewer_id: int, since: datetime | None,
          levels: list[CommunityLevel] | None = None) -> Board:
    """The top ten of the window (`since` None = all time) and the viewer's rank."""
    levels = levels if levels is not None else levels_of(session, group_id=group.id)
    totals = _totals(group.id, since, group.visibility, utcnow())
    top = session.exec(select(totals.c.client_id, totals.c.total, Client.display_name)
                       .join(Client, Client.id == totals.c.client_id)
                       .order_by(totals.c.total.desc(), totals.c.client_id).limit(TOP)).all()
    mine = session.exec(select(totals.c.total).where(totals.c.client_id == viewer_id)).first()
    my_points = max(0, int(mine or 0))
    my_rank = None
    if mine:
        ahead = session.exec(select(func.count()).select_from(totals)
                             .where(totals.c.total > my_points)).one()
        my_rank = int(ahead) + 1
    ids = [int(cid) for cid, _t, _n in top]
    if since is None:
        all_time = {int(cid): int(t) for cid, t, _n in top}
    else:
        all_time = dict(session.exec(select(PointEvent.client_id, func.sum(PointEvent.points))
                                     .where(PointEvent.group_id == group.id,
                                            PointEvent.client_id.in_(ids))
                                     .group_by(PointEvent.client_id)).all()) if ids else {}
    rows: list[BoardRow] = []
    for index, (cid, total, name) in enumerate(top):
        points = int(total)
        rank = rows[-1].rank if rows and rows[-1].points == points else index + 1
        rows.append(BoardRow(rank=rank, client_id=int(cid), name=(name or "").strip(),
                             points=points, me=int(cid) == viewer_id,
                             level=level_for(levels, int(all_time.get(int(cid), 0) or 0))))
    return Board(rows=rows, my_rank=my_rank, my_points=my_points)



@dataclass
class LeaderboardView:
    group: CommunityGroup
    gamification: bool
    standing: Standing | None = None
    week: Board | None = None
    all_time: Board | None = None


def page_view(session: Session, *, client_id: int, group_id: object,
              now: datetime | None = None) -> LeaderboardView:
    """What /community/leaderboard shows to a member of the group (NotFound /
    NotAllowed for anyone else, from access.member_context)."""
    now = now or utcnow()
    ctx = access.member_context(session, client_id=client_id, group_id=group_id, now=now)
    group = ctx.group
    if not group.gamification:
        return LeaderboardView(group=group, gamification=False)
    levels = levels_of(session, group_id=group.id)
    mine = points.total_of(session, group_id=group.id, client_id=client_id)
    return LeaderboardView(
        group=group, gamification=True, standing=standing(levels, mine),
        week=board(session, group=group, viewer_id=client_id,
                   since=week_start(session, now=now), levels=levels),
        all_time=board(session, group=group, viewer_id=client_id, since=None, levels=levels))
