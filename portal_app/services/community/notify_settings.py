"""A member's notification choice for one group (`GroupMember.notify`):

- "all": every new post and comment in the group, at once;
- "mentions" (the default): only @mentions of them and replies to their own posts
  and comments, at once, plus the daily digest of the rest;
- "muted": nothing at all from this group, neither at once nor in the digest.

"muted" overrides everything else: no thread, mention or reply ever notifies a
member who muted the group (services/community/notices.py and digest.py read this
field and must check it first). It is the member's own choice, apart from a mute
that staff impose (`muted_until`, which stops posting, not notifications).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import GroupMember, NotifyLevel
from portal_app.services.audit import record_audit
from portal_app.services.community.access import member_context
from portal_app.services.errors import ServiceError

CHOOSE = "Choose how you would like to be notified."


def wants_nothing(member: GroupMember) -> bool:
    """The member muted the group: no notification and no digest line, whatever else."""
    return member.notify == NotifyLevel.MUTED


def get_notify(session: Session, *, client_id: int, group_id: object,
               now: datetime | None = None) -> str:
    """The member's choice for the group (NotFound for a group they may not read)."""
    ctx = member_context(session, client_id=client_id, group_id=group_id, now=now)
    level = ctx.member.notify
    return level if level in NotifyLevel.CHOICES else NotifyLevel.MENTIONS


def set_notify(session: Session, *, client_id: int, group_id: object, level: object,
               account_id: int | None = None, now: datetime | None = None) -> GroupMember:
    """Save the member's choice (one of NotifyLevel.CHOICES; field "notify")."""
    value = str(level or "")
    if value not in NotifyLevel.CHOICES:
        raise ServiceError(CHOOSE, field="notify")
    ctx = member_context(session, client_id=client_id, group_id=group_id, now=now)
    member = ctx.member
    if member.notify != value:
        member.notify, member.updated_at = value, ctx.now
        session.add(member)
        session.flush()
        record_audit(session, actor_kind="client", actor_id=account_id, client_id=client_id,
                     action="community.notify_changed", group=ctx.group.id, notify=value)
    return member
