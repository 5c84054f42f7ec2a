"""Communities (seed 002, issue 23): groups where clients talk to each other and to
the business.

A `CommunityGroup` has channels (`CommunityChannel`: a feed, an announcements
channel only staff post in, optionally a questions channel with best answers).
Who may see a group follows its `visibility` and the client's grants
(services/community/access.py): an open group to any client with the Community
app, a private group to members staff approved (join requests), an
entitlement-only group to holders of an active grant to it (an offer, a booked
service, staff). A `GroupMember` row holds one client's standing in one group
(active, requested, removed, banned), their mute and notification choice.

A `Post` (title, Markdown text rendered safely, files) has comments one level
deep (`PostComment`) and reactions (`Reaction`, one per person, emoji and target).
A post or comment is `held` until staff approve it when the channel asks for
approval, the member is within their first N posts, or a word or link rule
matched; held text notifies nobody. Reports (`ContentReport`) over the group's
threshold hide the content pending review.

Gamification (off by default): every point is a `PointEvent` with a unique
`source` ("post:12", "reaction:7"), so an action scores once and is taken back
by deleting its row; `CommunityLevel` thresholds with an optional reward offer,
granted once per member and level (`LevelReward`, unique).

`DigestRun` (unique client and day) makes the daily digest go out once per
member per day, whichever worker runs the job.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from models.base import utc_field


class GroupVisibility:
    OPEN = "open"  # any client with the app may join
    PRIVATE = "private"  # by request, approved by staff
    ENTITLED = "entitled"  # holders of a grant to the group only
    ALL = (OPEN, PRIVATE, ENTITLED)


class ChannelKind:
    FEED = "feed"
    ANNOUNCEMENTS = "announcements"  # only staff post
    QUESTIONS = "questions"  # staff may mark a best answer
    ALL = (FEED, ANNOUNCEMENTS, QUESTIONS)


class MemberStatus:
    ACTIVE = "active"
    REQUESTED = "requested"  # asked to join a private group
    DECLINED = "declined"  # staff declined the request
    LEFT = "left"  # left by themselves
    REMOVED = "removed"  # removed by staff (may be let back in)
    BANNED = "banned"  # banned by staff: no access whatever grants they hold
    ALL = (ACTIVE, REQUESTED, DECLINED, LEFT, REMOVED, BANNED)


class NotifyLevel:
    ALL = "all"  # every post and comment, at once
    MENTIONS = "mentions"  # mentions and replies at once, plus the daily digest (default)
    MUTED = "muted"  # nothing at all, whatever else is set
    CHOICES = (ALL, MENTIONS, MUTED)


class ContentStatus:
    PUBLISHED = "published"
    HELD = "held"  # waiting for staff approval: seen by its author and staff only
    HIDDEN = "hidden"  # hidden by reports or staff, pending review
    REMOVED = "removed"  # removed by staff
    DELETED = "deleted"  # deleted by its author
    ALL = (PUBLISHED, HELD, HIDDEN, REMOVED, DELETED)


class ReportStatus:
    OPEN = "open"
    DISMISSED = "dismissed"  # staff kept the content
    ACTIONED = "actioned"  # staff removed the content
    ALL = (OPEN, DISMISSED, ACTIONED)


class LinkRule:
    ALLOW = "allow"
    HOLD = "hold"  # a post with a link waits for approval
    BLOCK = "block"  # a post with a link is refused
    ALL = (ALLOW, HOLD, BLOCK)


class PointReason:
    POST = "post"
    COMMENT = "comment"
    REACTION = "reaction"  # a reaction received
    BEST_ANSWER = "best_answer"
    ALL = (POST, COMMENT, REACTION, BEST_ANSWER)


def _text(default: str = "") -> Column:
    return Column(Text, nullable=False, server_default=default)


class CommunityGroup(SQLModel, table=True):
    __tablename__ = "community_group"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", sa_column=_text())
    visibility: str = Field(default=GroupVisibility.OPEN, max_length=10)
    archived: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    position: int = Field(default=0)
    # Moderation: a member's first N posts wait for approval (0 = off).
    hold_first_posts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # This many open reports hide a post or comment pending review.
    report_threshold: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    # Words that hold a post or comment for review (lower case).
    held_words: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    link_rule: str = Field(default=LinkRule.ALLOW, max_length=8,
                           sa_column_kwargs={"server_default": LinkRule.ALLOW})
    # Gamification (off by default) and the points each action earns.
    gamification: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    points_post: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    points_comment: int = Field(default=2, sa_column_kwargs={"server_default": "2"})
    points_reaction: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    points_best_answer: int = Field(default=10, sa_column_kwargs={"server_default": "10"})
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class CommunityChannel(SQLModel, table=True):
    __tablename__ = "community_channel"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id", index=True)
    name: str = Field(max_length=60)
    kind: str = Field(default=ChannelKind.FEED, max_length=14)
    # Every post and comment in this channel waits for staff approval.
    approve_posts: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    position: int = Field(default=0)
    archived: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime = utc_field(default_now=True)


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "client_id", name="uq_group_member"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    status: str = Field(default=MemberStatus.ACTIVE, max_length=10, index=True)
    notify: str = Field(default=NotifyLevel.MENTIONS, max_length=10,
                        sa_column_kwargs={"server_default": NotifyLevel.MENTIONS})
    # Muted by staff until then: may read, may not post, comment or react.
    muted_until: datetime | None = utc_field(nullable=True)
    # Made a member by a grant to the group (an offer, a booked service, staff's "Add"),
    # not by joining an open group or by staff approving a request: then the grant must
    # stay active, whatever the group's visibility (services/community/access.py).
    via_grant: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Published posts so far (for "hold a member's first N posts").
    published_posts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    request_note: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    status_reason: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    decided_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    joined_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class Post(SQLModel, table=True):
    __tablename__ = "community_post"
    # The feed: a channel's published posts, newest first, paged by (pinned, id); its
    # pinned posts without walking the channel (a partial index: the pinned alone).
    __table_args__ = (Index("ix_post_feed", "channel_id", "status", "id"),
                      Index("ix_post_group_status", "group_id", "status", "id"),
                      # `pinned` as a column too: three columns matched, not two as
                      # ix_post_feed's, so the planner takes it whatever the order made.
                      Index("ix_post_pinned", "channel_id", "status", "pinned", "id",
                            sqlite_where=text("pinned = 1"), postgresql_where=text("pinned")))

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id")
    channel_id: int = Field(foreign_key="community_channel.id")
    author_client_id: int | None = Field(default=None, foreign_key="client.id", index=True)
    author_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_column=_text())
    status: str = Field(default=ContentStatus.PUBLISHED, max_length=10)
    held_reason: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    pinned: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    best_comment_id: int | None = Field(default=None)
    comment_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    reaction_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = utc_field(default_now=True)
    published_at: datetime | None = utc_field(nullable=True)
    edited_at: datetime | None = utc_field(nullable=True)


class PostComment(SQLModel, table=True):
    __tablename__ = "community_comment"
    __table_args__ = (Index("ix_comment_post", "post_id", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="community_post.id")
    group_id: int = Field(foreign_key="community_group.id", index=True)
    author_client_id: int | None = Field(default=None, foreign_key="client.id", index=True)
    author_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    body: str = Field(sa_column=_text())
    status: str = Field(default=ContentStatus.PUBLISHED, max_length=10)
    held_reason: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    created_at: datetime = utc_field(default_now=True)
    published_at: datetime | None = utc_field(nullable=True)
    edited_at: datetime | None = utc_field(nullable=True)


class Reaction(SQLModel, table=True):
    """One person's reaction to a post or (with `comment_id`) a comment. `target` is
    "p<post id>" or "c<comment id>", so one unique index covers both."""

    __tablename__ = "community_reaction"
    __table_args__ = (UniqueConstraint("target", "client_id", "emoji", name="uq_reaction"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id", index=True)
    post_id: int = Field(foreign_key="community_post.id", index=True)
    comment_id: int | None = Field(default=None, foreign_key="community_comment.id")
    target: str = Field(max_length=16)
    client_id: int = Field(foreign_key="client.id", index=True)
    emoji: str = Field(max_length=16)
    created_at: datetime = utc_field(default_now=True)


class Mention(SQLModel, table=True):
    """A member @mentioned in a post or comment (notified once, when it is published)."""

    __tablename__ = "community_mention"
    __table_args__ = (UniqueConstraint("post_id", "comment_id", "client_id",
                                       name="uq_mention"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id", index=True)
    post_id: int = Field(foreign_key="community_post.id", index=True)
    comment_id: int | None = Field(default=None, foreign_key="community_comment.id")
    client_id: int = Field(foreign_key="client.id", index=True)
    notified: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime = utc_field(default_now=True)


class CommunityFile(SQLModel, table=True):
    """An image or file on a post, stored like a document (private storage, random
    name), served only to those who may see the post."""

    __tablename__ = "community_file"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id", index=True)
    post_id: int = Field(foreign_key="community_post.id", index=True)
    filename: str = Field(max_length=200)
    stored_name: str = Field(max_length=80, unique=True)
    content_type: str = Field(max_length=100)
    size_bytes: int = Field(default=0)
    sha256: str = Field(default="", max_length=64)
    uploaded_by_client_id: int | None = Field(default=None, foreign_key="client.id")
    created_at: datetime = utc_field(default_now=True)


class ContentReport(SQLModel, table=True):
    __tablename__ = "community_report"
    # One open report per person and post/comment ("p12" / "c40").
    __table_args__ = (UniqueConstraint("target", "reporter_client_id", name="uq_report"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id", index=True)
    post_id: int = Field(foreign_key="community_post.id", index=True)
    comment_id: int | None = Field(default=None, foreign_key="community_comment.id")
    target: str = Field(max_length=16)
    reporter_client_id: int = Field(foreign_key="client.id", index=True)
    reason: str = Field(default="", max_length=500)
    status: str = Field(default=ReportStatus.OPEN, max_length=10, index=True)
    decided_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    decided_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)


class PointEvent(SQLModel, table=True):
    """Points one member earned in one group for one thing, once (`source` unique)."""

    __tablename__ = "community_point"
    __table_args__ = (Index("ix_point_board", "group_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id")
    client_id: int = Field(foreign_key="client.id", index=True)
    reason: str = Field(max_length=12)
    source: str = Field(max_length=40, unique=True)
    points: int
    created_at: datetime = utc_field(default_now=True)


class CommunityLevel(SQLModel, table=True):
    __tablename__ = "community_level"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="community_group.id", index=True)
    name: str = Field(max_length=40)
    threshold: int  # points needed
    # Reaching the level grants this offer (e.g. a course), once per member.
    reward_offer_id: int | None = Field(default=None, foreign_key="offer.id")


class LevelReward(SQLModel, table=True):
    __tablename__ = "community_level_reward"
    __table_args__ = (UniqueConstraint("level_id", "client_id", name="uq_level_reward"),)

    id: int | None = Field(default=None, primary_key=True)
    level_id: int = Field(foreign_key="community_level.id")
    group_id: int = Field(foreign_key="community_group.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    offer_id: int | None = Field(default=None, foreign_key="offer.id")
    created_at: datetime = utc_field(default_now=True)


class DigestRun(SQLModel, table=True):
    """The daily digest sent to one client record on one day (their own calendar day)."""

    __tablename__ = "community_digest"
    __table_args__ = (UniqueConstraint("client_id", "day", name="uq_digest_day"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    day: date
    items: int = Field(default=0)
    created_at: datetime = utc_field(default_now=True)

