"""Who hears of new text in a group (the bell, and email for those who chose it).

Called by the feed and moderation work in the transaction where a post or comment
BECOMES published (at once, or by staff approval); held text never comes here.
Who is told, once per person per text:
- members @mentioned in it (its Mention rows not notified yet; they are marked
  notified whatever happens, so approval a second time tells nobody again);
- the post's author when someone else comments (a reply);
- members whose notification level is "all", for every new post and comment.
Never the author; never a member whose level is "muted" (mute overrides
mentions too); only those who may read the group now (`access.reader_ids`).
Members at the default level ("mentions") hear of other posts in the daily
digest (digest.py). The email copy follows `notifications.notify`'s rules (the
kinds the client chose). Reads are a fixed number of statements however many
members the group has; each notification then writes its own row.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from models import (
    Client,
    CommunityGroup,
    ContentStatus,
    GroupMember,
    MemberStatus,
    Mention,
    NotificationKind,
    NotifyLevel,
    Post,
    PostComment,
)
from portal_app import routes
from portal_app.services.business import get_business
from portal_app.services.community import access
from portal_app.services.notifications import notify

MENTION = "mention"
REPLY = "reply"
POST = "post"
COMMENT = "comment"
APPROVED = "approved"  # a join request approved (members/admin work)
LEVEL = "level"  # a gamification level reached (points.py)
EVENTS = (MENTION, REPLY, POST, COMMENT, APPROVED, LEVEL)


def community_params(*, event: str, group: str, title: str = "", who: str = "",
                     level: str = "") -> dict:
    """The facts of a "community" notification (worded in notification_texts.py)."""
    params = {"event": event, "group": group}
    if event in (MENTION, REPLY, POST, COMMENT):
        params.update(title=title, who=who)  # who "" reads "A member"
    if event == LEVEL:
        params["level"] = level
    return params


def author_name(session: Session, *, client_id: int | None) -> str:
    """What other members see as the author: the display name the member chose, the
    business's name for staff text, else "A member" (never the legal name)."""
    if client_id is None:
        return get_business(session).name or ""
    client = session.get(Client, client_id)
    return (client.display_name or "").strip() if client else ""


def _levels(session: Session, group_id: int) -> dict[int, str]:
    """client id -> notification level of the group's active members (one statement)."""
    rows = session.exec(select(GroupMember.client_id, GroupMember.notify).where(
        GroupMember.group_id == group_id, GroupMember.status == MemberStatus.ACTIVE)).all()
    return {int(cid): level for cid, level in rows}


def _pending_mentions(session: Session, *, post_id: int, comment_id: int | None) -> list[int]:
    """Clients mentioned in this text and not told yet; marks them told (two statements)."""
    where = [Mention.post_id == post_id, Mention.notified.is_(False)]
    where.append(Mention.comment_id.is_(None) if comment_id is None
                 else Mention.comment_id == comment_id)
    ids = [int(i) for i in session.exec(select(Mention.client_id).where(*where)).all()]
    if ids:
        session.exec(update(Mention).where(*where).values(notified=True))
    return ids


def recipients(session: Session, *, group: CommunityGroup, author_id: int | None,
               mentioned: list[int], post_author_id: int | None) -> dict[int, str]:
    """client id -> event, one per person: a mention first, then a reply, then "all"."""
    levels = _levels(session, group.id)
    readers = set(access.reader_ids(session, group=group))
    chosen: dict[int, str] = {}
    for cid in mentioned:
        chosen.setdefault(cid, MENTION)
    if post_author_id is not None:
        chosen.setdefault(post_author_id, REPLY)
    event = POST if post_author_id is None else COMMENT
    for cid, level in levels.items():
        if level == NotifyLevel.ALL:
            chosen.setdefault(cid, event)
    return {cid: ev for cid, ev in chosen.items()
            if cid != author_id and cid in readers and cid in levels
            and levels[cid] != NotifyLevel.MUTED}


def on_published(session: Session, *, post: Post | None = None,
                 comment: PostComment | None = None, base_url: str) -> list[int]:
    """Called in the transaction where a post or comment becomes published (at once,
    or when staff approve it); never for held text. Returns the client ids whose
    bell changed (the caller pushes to them after its commit)."""
    if comment is not None:
        post = post if post is not None and post.id == comment.post_id else session.get(
            Post, comment.post_id)
    if post is None:
        return []
    group = session.get(CommunityGroup, post.group_id)
    if group is None:
        return []
    text = comment if comment is not None else post
    if text.status != ContentStatus.PUBLISHED or post.status != ContentStatus.PUBLISHED:
        return []  # held (or hidden) text notifies nobody, whoever calls
    author_id = text.author_client_id
    mentioned = _pending_mentions(session, post_id=post.id,
                                  comment_id=comment.id if comment is not None else None)
    post_author = post.author_client_id if comment is not None else None
    targets = recipients(session, group=group, author_id=author_id, mentioned=mentioned,
                         post_author_id=post_author)
    if not targets:
        return []
    who = author_name(session, client_id=author_id)
    # Load the recipients in one statement: notify() then finds them in the session.
    list(session.exec(select(Client).where(Client.id.in_(list(targets)))).all())
    link = routes.community_post(post.id)
    for cid in sorted(targets):
        notify(session, client_id=cid, kind=NotificationKind.COMMUNITY, link=link,
               base_url=base_url,
               params=community_params(event=targets[cid], group=group.name,
                                       title=post.title, who=who))
    return sorted(targets)


def on_edited(session: Session, *, post: Post, comment: PostComment | None = None,
              base_url: str) -> list[int]:
    """After an author edits text that is (still) published: tell only the members the
    edit newly mentions (everyone else heard of the text when it was published).
    Held text tells nobody; its mentions wait for approval (`on_published`)."""
    text = comment if comment is not None else post
    group = session.get(CommunityGroup, post.group_id)
    if (group is None or text.status != ContentStatus.PUBLISHED
            or post.status != ContentStatus.PUBLISHED):
        return []
    mentioned = _pending_mentions(session, post_id=post.id,
                                  comment_id=comment.id if comment is not None else None)
    if not mentioned:
        return []
    targets = {cid: ev for cid, ev in recipients(
        session, group=group, author_id=text.author_client_id, mentioned=mentioned,
        post_author_id=None).items() if ev == MENTION}
    who = author_name(session, client_id=text.author_client_id)
    for cid in sorted(targets):
        notify(session, client_id=cid, kind=NotificationKind.COMMUNITY,
               link=routes.community_post(post.id), base_url=base_url,
               params=community_params(event=MENTION, group=group.name, title=post.title,
                                       who=who))
    return sorted(targets)


def notify_approved(session: Session, *, client_id: int, group: CommunityGroup,
                    base_url: str) -> None:
    """Tell a client their request to join `group` was approved (the bell, and email
    when they chose community emails); for the join-request work."""
    notify(session, client_id=client_id, kind=NotificationKind.COMMUNITY,
           link=routes.community_group(group.id), base_url=base_url,
           params=community_params(event=APPROVED, group=group.name))
