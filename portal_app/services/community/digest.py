"""The daily Community digest: one email a day to each member at the default level.

A client gets it when at least one of their active memberships is at the default
notification level ("mentions": mentions and replies at once, the rest in the
digest) in a group they may still read; "all" members hear of everything at
once and muted ones hear of nothing. It goes once their own morning has come
(07:00 in Client.timezone, else the business's zone) on a day D, and lists the
posts published in their groups since their previous digest (or the last 24 h),
with comment counts, worded in their language with times in their zone.

Exactly once per client and day whichever worker runs it: `DigestRun` (unique
client + day) is inserted first, in the same transaction as the queued email, so
a second worker's insert fails and it sends nothing. A day with nothing new is
recorded too (items 0, no email), so the client is not looked at again that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    Client,
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    DigestRun,
    GroupMember,
    MemberStatus,
    NotifyLevel,
    Post,
    PostComment,
)
from portal_app import routes
from portal_app.i18n import formats
from portal_app.services.billing.dates import business_zone
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.community import access
from portal_app.services.emails import client_language
from portal_app.services.outbox import enqueue_email

DIGEST_HOUR = 7  # local time after which the day's digest goes
LOOKBACK = timedelta(hours=24)  # the first digest looks this far back
MAX_POSTS = 30  # posts listed in one email (the rest: "and N more")
TEMPLATE = "community_digest"

SENT = "sent"
EMPTY = "empty"  # nothing new: recorded, no email
DONE = "done"  # already recorded today (by this or another worker)
NOT_YET = "not_yet"  # before 07:00 local
NONE = "none"  # no group at the digest level they may read


@dataclass
class Gathered:
    groups: list[dict]
    items: int
    more: int = 0


def local_day(now: datetime, zone: str) -> tuple[date, bool]:
    """The client's calendar day at `now`, and whether 07:00 of it has passed."""
    local = now.astimezone(ZoneInfo(zone or "UTC"))
    return local.date(), local.hour >= DIGEST_HOUR


def due_clients(session: Session, *, now: datetime) -> list[int]:
    """Clients with a membership at the digest level whose own day has reached 07:00
    and holds no digest yet, judged in each client's zone (the business's when they
    have none). Three statements however many members; each client found is then
    done in its own transaction (`send_digest` checks again)."""
    members = session.exec(
        select(GroupMember.client_id, Client.timezone)
        .join(Client, Client.id == GroupMember.client_id)
        .where(GroupMember.status == MemberStatus.ACTIVE,
               GroupMember.notify == NotifyLevel.MENTIONS)
        .distinct().order_by(GroupMember.client_id)).all()
    if not members:
        return []
    # Every zone's date lies within a day of the UTC date.
    last = dict(session.exec(
        select(DigestRun.client_id, func.max(DigestRun.day))
        .where(DigestRun.day >= now.date() - timedelta(days=1))
        .group_by(DigestRun.client_id)).all())
    fallback = business_zone(get_business(session))
    due = []
    for client_id, zone in members:
        day, after_seven = local_day(now, zone or fallback)
        if after_seven and (last.get(client_id) is None or last[client_id] < day):
            due.append(int(client_id))
    return due


def digest_groups(session: Session, *, client_id: int, now: datetime) -> list[CommunityGroup]:
    """The groups whose news this client gets in the digest (readable now)."""
    rows = session.exec(select(GroupMember, CommunityGroup).join(
        CommunityGroup, CommunityGroup.id == GroupMember.group_id).where(
        GroupMember.client_id == client_id, GroupMember.status == MemberStatus.ACTIVE,
        GroupMember.notify == NotifyLevel.MENTIONS)).all()
    if not rows:
        return []
    granted = access.granted_group_ids(session, client_id=client_id, now=now)
    return [group for member, group in rows if access.may_read(group, member, granted)]


def _since(session: Session, *, client_id: int, now: datetime) -> datetime:
    last = session.exec(select(func.max(DigestRun.created_at)).where(
        DigestRun.client_id == client_id)).one()
    return last if last is not None and last > now - timedelta(days=7) else now - LOOKBACK


def gather(session: Session, *, client_id: int, groups: list[CommunityGroup], since: datetime,
           now: datetime, zone: str, lang: str, base_url: str) -> Gathered:
    """New posts (not the client's own) per group, with comment counts (three statements)."""
    ids = [g.id for g in groups]
    live_channels = select(CommunityChannel.id).where(CommunityChannel.group_id.in_(ids),
                                                      CommunityChannel.archived.is_(False))
    posts = session.exec(select(Post).where(
        Post.group_id.in_(ids), Post.status == ContentStatus.PUBLISHED,
        Post.channel_id.in_(live_channels),
        Post.published_at > since, Post.published_at <= now,
        (Post.author_client_id.is_(None)) | (Post.author_client_id != client_id))
        .order_by(Post.published_at.desc(), Post.id.desc()).limit(MAX_POSTS + 1)).all()
    new_comments = dict(session.exec(select(PostComment.group_id, func.count()).where(
        PostComment.group_id.in_(ids), PostComment.status == ContentStatus.PUBLISHED,
        PostComment.published_at > since, PostComment.published_at <= now)
        .group_by(PostComment.group_id)).all())
    authors = {p.author_client_id for p in posts if p.author_client_id is not None}
    names = dict(session.exec(select(Client.id, Client.display_name).where(
        Client.id.in_(authors))).all()) if authors else {}
    staff_name = get_business(session).name or ""
    more = max(0, len(posts) - MAX_POSTS)
    by_group: dict[int, list[dict]] = {}
    for post in posts[:MAX_POSTS]:
        who = (staff_name if post.author_client_id is None
               else (names.get(post.author_client_id) or "").strip())
        by_group.setdefault(post.group_id, []).append({
            "title": post.title, "who": who, "comments": int(post.comment_count or 0),
            "when": formats.when_short(post.published_at, zone, lang),
            "url": f"{base_url}{routes.community_post(post.id)}"})
    out = [{"name": g.name, "posts": by_group.get(g.id, []),
            "new_comments": int(new_comments.get(g.id, 0)),
            "url": f"{base_url}{routes.community_group(g.id)}"}
           for g in groups if by_group.get(g.id) or new_comments.get(g.id)]
    items = sum(len(g["posts"]) for g in out) + more
    return Gathered(groups=out, items=items or sum(g["new_comments"] for g in out), more=more)


def claim_day(session: Session, *, client_id: int, day: date, items: int,
              now: datetime) -> bool:
    """Record the client's digest of `day`; False when a row exists (another worker)."""
    try:
        with session.begin_nested():
            session.add(DigestRun(client_id=client_id, day=day, items=items, created_at=now))
    except IntegrityError:
        return False
    return True


def send_digest(session: Session, *, client_id: int, now: datetime, base_url: str) -> str:
    """Do the client's digest of today if due; returns what happened (SENT, EMPTY,
    DONE, NOT_YET, NONE). The caller commits."""
    client = session.get(Client, client_id)
    if client is None:
        return NONE
    business = get_business(session)
    zone = client.timezone or business_zone(business)
    day, due = local_day(now, zone)
    if not due:
        return NOT_YET
    if session.exec(select(DigestRun.id).where(DigestRun.client_id == client_id,
                                               DigestRun.day == day)).first():
        return DONE
    groups = digest_groups(session, client_id=client_id, now=now)
    if not groups:
        return NONE
    lang = client_language(client, business)
    found = gather(session, client_id=client_id, groups=groups,
                   since=_since(session, client_id=client_id, now=now), now=now, zone=zone,
                   lang=lang, base_url=base_url)
    if not claim_day(session, client_id=client_id, day=day, items=found.items, now=now):
        return DONE
    if not found.groups:
        return EMPTY
    to = portal_email_of(session, client) or client.email
    if not to:
        return EMPTY
    enqueue_email(session, to=to, template=TEMPLATE, business=business, lang=lang,
                  idempotency_key=f"community-digest-{client_id}-{day.isoformat()}",
                  client_name=client.full_name, day=formats.date_text(day, lang),
                  groups=found.groups, more=found.more,
                  url=f"{base_url}{routes.COMMUNITY}")
    return SENT
