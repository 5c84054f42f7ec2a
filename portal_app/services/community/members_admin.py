"""Console → Community → a group's members: the list (search, paged, two
statements), remove, mute for a while, unmute, ban, unban, and "Add a client".

A banned member loses access at their next action (services/community/access.py
refuses BANNED); a muted one may read but not post until `muted_until`. Unbanning
leaves the member removed: they may join again. Adding a client makes a staff
grant to the group (entitlements.grant), which makes them a member at once and
opens the Community app to them. Every change is audited (actor staff); the
caller pushes live.group_changed and live.client_changed after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, select

from models import Client, GrantKind, GrantSource, GroupMember, MemberStatus
from models.base import utcnow
from portal_app import apps
from portal_app.services.audit import record_audit
from portal_app.services.community.access import granted_group_ids
from portal_app.services.community.groups_admin import live_group
from portal_app.services.errors import NotFound, ServiceError, parse_id
from portal_app.services.hub import entitlements
from portal_app.services.hub.staff_grants import end_of_day

PER_PAGE = 25
NO_MEMBER = "That member does not exist."
NO_CLIENT = "That client does not exist."
REASON_NEEDED = "Give a reason (up to 300 characters)."
REASON_LONG = "Keep the reason under 300 characters."
PERIOD = "Choose how long the mute lasts."
UNTIL_DATE = "Enter the last day of the mute as a date."
UNTIL_PAST = "The last day must be today or later."
ALREADY = "This client is already a member."
BANNED_FIRST = "This client is banned from the group: unban them first."
NOT_BANNED = "This member is not banned."
NOT_ACTIVE = "Only an active member can be muted."
PERIODS = {"1h": timedelta(hours=1), "1d": timedelta(days=1), "7d": timedelta(days=7),
           "30d": timedelta(days=30)}
# What the list shows by default: everyone but requests (they have their own list).
LISTED = (MemberStatus.ACTIVE, MemberStatus.LEFT, MemberStatus.REMOVED, MemberStatus.BANNED,
          MemberStatus.DECLINED)


@dataclass(frozen=True)
class MemberRow:
    id: int
    client_id: int
    name: str  # the client's legal name (staff may see it)
    display_name: str
    status: str
    muted_until: datetime | None
    joined_at: datetime | None
    reason: str


@dataclass(frozen=True)
class MemberPage:
    rows: list[MemberRow]
    total: int
    page: int
    pages: int


def list_members(session: Session, *, group_id: int, search: str = "", status: str = "",
                 page: int = 1, per_page: int = PER_PAGE) -> MemberPage:
    """One page of the group's members by name (two statements whatever the size)."""
    statuses = (status,) if status in MemberStatus.ALL else LISTED
    conditions = [GroupMember.group_id == group_id, GroupMember.status.in_(statuses)]
    term = " ".join(str(search or "").split()).lower()[:100]
    if term:
        like = f"%{term.replace('%', '').replace('_', '')}%"
        conditions.append(or_(func.lower(Client.full_name).like(like),
                              func.lower(Client.display_name).like(like),
                              func.lower(Client.email).like(like)))
    base = select(GroupMember.id).join(Client, Client.id == GroupMember.client_id)
    total = int(session.exec(select(func.count()).select_from(
        base.where(*conditions).subquery())).one())
    pages = max(1, -(-total // per_page))
    page = min(max(1, int(page or 1)), pages)
    rows = session.exec(select(GroupMember, Client.full_name, Client.display_name)
                        .join(Client, Client.id == GroupMember.client_id).where(*conditions)
                        .order_by(Client.full_name, GroupMember.id)
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return MemberPage(rows=[MemberRow(
        id=m.id, client_id=m.client_id, name=name, display_name=shown or "",
        status=m.status, muted_until=m.muted_until, joined_at=m.joined_at,
        reason=m.status_reason) for m, name, shown in rows],
        total=total, page=page, pages=pages)


def get_member(session: Session, *, group_id: int, member_id: object) -> GroupMember:
    """A member row of this group (NotFound for another group's)."""
    member = session.get(GroupMember, parse_id(member_id, NO_MEMBER))
    if member is None or member.group_id != group_id:
        raise NotFound(NO_MEMBER)
    live_group(session, group_id=group_id)
    return member


def clean_reason(raw: object, *, required: bool) -> str:
    reason = " ".join(str(raw or "").split())
    if required and not reason:
        raise ServiceError(REASON_NEEDED, field="reason")
    if len(reason) > 300:
        raise ServiceError(REASON_LONG, field="reason")
    return reason


def _decide(session: Session, member: GroupMember, *, staff_id: int, action: str,
            **detail) -> GroupMember:
    member.decided_by_staff_id = staff_id
    member.updated_at = utcnow()
    session.add(member)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action=action,
                 client_id=member.client_id, group=member.group_id, member=member.id, **detail)
    return member


def remove_member(session: Session, *, staff_id: int, group_id: int, member_id: object,
                  reason: object) -> GroupMember:
    """Out of the group (they may be let back in, or join an open group again)."""
    member = get_member(session, group_id=group_id, member_id=member_id)
    clean = clean_reason(reason, required=True)
    member.status, member.status_reason, member.muted_until = MemberStatus.REMOVED, clean, None
    return _decide(session, member, staff_id=staff_id, action="community.member_removed",
                   reason=clean)


def ban_member(session: Session, *, staff_id: int, group_id: int, member_id: object,
               reason: object) -> GroupMember:
    """No access whatever grants they hold, from their next action."""
    member = get_member(session, group_id=group_id, member_id=member_id)
    clean = clean_reason(reason, required=True)
    member.status, member.status_reason = MemberStatus.BANNED, clean
    return _decide(session, member, staff_id=staff_id, action="community.member_banned",
                   reason=clean)


def unban_member(session: Session, *, staff_id: int, group_id: int, member_id: object
                 ) -> GroupMember:
    """Lift a ban: the member is then removed (they may join or be added again)."""
    member = get_member(session, group_id=group_id, member_id=member_id)
    if member.status != MemberStatus.BANNED:
        raise ServiceError(NOT_BANNED)
    member.status, member.status_reason, member.muted_until = MemberStatus.REMOVED, "", None
    return _decide(session, member, staff_id=staff_id, action="community.member_unbanned")


def mute_until(period: object, until_day: object, zone: str, now: datetime) -> datetime:
    """When a mute ends: 1 hour, 1 day, 7 or 30 days from now, or at the end of a day
    (YYYY-MM-DD) in `zone`."""
    key = str(period or "")
    if key in PERIODS:
        return now + PERIODS[key]
    if key != "until":
        raise ServiceError(PERIOD, field="period")
    try:
        day = date.fromisoformat(str(until_day or "").strip())
    except ValueError:
        raise ServiceError(UNTIL_DATE, field="until") from None
    ends = end_of_day(day, zone)
    if ends <= now:
        raise ServiceError(UNTIL_PAST, field="until")
    return ends


def mute_member(session: Session, *, staff_id: int, group_id: int, member_id: object,
                period: object, until_day: object = "", zone: str = "UTC",
                reason: object = "", now: datetime | None = None) -> GroupMember:
    """The member may read but not post, comment or react until then."""
    now = now or utcnow()
    member = get_member(session, group_id=group_id, member_id=member_id)
    if member.status != MemberStatus.ACTIVE:
        raise ServiceError(NOT_ACTIVE)
    ends = mute_until(period, until_day, zone, now)
    clean = clean_reason(reason, required=False)
    member.muted_until, member.status_reason = ends, clean
    return _decide(session, member, staff_id=staff_id, action="community.member_muted",
                   until=ends.isoformat(), reason=clean)


def unmute_member(session: Session, *, staff_id: int, group_id: int, member_id: object
                  ) -> GroupMember:
    member = get_member(session, group_id=group_id, member_id=member_id)
    member.muted_until = None
    return _decide(session, member, staff_id=staff_id, action="community.member_unmuted")


def add_member(session: Session, *, staff_id: int, group_id: object, client_id: object,
               now: datetime | None = None) -> GroupMember:
    """Put a client in the group at once: a staff grant to the group (unless they hold
    an active one) and an active member row. A banned client must be unbanned first."""
    now = now or utcnow()
    group = live_group(session, group_id=group_id)
    client = session.get(Client, parse_id(client_id, NO_CLIENT))
    if client is None:
        raise NotFound(NO_CLIENT)
    member = session.exec(select(GroupMember).where(
        GroupMember.group_id == group.id, GroupMember.client_id == client.id)).first()
    if member is not None and member.status == MemberStatus.BANNED:
        raise ServiceError(BANNED_FIRST, field="client")
    held = group.id in granted_group_ids(session, client_id=client.id, now=now)
    if member is not None and member.status == MemberStatus.ACTIVE and held:
        raise ServiceError(ALREADY, field="client")
    if not held:
        entitlements.grant(session, client_id=client.id, kind=GrantKind.GROUP,
                           app_key=apps.COMMUNITY, target_id=group.id,
                           source=GrantSource.STAFF, starts_at=now, staff_id=staff_id)
    member = member or session.exec(select(GroupMember).where(
        GroupMember.group_id == group.id, GroupMember.client_id == client.id)).one()
    if member.status != MemberStatus.ACTIVE:
        member.status, member.status_reason, member.joined_at = MemberStatus.ACTIVE, "", now
    return _decide(session, member, staff_id=staff_id, action="community.member_added")
