"""A member reports a post or comment to the business: once per person and target,
with a reason, at most 10 an hour, never their own text. When the open reports on
one target reach the group's `report_threshold`, the text is hidden pending staff
review (it leaves every feed; a hidden comment leaves the post's count). Every
report is audited."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from models import ContentReport, ContentStatus, ReportStatus
from models.base import utcnow
from portal_app.services import ratelimit
from portal_app.services.audit import record_audit
from portal_app.services.community.access import get_post_for
from portal_app.services.community.comments import comment_on_post
from portal_app.services.community.counters import recount_comments
from portal_app.services.errors import NotAllowed, ServiceError

REPORTS_PER_WINDOW = 10
REPORT_WINDOW = timedelta(hours=1)
REASON_MAX = 500
TOO_MANY_REPORTS = "You have sent many reports in the last hour. Please wait a little."
OWN_TEXT = "You cannot report your own text."
ALREADY = "You have already reported this. The business will look at it."
NO_REASON = "Say briefly what is wrong."
REASON_LONG = "Use at most 500 characters."


def _hide_if_published(session: Session, row) -> bool:
    """Hide the text in one conditional UPDATE: a staff decision that got there first
    (removed, restored and then hidden by staff) is never overwritten."""
    model = type(row)
    done = session.exec(update(model).where(model.id == row.id,
                                            model.status == ContentStatus.PUBLISHED)
                         .values(status=ContentStatus.HIDDEN)
                         .execution_options(synchronize_session=False)).rowcount == 1
    session.refresh(row)
    return done


def report_content(session: Session, *, client_id: int, post_id: object,
                   comment_id: object = None, reason: object,
                   now: datetime | None = None) -> tuple[ContentReport, bool]:
    """(the report, whether the text is now hidden)."""
    now = now or utcnow()
    if comment_id not in (None, ""):
        _ctx, post, comment = comment_on_post(session, client_id=client_id, post_id=post_id,
                                              comment_id=comment_id, now=now)
        target, row = f"c{comment.id}", comment
    else:
        _ctx, post = get_post_for(session, client_id=client_id, post_id=post_id, now=now)
        comment, target, row = None, f"p{post.id}", post
    group = _ctx.group
    if row.author_client_id == client_id:
        raise NotAllowed(OWN_TEXT)
    text = " ".join(str(reason or "").split())
    if not text:
        raise ServiceError(NO_REASON, field="reason")
    if len(text) > REASON_MAX:
        raise ServiceError(REASON_LONG, field="reason")
    if session.exec(select(ContentReport.id).where(
            ContentReport.target == target,
            ContentReport.reporter_client_id == client_id)).first() is not None:
        raise ServiceError(ALREADY)
    ratelimit.hit(session, bucket="community-report", key=str(client_id),
                  limit=REPORTS_PER_WINDOW, window=REPORT_WINDOW, now=now,
                  message=TOO_MANY_REPORTS)
    report = ContentReport(group_id=post.group_id, post_id=post.id,
                           comment_id=comment.id if comment is not None else None,
                           target=target, reporter_client_id=client_id, reason=text,
                           created_at=now)
    session.add(report)
    session.flush()
    record_audit(session, actor_kind="client", actor_id=client_id,
                 action="community.reported", client_id=client_id, group_id=post.group_id,
                 target=target, report_id=report.id)
    open_reports = session.exec(select(func.count()).where(
        ContentReport.target == target, ContentReport.status == ReportStatus.OPEN)).one()
    hidden = False
    # The business's own text is never hidden by members' reports: staff review it.
    by_staff = row.author_client_id is None
    if (open_reports >= max(group.report_threshold, 1) and not by_staff
            and _hide_if_published(session, row)):
        hidden = True
        if comment is not None:
            recount_comments(session, post_id=post.id)
        record_audit(session, actor_kind="system", actor_id=None,
                     action="community.hidden_by_reports", group_id=post.group_id,
                     target=target, reports=int(open_reports))
        session.flush()
    return report, hidden
