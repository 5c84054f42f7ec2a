"""Staff taking part in a group from the console (they never sign in as a client).

Staff post in any channel of any live group, announcements included, and comment
on any published post; their text is never held (`rules.verdict(member=None)`),
so it is published, mentions members and notifies (`notices.on_published`) at once,
like a member's published post. They edit or delete their own text only; they pin
any post (pinned posts lead the feed), mark one published comment of a post in a
questions channel as its best answer (its author scores `points_best_answer`,
taken back when unmarked or replaced), and remove anyone's text through
`moderation.remove`. Every action writes an audit row (actor staff) in the same
transaction.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from models import (
    ChannelKind,
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    PointReason,
    Post,
    PostComment,
)
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.community import mentions, notices, points, rules
from portal_app.services.community.access import NO_CHANNEL, NO_COMMENT, NO_POST
from portal_app.services.community.moderation import ALREADY, recount_comments
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, parse_id

NOT_YOURS = "Only its author may change it."
NOT_QUESTIONS = "Best answers are marked in a questions channel only."
NOT_PUBLISHED = "Only published text can be changed here."


def _audit(session: Session, *, staff_id: int, action: str, group_id: int, **detail) -> None:
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action=f"community.{action}", group_id=group_id, **detail)


def live_channel(session: Session, channel_id: object
                 ) -> tuple[CommunityGroup, CommunityChannel]:
    """A channel of a group that is not archived, with its group; NotFound otherwise."""
    channel = session.get(CommunityChannel, parse_id(channel_id, NO_CHANNEL))
    group = session.get(CommunityGroup, channel.group_id) if channel is not None else None
    if channel is None or channel.archived or group is None or group.archived:
        raise NotFound(NO_CHANNEL)
    return group, channel


def _post(session: Session, post_id: object) -> Post:
    post = session.get(Post, parse_id(post_id, NO_POST))
    if post is None or post.status in (ContentStatus.REMOVED, ContentStatus.DELETED):
        raise NotFound(NO_POST)
    return post


def _comment(session: Session, comment_id: object) -> PostComment:
    comment = session.get(PostComment, parse_id(comment_id, NO_COMMENT))
    if comment is None or comment.status in (ContentStatus.REMOVED, ContentStatus.DELETED):
        raise NotFound(NO_COMMENT)
    return comment


def create_post(session: Session, *, staff_id: int, channel_id: object, title: object,
                body: object, base_url: str) -> tuple[Post, list[int]]:
    """A staff post, published at once; returns it and the clients whose bell changed."""
    group, channel = live_channel(session, channel_id)
    clean_title, clean_body = rules.clean_post(title, body)
    status, reason = rules.verdict(group=group, channel=channel, member=None,
                                   text=f"{clean_title}\n{clean_body}", is_post=True)
    now = utcnow()
    post = Post(group_id=group.id, channel_id=channel.id, author_staff_id=staff_id,
                title=clean_title, body=clean_body, status=status, held_reason=reason,
                created_at=now, published_at=now if status == ContentStatus.PUBLISHED else None)
    session.add(post)
    session.flush()
    mentions.write_mentions(session, group=group, post_id=post.id, comment_id=None,
                            text=clean_body, author_client_id=None)
    notified = (notices.on_published(session, post=post, base_url=base_url)
                if status == ContentStatus.PUBLISHED else [])
    _audit(session, staff_id=staff_id, action="staff_post", group_id=group.id,
           target=f"p{post.id}", channel_id=channel.id)
    return post, list(notified or [])


def create_comment(session: Session, *, staff_id: int, post_id: object, body: object,
                   base_url: str) -> tuple[PostComment, list[int]]:
    """A staff comment on a published post, published at once."""
    post = _post(session, post_id)
    if post.status != ContentStatus.PUBLISHED:
        raise ServiceError(NOT_PUBLISHED)
    group, channel = live_channel(session, post.channel_id)
    text = rules.clean_comment(body)
    status, reason = rules.verdict(group=group, channel=channel, member=None, text=text,
                                   is_post=False)
    now = utcnow()
    comment = PostComment(post_id=post.id, group_id=group.id, author_staff_id=staff_id,
                          body=text, status=status, held_reason=reason, created_at=now,
                          published_at=now if status == ContentStatus.PUBLISHED else None)
    session.add(comment)
    session.flush()
    recount_comments(session, post_id=post.id)
    mentions.write_mentions(session, group=group, post_id=post.id, comment_id=comment.id,
                            text=text, author_client_id=None)
    notified = (notices.on_published(session, comment=comment, base_url=base_url)
                if status == ContentStatus.PUBLISHED else [])
    _audit(session, staff_id=staff_id, action="staff_comment", group_id=group.id,
           target=f"c{comment.id}", post_id=post.id)
    session.refresh(post)
    return comment, list(notified or [])


def _own(item: Post | PostComment, staff_id: int) -> None:
    if item.author_staff_id != staff_id:
        raise NotAllowed(NOT_YOURS)


def edit_post(session: Session, *, staff_id: int, post_id: object, title: object,
              body: object, base_url: str = "") -> Post:
    """Change one's own post; members it newly mentions are told (notices.on_edited)."""
    post = _post(session, post_id)
    _own(post, staff_id)
    post.title, post.body = rules.clean_post(title, body)
    post.edited_at = utcnow()
    session.add(post)
    session.flush()
    group = session.get(CommunityGroup, post.group_id)
    mentions.write_mentions(session, group=group, post_id=post.id, comment_id=None,
                            text=f"{post.title}\n{post.body}", author_client_id=None)
    notices.on_edited(session, post=post, base_url=base_url)
    _audit(session, staff_id=staff_id, action="staff_edit", group_id=post.group_id,
           target=f"p{post.id}")
    return post


def edit_comment(session: Session, *, staff_id: int, comment_id: object,
                 body: object, base_url: str = "") -> PostComment:
    """Change one's own comment; members it newly mentions are told."""
    comment = _comment(session, comment_id)
    _own(comment, staff_id)
    comment.body = rules.clean_comment(body)
    comment.edited_at = utcnow()
    session.add(comment)
    session.flush()
    group = session.get(CommunityGroup, comment.group_id)
    mentions.write_mentions(session, group=group, post_id=comment.post_id,
                            comment_id=comment.id, text=comment.body, author_client_id=None)
    notices.on_edited(session, post=session.get(Post, comment.post_id), comment=comment,
                      base_url=base_url)
    _audit(session, staff_id=staff_id, action="staff_edit", group_id=comment.group_id,
           target=f"c{comment.id}")
    return comment


def delete_post(session: Session, *, staff_id: int, post_id: object) -> Post:
    """Delete one's own post."""
    post = _post(session, post_id)
    _own(post, staff_id)
    post.status = ContentStatus.DELETED
    post.pinned = False
    session.add(post)
    session.flush()
    _audit(session, staff_id=staff_id, action="staff_delete", group_id=post.group_id,
           target=f"p{post.id}")
    return post


def delete_comment(session: Session, *, staff_id: int, comment_id: object) -> PostComment:
    comment = _comment(session, comment_id)
    _own(comment, staff_id)
    comment.status = ContentStatus.DELETED
    session.add(comment)
    session.flush()
    recount_comments(session, post_id=comment.post_id)
    post = session.get(Post, comment.post_id)
    if post is not None and post.best_comment_id == comment.id:
        post.best_comment_id = None
        session.add(post)
        session.flush()
    _audit(session, staff_id=staff_id, action="staff_delete", group_id=comment.group_id,
           target=f"c{comment.id}")
    return comment


def set_pinned(session: Session, *, staff_id: int, post_id: object, pinned: bool) -> Post:
    """Pin (or unpin) any published post: pinned posts come first in its channel."""
    post = _post(session, post_id)
    if post.status != ContentStatus.PUBLISHED:
        raise ServiceError(NOT_PUBLISHED)
    if post.pinned != bool(pinned):
        post.pinned = bool(pinned)
        session.add(post)
        session.flush()
        _audit(session, staff_id=staff_id, action="pin" if pinned else "unpin",
               group_id=post.group_id, target=f"p{post.id}")
    return post


def _set_best(session: Session, post: Post, new: int | None) -> None:
    """Swap the post's best answer from what was read to `new` in one conditional
    UPDATE: a second staff member deciding at the same time is refused."""
    before = post.best_comment_id
    same = Post.best_comment_id.is_(None) if before is None else Post.best_comment_id == before
    result = session.exec(update(Post).where(Post.id == post.id, same)
                          .values(best_comment_id=new)
                          .execution_options(synchronize_session=False))
    session.refresh(post)
    if result.rowcount != 1:
        raise ServiceError(ALREADY)


def mark_best_answer(session: Session, *, staff_id: int, comment_id: object) -> Post:
    """Make a published comment its post's best answer (a post in a questions channel);
    its author scores, and a previous best answer's points are taken back."""
    comment = _comment(session, comment_id)
    post = _post(session, comment.post_id)
    channel = session.get(CommunityChannel, post.channel_id)
    if channel is None or channel.kind != ChannelKind.QUESTIONS:
        raise ServiceError(NOT_QUESTIONS)
    if comment.status != ContentStatus.PUBLISHED or post.status != ContentStatus.PUBLISHED:
        raise ServiceError(NOT_PUBLISHED)
    if post.best_comment_id == comment.id:
        return post
    previous = post.best_comment_id
    _set_best(session, post, comment.id)
    if previous is not None:
        points.take_back(session, source=f"best:{previous}")
    if comment.author_client_id is not None:
        group = session.get(CommunityGroup, post.group_id)
        points.award(session, group=group, client_id=comment.author_client_id,
                     reason=PointReason.BEST_ANSWER, source=f"best:{comment.id}")
    _audit(session, staff_id=staff_id, action="best_answer", group_id=post.group_id,
           target=f"c{comment.id}", post_id=post.id, replaced=previous)
    return post


def unmark_best_answer(session: Session, *, staff_id: int, post_id: object) -> Post:
    """The post has no best answer any more; its author's points are taken back."""
    post = _post(session, post_id)
    previous = post.best_comment_id
    if previous is None:
        return post
    _set_best(session, post, None)
    points.take_back(session, source=f"best:{previous}")
    _audit(session, staff_id=staff_id, action="unmark_best_answer", group_id=post.group_id,
           target=f"c{previous}", post_id=post.id)
    return post
