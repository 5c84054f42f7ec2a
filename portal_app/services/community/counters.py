"""A post's counters, recounted in the database in one UPDATE each (never read,
changed and written back, so two members commenting or reacting at once cannot lose
a count). The post object in the session is refreshed afterwards."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, select

from models import ContentStatus, GroupMember, Post, PostComment, Reaction


def recount_comments(session: Session, *, post_id: int) -> None:
    """The post's comment count from its published comments."""
    published = select(func.count(PostComment.id)).where(
        PostComment.post_id == post_id, PostComment.status == ContentStatus.PUBLISHED
    ).scalar_subquery()
    session.exec(update(Post).where(Post.id == post_id).values(comment_count=published)
                 .execution_options(synchronize_session=False))
    _refresh(session, post_id)


def recount_reactions(session: Session, *, post_id: int) -> None:
    """The post's reaction count from the reactions to the post itself."""
    counted = select(func.count(Reaction.id)).where(
        Reaction.post_id == post_id, Reaction.comment_id.is_(None)).scalar_subquery()
    session.exec(update(Post).where(Post.id == post_id).values(reaction_count=counted)
                 .execution_options(synchronize_session=False))
    _refresh(session, post_id)


def count_published_post(session: Session, *, member: GroupMember) -> None:
    """One more published post for the member (the first-N rule), added in SQL."""
    session.exec(update(GroupMember).where(GroupMember.id == member.id).values(
        published_posts=GroupMember.published_posts + 1)
        .execution_options(synchronize_session=False))
    session.refresh(member)


def _refresh(session: Session, post_id: int) -> None:
    post = session.get(Post, post_id)
    if post is not None:
        session.refresh(post)
