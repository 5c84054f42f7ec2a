"""/community/post?id=: one post with its comments (published, and the reader's own
held ones), the comment form (with @mentions), reactions on the post and on each
comment, Edit / Delete of one's own comment, Report on others', and the "Best
answer" badge in a questions channel.

Each handler runs the session and Community app checks; the post and comment ids
are checked by the services on every call (a comment must belong to this post).
The tab watches its group, so others' comments and reactions appear live."""

from __future__ import annotations

import reflex as rx

from portal_app import apps, live, routes
from portal_app.db import session_scope
from portal_app.services.community import comments, feed, reactions, reports, rules
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.community.feed_common import community_event, push_written
from state.community.report_dialog import ReportDialog
from state.session import ClientState

COMMENTED = "Comment posted."
HELD = "Thanks! Your comment will appear once the business approves it."
SAVED = "Saved."
DELETED = "Comment deleted."
REPORTED = "Thanks. The business will look at it."
GONE = "This post is no longer available to you."


class PostPageState(ReportDialog, ClientState):
    post: dict = {}
    comments: list[dict] = []
    has_more: bool = False
    group_name: str = ""
    group_href: str = ""
    questions: bool = False
    missing: bool = False
    draft: str = ""
    comment_error: str = ""
    editing_id: str = ""
    edit_body: str = ""
    edit_error: str = ""
    _post_id: int = 0
    _group_id: int = 0
    _report_comment_id: str = ""
    _pages: int = 1

    def _clear(self) -> None:
        self.post, self.comments, self.has_more = {}, [], False
        self.group_name = self.group_href = self.editing_id = ""
        self.questions = self.report_open = False
        self._post_id = self._group_id = 0

    def _show(self, session, ctx, post_id) -> None:
        """The post and the pages of comments this tab shows (200 a page)."""
        detail = feed.post_detail(session, client_id=ctx.client_id, post_id=post_id,
                                  zone=self._tz, lang=self._lang)
        shown = list(detail.comments)
        for _ in range(max(self._pages, 1) - 1):
            if detail.next_after is None:
                break
            detail = feed.post_detail(session, client_id=ctx.client_id, post_id=post_id,
                                      after=detail.next_after, zone=self._tz,
                                      lang=self._lang)
            shown += detail.comments
        self.post, self.comments = detail.post, shown
        self.has_more = detail.next_after is not None
        self._post_id, self._group_id = int(detail.post["id"]), detail.group_id
        self.group_name = detail.group_name
        self.group_href = routes.community_group(detail.group_id)
        self.questions = detail.channel_kind == "questions"
        self.missing = False
        live.watch("group", detail.group_id, self.router.session.client_token)

    @community_event(page=True)
    def load(self, session, ctx):
        """on_load: the post in the URL (?id=), or a notice when it is not one this
        client may see."""
        self._clear()
        self._pages = 1
        self.draft = self.comment_error = ""
        try:
            self._show(session, ctx, self.router.url.query_parameters.get("id", ""))
        except ServiceError as exc:
            self._clear()
            self.missing = True
            return rx.toast.error(self._tr(exc.message))
        return None

    def _live_refresh(self):
        with session_scope() as session:
            ctx, leave = self._live_client(session, app=apps.COMMUNITY)
            if ctx is None:
                self._clear()
                return leave
            if not self._post_id:
                return None
            try:
                self._show(session, ctx, self._post_id)
            except ServiceError:
                self._clear()
                self.missing = True
                return [rx.redirect(routes.COMMUNITY), rx.toast.info(self._tr(GONE))]
        return None

    @community_event
    def more_comments(self, session, ctx):
        """"Show more comments": the next 200."""
        if not self._post_id or not self.has_more:
            return None
        self._pages += 1
        self._show(session, ctx, self._post_id)
        return None

    @rx.event
    def set_draft(self, value: str):
        self.draft = str(value)[:rules.COMMENT_MAX + 500]

    def _comment_refused(self, exc: ServiceError) -> None:
        self.comment_error = self._tr(exc.message)

    @community_event(on_error="_comment_refused")
    def add_comment(self, session, ctx, form: dict):
        """The comment form (plain text; "@" and a member's name mentions them)."""
        done = comments.add_comment(session, client_id=ctx.client_id, post_id=self._post_id,
                                    body=form.get("comment", ""),
                                    base_url=get_settings().base_url)
        self.draft, self.comment_error = "", ""
        self._show(session, ctx, self._post_id)
        held = done.row.status != "published"
        push_written(self._group_id, self.router.session.client_token, done.notify, staff=held)
        return rx.toast.success(self._tr(HELD if held else COMMENTED))

    @community_event
    def toggle_reaction(self, session, ctx, comment_id: str, emoji: str):
        """A reaction button on the post (comment_id "") or on one comment."""
        reactions.toggle_reaction(session, client_id=ctx.client_id, post_id=self._post_id,
                                  comment_id=comment_id or None, emoji=emoji)
        self._show(session, ctx, self._post_id)
        push_written(self._group_id, self.router.session.client_token)

    @community_event
    def start_edit(self, session, ctx, comment_id: str):
        """"Edit" on one's own comment."""
        _c, _p, comment = comments.comment_on_post(session, client_id=ctx.client_id,
                                                   post_id=self._post_id, comment_id=comment_id)
        if comment.author_client_id != ctx.client_id:
            return rx.toast.error(self._tr(comments.NOT_YOURS))
        self.editing_id, self.edit_body, self.edit_error = str(comment.id), comment.body, ""
        return None

    @rx.event
    def cancel_edit(self):
        self.editing_id = self.edit_error = ""

    def _edit_refused(self, exc: ServiceError) -> None:
        self.edit_error = self._tr(exc.message)

    @community_event(on_error="_edit_refused")
    def save_edit(self, session, ctx, form: dict):
        done = comments.edit_comment(session, client_id=ctx.client_id,
                                     comment_id=self.editing_id, body=form.get("comment", ""),
                                     base_url=get_settings().base_url)
        self.editing_id = self.edit_error = ""
        self._show(session, ctx, self._post_id)
        push_written(self._group_id, self.router.session.client_token, done.notify,
                     staff=done.row.status != "published")
        return rx.toast.success(self._tr(SAVED))

    @community_event
    def delete_comment(self, session, ctx, comment_id: str):
        comments.delete_comment(session, client_id=ctx.client_id, comment_id=comment_id)
        self._show(session, ctx, self._post_id)
        push_written(self._group_id, self.router.session.client_token)
        return rx.toast.success(self._tr(DELETED))

    @community_event
    def open_report(self, session, ctx, comment_id: str):
        """"Report" on the post (comment_id "") or on another member's comment."""
        self._report_comment_id = str(comment_id or "")[:20]
        self._open_report_dialog()

    @community_event(on_error="_report_refused")
    def submit_report(self, session, ctx, form: dict):
        _report, hidden = reports.report_content(
            session, client_id=ctx.client_id, post_id=self._post_id,
            comment_id=self._report_comment_id or None, reason=form.get("reason", ""))
        self._reported(self._group_id, hidden)
        if hidden and not self._report_comment_id:
            self._clear()
            self.missing = True
            return rx.toast.success(self._tr(REPORTED))
        self._show(session, ctx, self._post_id)
        return rx.toast.success(self._tr(REPORTED))
