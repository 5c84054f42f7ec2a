"""A client's groups and their standing in each: the Community app's list page
(`list_groups_for`), joining an open group or one they hold a grant to
(`join_group`), asking to join a private one (`request_to_join`, `cancel_request`)
and leaving (`leave_group`).

What the list shows follows the access rule (services/community/access.py):
- groups the client may read now: "Your groups";
- open groups they are not in (never joined, left, or removed by staff): Join;
- private groups they are not in: Ask to join, "Request sent" (with Cancel) while
  staff decide, "Declined" once staff declined;
- entitlement-only groups only while they hold a grant (a grant makes them a
  member at once; one who left may join again while the grant lasts);
- never an archived group, and never a group they are banned from.
It reads a constant handful of statements however many groups there are.

Every change is audited in the caller's transaction. A join request reaches the
console's queue; the state pushes `live.staff_changed()` after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from models import (
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    GroupMember,
    GroupVisibility,
    MemberStatus,
    Post,
)
from models.base import utcnow
from portal_app.services import ratelimit
from portal_app.services.audit import record_audit
from portal_app.services.community.access import (
    BANNED,
    NO_GROUP,
    granted_group_ids,
    may_read,
    member_context,
    sync_granted,
)
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, parse_id

NOTE_MAX = 500
REQUESTS_PER_DAY = 5
REQUEST_BUCKET = "community_join_request"
PRIVATE_ASK = "This group is private: ask to join instead."
OPEN_JOIN = "This group is open: join it instead."
ALREADY_MEMBER = "You are already a member of this group."
ALREADY_ASKED = "Your request is already with the business."
WAS_DECLINED = "The business declined your request to join this group."
NOTE_TOO_LONG = "Use at most 500 characters for your note."
NOTE_PLAIN = "Use letters, numbers and punctuation only."
TOO_MANY_REQUESTS = "You have asked to join too many groups today. Please try again tomorrow."
NO_REQUEST = "There is no request to cancel."

# What a listed group is for this client.
MEMBER = "member"  # in it: open the group
JOIN = "join"  # may join at once
ASK = "ask"  # private: may ask to join
REQUESTED = "requested"  # asked; staff have not decided yet
DECLINED = "declined"  # staff declined the request


@dataclass(frozen=True)
class GroupView:
    """One group as the list page shows it."""

    id: int
    name: str
    description: str
    visibility: str
    standing: str  # MEMBER | JOIN | ASK | REQUESTED | DECLINED
    channels: int
    latest_at: datetime | None  # the newest published post (member groups only)
    joined_at: datetime | None


def _standing(group: CommunityGroup, member: GroupMember | None, granted: set[int]
              ) -> str | None:
    """How the group shows for this client; None when it is not listed at all."""
    if group.archived:
        return None
    status = member.status if member is not None else None
    if status == MemberStatus.BANNED:
        return None
    if may_read(group, member, granted):
        return MEMBER
    if group.id in granted:  # a grant to the group opens it, whatever its visibility
        return JOIN
    if group.visibility == GroupVisibility.ENTITLED:
        return None
    if group.visibility == GroupVisibility.OPEN:
        return JOIN
    if status == MemberStatus.REQUESTED:
        return REQUESTED
    if status == MemberStatus.DECLINED:
        return DECLINED
    return ASK


def list_groups_for(session: Session, *, client_id: int, now: datetime | None = None
                    ) -> list[GroupView]:
    """Every group this client belongs to or may join (see the module docstring):
    member groups first, then the others, each in the business's order."""
    now = now or utcnow()
    sync_granted(session, client_id=client_id, now=now)
    granted = granted_group_ids(session, client_id=client_id, now=now)
    groups = session.exec(select(CommunityGroup).where(CommunityGroup.archived.is_(False))
                          .order_by(CommunityGroup.position, CommunityGroup.name,
                                    CommunityGroup.id)).all()
    if not groups:
        return []
    members = {m.group_id: m for m in session.exec(
        select(GroupMember).where(GroupMember.client_id == client_id)).all()}
    listed = [(g, s) for g in groups
              if (s := _standing(g, members.get(g.id), granted)) is not None]
    ids = [g.id for g, _ in listed]
    channels = dict(session.exec(
        select(CommunityChannel.group_id, func.count()).where(
            CommunityChannel.group_id.in_(ids), CommunityChannel.archived.is_(False))
        .group_by(CommunityChannel.group_id)).all()) if ids else {}
    mine = [g.id for g, s in listed if s == MEMBER]
    latest = dict(session.exec(
        select(Post.group_id, func.max(Post.published_at)).where(
            Post.group_id.in_(mine), Post.status == ContentStatus.PUBLISHED)
        .group_by(Post.group_id)).all()) if mine else {}
    views = [GroupView(id=g.id, name=g.name, description=g.description or "",
                       visibility=g.visibility, standing=s, channels=int(channels.get(g.id, 0)),
                       latest_at=latest.get(g.id),
                       joined_at=members[g.id].joined_at if s == MEMBER else None)
             for g, s in listed]
    return sorted(views, key=lambda v: v.standing != MEMBER)  # stable: order kept


def _group(session: Session, group_id: object) -> CommunityGroup:
    group = session.get(CommunityGroup, parse_id(group_id, NO_GROUP))
    if group is None or group.archived:
        raise NotFound(NO_GROUP)
    return group


def _row(session: Session, *, group_id: int, client_id: int) -> GroupMember | None:
    return session.exec(select(GroupMember).where(
        GroupMember.group_id == group_id, GroupMember.client_id == client_id)).first()


def _audit(session: Session, action: str, *, client_id: int, account_id: int | None,
           group: CommunityGroup, **detail) -> None:
    record_audit(session, actor_kind="client", actor_id=account_id, client_id=client_id,
                 action=action, group=group.id, **detail)


def join_group(session: Session, *, client_id: int, group_id: object,
               account_id: int | None = None, now: datetime | None = None) -> GroupMember:
    """Join an open group, or a group the client holds a grant to (entitlement-only
    or private): an active member at once. A member who left or was removed may join again; a
    banned one may not; a private group is asked for (`request_to_join`). Joining a
    group one is already in changes nothing."""
    now = now or utcnow()
    group = _group(session, group_id)
    row = _row(session, group_id=group.id, client_id=client_id)
    if row is not None and row.status == MemberStatus.BANNED:
        raise NotAllowed(BANNED)
    active = row is not None and row.status == MemberStatus.ACTIVE
    if group.visibility != GroupVisibility.OPEN and not active:
        granted = group.id in granted_group_ids(session, client_id=client_id, now=now)
        if group.visibility == GroupVisibility.ENTITLED and not granted:
            raise NotFound(NO_GROUP)  # never says that such a group exists
        if group.visibility == GroupVisibility.PRIVATE and not granted:
            raise ServiceError(PRIVATE_ASK)
    if active:
        return row
    if row is None:
        row = GroupMember(group_id=group.id, client_id=client_id, created_at=now)
    row.status, row.joined_at, row.updated_at = MemberStatus.ACTIVE, now, now
    row.status_reason, row.request_note = "", ""
    # Joining an open group needs nothing more; any other group was opened by a grant.
    row.via_grant = group.visibility != GroupVisibility.OPEN
    session.add(row)
    session.flush()
    _audit(session, "community.joined", client_id=client_id, account_id=account_id,
           group=group)
    return row


def clean_note(raw: object) -> str:
    """The optional note sent with a request: plain text, at most NOTE_MAX characters."""
    note = str(raw or "").strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(NOTE_TOO_LONG, field="note")
    if any(not (c.isprintable() or c in "\n\t") for c in note):
        raise ServiceError(NOTE_PLAIN, field="note")
    return note


def request_to_join(session: Session, *, client_id: int, group_id: object, note: object = "",
                    account_id: int | None = None, now: datetime | None = None
                    ) -> GroupMember:
    """Ask to join a private group (with an optional note for staff). At most
    REQUESTS_PER_DAY requests a day per record; one open request per group; a
    declined request is not asked again (staff may still let the client in)."""
    now = now or utcnow()
    group = _group(session, group_id)
    if group.visibility == GroupVisibility.ENTITLED:
        raise NotFound(NO_GROUP)
    row = _row(session, group_id=group.id, client_id=client_id)
    status = row.status if row is not None else None
    if status == MemberStatus.BANNED:
        raise NotAllowed(BANNED)
    if status == MemberStatus.ACTIVE:
        raise ServiceError(ALREADY_MEMBER)
    if group.visibility == GroupVisibility.OPEN:
        raise ServiceError(OPEN_JOIN)
    if status == MemberStatus.REQUESTED:
        raise ServiceError(ALREADY_ASKED)
    if status == MemberStatus.DECLINED:
        raise ServiceError(WAS_DECLINED)
    text = clean_note(note)
    ratelimit.hit(session, bucket=REQUEST_BUCKET, key=str(client_id), limit=REQUESTS_PER_DAY,
                  window=timedelta(days=1), now=now, message=TOO_MANY_REQUESTS)
    if row is None:
        row = GroupMember(group_id=group.id, client_id=client_id, created_at=now)
    row.status, row.request_note, row.updated_at = MemberStatus.REQUESTED, text, now
    row.status_reason, row.decided_by_staff_id = "", None
    session.add(row)
    session.flush()
    _audit(session, "community.join_requested", client_id=client_id, account_id=account_id,
           group=group, note=bool(text))
    return row


def cancel_request(session: Session, *, client_id: int, group_id: object,
                   account_id: int | None = None, now: datetime | None = None) -> GroupMember:
    """Take back a request staff have not decided yet."""
    now = now or utcnow()
    group = _group(session, group_id)
    row = _row(session, group_id=group.id, client_id=client_id)
    if row is None or row.status != MemberStatus.REQUESTED:
        raise ServiceError(NO_REQUEST)
    row.status, row.request_note, row.updated_at = MemberStatus.LEFT, "", now
    session.add(row)
    session.flush()
    _audit(session, "community.request_cancelled", client_id=client_id,
           account_id=account_id, group=group)
    return row


def leave_group(session: Session, *, client_id: int, group_id: object,
                account_id: int | None = None, now: datetime | None = None) -> GroupMember:
    """Leave a group one is in (status "left"). An open group, or an entitlement-only
    one while the grant lasts, may be joined again; a private one is asked for again."""
    ctx = member_context(session, client_id=client_id, group_id=group_id, now=now)
    row = ctx.member
    row.status, row.updated_at = MemberStatus.LEFT, ctx.now
    session.add(row)
    session.flush()
    _audit(session, "community.left", client_id=client_id, account_id=account_id,
           group=ctx.group)
    return row
