"""Join requests to private groups, as staff decide them (console → Community).

The queue is every member row with status "requested", oldest first, with the
client's note and legal name (staff may see it). Approving makes the member
active and tells the client on the bell (kind "community", params
{"event": "approved", "group": <name>}, linking to the group); declining keeps
the row "declined" with the reason. Both are audited (actor staff).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from models import Client, CommunityGroup, GroupMember, MemberStatus, NotificationKind
from models.base import utcnow
from portal_app import routes
from portal_app.services.audit import record_audit
from portal_app.services.community.members_admin import clean_reason
from portal_app.services.errors import NotFound, ServiceError, parse_id
from portal_app.services.notifications import notify

NO_REQUEST = "That request does not exist."
APPROVED = "Your request to join {group} was approved"
QUEUE_MAX = 200
ALREADY_ANSWERED = "Someone already answered this request, or the client withdrew it."


@dataclass(frozen=True)
class RequestRow:
    id: int  # the member row
    group_id: int
    group_name: str
    client_id: int
    client_name: str
    note: str
    requested_at: datetime


def list_requests(session: Session, *, group_id: int | None = None,
                  limit: int = QUEUE_MAX) -> list[RequestRow]:
    """Waiting requests (of one group, or of every group that is not archived), oldest
    first: one statement."""
    conditions = [GroupMember.status == MemberStatus.REQUESTED,
                  CommunityGroup.archived.is_(False)]
    if group_id is not None:
        conditions.append(GroupMember.group_id == group_id)
    rows = session.exec(select(GroupMember, CommunityGroup.name, Client.full_name)
                        .join(CommunityGroup, CommunityGroup.id == GroupMember.group_id)
                        .join(Client, Client.id == GroupMember.client_id)
                        .where(*conditions)
                        .order_by(GroupMember.created_at, GroupMember.id).limit(limit)).all()
    return [RequestRow(id=m.id, group_id=m.group_id, group_name=group_name,
                       client_id=m.client_id, client_name=client_name, note=m.request_note,
                       requested_at=m.created_at) for m, group_name, client_name in rows]


def get_request(session: Session, *, member_id: object, group_id: int | None = None
                ) -> tuple[GroupMember, CommunityGroup]:
    """A waiting request (of `group_id` when given) in a group that is not archived."""
    member = session.get(GroupMember, parse_id(member_id, NO_REQUEST))
    if member is None or member.status != MemberStatus.REQUESTED or (
            group_id is not None and member.group_id != group_id):
        raise NotFound(NO_REQUEST)
    group = session.get(CommunityGroup, member.group_id)
    if group is None or group.archived:
        raise NotFound(NO_REQUEST)
    return member, group


def _decide(session: Session, member: GroupMember, **values) -> None:
    """Answer the request in one conditional UPDATE: a request another tab answered,
    or the client cancelled, meanwhile is left as it is, and says so."""
    done = session.exec(update(GroupMember).where(
        GroupMember.id == member.id, GroupMember.status == MemberStatus.REQUESTED)
        .values(**values).execution_options(synchronize_session=False)).rowcount == 1
    session.refresh(member)
    if not done:
        raise ServiceError(ALREADY_ANSWERED)


def approve_request(session: Session, *, staff_id: int, member_id: object, base_url: str,
                    group_id: int | None = None) -> GroupMember:
    """The client becomes an active member and is told so on the bell."""
    member, group = get_request(session, member_id=member_id, group_id=group_id)
    now = utcnow()
    # let in by staff: no grant needed
    _decide(session, member, status=MemberStatus.ACTIVE, joined_at=now, updated_at=now,
            decided_by_staff_id=staff_id, status_reason="", via_grant=False)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="community.request_approved", client_id=member.client_id,
                 group=group.id, member=member.id)
    link = routes.community_group(group.id)
    try:
        notify(session, client_id=member.client_id, kind=NotificationKind.COMMUNITY,
               params={"event": "approved", "group": group.name}, link=link,
               base_url=base_url)
    except ServiceError as exc:
        if exc.field != "title":
            raise
        # No wording for these parameters (notification_texts): the line as it is, so
        # an approval never fails for want of a sentence.
        notify(session, client_id=member.client_id, kind=NotificationKind.COMMUNITY,
               title=APPROVED.format(group=group.name), link=link, base_url=base_url)
    return member


def decline_request(session: Session, *, staff_id: int, member_id: object, reason: object = "",
                    group_id: int | None = None) -> GroupMember:
    """The request is declined (an optional reason, kept for staff)."""
    member, group = get_request(session, member_id=member_id, group_id=group_id)
    clean = clean_reason(reason, required=False)
    _decide(session, member, status=MemberStatus.DECLINED, status_reason=clean,
            decided_by_staff_id=staff_id, updated_at=utcnow())
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="community.request_declined", client_id=member.client_id,
                 group=group.id, member=member.id, reason=clean)
    return member

