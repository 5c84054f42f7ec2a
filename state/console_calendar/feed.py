"""The "Calendar feed" panel: the signed-in staff member's own secret iCalendar URL.

The URL is shown only right after it is made (only its hash is stored); making
a new one or revoking it makes the old URL answer 404. Each call acts on the
caller's own feed (`ctx.staff_id`), never on an id from the page."""

from __future__ import annotations

import reflex as rx

from portal_app.services import calendar_feed
from portal_app.settings import get_settings
from state.guards import staff_event
from state.staff_session import StaffState


class CalendarFeedState(StaffState):
    has_feed: bool = False
    feed_url: str = ""  # the new URL, right after it is made; "" otherwise
    include_names: bool = False

    def _fill(self, session, staff_id: int) -> None:
        feed = calendar_feed.get_feed(session, staff_id=staff_id)
        self.has_feed = feed is not None
        self.include_names = bool(feed and feed.include_client_names)
        if feed is None:
            self.feed_url = ""

    @staff_event
    def load(self, session, ctx):
        self.feed_url = ""
        self._fill(session, ctx.staff_id)

    @staff_event
    def make_feed(self, session, ctx):
        """Create the feed URL, or replace it (the old one stops working)."""
        token = calendar_feed.make_feed(session, staff_id=ctx.staff_id)
        self.feed_url = calendar_feed.feed_url(get_settings().base_url, token)
        self._fill(session, ctx.staff_id)
        return rx.toast.success(self._tr("Your calendar feed URL is ready: copy it now."))

    @staff_event
    def revoke_feed(self, session, ctx):
        calendar_feed.revoke_feed(session, staff_id=ctx.staff_id)
        self.feed_url = ""
        self._fill(session, ctx.staff_id)
        return rx.toast.success(self._tr("Calendar feed revoked: its URL no longer works."))

    @staff_event
    def set_include_names(self, session, ctx, value: bool):
        calendar_feed.set_client_names(session, staff_id=ctx.staff_id, include=value is True)
        self._fill(session, ctx.staff_id)

    @rx.event
    def copied(self):
        return rx.toast.success(self._tr("Copied."))
