"""Community groups, members and grants for the members helper's tests."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlmodel import select

from models import (
    ChannelKind,
    CommunityChannel,
    CommunityGroup,
    GrantKind,
    GrantSource,
    GroupMember,
    GroupVisibility,
    MemberStatus,
    Post,
)
from models.base import utcnow
from portal_app import apps
from portal_app.services.hub import entitlements
from tests import factories

_seq = itertools.count(1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def group(session, name: str | None = None, *, visibility: str = GroupVisibility.OPEN,
          archived: bool = False, channels: int = 1, gamification: bool = False,
          position: int = 0) -> CommunityGroup:
    row = CommunityGroup(name=name or f"Group {next(_seq)}", description="About it",
                         visibility=visibility, archived=archived, gamification=gamification,
                         position=position)
    session.add(row)
    session.flush()
    for i in range(channels):
        session.add(CommunityChannel(group_id=row.id, name=f"Channel {i}",
                                     kind=ChannelKind.FEED, position=i))
    session.flush()
    return row


def client(session, name: str = "Alex", display: str = ""):
    _account, clients = factories.household(session, names=(name,), access="active")
    row = clients[0]
    if display:
        row.display_name = display
        session.add(row)
        session.flush()
    return row


def member(session, grp, person, status: str = MemberStatus.ACTIVE) -> GroupMember:
    now = utcnow()
    row = GroupMember(group_id=grp.id, client_id=person.id, status=status,
                      joined_at=now if status == MemberStatus.ACTIVE else None)
    session.add(row)
    session.flush()
    return row


def grant(session, person, grp, *, ended: bool = False):
    start = utcnow() - timedelta(days=10)
    return entitlements.grant(session, client_id=person.id, kind=GrantKind.GROUP,
                              app_key=apps.COMMUNITY, target_id=grp.id,
                              source=GrantSource.STAFF, starts_at=start,
                              ends_at=start + timedelta(days=1) if ended else None)


def post(session, grp, author, *, published_at=None) -> Post:
    channel = session.exec(select(CommunityChannel).where(
        CommunityChannel.group_id == grp.id)).first()
    row = Post(group_id=grp.id, channel_id=channel.id, author_client_id=author.id,
               title="Hello", body="Hi", published_at=published_at or utcnow())
    session.add(row)
    session.flush()
    return row
