"""A member's own posts: write (with up to 4 files), edit, delete.

Every id is checked through access.py: the channel must be one the client may read
(`get_channel_for`), the member not muted (`require_participant`), and not the
announcements channel (`require_may_post_in`: staff only). The writing rules
(rules.py) decide published or held; held text notifies nobody. A post that
becomes published counts toward the member's first N posts, tells
`notices.on_published` (same transaction) and earns points ("post:<id>").
Editing runs the verdict again: a published post edited to contain a held word
waits for staff again; a held post stays held until staff decide. Pinning is
staff's (services/community/staff_posts.py).

Each write returns the post and the client ids whose bell changed, for the
caller to push after its commit (portal_app/live.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from models import (
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    GroupMember,
    PointReason,
    Post,
)
from models.base import utcnow
from portal_app.providers.storage import FileStorage
from portal_app.services import ratelimit
from portal_app.services.community import mentions, notices, points, rules
from portal_app.services.community.access import (
    MemberContext,
    get_channel_for,
    get_post_for,
    require_may_post_in,
    require_participant,
)
from portal_app.services.community.counters import count_published_post
from portal_app.services.community.files import check_post_files, store_post_files
from portal_app.services.documents.file_checks import IncomingFile
from portal_app.services.documents.names import MB
from portal_app.services.errors import NotAllowed, ServiceError

POSTS_PER_WINDOW = 10
POST_WINDOW = timedelta(minutes=10)
TOO_MANY_POSTS = "You have posted a lot in the last few minutes. Please wait a little."
# Edits of posts and comments (each one reloads every open tab of the group).
EDITS_PER_WINDOW = 30
TOO_MANY_EDITS = "You have edited a lot in the last few minutes. Please wait a little."


def limit_edits(session: Session, *, client_id: int, now: datetime) -> None:
    """Count one edit of a post or comment; refuse past EDITS_PER_WINDOW in POST_WINDOW."""
    ratelimit.hit(session, bucket="community-edit", key=str(client_id),
                  limit=EDITS_PER_WINDOW, window=POST_WINDOW, now=now, message=TOO_MANY_EDITS)
NOT_YOURS = "You can only change your own posts."


@dataclass
class Written:
    """What a write did: the row, and who to push a bell update to after commit."""

    row: object
    notify: list[int] = field(default_factory=list)


def post_source(post_id: int) -> str:
    return f"post:{post_id}"


def publish_post(session: Session, *, group: CommunityGroup, member: GroupMember | None,
                 post: Post, base_url: str, now: datetime | None = None) -> list[int]:
    """`post` becomes published now (at once, or when staff approve it): the author's
    first-N counter (`member`: their row; None for staff's posts), the notices, the
    points. Returns the client ids whose bell changed (push them after the commit)."""
    post.status, post.held_reason = ContentStatus.PUBLISHED, ""
    post.published_at = post.published_at or now or utcnow()
    session.add(post)
    session.flush()
    if member is not None:
        count_published_post(session, member=member)
    changed = notices.on_published(session, post=post, base_url=base_url)
    if post.author_client_id is not None:
        points.award(session, group=group, client_id=post.author_client_id,
                     reason=PointReason.POST, source=post_source(post.id))
    return list(changed or [])


def create_post(session: Session, *, client_id: int, channel_id: object, title: object,
                body: object, files: Sequence[IncomingFile] = (),
                storage: FileStorage | None = None, base_url: str,
                max_file_bytes: int = 10 * MB, max_request_bytes: int = 25 * MB,
                now: datetime | None = None) -> Written:
    """A member's new post in a channel: published at once or held for staff.
    Nothing is written when anything is refused."""
    now = now or utcnow()
    ctx, channel = get_channel_for(session, client_id=client_id, channel_id=channel_id,
                                   now=now)
    require_participant(ctx)
    require_may_post_in(channel)
    title, body = rules.clean_post(title, body)
    checked = check_post_files(files, max_file_bytes=max_file_bytes,
                               max_request_bytes=max_request_bytes)
    status, reason = rules.verdict(group=ctx.group, channel=channel, member=ctx.member,
                                   text=f"{title}\n{body}", is_post=True)
    ratelimit.hit(session, bucket="community-post", key=str(client_id),
                  limit=POSTS_PER_WINDOW, window=POST_WINDOW, now=now,
                  message=TOO_MANY_POSTS)
    post = Post(group_id=ctx.group.id, channel_id=channel.id, author_client_id=client_id,
                title=title, body=body, status=ContentStatus.HELD, held_reason=reason,
                created_at=now)
    session.add(post)
    session.flush()
    if checked:
        store_post_files(session, storage=storage, checked=checked, post=post,
                         client_id=client_id)
    mentions.write_mentions(session, group=ctx.group, post_id=post.id, comment_id=None,
                            text=f"{title}\n{body}", author_client_id=client_id)
    notify: list[int] = []
    if status == ContentStatus.PUBLISHED:
        notify = publish_post(session, group=ctx.group, member=ctx.member, post=post,
                              base_url=base_url, now=now)
    return Written(post, notify)


def own_post(session: Session, *, client_id: int, post_id: object,
             now: datetime | None = None) -> tuple[MemberContext, Post]:
    """The client's own post (one they may still see), for editing."""
    ctx, post = get_post_for(session, client_id=client_id, post_id=post_id, now=now)
    if post.author_client_id != client_id:
        raise NotAllowed(NOT_YOURS)
    return ctx, post


def edit_post(session: Session, *, client_id: int, post_id: object, title: object,
              body: object, base_url: str = "", now: datetime | None = None) -> Written:
    """The author's new title and text. The verdict runs again: a published post that
    now needs review is held; a held post stays held until staff decide. Members the
    edit newly mentions are told when the post is published (`Written.notify`)."""
    now = now or utcnow()
    ctx, post = own_post(session, client_id=client_id, post_id=post_id, now=now)
    require_participant(ctx)
    title, body = rules.clean_post(title, body)
    limit_edits(session, client_id=client_id, now=now)
    channel = session.get(CommunityChannel, post.channel_id)
    # The first-N rule is about new posts: an edit of a published post is judged
    # like a comment (the channel, the words, the links).
    try:
        status, reason = rules.verdict(group=ctx.group, channel=channel, member=ctx.member,
                                       text=f"{title}\n{body}",
                                       is_post=post.status == ContentStatus.HELD)
    except ServiceError as exc:
        raise ServiceError(exc.message, field="body") from None
    if status == ContentStatus.HELD:
        post.status, post.held_reason = ContentStatus.HELD, reason
    post.title, post.body, post.edited_at = title, body, now
    session.add(post)
    session.flush()
    mentions.write_mentions(session, group=ctx.group, post_id=post.id, comment_id=None,
                            text=f"{title}\n{body}", author_client_id=client_id)
    return Written(post, notices.on_edited(session, post=post, base_url=base_url))


def delete_post(session: Session, *, client_id: int, post_id: object,
                now: datetime | None = None) -> Post:
    """The author deletes their post: gone from every view (the row stays, marked
    deleted), its points taken back; its files are removed by `portal storage gc`."""
    now = now or utcnow()
    _ctx, post = own_post(session, client_id=client_id, post_id=post_id, now=now)
    post.status, post.pinned, post.edited_at = ContentStatus.DELETED, False, now
    session.add(post)
    session.flush()
    points.take_back(session, source=post_source(post.id))
    return post
