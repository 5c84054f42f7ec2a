"""Community rows for the notices/digest/points tests (groups, members, posts),
written through the models with the fields the services write."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import (
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    GroupMember,
    MemberStatus,
    Mention,
    Post,
    PostComment,
)
from models.base import utcnow
from tests import factories


def group(session: Session, **fields) -> CommunityGroup:
    row = CommunityGroup(**{"name": "Runners", **fields})
    session.add(row)
    session.flush()
    session.add(CommunityChannel(group_id=row.id, name="Feed"))
    session.flush()
    return row


def channel_of(session: Session, group_row: CommunityGroup) -> CommunityChannel:
    from sqlmodel import select
    return session.exec(select(CommunityChannel).where(
        CommunityChannel.group_id == group_row.id)).first()


def member(session: Session, group_row: CommunityGroup, *, notify: str = "mentions",
           display: str = "", status: str = MemberStatus.ACTIVE, client=None, **client_fields):
    """A client (own portal account) who is a member of the group."""
    if client is None:
        _account, (client,) = factories.household(session, names=("Member",))
        client.display_name = display
        for key, value in client_fields.items():
            setattr(client, key, value)
        session.add(client)
    session.add(GroupMember(group_id=group_row.id, client_id=client.id, status=status,
                            notify=notify, joined_at=utcnow()))
    session.flush()
    return client


def post(session: Session, group_row: CommunityGroup, author, *, title: str = "Hello",
         status: str = ContentStatus.PUBLISHED, mentions=(), at: datetime | None = None) -> Post:
    at = at or utcnow()
    row = Post(group_id=group_row.id, channel_id=channel_of(session, group_row).id,
               author_client_id=getattr(author, "id", author), title=title, body="Hi",
               status=status, created_at=at,
               published_at=at if status == ContentStatus.PUBLISHED else None)
    session.add(row)
    session.flush()
    for who in mentions:
        session.add(Mention(group_id=group_row.id, post_id=row.id, client_id=who.id))
    session.flush()
    return row


def comment(session: Session, post_row: Post, author, *, status: str = ContentStatus.PUBLISHED,
            mentions=(), at: datetime | None = None) -> PostComment:
    at = at or utcnow()
    row = PostComment(post_id=post_row.id, group_id=post_row.group_id,
                      author_client_id=getattr(author, "id", author), body="Nice", status=status,
                      created_at=at, published_at=at)
    session.add(row)
    session.flush()
    for who in mentions:
        session.add(Mention(group_id=post_row.group_id, post_id=post_row.id, comment_id=row.id,
                            client_id=who.id))
    session.flush()
    return row
