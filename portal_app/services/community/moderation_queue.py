"""The console's moderation queue: what waits for staff, a page at a time.

- Waiting for approval: held posts and comments of every group, oldest first.
- Reported: published or hidden text with open reports, one entry per post or
  comment with how many reports and their reasons; what the reports hid first.

Each entry carries its context (group, channel, the post a comment is on) and its
author: staff see both the name the client chose for the community and their legal
name. A page costs the same few statements however many groups, posts and reports
there are (counted in tests): the page's targets, the total, then the posts and
the comments of the page with their context in one statement each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, literal, union_all
from sqlalchemy import func as sa_func
from sqlmodel import Session, select

from models import (
    Client,
    CommunityChannel,
    CommunityGroup,
    ContentReport,
    ContentStatus,
    Post,
    PostComment,
    ReportStatus,
    StaffUser,
)

PER_PAGE = 20
REASONS_SHOWN = 5


@dataclass
class QueueItem:
    target: str  # "p12" / "c40"
    kind: str  # "post" / "comment"
    group_id: int
    group_name: str
    channel_id: int
    channel_name: str
    post_id: int
    post_title: str
    title: str  # a post's title ("" for a comment)
    body: str  # a post's Markdown or a comment's plain text
    status: str
    held_reason: str
    author_display: str  # the name the member chose ("" when none)
    author_legal: str  # the client record's name (staff only), or the staff member's
    author_is_staff: bool
    created_at: datetime
    report_count: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass
class QueuePage:
    items: list[QueueItem]
    page: int
    pages: int
    total: int


def _page_bounds(page: object, total: int, per_page: int) -> tuple[int, int]:
    pages = max(1, -(-total // per_page))
    try:
        number = int(page)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 1
    return min(max(1, number), pages), pages


def author_names(client: Client | None, staff: StaffUser | None) -> tuple[str, str, bool]:
    if staff is not None:
        return "", staff.full_name, True
    if client is not None:
        return client.display_name or "", client.full_name, False
    return "", "", False


def details(session: Session, targets: list[str]) -> dict[str, QueueItem]:
    """The queue entries of these targets with their context (two statements)."""
    post_ids = [int(t[1:]) for t in targets if t.startswith("p")]
    comment_ids = [int(t[1:]) for t in targets if t.startswith("c")]
    found: dict[str, QueueItem] = {}
    if post_ids:
        rows = session.exec(
            select(Post, CommunityGroup.name, CommunityChannel.name, Client, StaffUser)
            .join(CommunityGroup, CommunityGroup.id == Post.group_id)
            .join(CommunityChannel, CommunityChannel.id == Post.channel_id)
            .outerjoin(Client, Client.id == Post.author_client_id)
            .outerjoin(StaffUser, StaffUser.id == Post.author_staff_id)
            .where(Post.id.in_(post_ids))).all()
        for post, group_name, channel_name, client, staff in rows:
            display, legal, is_staff = author_names(client, staff)
            found[f"p{post.id}"] = QueueItem(
                f"p{post.id}", "post", post.group_id, group_name, post.channel_id,
                channel_name, post.id, post.title, post.title, post.body, post.status,
                post.held_reason, display, legal, is_staff, post.created_at)
    if comment_ids:
        rows = session.exec(
            select(PostComment, Post, CommunityGroup.name, CommunityChannel.name, Client,
                   StaffUser)
            .join(Post, Post.id == PostComment.post_id)
            .join(CommunityGroup, CommunityGroup.id == Post.group_id)
            .join(CommunityChannel, CommunityChannel.id == Post.channel_id)
            .outerjoin(Client, Client.id == PostComment.author_client_id)
            .outerjoin(StaffUser, StaffUser.id == PostComment.author_staff_id)
            .where(PostComment.id.in_(comment_ids))).all()
        for comment, post, group_name, channel_name, client, staff in rows:
            display, legal, is_staff = author_names(client, staff)
            found[f"c{comment.id}"] = QueueItem(
                f"c{comment.id}", "comment", comment.group_id, group_name, post.channel_id,
                channel_name, post.id, post.title, "", comment.body, comment.status,
                comment.held_reason, display, legal, is_staff, comment.created_at)
    return found


def list_held(session: Session, *, page: object = 1, per_page: int = PER_PAGE) -> QueuePage:
    """Held posts and comments, oldest first (four statements)."""
    held = union_all(
        select(literal("p").label("kind"), Post.id.label("id"),
               Post.created_at.label("at")).where(Post.status == ContentStatus.HELD),
        select(literal("c").label("kind"), PostComment.id.label("id"),
               PostComment.created_at.label("at")).where(
            PostComment.status == ContentStatus.HELD),
    ).subquery()
    total = session.exec(select(sa_func.count()).select_from(held)).one()
    number, pages = _page_bounds(page, total, per_page)
    rows = session.exec(select(held.c.kind, held.c.id)
                        .order_by(held.c.at, held.c.kind, held.c.id)
                        .limit(per_page).offset((number - 1) * per_page)).all()
    targets = [f"{kind}{item_id}" for kind, item_id in rows]
    found = details(session, targets)
    return QueuePage([found[t] for t in targets if t in found], number, pages, total)


def _reported_filter():
    status = sa_func.coalesce(PostComment.status, Post.status)
    return status, (ContentReport.status == ReportStatus.OPEN,
                    status.in_((ContentStatus.PUBLISHED, ContentStatus.HIDDEN)))


def _reported_from(query):
    return (query.outerjoin(Post, Post.id == ContentReport.post_id)
            .outerjoin(PostComment, PostComment.id == ContentReport.comment_id))


def list_reported(session: Session, *, page: object = 1, per_page: int = PER_PAGE
                  ) -> QueuePage:
    """Reported text, one entry per post or comment with its open reports' count and
    reasons; what the reports hid first, then the longest waiting (five statements)."""
    status, where = _reported_filter()
    total = session.exec(_reported_from(
        select(sa_func.count(sa_func.distinct(ContentReport.target)))
        .select_from(ContentReport)).where(*where)).one()
    number, pages = _page_bounds(page, total, per_page)
    hidden_first = case((sa_func.max(status) == ContentStatus.HIDDEN, 0), else_=1)
    rows = session.exec(_reported_from(
        select(ContentReport.target, sa_func.count(ContentReport.id))
        .select_from(ContentReport)).where(*where)
        .group_by(ContentReport.target)
        .order_by(hidden_first, sa_func.min(ContentReport.created_at), ContentReport.target)
        .limit(per_page).offset((number - 1) * per_page)).all()
    counts = {target: count for target, count in rows}
    if not counts:
        return QueuePage([], number, pages, total)
    reasons: dict[str, list[str]] = {}
    for target, reason in session.exec(
            select(ContentReport.target, ContentReport.reason).where(
                ContentReport.target.in_(list(counts)),
                ContentReport.status == ReportStatus.OPEN).order_by(ContentReport.id)).all():
        shown = reasons.setdefault(target, [])
        text = " ".join((reason or "").split())
        if text and text not in shown and len(shown) < REASONS_SHOWN:
            shown.append(text)
    found = details(session, list(counts))
    items = []
    for target in counts:
        if target in found:
            item = found[target]
            item.report_count, item.reasons = counts[target], reasons.get(target, [])
            items.append(item)
    return QueuePage(items, number, pages, total)

