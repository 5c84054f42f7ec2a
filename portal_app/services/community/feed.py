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
from functools import cache

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, select

from models import ChannelKind, CommunityChannel, CommunityGroup, ContentStatus, Post, PostComment
from models.base import utcnow
from portal_app.services.community.access import (
    NO_CHANNEL,
    get_post_for,
    member_context,
)
from portal_app.services.community.post_views import comment_views, post_views
from portal_app.services.errors import NotFound, parse_id

PAGE = 20
MAX_PAGE = 50
PINNED_MAX = 10
COMMENTS_PAGE = 200


@dataclass
class GroupView:
    group: CommunityGroup
    channels: list[CommunityChannel]
    channel: CommunityChannel
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
               channel_id: object = None) -> GroupView:
    """The group (if the client may read it), its live channels in order, and the
    channel asked for (one of them) or the first."""
    ctx = member_context(session, client_id=client_id, group_id=group_id)
    channels = list(session.exec(_channels_statement(), params={"group_id": ctx.group.id}).all())
    if not channels:
        raise NotFound(NO_CHANNEL)
    chosen = channels[0]
    if channel_id not in (None, ""):
        wanted = parse_id(channel_id, NO_CHANNEL)
        chosen = next((c for c in channels if c.id == wanted), None)
        if chosen is None:
            raise NotFound(NO_CHANNEL)
    return GroupView(group=ctx.group, channels=channels, channel=chosen, muted=ctx.muted)


# The feed's statements, built once (bound parameters): building them costs more than
# SQLite takes to run them.


@cache
def _channels_statement():
    return (select(CommunityChannel)
            .where(CommunityChannel.group_id == bindparam("group_id", type_=Integer),
                   CommunityChannel.archived == False)  # noqa: E712
            .order_by(CommunityChannel.position, CommunityChannel.id))


@cache
def _pinned_statement():
    return (select(Post).where(Post.channel_id == bindparam("channel_id", type_=Integer),
                               Post.status == ContentStatus.PUBLISHED,
                               Post.pinned == True)  # noqa: E712
            .order_by(Post.id.desc()).limit(PINNED_MAX))


@cache
def _page_statement(paged: bool):
    query = select(Post).where(Post.channel_id == bindparam("channel_id", type_=Integer),
                               Post.status == ContentStatus.PUBLISHED,
                               Post.pinned == False)  # noqa: E712
    if paged:
        query = query.where(Post.id < bindparam("cursor", type_=Integer))
    return query.order_by(Post.id.desc()).limit(bindparam("limit", type_=Integer))


@cache
def _held_statement(paged: bool):
    query = select(Post).where(Post.channel_id == bindparam("channel_id", type_=Integer),
                               Post.status == ContentStatus.HELD,
                               Post.author_client_id == bindparam("client_id", type_=Integer),
                               Post.id > bindparam("low", type_=Integer))
    if paged:
        query = query.where(Post.id < bindparam("cursor", type_=Integer))
    return query.order_by(Post.id.desc()).limit(MAX_PAGE)


def list_feed(session: Session, *, client_id: int, channel_id: object, before: object = None,
              limit: int = PAGE, zone: str = "UTC", lang: str = "en",
              checked_group_id: int | None = None) -> FeedPage:
    """One page of the channel's feed for this reader (see the module docstring).
    `checked_group_id`: the group `open_group` let this reader into in the same
    transaction (its check is not repeated for a channel of that group)."""
    channel = session.get(CommunityChannel, parse_id(channel_id, NO_CHANNEL))
    if channel is None or channel.archived:
        raise NotFound(NO_CHANNEL)
    if checked_group_id is None or channel.group_id != checked_group_id:
        member_context(session, client_id=client_id, group_id=channel.group_id)
    limit = max(1, min(int(limit or PAGE), MAX_PAGE))
    cursor = None if before in (None, "") else parse_id(before, NO_CHANNEL)
    pinned: list[Post] = []
    if cursor is None:
        pinned = list(session.exec(_pinned_statement(), params={"channel_id": channel.id}).all())
    params = {"channel_id": channel.id, "limit": limit + 1}
    if cursor is not None:
        params["cursor"] = cursor
    rows = list(session.exec(_page_statement(cursor is not None), params=params).all())
    more = len(rows) > limit
    rows = rows[:limit]
    # The reader's own held posts in the same stretch of ids (usually none).
    params = {"channel_id": channel.id, "client_id": int(client_id),
              "low": rows[-1].id if more and rows else 0}
    if cursor is not None:
        params["cursor"] = cursor
    held = list(session.exec(_held_statement(cursor is not None), params=params).all())
    shown = pinned + sorted(rows + held, key=lambda p: -p.id)
    return FeedPage(posts=post_views(session, shown, client_id=client_id, zone=zone, lang=lang),
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
