"""Console → Community → a group's channel (/console/community/feed?id=&channel=):
staff read the channel as members do plus what is hidden (marked), post with a title
and Markdown text (announcements included), comment, pin or unpin, remove anyone's
text or restore hidden text, edit or delete their own, and in a questions channel
mark a comment as the best answer.

Every handler is a staff event; the services check each id. A change reloads the
group's open tabs (members' and staff's) after the commit; the page reloads by
itself when something changes in the group (it watches the group, `_live_refresh`)."""

import reflex as rx

from portal_app import live, routes
from portal_app.services.community import moderation, staff_posts
from portal_app.services.community.post_views import post_html
from portal_app.services.community.staff_feed import PAGE, get_channel_view
from portal_app.services.errors import NotFound, ServiceError
from portal_app.settings import get_settings
from state.console_community.moderation_common import CommunityStaffState, author_text
from state.console_format import console_zone, when
from state.guards import beside_field, staff_event

FIELDS = ("title", "body")


class StaffFeedState(CommunityStaffState):
    found: bool = True
    group_id: str = ""
    group_name: str = ""
    channel_id: str = ""
    channel_name: str = ""
    channel_kind: str = ""
    channels: list[dict[str, str]] = []  # id, name, href, current
    posts: list[dict[str, str]] = []
    comments: list[dict[str, str]] = []  # each with its post_id
    has_more: bool = False
    errors: dict[str, str] = {"title": "", "body": ""}
    composer_key: int = 0  # a new key empties the composer after a post
    edit_open: bool = False
    edit_title: str = ""
    edit_body: str = ""
    edit_error: str = ""
    edit_key: int = 0  # a new key fills the edit form afresh
    _limit: int = PAGE
    _edit_post: str = ""

    def _fill(self, session, ctx) -> None:
        params = self.router.url.query_parameters
        try:
            view = get_channel_view(session, staff_id=ctx.staff_id, group_id=params.get("id"),
                                    channel_id=params.get("channel"), limit=self._limit)
        except NotFound:
            self.found, self.group_id, self.posts, self.comments = False, "", [], []
            return
        live.watch("group", view.group.id, self.router.session.client_token)
        zone, staff = console_zone(session), self._tr("staff")
        self.found, self.group_id, self.group_name = True, str(view.group.id), view.group.name
        channel = view.channel
        self.channel_id = str(channel.id) if channel else ""
        self.channel_name = channel.name if channel else ""
        self.channel_kind = channel.kind if channel else ""
        self.channels = [{"id": str(c.id), "name": c.name,
                          "href": routes.console_community_feed(view.group.id, c.id),
                          "current": "yes" if channel and c.id == channel.id else ""}
                         for c in view.channels]
        self.has_more = view.has_more
        self.posts = [{
            "id": str(p.id), "title": p.title, "body": p.body,
            "body_html": post_html(p.body),
            "status": p.status, "hidden": "yes" if p.status == "hidden" else "",
            "pinned": "yes" if p.pinned else "", "mine": "yes" if p.mine else "",
            "best": str(p.best_comment_id or ""), "comment_count": str(p.comment_count),
            "reaction_count": str(p.reaction_count),
            "author": author_text(p.author_display, p.author_legal, p.author_is_staff, staff),
            "when": when(p.created_at, zone),
            "edited": when(p.edited_at, zone) if p.edited_at else "",
        } for p in view.posts]
        self.comments = [{
            "id": str(c.id), "post_id": str(c.post_id), "body": c.body,
            "hidden": "yes" if c.status == "hidden" else "", "mine": "yes" if c.mine else "",
            "best": "yes" if str(c.id) == next((p["best"] for p in self.posts
                                               if p["id"] == str(c.post_id)), "") else "",
            "author": author_text(c.author_display, c.author_legal, c.author_is_staff, staff),
            "when": when(c.created_at, zone),
        } for p in view.posts for c in p.comments]

    def _live_refresh(self) -> None:
        """Pushed from outside (a member posted, commented, reacted): reload the feed."""
        self._as_staff(lambda s, c: self._fill(s, c))

    def _changed(self, session, ctx, message: str):
        if self.group_id:
            self._group_changed(int(self.group_id))
        self._fill(session, ctx)
        return rx.toast.success(self._tr(message))

    @staff_event
    def load(self, session, ctx):
        self._limit, self.edit_open = PAGE, False
        self.errors = dict.fromkeys(FIELDS, "")
        self._fill(session, ctx)

    @staff_event
    def show_more(self, session, ctx):
        self._limit = min(self._limit + PAGE, 200)
        self._fill(session, ctx)

    def _post_refused(self, exc: ServiceError):
        return beside_field(self, exc, FIELDS)

    @staff_event(on_error="_post_refused")
    def create_post(self, session, ctx, form: dict):
        """Post in this channel as the business: published at once."""
        form = form if isinstance(form, dict) else {}
        _post, notified = staff_posts.create_post(
            session, staff_id=ctx.staff_id, channel_id=self.channel_id,
            title=form.get("title", ""), body=form.get("body", ""),
            base_url=get_settings().base_url)
        self._client_changed(*notified, about=live.COMMUNITY)
        self.errors = dict.fromkeys(FIELDS, "")
        self.composer_key += 1
        return self._changed(session, ctx, "Posted.")

    @staff_event
    def add_comment(self, session, ctx, form: dict):
        form = form if isinstance(form, dict) else {}
        _comment, notified = staff_posts.create_comment(
            session, staff_id=ctx.staff_id, post_id=form.get("post_id"),
            body=form.get("comment", ""), base_url=get_settings().base_url)
        self._client_changed(*notified, about=live.COMMUNITY)
        return self._changed(session, ctx, "Comment added.")

    @staff_event
    def pin(self, session, ctx, post_id: str):
        staff_posts.set_pinned(session, staff_id=ctx.staff_id, post_id=post_id, pinned=True)
        return self._changed(session, ctx, "Pinned.")

    @staff_event
    def unpin(self, session, ctx, post_id: str):
        staff_posts.set_pinned(session, staff_id=ctx.staff_id, post_id=post_id, pinned=False)
        return self._changed(session, ctx, "Unpinned.")

    @staff_event
    def remove_post(self, session, ctx, post_id: str):
        moderation.remove(session, staff_id=ctx.staff_id, target=f"p{post_id}")
        return self._changed(session, ctx, "Removed.")

    @staff_event
    def remove_comment(self, session, ctx, comment_id: str):
        moderation.remove(session, staff_id=ctx.staff_id, target=f"c{comment_id}")
        return self._changed(session, ctx, "Removed.")

    @staff_event
    def restore_post(self, session, ctx, post_id: str):
        moderation.restore(session, staff_id=ctx.staff_id, target=f"p{post_id}")
        return self._changed(session, ctx, "Restored.")

    @staff_event
    def restore_comment(self, session, ctx, comment_id: str):
        moderation.restore(session, staff_id=ctx.staff_id, target=f"c{comment_id}")
        return self._changed(session, ctx, "Restored.")

    @staff_event
    def mark_best(self, session, ctx, comment_id: str):
        staff_posts.mark_best_answer(session, staff_id=ctx.staff_id, comment_id=comment_id)
        return self._changed(session, ctx, "Marked as the best answer.")

    @staff_event
    def unmark_best(self, session, ctx, post_id: str):
        staff_posts.unmark_best_answer(session, staff_id=ctx.staff_id, post_id=post_id)
        return self._changed(session, ctx, "Best answer unmarked.")

    @staff_event
    def delete_post(self, session, ctx, post_id: str):
        staff_posts.delete_post(session, staff_id=ctx.staff_id, post_id=post_id)
        return self._changed(session, ctx, "Deleted.")

    @staff_event
    def delete_comment(self, session, ctx, comment_id: str):
        staff_posts.delete_comment(session, staff_id=ctx.staff_id, comment_id=comment_id)
        return self._changed(session, ctx, "Deleted.")

    @rx.event
    def open_edit(self, post_id: str):
        """The edit dialog for one of the staff member's own posts shown (display only)."""
        row = next((p for p in self.posts if p["id"] == str(post_id) and p["mine"]), None)
        if row is None:
            return
        self._edit_post, self.edit_title, self.edit_error = row["id"], row["title"], ""
        self.edit_body = row["body"]
        self.edit_key += 1
        self.edit_open = True

    @rx.event
    def set_edit_open(self, value: bool):
        self.edit_open = bool(value)

    def _edit_refused(self, exc: ServiceError):
        self.edit_error = self._tr(exc.message)

    @staff_event(on_error="_edit_refused")
    def save_edit(self, session, ctx, form: dict):
        form = form if isinstance(form, dict) else {}
        staff_posts.edit_post(session, staff_id=ctx.staff_id, post_id=self._edit_post,
                              title=form.get("title", ""), body=form.get("body", ""),
                              base_url=get_settings().base_url)
        self.edit_open, self.edit_error = False, ""
        return self._changed(session, ctx, "Saved.")

