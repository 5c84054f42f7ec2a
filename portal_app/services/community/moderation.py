"""Staff's moderation decisions on a post or comment (console → Community →
Moderation, and the staff view of a channel).

Every decision names its text by target ("p<post id>" / "c<comment id>", the form
reports use), changes it only from the status the decision expects with one
conditional UPDATE (two staff tabs, or two workers, deciding at once: the second is
told "Someone already decided this." and changes nothing), and writes an audit row
(actor staff) in the same transaction.

- approve (held → published): the moment held text becomes public, so it is the
  moment it notifies (`notices.on_published`) and scores (`points.award`); a post
  counts towards its author's published posts, a comment towards its post's comments.
- reject (held → removed, with the reason staff gave).
- hide (published → hidden, pending review; reports stay open).
- restore (hidden → published; its open reports are dismissed).
- remove (published / hidden / held → removed; its open reports actioned, its
  points and a best answer taken back).
- dismiss reports (open → dismissed); text the reports hid is published again,
  text staff hid stays hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session

from models import (
    CommunityGroup,
    ContentReport,
    ContentStatus,
    GroupMember,
    PointReason,
    Post,
    PostComment,
    ReportStatus,
)
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.community import notices, points
from portal_app.services.community.counters import recount_comments
from portal_app.services.errors import NotFound, ServiceError

NO_ITEM = "That post or comment does not exist."
ALREADY = "Someone already decided this."
POST_NOT_PUBLISHED = "Its post is not published: decide the post first."
REASON_MAX = 200
HIDDEN_BY_STAFF = "Hidden by the business."  # held_reason of text staff hid themselves


@dataclass
class Decision:
    """What a decision changed: the group whose open tabs reload, and the clients whose
    bell changed (pushed after the commit)."""

    group_id: int
    target: str
    notified: list[int] = field(default_factory=list)


def parse_target(raw: object) -> tuple[str, int]:
    """("p", 12) for "p12", ("c", 40) for "c40"; NotFound for anything else."""
    text = str(raw or "").strip()
    if len(text) < 2 or text[0] not in "pc" or not text[1:].isdigit():
        raise NotFound(NO_ITEM)
    value = int(text[1:])
    if not 0 < value < 2**62:
        raise NotFound(NO_ITEM)
    return text[0], value


def load_target(session: Session, raw: object) -> Post | PostComment:
    kind, item_id = parse_target(raw)
    row = session.get(Post if kind == "p" else PostComment, item_id)
    if row is None:
        raise NotFound(NO_ITEM)
    return row


def target_of(item: Post | PostComment) -> str:
    return ("p" if isinstance(item, Post) else "c") + str(item.id)


def _claim(session: Session, item: Post | PostComment, from_status: tuple[str, ...],
           **values) -> None:
    """Move `item` from one of `from_status` to `values` in one conditional UPDATE;
    refuse when another decision got there first."""
    model = type(item)
    result = session.exec(update(model).where(
        model.id == item.id, model.status.in_(from_status)).values(**values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session.refresh(item)
        raise ServiceError(ALREADY)
    session.refresh(item)


def _settle_reports(session: Session, *, target: str, staff_id: int, status: str) -> int:
    """Close the open reports on `target` as `status`; how many there were."""
    result = session.exec(update(ContentReport).where(
        ContentReport.target == target, ContentReport.status == ReportStatus.OPEN).values(
        status=status, decided_by_staff_id=staff_id, decided_at=utcnow())
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def _audit(session: Session, *, staff_id: int, action: str, item: Post | PostComment,
           **detail) -> None:
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action=f"community.{action}", client_id=item.author_client_id,
                 target=target_of(item), group_id=item.group_id, **detail)


def clean_reason(raw: object) -> str:
    reason = " ".join(str(raw or "").split())
    if not reason:
        raise ServiceError("Say why, for the record.", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError("Use at most 200 characters.", field="reason")
    return reason


def approve(session: Session, *, staff_id: int, target: object, base_url: str) -> Decision:
    """Publish held text: it notifies and scores now (and only now)."""
    item = load_target(session, target)
    if item.status != ContentStatus.HELD:
        raise ServiceError(ALREADY)
    post = item if isinstance(item, Post) else session.get(Post, item.post_id)
    if isinstance(item, PostComment) and (post is None
                                          or post.status != ContentStatus.PUBLISHED):
        raise ServiceError(POST_NOT_PUBLISHED)
    now = utcnow()
    if item.published_at is not None:
        # Published before, held again by its author's edit: everyone heard of it then;
        # only members the edit newly mentions are told, and nothing is counted twice.
        _claim(session, item, (ContentStatus.HELD,), status=ContentStatus.PUBLISHED,
               held_reason="")
        if isinstance(item, PostComment):
            recount_comments(session, post_id=item.post_id)
        notified = notices.on_edited(session, post=post,
                                     comment=item if isinstance(item, PostComment) else None,
                                     base_url=base_url)
        _audit(session, staff_id=staff_id, action="approve", item=item)
        return Decision(item.group_id, target_of(item), list(notified or []))
    _claim(session, item, (ContentStatus.HELD,), status=ContentStatus.PUBLISHED,
           published_at=now, held_reason="")
    group = session.get(CommunityGroup, item.group_id)
    if isinstance(item, Post):
        if item.author_client_id is not None:
            session.exec(update(GroupMember).where(
                GroupMember.group_id == item.group_id,
                GroupMember.client_id == item.author_client_id).values(
                published_posts=GroupMember.published_posts + 1)
                .execution_options(synchronize_session=False))
        notified = notices.on_published(session, post=item, base_url=base_url)
        reason, source = PointReason.POST, f"post:{item.id}"
    else:
        recount_comments(session, post_id=item.post_id)
        notified = notices.on_published(session, comment=item, base_url=base_url)
        reason, source = PointReason.COMMENT, f"comment:{item.id}"
    if item.author_client_id is not None and group is not None:
        points.award(session, group=group, client_id=item.author_client_id, reason=reason,
                     source=source)
    _audit(session, staff_id=staff_id, action="approve", item=item)
    return Decision(item.group_id, target_of(item), list(notified or []))


def reject(session: Session, *, staff_id: int, target: object, reason: object) -> Decision:
    """Refuse held text with a reason (kept on it and in the audit); nobody was told of it."""
    item = load_target(session, target)
    clean = clean_reason(reason)
    _claim(session, item, (ContentStatus.HELD,), status=ContentStatus.REMOVED,
           held_reason=clean)
    _audit(session, staff_id=staff_id, action="reject", item=item, reason=clean)
    return Decision(item.group_id, target_of(item))


def hide(session: Session, *, staff_id: int, target: object) -> Decision:
    """Take published text out of sight pending review."""
    item = load_target(session, target)
    _claim(session, item, (ContentStatus.PUBLISHED,), status=ContentStatus.HIDDEN,
           held_reason=HIDDEN_BY_STAFF)
    if isinstance(item, PostComment):
        recount_comments(session, post_id=item.post_id)
    _audit(session, staff_id=staff_id, action="hide", item=item)
    return Decision(item.group_id, target_of(item))


def _publish_again(session: Session, item: Post | PostComment) -> None:
    _claim(session, item, (ContentStatus.HIDDEN,), status=ContentStatus.PUBLISHED,
           held_reason="")
    if isinstance(item, PostComment):
        recount_comments(session, post_id=item.post_id)


def restore(session: Session, *, staff_id: int, target: object) -> Decision:
    """Show hidden text again (it was announced when first published: no new notices);
    the reports against it are dismissed."""
    item = load_target(session, target)
    _publish_again(session, item)
    dismissed = _settle_reports(session, target=target_of(item), staff_id=staff_id,
                                status=ReportStatus.DISMISSED)
    _audit(session, staff_id=staff_id, action="restore", item=item, reports=dismissed)
    return Decision(item.group_id, target_of(item))


def remove(session: Session, *, staff_id: int, target: object) -> Decision:
    """Remove text for good: reports actioned, points and a best answer taken back."""
    item = load_target(session, target)
    _claim(session, item, (ContentStatus.PUBLISHED, ContentStatus.HIDDEN, ContentStatus.HELD),
           status=ContentStatus.REMOVED)
    actioned = _settle_reports(session, target=target_of(item), staff_id=staff_id,
                               status=ReportStatus.ACTIONED)
    if isinstance(item, Post):
        points.take_back(session, source=f"post:{item.id}")
    else:
        points.take_back(session, source=f"comment:{item.id}")
        recount_comments(session, post_id=item.post_id)
        post = session.get(Post, item.post_id)
        if post is not None and post.best_comment_id == item.id:
            post.best_comment_id = None
            session.add(post)
            points.take_back(session, source=f"best:{item.id}")
    _audit(session, staff_id=staff_id, action="remove", item=item, reports=actioned)
    session.flush()
    return Decision(item.group_id, target_of(item))


def dismiss_reports(session: Session, *, staff_id: int, target: object) -> Decision:
    """Keep the text: its open reports are dismissed, and text they hid shows again."""
    item = load_target(session, target)
    dismissed = _settle_reports(session, target=target_of(item), staff_id=staff_id,
                                status=ReportStatus.DISMISSED)
    if not dismissed:
        raise ServiceError(ALREADY)
    if item.status == ContentStatus.HIDDEN and item.held_reason != HIDDEN_BY_STAFF:
        _publish_again(session, item)
    _audit(session, staff_id=staff_id, action="dismiss_reports", item=item,
           reports=dismissed)
    return Decision(item.group_id, target_of(item))


DECISIONS: dict[str, Callable[..., Decision]] = {
    "approve": approve, "reject": reject, "hide": hide, "restore": restore, "remove": remove,
    "dismiss": dismiss_reports,
}


def decide(session: Session, *, staff_id: int, action: str, target: object,
           base_url: str = "", reason: object = "") -> Decision:
    """One decision by name ("approve", "reject", "hide", "restore", "remove",
    "dismiss") inside a savepoint: a refusal leaves nothing of it behind, so the
    caller's transaction may go on (show the queue as it is now, decide the next)."""
    fn = DECISIONS.get(str(action))
    if fn is None:
        raise NotFound(NO_ITEM)
    extra: dict[str, object] = {}
    if fn is approve:
        extra["base_url"] = base_url
    elif fn is reject:
        extra["reason"] = reason
    with session.begin_nested():
        return fn(session, staff_id=staff_id, target=target, **extra)


def decide_many(session: Session, *, staff_id: int, action: str, targets: list[object],
                base_url: str = "", reason: object = ""
                ) -> tuple[list[Decision], list[tuple[str, str]]]:
    """The same decision on each of `targets` (at most 100); the ones left as they were
    come back as (target, why), and the others stand."""
    if action == "reject":
        reason = clean_reason(reason)  # beside its field, before anything is decided
    done: list[Decision] = []
    skipped: list[tuple[str, str]] = []
    for raw in list(dict.fromkeys(str(t) for t in (targets or [])))[:100]:
        try:
            done.append(decide(session, staff_id=staff_id, action=action, target=raw,
                               base_url=base_url, reason=reason))
        except ServiceError as exc:
            skipped.append((raw, exc.message))
    return done, skipped
