"""Comments, one level deep, on a published post: add, edit and delete one's own.

The same rules as posts (rules.py `verdict` with `is_post=False`: the channel's
approval, held words, links; the first-N rule is for posts). A comment that becomes
published counts in the post's `comment_count`, tells `notices.on_published` and
earns points ("comment:<id>"); a held one notifies nobody. Edited text is judged
again: a published comment that now needs review is held (and leaves the count).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from models import (
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    PointReason,
    Post,
    PostComment,
)
from models.base import utcnow
from portal_app.services import ratelimit
from portal_app.services.community import mentions, notices, points, rules
from portal_app.services.community.access import (
    NO_COMMENT,
    MemberContext,
    get_comment_for,
    get_post_for,
    require_participant,
)
from portal_app.services.community.counters import recount_comments
from portal_app.services.community.posts import Written, limit_edits
from portal_app.services.errors import NotAllowed, NotFound

COMMENTS_PER_WINDOW = 30
COMMENT_WINDOW = timedelta(minutes=10)
TOO_MANY_COMMENTS = "You have commented a lot in the last few minutes. Please wait a little."
NOT_PUBLISHED = "You can comment once the post is published."
NOT_YOURS = "You can only change your own comments."


def comment_source(comment_id: int) -> str:
    return f"comment:{comment_id}"


def publish_comment(session: Session, *, group: CommunityGroup, post: Post,
                    comment: PostComment, base_url: str, now: datetime | None = None
                    ) -> list[int]:
    """`comment` becomes published now (at once, or when staff approve it): the post's
    count, the notices, the points. Returns the client ids whose bell changed."""
    comment.status, comment.held_reason = ContentStatus.PUBLISHED, ""
    comment.published_at = comment.published_at or now or utcnow()
    session.add(comment)
    session.flush()
    recount_comments(session, post_id=post.id)
    changed = notices.on_published(session, comment=comment, base_url=base_url)
    if comment.author_client_id is not None:
        points.award(session, group=group, client_id=comment.author_client_id,
                     reason=PointReason.COMMENT, source=comment_source(comment.id))
    return list(changed or [])


def add_comment(session: Session, *, client_id: int, post_id: object, body: object,
                base_url: str, now: datetime | None = None) -> Written:
    """A member's comment on a published post: published at once or held."""
    now = now or utcnow()
    ctx, post = get_post_for(session, client_id=client_id, post_id=post_id, now=now)
    if post.status != ContentStatus.PUBLISHED:
        raise NotAllowed(NOT_PUBLISHED)
    require_participant(ctx)
    text = rules.clean_comment(body)
    channel = session.get(CommunityChannel, post.channel_id)
    status, reason = rules.verdict(group=ctx.group, channel=channel, member=ctx.member,
                                   text=text, is_post=False)
    ratelimit.hit(session, bucket="community-comment", key=str(client_id),
                  limit=COMMENTS_PER_WINDOW, window=COMMENT_WINDOW, now=now,
                  message=TOO_MANY_COMMENTS)
    comment = PostComment(post_id=post.id, group_id=post.group_id, author_client_id=client_id,
                          body=text, status=ContentStatus.HELD, held_reason=reason,
                          created_at=now)
    session.add(comment)
    session.flush()
    mentions.write_mentions(session, group=ctx.group, post_id=post.id, comment_id=comment.id,
                            text=text, author_client_id=client_id)
    notify: list[int] = []
    if status == ContentStatus.PUBLISHED:
        notify = publish_comment(session, group=ctx.group, post=post, comment=comment,
                                 base_url=base_url, now=now)
    return Written(comment, notify)


def _own_comment(session: Session, *, client_id: int, comment_id: object, now: datetime):
    ctx, post, comment = get_comment_for(session, client_id=client_id,
                                         comment_id=comment_id, now=now)
    if comment.author_client_id != client_id:
        raise NotAllowed(NOT_YOURS)
    return ctx, post, comment


def edit_comment(session: Session, *, client_id: int, comment_id: object, body: object,
                 base_url: str = "", now: datetime | None = None) -> Written:
    """The author's new text, judged again (see the module docstring); members the
    edit newly mentions are told when it is published (`Written.notify`)."""
    now = now or utcnow()
    ctx, post, comment = _own_comment(session, client_id=client_id, comment_id=comment_id,
                                      now=now)
    require_participant(ctx)
    text = rules.clean_comment(body)
    limit_edits(session, client_id=client_id, now=now)
    channel = session.get(CommunityChannel, post.channel_id)
    status, reason = rules.verdict(group=ctx.group, channel=channel, member=ctx.member,
                                   text=text, is_post=False)
    if status == ContentStatus.HELD:
        comment.status, comment.held_reason = ContentStatus.HELD, reason
    comment.body, comment.edited_at = text, now
    session.add(comment)
    session.flush()
    recount_comments(session, post_id=post.id)
    mentions.write_mentions(session, group=ctx.group, post_id=post.id, comment_id=comment.id,
                            text=text, author_client_id=client_id)
    return Written(comment, notices.on_edited(session, post=post, comment=comment,
                                              base_url=base_url))


def delete_comment(session: Session, *, client_id: int, comment_id: object,
                   now: datetime | None = None) -> PostComment:
    """The author deletes their comment; its points are taken back."""
    now = now or utcnow()
    _ctx, post, comment = _own_comment(session, client_id=client_id, comment_id=comment_id,
                                       now=now)
    comment.status, comment.edited_at = ContentStatus.DELETED, now
    session.add(comment)
    if post.best_comment_id == comment.id:  # a best answer deleted: no longer marked
        post.best_comment_id = None
        session.add(post)
        points.take_back(session, source=f"best:{comment.id}")
    session.flush()
    recount_comments(session, post_id=post.id)
    points.take_back(session, source=comment_source(comment.id))
    return comment


def comment_on_post(session: Session, *, client_id: int, post_id: object,
                    comment_id: object, now: datetime | None = None
                    ) -> tuple[MemberContext, Post, PostComment]:
    """A comment the client may see that belongs to the post `post_id` names."""
    ctx, post, comment = get_comment_for(session, client_id=client_id,
                                         comment_id=comment_id, now=now)
    if str(post.id) != str(post_id).strip():
        raise NotFound(NO_COMMENT)
    return ctx, post, comment
