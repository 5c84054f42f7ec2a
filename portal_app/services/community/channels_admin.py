"""Console → Community → a group's channels: add (feed, announcements, questions),
rename, move up or down, approve-before-publish, archive and restore.

A group always keeps at least one channel its clients may post in (a feed or a
questions channel that is not archived). Every write is audited (actor staff).
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from models import ChannelKind, CommunityChannel
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.community.groups_admin import live_group
from portal_app.services.errors import NotFound, ServiceError, parse_id

NO_CHANNEL = "That channel does not exist."
NAME_SIZE = "Give the channel a name of 1 to 60 characters."
KIND = "Choose feed, announcements or questions."
LAST_ONE = "Keep at least one channel clients can post in."
CHANNELS_MAX = 30
TOO_MANY = "A group has at most 30 channels."


def list_channels(session: Session, *, group_id: int) -> list[CommunityChannel]:
    """The group's channels in their order, archived ones last (one statement)."""
    return list(session.exec(select(CommunityChannel).where(
        CommunityChannel.group_id == group_id).order_by(
        CommunityChannel.archived, CommunityChannel.position, CommunityChannel.id)).all())


def _name(raw: object) -> str:
    name = " ".join(str(raw or "").split())
    if not 1 <= len(name) <= 60:
        raise ServiceError(NAME_SIZE, field="channel_name")
    return name


def get_channel(session: Session, *, group_id: int, channel_id: object) -> CommunityChannel:
    """A channel of this group (NotFound for another group's)."""
    channel = session.get(CommunityChannel, parse_id(channel_id, NO_CHANNEL))
    if channel is None or channel.group_id != group_id:
        raise NotFound(NO_CHANNEL)
    live_group(session, group_id=group_id)
    return channel


def _audit(session: Session, staff_id: int, action: str, channel: CommunityChannel,
           **detail) -> None:
    record_audit(session, actor_kind="staff", actor_id=staff_id, action=action,
                 group=channel.group_id, channel=channel.id, **detail)


def add_channel(session: Session, *, staff_id: int, group_id: object, name: object,
                kind: object) -> CommunityChannel:
    group = live_group(session, group_id=group_id)
    clean = _name(name)
    kind = str(kind or "")
    if kind not in ChannelKind.ALL:
        raise ServiceError(KIND, field="channel_kind")
    count, last = session.exec(select(func.count(CommunityChannel.id),
                                      func.max(CommunityChannel.position))
                               .where(CommunityChannel.group_id == group.id)).one()
    if int(count or 0) >= CHANNELS_MAX:
        raise ServiceError(TOO_MANY, field="channel_name")
    channel = CommunityChannel(group_id=group.id, name=clean, kind=kind,
                               position=int(last or 0) + 1, created_at=utcnow())
    session.add(channel)
    session.flush()
    _audit(session, staff_id, "community.channel_added", channel, name=clean, kind=kind)
    return channel


def rename_channel(session: Session, *, staff_id: int, group_id: int, channel_id: object,
                   name: object) -> CommunityChannel:
    channel = get_channel(session, group_id=group_id, channel_id=channel_id)
    clean = _name(name)
    if clean != channel.name:
        channel.name = clean
        session.add(channel)
        session.flush()
        _audit(session, staff_id, "community.channel_renamed", channel, name=clean)
    return channel


def move_channel(session: Session, *, staff_id: int, group_id: int, channel_id: object,
                 direction: str) -> CommunityChannel:
    """Swap the channel with its neighbour above ("up") or below ("down") among the
    group's channels that are not archived (positions renumbered 0, 1, 2…)."""
    channel = get_channel(session, group_id=group_id, channel_id=channel_id)
    row = [c for c in list_channels(session, group_id=group_id) if not c.archived]
    if channel not in row:
        return channel
    at = row.index(channel)
    to = at - 1 if direction == "up" else at + 1 if direction == "down" else at
    if 0 <= to < len(row) and to != at:
        row[at], row[to] = row[to], row[at]
        for position, c in enumerate(row):
            c.position = position
            session.add(c)
        session.flush()
        _audit(session, staff_id, "community.channel_moved", channel, direction=direction)
    return channel


def set_approve_posts(session: Session, *, staff_id: int, group_id: int, channel_id: object,
                      on: bool) -> CommunityChannel:
    """Every post and comment in the channel waits for staff approval (or no longer)."""
    channel = get_channel(session, group_id=group_id, channel_id=channel_id)
    if channel.approve_posts != bool(on):
        channel.approve_posts = bool(on)
        session.add(channel)
        session.flush()
        _audit(session, staff_id, "community.channel_approval", channel, on=bool(on))
    return channel


def _postable(c: CommunityChannel) -> bool:
    return not c.archived and c.kind != ChannelKind.ANNOUNCEMENTS


def set_channel_archived(session: Session, *, staff_id: int, group_id: int,
                         channel_id: object, archived: bool) -> CommunityChannel:
    """Archive a channel (its posts stay, nobody sees them) or restore it. The last
    channel clients can post in cannot be archived."""
    channel = get_channel(session, group_id=group_id, channel_id=channel_id)
    if channel.archived == archived:
        return channel
    if archived and _postable(channel):
        others = [c for c in list_channels(session, group_id=group_id)
                  if c.id != channel.id and _postable(c)]
        if not others:
            raise ServiceError(LAST_ONE)
    channel.archived = archived
    if not archived:
        last = session.exec(select(func.max(CommunityChannel.position)).where(
            CommunityChannel.group_id == group_id)).one()
        channel.position = int(last or 0) + 1
    session.add(channel)
    session.flush()
    _audit(session, staff_id, "community.channel_archived" if archived
           else "community.channel_restored", channel)
    return channel
