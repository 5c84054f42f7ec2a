"""Reading a group: its header and channels (`open_group`), a channel's feed by
cursor (`list_feed`) and one post with its comments (`post_detail`).

The feed shows the channel's pinned posts first (on the first page only), then its
published posts newest first, with the reader's own held posts among them marked
"Waiting for approval"; hidden, removed and deleted posts are nobody's to see here.
It pages by keyset on the post id (`before`), and the number of SQL statements per
page stays the same however large the group grows (tests/unit/test_community_feed_sql.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, and_, bindparam, literal, union_all
from sqlmodel import Session, select

from models import (
    ChannelKind,
    Client,
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    Entitlement,
    GrantKind,
    GroupMember,
    MemberStatus,
    Post,
    PostComment,
    StaffUser,
)
from models.base import UTCDateTime, utcnow
from portal_app import apps, routes
from portal_app.i18n import gettext
from portal_app.services import reads
from portal_app.services.business import get_business
from portal_app.services.community.access import (
    BANNED,
    NO_CHANNEL,
    NO_GROUP,
    get_post_for,
    may_read,
    member_context,
)
from portal_app.services.community.post_views import (
    MEMBER,
    Author,
    comment_views,
    folded_columns,
    post_views,
)
from portal_app.services.errors import NotAllowed, NotFound, parse_id
from portal_app.services.hub.grant_window import active_clause

PAGE = 20
MAX_PAGE = 50
PINNED_MAX = 10
COMMENTS_PAGE = 200


@dataclass(frozen=True)
class GroupHead:
    """What the group page shows of the group (read with its channels)."""

    id: int
    name: str
    description: str
    gamification: bool


@dataclass(frozen=True)
class ChannelHead:
    id: int
    name: str
    kind: str


@dataclass
class GroupView:
    group: GroupHead
    channels: list[ChannelHead]  # live ones, in order
    channel: ChannelHead
    muted: bool


@dataclass
class FeedPage:
    posts: list[dict]
    next_before: int | None  # the cursor of the next page, None at the end


@dataclass
class PostDetail:
    post: dict
    group_id: int
    group_name: str
    channel_kind: str
    comments: list[dict] = field(default_factory=list)
    next_after: int | None = None  # more comments after this id


def open_group(session: Session, *, client_id: int, group_id: object,
               channel_id: object = None, now: datetime | None = None) -> GroupView:
    """The group (if the client may read it: `access.may_read`), its live channels in
    order, and the channel asked for (one of them) or the first. One statement: the
    group, the reader's member row, whether they hold a grant to it, and the channels
    (`access.member_context`'s answers, read together)."""
    now = now or utcnow()
    gid = parse_id(group_id, NO_GROUP)
    rows = reads.run(session, _group_statement(), group_id=gid, client_id=int(client_id),
                     now=now).all()
    if not rows or rows[0].archived:
        raise NotFound(NO_GROUP)
    head = rows[0]
    if head.member_status == MemberStatus.BANNED:
        raise NotAllowed(BANNED)
    if head.member_status is None and head.granted:
        # A grant without a member row yet: member_context makes the row (a write).
        member_context(session, client_id=client_id, group_id=gid, now=now)
        return open_group(session, client_id=client_id, group_id=gid, channel_id=channel_id,
                          now=now)
    member = None if head.member_status is None else _Member(head.member_status,
                                                             bool(head.via_grant))
    if not may_read(head, member, {head.id} if head.granted else set()):
        raise NotFound(NO_GROUP)
    channels = [ChannelHead(r.channel_id, r.channel_name, r.channel_kind)
                for r in rows if r.channel_id is not None]
    if not channels:
        raise NotFound(NO_CHANNEL)
    chosen = channels[0]
    if channel_id not in (None, ""):
        wanted = parse_id(channel_id, NO_CHANNEL)
        chosen = next((c for c in channels if c.id == wanted), None)
        if chosen is None:
            raise NotFound(NO_CHANNEL)
    muted = head.muted_until is not None and head.muted_until > now
    return GroupView(group=GroupHead(head.id, head.name, head.description,
                                     bool(head.gamification)),
                     channels=channels, channel=chosen, muted=muted)


@dataclass(frozen=True)
class _Member:  # what `may_read` reads of a member row
    status: str
    via_grant: bool


@cache
def _group_statement():
    """The group, the reader's member row, their grant to it (the rule of
    `access.granted_group_ids` for this one group) and its live channels in order: one
    row per channel (one with no channel when it has none)."""
    group, member, channel = CommunityGroup, GroupMember, CommunityChannel
    client_id = bindparam("client_id", type_=Integer)
    granted = select(Entitlement.id).where(
        Entitlement.client_id == client_id, Entitlement.app_key == apps.COMMUNITY,
        Entitlement.kind == GrantKind.GROUP, Entitlement.target_id == group.id,
        *active_clause(bindparam("now", type_=UTCDateTime))).exists()
    return (select(group.id, group.name, group.description, group.visibility, group.archived,
                   group.gamification, member.status.label("member_status"), member.via_grant,
                   member.muted_until, granted.label("granted"),
                   channel.id.label("channel_id"), channel.name.label("channel_name"),
                   channel.kind.label("channel_kind"))
            .select_from(group)
            .outerjoin(member, and_(member.group_id == group.id, member.client_id == client_id))
            .outerjoin(channel, and_(channel.group_id == group.id,
                                     channel.archived == False))  # noqa: E712
            .where(group.id == bindparam("group_id", type_=Integer))
            .order_by(channel.position, channel.id))


@cache
def _channel_statement():
    return select(CommunityChannel.id, CommunityChannel.group_id, CommunityChannel.archived
                  ).where(CommunityChannel.id == bindparam("channel_id", type_=Integer))


# What the feed shows of a post, and its author's name and picture.
_POST_COLUMNS = (Post.id, Post.author_client_id, Post.author_staff_id, Post.title, Post.body,
                 Post.status, Post.pinned, Post.comment_count, Post.created_at,
                 Post.published_at, Post.edited_at)
PINNED, PAGE_PART, HELD = 0, 1, 2


@cache
def _posts_statement(paged: bool):
    """A page of the feed in one statement: the pinned posts (first page only), the
    published ones newest first (`limit` + 1: is there more?) and the reader's own
    held posts below the cursor (`list_feed` keeps those within the page), each with
    its author's display name and avatar or staff name, its reactions and whether it
    has files (`post_views.folded_columns`). Built once per `paged`."""
    channel_id = bindparam("channel_id", type_=Integer)
    cursor = bindparam("cursor", type_=Integer)

    def part(number: int, *where, limit):
        query = select(*_POST_COLUMNS, literal(number).label("part")).where(
            Post.channel_id == channel_id, *where)
        if paged:
            query = query.where(Post.id < cursor)
        return query.order_by(Post.id.desc()).limit(limit).subquery()

    parts = [part(PAGE_PART, Post.status == ContentStatus.PUBLISHED,
                  Post.pinned == False,  # noqa: E712
                  limit=bindparam("limit", type_=Integer)),
             part(HELD, Post.status == ContentStatus.HELD,
                  Post.author_client_id == bindparam("client_id", type_=Integer),
                  limit=MAX_PAGE)]
    if not paged:
        parts.insert(0, part(PINNED, Post.status == ContentStatus.PUBLISHED,
                             Post.pinned == True, limit=PINNED_MAX))  # noqa: E712
    posts = union_all(*(select(*p.c) for p in parts)).subquery()
    return (select(posts, Client.display_name, Client.avatar_name, StaffUser.full_name,
                   *folded_columns(posts.c.id, bindparam("client_id", type_=Integer)))
            .outerjoin(Client, Client.id == posts.c.author_client_id)
            .outerjoin(StaffUser, StaffUser.id == posts.c.author_staff_id)
            .order_by(posts.c.part, posts.c.id.desc()))


def _authors(session: Session, rows, lang: str) -> dict[tuple[str, int], Author]:
    """The authors of the rows, from their own columns (`post_views.authors_of`'s rule)."""
    member = gettext(lang, MEMBER)
    out: dict[tuple[str, int], Author] = {}
    business = None
    for r in rows:
        if r.author_client_id is not None:
            out[("c", r.author_client_id)] = Author(
                name=(r.display_name or "").strip() or member, badge="",
                avatar=routes.community_avatar(r.author_client_id) if r.avatar_name else "")
        elif r.author_staff_id is not None and r.full_name is not None:
            business = business or get_business(session).name
            out[("s", r.author_staff_id)] = Author(name=r.full_name, badge=business, avatar="")
    return out


def list_feed(session: Session, *, client_id: int, channel_id: object, before: object = None,
              limit: int = PAGE, zone: str = "UTC", lang: str = "en",
              checked: GroupView | None = None) -> FeedPage:
    """One page of the channel's feed for this reader (see the module docstring).
    `checked`: what `open_group` let this reader into in the same transaction (its
    checks are not repeated for one of its channels)."""
    wanted = parse_id(channel_id, NO_CHANNEL)
    if checked is None or all(c.id != wanted for c in checked.channels):
        channel = reads.run(session, _channel_statement(), channel_id=wanted).first()
        if channel is None or channel.archived:
            raise NotFound(NO_CHANNEL)
        member_context(session, client_id=client_id, group_id=channel.group_id)
    limit = max(1, min(int(limit or PAGE), MAX_PAGE))
    cursor = None if before in (None, "") else parse_id(before, NO_CHANNEL)
    params = {"channel_id": wanted, "limit": limit + 1, "client_id": int(client_id)}
    if cursor is not None:
        params["cursor"] = cursor
    found = reads.records(reads.run(session, _posts_statement(cursor is not None), **params))
    pinned = [r for r in found if r.part == PINNED]
    rows = [r for r in found if r.part == PAGE_PART]
    more = len(rows) > limit
    rows = rows[:limit]
    # The reader's own held posts in the same stretch of ids (usually none): above the
    # page's last post when there is more, else all the way down.
    low = rows[-1].id if more and rows else 0
    held = [r for r in found if r.part == HELD and r.id > low]
    shown = pinned + sorted(rows + held, key=lambda p: -p.id)
    return FeedPage(posts=post_views(session, shown, client_id=client_id, zone=zone, lang=lang,
                                     authors=_authors(session, shown, lang), folded=True),
                    next_before=rows[-1].id if more else None)


def post_detail(session: Session, *, client_id: int, post_id: object, after: object = None,
                zone: str = "UTC", lang: str = "en") -> PostDetail:
    """The post (published, or the reader's own held one) and its comments: the
    published ones and the reader's own held ones, oldest first, 200 at a time."""
    ctx, post = get_post_for(session, client_id=client_id, post_id=post_id, now=utcnow())
    channel = session.get(CommunityChannel, post.channel_id)
    cursor = None if after in (None, "") else parse_id(after, NO_CHANNEL)
    visible = (PostComment.status == ContentStatus.PUBLISHED) | (
        (PostComment.status == ContentStatus.HELD)
        & (PostComment.author_client_id == client_id))
    q = select(PostComment).where(PostComment.post_id == post.id, visible)
    if cursor is not None:
        q = q.where(PostComment.id > cursor)
    rows = list(session.exec(q.order_by(PostComment.id).limit(COMMENTS_PAGE + 1)).all())
    more = len(rows) > COMMENTS_PAGE
    rows = rows[:COMMENTS_PAGE]
    kind = channel.kind if channel is not None else ChannelKind.FEED
    best = post.best_comment_id if kind == ChannelKind.QUESTIONS else None
    (view,) = post_views(session, [post], client_id=client_id, zone=zone, lang=lang)
    return PostDetail(post=view, group_id=ctx.group.id, group_name=ctx.group.name,
                      channel_kind=kind,
                      comments=comment_views(session, rows, client_id=client_id, best_id=best,
                                             zone=zone, lang=lang),
                      next_after=rows[-1].id if more else None)
