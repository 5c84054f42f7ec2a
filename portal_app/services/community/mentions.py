"""@mentions of members in a post or comment (a simple version written with staff
posting; the feed's own may replace it with the same signature).

`record_mentions` saves one `Mention` row per active member named as "@<display
name>" (any case, followed by a non-word character or the end) when the text is
saved, held or not; `notices.on_published` notifies the rows not yet notified
when the text becomes published, so held text notifies nobody.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from models import Client, CommunityGroup, GroupMember, MemberStatus, Mention, Post, PostComment


def _named(lowered: str, name: str) -> bool:
    name = " ".join(name.split()).lower()
    if not name:
        return False
    return re.search("@" + re.escape(name) + r"(?!\w)", lowered) is not None


def record_mentions(session: Session, *, group: CommunityGroup, post: Post,
                    comment: PostComment | None = None, text: str,
                    author_client_id: int | None = None) -> list[int]:
    """Save the mentions in `text` (the author never mentions themselves); returns the
    client ids newly mentioned. Nothing is read when the text has no "@"."""
    if "@" not in (text or ""):
        return []
    lowered = " ".join(text.split()).lower()
    members = session.exec(select(GroupMember.client_id, Client.display_name)
                           .join(Client, Client.id == GroupMember.client_id)
                           .where(GroupMember.group_id == group.id,
                                  GroupMember.status == MemberStatus.ACTIVE,
                                  Client.display_name != "")).all()
    named = [cid for cid, name in members if cid != author_client_id and _named(lowered, name)]
    if not named:
        return []
    comment_id = comment.id if comment is not None else None
    where = (Mention.comment_id == comment_id) if comment_id else Mention.comment_id.is_(None)
    have = set(session.exec(select(Mention.client_id).where(
        Mention.post_id == post.id, where, Mention.client_id.in_(named))).all())
    new = [cid for cid in dict.fromkeys(named) if cid not in have]
    for client_id in new:
        session.add(Mention(group_id=group.id, post_id=post.id, comment_id=comment_id,
                            client_id=client_id))
    session.flush()
    return new
