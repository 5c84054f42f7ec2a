"""A group's member directory, for its members only.

Each member shows the display name they chose (`Client.display_name`; the legal
name, `full_name`, is never read here), their avatar (`routes.community_avatar`,
or their initials), when they joined and, when the group has gamification on,
their points and level. Members are the group's readers now (access.py): active
rows, and for an entitlement-only group only those still holding a grant.

Pages are alphabetical by display name, cut by a cursor ("<member row id>:<name>"
of the last one shown), and cost the same few statements whatever the group's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from models import (
    Client,
    CommunityLevel,
    GroupMember,
    PointEvent,
)
from portal_app.services.community.access import member_context, reads_clause
from portal_app.services.community.avatars import avatar_url, initials

PAGE_SIZE = 50
MAX_PAGE = 100
SEARCH_MAX = 40


@dataclass(frozen=True)
class MemberView:
    client_id: int
    display_name: str  # "" when the member has not chosen one yet (the page says "Member")
    initials: str
    avatar_url: str  # "" without an avatar
    joined_at: datetime | None
    points: int | None  # None when gamification is off
    level: str
    is_me: bool


@dataclass(frozen=True)
class DirectoryPage:
    group_name: str
    members: list[MemberView]
    next_cursor: str  # "" on the last page
    gamification: bool


def _like(search: str) -> str:
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _cursor(raw: object) -> tuple[str, int] | None:
    """(lower-case name, member row id) after which the page starts; None for the first."""
    text = str(raw or "")
    head, sep, name = text.partition(":")
    if not sep or not head.isdigit() or len(text) > 200:
        return None
    return name, int(head)


def _level(levels: list[CommunityLevel], points: int) -> str:
    reached = [lv for lv in levels if lv.threshold <= points]
    return reached[-1].name if reached else ""


def list_members(session: Session, *, client_id: int, group_id: object, search: object = "",
                 limit: int = PAGE_SIZE, cursor: object = None,
                 now: datetime | None = None) -> DirectoryPage:
    """One page of the group's members for a member of the group (NotFound otherwise),
    optionally only those whose display name contains `search`."""
    ctx = member_context(session, client_id=client_id, group_id=group_id, now=now)
    group = ctx.group
    limit = max(1, min(int(limit or PAGE_SIZE), MAX_PAGE))
    name_key = func.lower(Client.display_name)
    query = (select(GroupMember.id, GroupMember.client_id, GroupMember.joined_at,
                    Client.display_name, Client.avatar_name, name_key)
             .join(Client, Client.id == GroupMember.client_id)
             .where(GroupMember.group_id == group.id,
                    reads_clause(group.visibility, ctx.now)))
    text = " ".join(str(search or "").split())[:SEARCH_MAX]
    if text:
        query = query.where(Client.display_name.ilike(_like(text), escape="\\"))
    after = _cursor(cursor)
    if after is not None:
        name, row_id = after
        query = query.where(or_(name_key > name, and_(name_key == name,
                                                      GroupMember.id > row_id)))
    rows = session.exec(query.order_by(name_key, GroupMember.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    points: dict[int, int] = {}
    levels: list[CommunityLevel] = []
    if group.gamification and rows:
        points = {cid: int(total or 0) for cid, total in session.exec(
            select(PointEvent.client_id, func.sum(PointEvent.points)).where(
                PointEvent.group_id == group.id,
                PointEvent.client_id.in_([r[1] for r in rows]))
            .group_by(PointEvent.client_id)).all()}
        levels = list(session.exec(select(CommunityLevel).where(
            CommunityLevel.group_id == group.id).order_by(CommunityLevel.threshold)).all())
    members = []
    for _row_id, member_client, joined_at, display, avatar, _key in rows:
        score = points.get(member_client, 0) if group.gamification else None
        members.append(MemberView(
            client_id=member_client, display_name=display or "", initials=initials(display),
            avatar_url=avatar_url(member_client, avatar), joined_at=joined_at, points=score,
            level=_level(levels, score) if score is not None else "",
            is_me=member_client == client_id))
    next_cursor = f"{rows[-1][0]}:{rows[-1][5] or ''}" if more and rows else ""
    return DirectoryPage(group_name=group.name, members=members, next_cursor=next_cursor,
                         gamification=bool(group.gamification))
