"""The console's view of one group's channel: what members see (published posts,
pinned first, newest next) plus what is hidden pending review, marked, with every
post's comments and its best answer. Staff see each author's chosen name and legal
name. Four statements whatever the size of the group: the group, its channels, a
page of posts with their authors, those posts' comments with theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from models import (
    Client,
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    Post,
    PostComment,
    StaffUser,
)
from portal_app.services.community.access import NO_GROUP
from portal_app.services.community.moderation_queue import author_names
from portal_app.services.errors import get_by_id

PAGE = 20
MAX_SHOWN = 200
COMMENTS_MAX = 1000
SHOWN = (ContentStatus.PUBLISHED, ContentStatus.HIDDEN)


@dataclass
class FeedComment:
    id: int
    post_id: int
    body: str
    status: str
    author_display: str
    author_legal: str
    author_is_staff: bool
    mine: bool
    created_at: datetime


@dataclass
class FeedPost:
    id: int
    title: str
    body: str
    status: str
    pinned: bool
    best_comment_id: int | None
    comment_count: int
    reaction_count: int
    author_display: str
    author_legal: str
    author_is_staff: bool
    mine: bool
    created_at: datetime
    edited_at: datetime | None
    comments: list[FeedComment] = field(default_factory=list)


@dataclass
class ChannelView:
    group: CommunityGroup
    channels: list[CommunityChannel]
    channel: CommunityChannel | None
    posts: list[FeedPost]
    has_more: bool


def get_channel_view(session: Session, *, staff_id: int, group_id: object,
                     channel_id: object = None, limit: object = PAGE) -> ChannelView:
    """The group's channels and the chosen one's posts (the first channel when none or
    a channel of another group is asked for)."""
    group = get_by_id(session, CommunityGroup, group_id, NO_GROUP)
    channels = list(session.exec(select(CommunityChannel).where(
        CommunityChannel.group_id == group.id, CommunityChannel.archived == False)  # noqa: E712
        .order_by(CommunityChannel.position, CommunityChannel.id)).all())
    channel = next((c for c in channels if str(c.id) == str(channel_id or "")),
                   channels[0] if channels else None)
    if channel is None:
        return ChannelView(group, channels, None, [], False)
    try:
        shown = min(max(int(limit), 1), MAX_SHOWN)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        shown = PAGE
    rows = session.exec(
        select(Post, Client, StaffUser)
        .outerjoin(Client, Client.id == Post.author_client_id)
        .outerjoin(StaffUser, StaffUser.id == Post.author_staff_id)
        .where(Post.channel_id == channel.id, Post.status.in_(SHOWN))
        .order_by(Post.pinned.desc(), Post.id.desc()).limit(shown + 1)).all()
    posts = []
    for post, client, staff in rows[:shown]:
        display, legal, is_staff = author_names(client, staff)
        posts.append(FeedPost(
            post.id, post.title, post.body, post.status, post.pinned, post.best_comment_id,
            post.comment_count, post.reaction_count, display, legal, is_staff,
            post.author_staff_id == staff_id, post.created_at, post.edited_at))
    by_id = {p.id: p for p in posts}
    if by_id:
        for comment, client, staff in session.exec(
                select(PostComment, Client, StaffUser)
                .outerjoin(Client, Client.id == PostComment.author_client_id)
                .outerjoin(StaffUser, StaffUser.id == PostComment.author_staff_id)
                .where(PostComment.post_id.in_(list(by_id)), PostComment.status.in_(SHOWN))
                .order_by(PostComment.id).limit(COMMENTS_MAX)).all():
            display, legal, is_staff = author_names(client, staff)
            by_id[comment.post_id].comments.append(FeedComment(
                comment.id, comment.post_id, comment.body, comment.status, display, legal,
                is_staff, comment.author_staff_id == staff_id, comment.created_at))
    return ChannelView(group, channels, channel, posts, len(rows) > shown)
