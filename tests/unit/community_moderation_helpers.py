"""A small community for the moderation tests: a group with a feed, an announcements
and a questions channel, two members and a staff member; held, published and
reported text made with the models' own fields (what the feed's services write)."""

from __future__ import annotations

from models import (
    ChannelKind,
    CommunityChannel,
    CommunityGroup,
    ContentReport,
    ContentStatus,
    GroupMember,
    MemberStatus,
    Post,
    PostComment,
)
from models.base import utcnow
from tests import factories


def community(session, **group_fields) -> dict:
    factories.business(session)
    group = CommunityGroup(name="Runners", report_threshold=2, **group_fields)
    session.add(group)
    session.flush()
    channels = {}
    for position, kind in enumerate(ChannelKind.ALL):
        channel = CommunityChannel(group_id=group.id, name=kind.title(), kind=kind,
                                   position=position)
        session.add(channel)
        channels[kind] = channel
    session.flush()
    ana = factories.client(session, full_name="Ana Legal", display_name="Ana")
    ben = factories.client(session, full_name="Ben Legal", display_name="Ben")
    for client in (ana, ben):
        session.add(GroupMember(group_id=group.id, client_id=client.id,
                                status=MemberStatus.ACTIVE, joined_at=utcnow()))
    staff = factories.staff(session, full_name="Sam Staff")
    session.commit()
    return {"group": group, "feed": channels[ChannelKind.FEED],
            "news": channels[ChannelKind.ANNOUNCEMENTS],
            "questions": channels[ChannelKind.QUESTIONS], "ana": ana, "ben": ben,
            "staff": staff}


def post(session, w, *, author=None, status=ContentStatus.PUBLISHED, channel=None,
         title="Hello", body="Some text", reason="") -> Post:
    author = author or w["ana"]
    now = utcnow()
    row = Post(group_id=w["group"].id, channel_id=(channel or w["feed"]).id,
               author_client_id=author.id, title=title, body=body, status=status,
               held_reason=reason, created_at=now,
               published_at=now if status == ContentStatus.PUBLISHED else None)
    session.add(row)
    session.commit()
    return row


def comment(session, w, parent: Post, *, author=None, status=ContentStatus.PUBLISHED,
            body="A reply") -> PostComment:
    author = author or w["ben"]
    row = PostComment(post_id=parent.id, group_id=parent.group_id,
                      author_client_id=author.id, body=body, status=status,
                      created_at=utcnow())
    session.add(row)
    if status == ContentStatus.PUBLISHED:
        parent.comment_count += 1
        session.add(parent)
    session.commit()
    return row


def report(session, w, item, reporter, reason="Rude") -> ContentReport:
    is_post = isinstance(item, Post)
    row = ContentReport(group_id=item.group_id, post_id=item.id if is_post else item.post_id,
                        comment_id=None if is_post else item.id,
                        target=("p" if is_post else "c") + str(item.id),
                        reporter_client_id=reporter.id, reason=reason)
    session.add(row)
    session.commit()
    return row


def member(session, w, client) -> GroupMember:
    from sqlmodel import select

    return session.exec(select(GroupMember).where(GroupMember.group_id == w["group"].id,
                                                  GroupMember.client_id == client.id)).one()
