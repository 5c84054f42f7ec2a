"""Who may see and take part in a community group: the one place every Community
handler, route and job asks.

A client reaches a group when the Community app is theirs (checked by the state
guard, `client_event(app=apps.COMMUNITY)`) and:
- open group: their member row is active (joining is one click);
- private group: their member row is active (staff approved the request, or a
  grant to the group made them a member);
- entitlement-only group: they hold an active grant to that group (an offer, a
  booked service, staff) and their member row is active.
A grant to a group makes its holder a member at once (`sync_granted`, called by
the grant and on every list), so buying an offer puts the client in the group
without a second step; such a row is marked `via_grant`, and in any group it then
reads only while a grant is active (paid access to a private group ends with the
grant). Joining an open group or a request staff approved needs no grant. A banned member has no access whatever grants they hold;
a removed or departed one must join again. The group must not be archived. A
muted member (`muted_until` in the future) may read but not post, comment or react.

Every id from the browser (group, channel, post, comment) goes through
`member_context` / `get_channel_for` / `get_post_for` / `get_comment_for`, which
answer NotFound for anything the client may not see (never saying whether it
exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, and_, bindparam, or_
from sqlmodel import Session, select

from models import (
    ChannelKind,
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    Entitlement,
    GrantKind,
    GroupMember,
    GroupVisibility,
    MemberStatus,
    Post,
    PostComment,
)
from models.base import UTCDateTime, utcnow
from portal_app import apps
from portal_app.services import reads
from portal_app.services.errors import NotAllowed, NotFound, parse_id
from portal_app.services.hub.grant_window import active_clause

NO_GROUP = "That group does not exist."
NO_CHANNEL = "That channel does not exist."
NO_POST = "That post does not exist."
NO_COMMENT = "That comment does not exist."
BANNED = "You can no longer take part in this group."
MUTED = "You are muted in this group for now: you may read, not post."
STAFF_ONLY = "Only the business posts in announcements."


@dataclass
class MemberContext:
    """A client inside a group they may read."""

    group: CommunityGroup
    member: GroupMember
    client_id: int
    now: datetime

    @property
    def muted(self) -> bool:
        until = self.member.muted_until
        return until is not None and until > self.now


def granted_group_ids(session: Session, *, client_id: int, now: datetime | None = None
                      ) -> set[int]:
    """Groups this client holds an active grant to (one statement)."""
    rows = reads.run(session, _granted_groups_statement(), client_id=int(client_id),
                     now=now or utcnow()).scalars()
    return {int(r) for r in rows if r is not None}


@cache
def _granted_groups_statement():
    return select(Entitlement.target_id).where(
        Entitlement.client_id == bindparam("client_id", type_=Integer),
        Entitlement.app_key == apps.COMMUNITY, Entitlement.kind == GrantKind.GROUP,
        *active_clause(bindparam("now", type_=UTCDateTime)))


@cache
def _member_statement():
    return select(GroupMember).where(GroupMember.group_id == bindparam("group_id", type_=Integer),
                                     GroupMember.client_id == bindparam("client_id", type_=Integer))


# A grant brings back a member who had left or asked (no second step); staff's ban or
# removal stands until staff lift it.
REJOIN_BY_GRANT = (MemberStatus.LEFT, MemberStatus.REQUESTED, MemberStatus.DECLINED)


def ensure_member(session: Session, *, group_id: int, client_id: int,
                  now: datetime | None = None) -> GroupMember:
    """Make the holder of a grant to the group a member: a new row (`via_grant`), or a
    row that had left, asked or been declined made active again. Banned and removed
    rows stay as they are; an active row is returned as it is."""
    now = now or utcnow()
    row = session.exec(select(GroupMember).where(
        GroupMember.group_id == group_id, GroupMember.client_id == client_id)).first()
    if row is None:
        row = GroupMember(group_id=group_id, client_id=client_id, created_at=now)
    elif row.status not in REJOIN_BY_GRANT:
        return row
    row.status, row.via_grant = MemberStatus.ACTIVE, True
    row.joined_at, row.updated_at = now, now
    session.add(row)
    session.flush()
    return row


def sync_granted(session: Session, *, client_id: int, now: datetime | None = None) -> None:
    """Make the client a member of every live group they hold a grant to and are not
    yet a member of (two statements when nothing is missing)."""
    granted = granted_group_ids(session, client_id=client_id, now=now)
    if not granted:
        return
    have = set(session.exec(select(GroupMember.group_id).where(
        GroupMember.client_id == client_id, GroupMember.group_id.in_(granted))).all())
    missing = granted - have
    if not missing:
        return
    live_ids = session.exec(select(CommunityGroup.id).where(
        CommunityGroup.id.in_(missing), CommunityGroup.archived.is_(False))).all()
    for group_id in sorted(live_ids):
        ensure_member(session, group_id=group_id, client_id=client_id, now=now)


def may_read(group: CommunityGroup, member: GroupMember | None, granted: set[int]) -> bool:
    """The access rule of the module docstring, for rows already read."""
    if group.archived or member is None or member.status != MemberStatus.ACTIVE:
        return False
    if group.visibility == GroupVisibility.ENTITLED or member.via_grant:
        return group.id in granted
    return True


def reads_clause(visibility, now: datetime, member=GroupMember):
    """The SQL form of `may_read` for member rows (the group not archived is the
    caller's): active, and holding an active grant to the group when the group is
    entitlement-only or the row came by a grant. `visibility` is the group's (a
    string) or a column holding it."""
    grant = select(Entitlement.id).where(
        Entitlement.client_id == member.client_id, Entitlement.app_key == apps.COMMUNITY,
        Entitlement.kind == GrantKind.GROUP, Entitlement.target_id == member.group_id,
        *active_clause(now)).exists()
    if isinstance(visibility, str):
        if visibility == GroupVisibility.ENTITLED:
            return and_(member.status == MemberStatus.ACTIVE, grant)
        return and_(member.status == MemberStatus.ACTIVE,
                    or_(member.via_grant.is_(False), grant))
    return and_(member.status == MemberStatus.ACTIVE,
                or_(and_(visibility != GroupVisibility.ENTITLED, member.via_grant.is_(False)),
                    grant))


def member_context(session: Session, *, client_id: int, group_id: object,
                   now: datetime | None = None) -> MemberContext:
    """The client inside a group they may read; NotFound otherwise (a banned member is
    told so: they know the group exists)."""
    now = now or utcnow()
    group = session.get(CommunityGroup, parse_id(group_id, NO_GROUP))
    if group is None or group.archived:
        raise NotFound(NO_GROUP)
    member = session.exec(_member_statement(), params={"group_id": group.id,
                                                        "client_id": int(client_id)}).first()
    if member is not None and member.status == MemberStatus.BANNED:
        raise NotAllowed(BANNED)
    granted = granted_group_ids(session, client_id=client_id, now=now)
    if member is None and group.id in granted:
        member = ensure_member(session, group_id=group.id, client_id=client_id, now=now)
    if not may_read(group, member, granted):
        raise NotFound(NO_GROUP)
    return MemberContext(group=group, member=member, client_id=client_id, now=now)


def require_participant(ctx: MemberContext) -> None:
    """Refuse a muted member's post, comment or reaction."""
    if ctx.muted:
        raise NotAllowed(MUTED)


def get_channel_for(session: Session, *, client_id: int, channel_id: object,
                    now: datetime | None = None) -> tuple[MemberContext, CommunityChannel]:
    channel = session.get(CommunityChannel, parse_id(channel_id, NO_CHANNEL))
    if channel is None or channel.archived:
        raise NotFound(NO_CHANNEL)
    ctx = member_context(session, client_id=client_id, group_id=channel.group_id, now=now)
    return ctx, channel


def require_may_post_in(channel: CommunityChannel) -> None:
    if channel.kind == ChannelKind.ANNOUNCEMENTS:
        raise NotAllowed(STAFF_ONLY)


def post_visible_to(post: Post, client_id: int) -> bool:
    """Published posts to every member; a held one to its author only."""
    return (post.status == ContentStatus.PUBLISHED
            or (post.status == ContentStatus.HELD and post.author_client_id == client_id))


def get_post_for(session: Session, *, client_id: int, post_id: object,
                 now: datetime | None = None) -> tuple[MemberContext, Post]:
    post = session.get(Post, parse_id(post_id, NO_POST))
    if post is None or not post_visible_to(post, client_id):
        raise NotFound(NO_POST)
    channel = session.get(CommunityChannel, post.channel_id)
    if channel is None or channel.archived:
        raise NotFound(NO_POST)
    try:
        ctx = member_context(session, client_id=client_id, group_id=post.group_id, now=now)
    except NotFound:
        raise NotFound(NO_POST) from None
    return ctx, post


def get_comment_for(session: Session, *, client_id: int, comment_id: object,
                    now: datetime | None = None) -> tuple[MemberContext, Post, PostComment]:
    comment = session.get(PostComment, parse_id(comment_id, NO_COMMENT))
    if comment is None or not (comment.status == ContentStatus.PUBLISHED or (
            comment.status == ContentStatus.HELD and comment.author_client_id == client_id)):
        raise NotFound(NO_COMMENT)
    try:
        ctx, post = get_post_for(session, client_id=client_id, post_id=comment.post_id, now=now)
    except NotFound:
        raise NotFound(NO_COMMENT) from None
    return ctx, post, comment


def reader_ids(session: Session, *, group: CommunityGroup, now: datetime | None = None
               ) -> list[int]:
    """Client records that may read the group now (notifications, live pushes, the
    digest): active members, and for an entitlement-only group only those still
    holding a grant (and so for members who came by a grant). One statement whatever
    the size."""
    if group.archived:
        return []
    return [int(i) for i in session.exec(select(GroupMember.client_id).where(
        GroupMember.group_id == group.id,
        reads_clause(group.visibility, now or utcnow()))).all()]
