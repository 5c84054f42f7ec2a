"""Reactions: one of a fixed set of emoji on a published post or comment, toggled
(a second click takes it back). A post's own reactions are counted in
`Post.reaction_count`; the author earns points for a reaction received
("reaction:<reaction id>"), never for reacting to their own text, and loses them
when it is taken back. A muted member may not react."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from models import ContentStatus, PointReason, Reaction
from models.base import utcnow
from portal_app.services import ratelimit
from portal_app.services.community import points
from portal_app.services.community.access import get_post_for, require_participant
from portal_app.services.community.comments import comment_on_post
from portal_app.services.community.counters import recount_reactions
from portal_app.services.errors import NotAllowed, ServiceError

EMOJIS = ("👍", "❤️", "🎉", "😂", "🙏", "💡")
REACTIONS_PER_WINDOW = 120
REACTION_WINDOW = timedelta(minutes=10)
TOO_MANY_REACTIONS = "You have reacted a lot in the last few minutes. Please wait a little."
UNKNOWN_EMOJI = "Choose one of the reactions shown."
NOT_PUBLISHED = "You can react once it is published."


def reaction_source(reaction_id: int) -> str:
    return f"reaction:{reaction_id}"


def toggle_reaction(session: Session, *, client_id: int, post_id: object,
                    comment_id: object = None, emoji: object,
                    now: datetime | None = None) -> bool:
    """Add this client's `emoji` to the post (or the comment), or take it back when
    it is there. True when added."""
    now = now or utcnow()
    if comment_id not in (None, ""):
        ctx, post, comment = comment_on_post(session, client_id=client_id, post_id=post_id,
                                             comment_id=comment_id, now=now)
        target, author, status = f"c{comment.id}", comment.author_client_id, comment.status
    else:
        ctx, post = get_post_for(session, client_id=client_id, post_id=post_id, now=now)
        comment = None
        target, author, status = f"p{post.id}", post.author_client_id, post.status
    if status != ContentStatus.PUBLISHED:
        raise NotAllowed(NOT_PUBLISHED)
    require_participant(ctx)
    if not isinstance(emoji, str) or emoji not in EMOJIS:
        raise ServiceError(UNKNOWN_EMOJI)
    ratelimit.hit(session, bucket="community-react", key=str(client_id),
                  limit=REACTIONS_PER_WINDOW, window=REACTION_WINDOW, now=now,
                  message=TOO_MANY_REACTIONS)
    row = session.exec(select(Reaction).where(Reaction.target == target,
                                              Reaction.client_id == client_id,
                                              Reaction.emoji == emoji)).first()
    if row is not None:
        points.take_back(session, source=reaction_source(row.id))
        session.delete(row)
        session.flush()
        if comment is None:
            recount_reactions(session, post_id=post.id)
        return False
    row = Reaction(group_id=post.group_id, post_id=post.id,
                   comment_id=comment.id if comment is not None else None, target=target,
                   client_id=client_id, emoji=emoji, created_at=now)
    session.add(row)
    session.flush()
    if comment is None:
        recount_reactions(session, post_id=post.id)
    if author is not None and author != client_id:
        points.award(session, group=ctx.group, client_id=author, reason=PointReason.REACTION,
                     source=reaction_source(row.id))
    return True
