"""/community/group?id=&channel=: one group's header, channel tabs, the composer and
the channel's feed (pinned first, "Load more" by cursor), with reactions, the
author's Edit / Delete and Report on others' posts.

Every handler runs the session and Community app checks (feed_common); the group,
channel and post ids are checked again by the services on each call
(services/community/access.py). The tab watches ("group", id): another member's
post, comment or reaction reloads the pages already shown (`_live_refresh`), and a
member banned or removed meanwhile loses the content and goes back to /community.
"""

from __future__ import annotations

import reflex as rx

from models import ChannelKind
from portal_app import apps, live, routes
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.community import feed, posts, reactions, reports, rules
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.assign import assign_changed
from state.community.feed_common import community_event, push_written
from state.community.report_dialog import ReportDialog
from state.guards import beside_field, client_refusal, refusal
from state.session import ClientState
from state.uploads import read_uploads, uploads_and_form

UPLOAD_ID = "community-post-files"
POSTED = "Posted."
HELD = "Thanks! Your post will appear once the business approves it."
SAVED = "Saved."
DELETED = "Post deleted."
REPORTED = "Thanks. The business will look at it."
GONE = "This group is no longer available to you."
FIELDS = ("title", "body", "files")


class GroupPageState(ReportDialog, ClientState):
    group_name: str = ""
    group_description: str = ""
    channels: list[dict[str, str]] = []  # id, name, kind, href, current
    channel_kind: str = ""
    can_post: bool = False
    muted: bool = False
    members_href: str = ""
    leaderboard_href: str = ""  # "" when the group has no points
    missing: bool = False
    posts: list[dict] = []
    has_more: bool = False
    errors: dict[str, str] = {}
    title: str = ""
    body: str = ""
    edit_open: bool = False
    edit_title: str = ""
    edit_body: str = ""
    edit_errors: dict[str, str] = {}
    _group_id: int = 0
    _channel_id: int = 0
    _pages: int = 1
    _next: int | None = None
    _edit_post_id: str = ""
    _report_post_id: str = ""

    def _clear(self) -> None:
        self.group_name = self.group_description = self.channel_kind = ""
        self.members_href = self.leaderboard_href = ""
        self.channels, self.posts = [], []
        self.can_post = self.muted = self.has_more = False
        self.edit_open = self.report_open = False
        self._group_id = self._channel_id = 0
        self._next = None

    def _open(self, session, ctx, group_id, channel_id) -> None:
        """The group's header and channel tabs, and the first pages of the feed."""
        view = feed.open_group(session, client_id=ctx.client_id, group_id=group_id,
                               channel_id=channel_id)
        group, channel = view.group, view.channel
        self._group_id, self._channel_id = group.id, channel.id
        live.watch("group", group.id, self.router.session.client_token)
        posts, self._next = self._pages_of(session, ctx, view)
        # Only what changed is assigned: Reflex sends every var assigned, and a feed
        # opened again (or refreshed live) mostly shows what the tab already holds (a
        # tab that reconnects is sent its whole state anyway).
        assign_changed(self, {
            "group_name": group.name, "group_description": group.description,
            "channels": [{"id": str(c.id), "name": c.name, "kind": c.kind,
                          "href": routes.community_group(group.id, c.id),
                          "current": "page" if c.id == channel.id else ""}
                         for c in view.channels],
            "channel_kind": channel.kind, "muted": view.muted,
            "can_post": channel.kind != ChannelKind.ANNOUNCEMENTS and not view.muted,
            "members_href": routes.community_members(group.id),
            "leaderboard_href": (routes.community_leaderboard(group.id) if group.gamification
                                 else ""),
            "missing": False, "posts": posts, "has_more": self._next is not None})

    def _pages_of(self, session, ctx, checked=None) -> tuple[list[dict], int | None]:
        """The pages of the feed this tab shows now (the first, and each "Load more"),
        and the next page's cursor; `checked`: `_open` just let this reader in."""
        shown, before = [], None
        for _ in range(max(self._pages, 1)):
            page = feed.list_feed(session, client_id=ctx.client_id, channel_id=self._channel_id,
                                  before=before, zone=self._tz, lang=self._lang,
                                  checked=checked)
            shown += page.posts
            before = page.next_before
            if before is None:
                break
        return shown, before

    def _reload(self, session, ctx) -> None:
        """The pages of the feed shown, read again (after a write in this group)."""
        posts, self._next = self._pages_of(session, ctx)
        assign_changed(self, {"posts": posts, "has_more": self._next is not None})

    @community_event(page=True)
    def load(self, session, ctx):
        """on_load: the group in the URL (?id=, &channel=), or a notice when it is not
        one this client may read."""
        self._pages = 1
        assign_changed(self, {"errors": {}, "title": "", "body": "", "edit_open": False,
                              "report_open": False})
        query = self.router.url.query_parameters
        try:
            self._open(session, ctx, query.get("id", ""), query.get("channel") or None)
        except ServiceError as exc:
            self._clear()
            self.missing = True
            return rx.toast.error(self._tr(exc.message))
        return None

    def _live_refresh(self):
        """Another member wrote in the group, or staff decided: reload what is shown.
        A member banned or removed meanwhile loses the page."""
        with session_scope() as session:
            ctx, leave = self._live_client(session, app=apps.COMMUNITY)
            if ctx is None:
                self._clear()
                return leave
            if not self._group_id:
                return None
            try:
                self._open(session, ctx, self._group_id, self._channel_id)
            except ServiceError:
                self._clear()
                self.missing = True
                return [rx.redirect(routes.COMMUNITY), rx.toast.info(self._tr(GONE))]
        return None

    @community_event
    def load_more(self, session, ctx):
        """"Load more": the next page after the ones shown."""
        if not self._channel_id or self._next is None:
            return None
        page = feed.list_feed(session, client_id=ctx.client_id, channel_id=self._channel_id,
                              before=self._next, zone=self._tz, lang=self._lang)
        self.posts = [*self.posts, *page.posts]
        self._next, self.has_more = page.next_before, page.next_before is not None
        self._pages += 1
        return None

    @rx.event
    def set_title(self, value: str):
        self.title = str(value)[:rules.TITLE_MAX + 100]

    @rx.event
    def set_body(self, value: str):
        self.body = str(value)[:rules.POST_MAX + 1000]

    def _post_refused(self, exc: ServiceError):
        return beside_field(self, exc, FIELDS)

    @rx.event
    async def submit_post(self, files: list[rx.UploadFile], fields: dict | None = None):
        """The composer: a new post with its title, Markdown text and up to 4 files
        (read first, then checked and written in one transaction)."""
        uploads, form = uploads_and_form(files)
        form = fields if isinstance(fields, dict) else form
        title = str(form.get("title", "")) if form is not None else self.title
        body = str(form.get("body", "")) if form is not None else self.body
        title, body = title[:rules.TITLE_MAX + 100], body[:rules.POST_MAX + 1000]
        self.errors = {}
        incoming: list = []
        if any(hasattr(u, "read") for u in uploads):
            with session_scope() as session:
                refused = client_refusal(self, self._client(session), app=apps.COMMUNITY)
            if refused is not None:
                return refused
            incoming = await read_uploads(uploads, get_settings().upload_max_request_bytes)
            if isinstance(incoming, str):
                self.errors = {"files": self._tr(incoming)}
                return None
        settings = get_settings()
        try:
            with session_scope() as session:
                ctx = self._client(session)  # (again) inside the transaction that writes
                refused = client_refusal(self, ctx, app=apps.COMMUNITY)
                if refused is not None:
                    return refused
                done = posts.create_post(
                    session, client_id=ctx.client_id, channel_id=self._channel_id, title=title,
                    body=body, files=incoming, storage=providers.current().storage,
                    base_url=settings.base_url, max_file_bytes=settings.upload_max_file_bytes,
                    max_request_bytes=settings.upload_max_request_bytes)
                held = done.row.status != "published"
                self._reload(session, ctx)
        except ServiceError as exc:
            return refusal(self, exc, "_post_refused")
        self.title = self.body = ""
        push_written(self._group_id, self.router.session.client_token, done.notify, staff=held)
        return [rx.clear_selected_files(UPLOAD_ID),
                rx.toast.success(self._tr(HELD if held else POSTED))]

    @community_event
    def toggle_reaction(self, session, ctx, post_id: str, emoji: str):
        """A reaction button: add or take back this emoji on the post."""
        reactions.toggle_reaction(session, client_id=ctx.client_id, post_id=post_id,
                                  emoji=emoji)
        self._reload(session, ctx)
        push_written(self._group_id, self.router.session.client_token)

    @community_event
    def start_edit(self, session, ctx, post_id: str):
        """"Edit" on one's own post: the dialog with its title and text."""
        _ctx, post = posts.own_post(session, client_id=ctx.client_id, post_id=post_id)
        self._edit_post_id = str(post.id)
        self.edit_title, self.edit_body, self.edit_errors = post.title, post.body, {}
        self.edit_open = True

    @rx.event
    def set_edit_open(self, value: bool):
        self.edit_open = bool(value)

    def _edit_refused(self, exc: ServiceError) -> None:
        field = exc.field if exc.field in ("title", "body") else "body"
        self.edit_errors = {field: self._tr(exc.message)}

    @community_event(on_error="_edit_refused")
    def save_edit(self, session, ctx, form: dict):
        """Save the edited post (judged again: it may wait for approval)."""
        done = posts.edit_post(session, client_id=ctx.client_id, post_id=self._edit_post_id,
                               title=form.get("title", ""), body=form.get("body", ""),
                               base_url=get_settings().base_url)
        self.edit_open, self.edit_errors = False, {}
        self._reload(session, ctx)
        push_written(self._group_id, self.router.session.client_token, done.notify,
                     staff=done.row.status != "published")
        return rx.toast.success(self._tr(SAVED))

    @community_event
    def delete_post(self, session, ctx, post_id: str):
        """"Delete" on one's own post."""
        posts.delete_post(session, client_id=ctx.client_id, post_id=post_id)
        self._reload(session, ctx)
        push_written(self._group_id, self.router.session.client_token)
        return rx.toast.success(self._tr(DELETED))

    @community_event
    def open_report(self, session, ctx, post_id: str):
        """"Report" on another member's post: the dialog asking why."""
        self._report_post_id = str(post_id)[:20]
        self._open_report_dialog()

    @community_event(on_error="_report_refused")
    def submit_report(self, session, ctx, form: dict):
        """Send the report; enough reports hide the post for everyone."""
        _report, hidden = reports.report_content(session, client_id=ctx.client_id,
                                                 post_id=self._report_post_id,
                                                 reason=form.get("reason", ""))
        self._reload(session, ctx)
        self._reported(self._group_id, hidden)
        return rx.toast.success(self._tr(REPORTED))
