"""Console messages (/console/messages): the staff inbox of every client
conversation, one conversation's thread with "Send reply" and "Assign to",
and "New message" to start a conversation with a client.

`?c=<id>` opens a conversation (and marks it read for staff); `?client=<id>`
shows one client's conversations. The open conversation and the client
filter are backend vars set by the server at load; the services check every
id again. Message text is plain text: the page shows it with rx.text, never
as HTML or markdown.

One page, one state (`InboxState`), assembled from three mixins, one module
each: the list (`inbox_list`), the open conversation (`thread`) and "New
message" (`compose`). Every handler is a `staff_event` (state/guards.py),
except "Send reply", an upload handler that checks the staff session before
reading the files and again in the transaction that writes. Live pushes to
other tabs are scheduled tasks: they run after the event's transaction has
committed.
"""

import reflex as rx

from portal_app import live
from portal_app.services import messaging
from portal_app.services.errors import ServiceError
from state.console_messages.compose import CLIENT_CHOICES, COMPOSE_FIELDS, InboxCompose
from state.console_messages.inbox_list import (
    CLIENT_LIMIT,
    FILTER_KEYS,
    FILTERS,
    PER_PAGE,
    InboxList,
)
from state.console_messages.thread import (
    REPLY_UPLOAD_ID,
    THREAD_PAGE,
    InboxThread,
    attachment_row,
)
from state.guards import staff_event
from state.staff_session import StaffState

__all__ = ["CLIENT_CHOICES", "CLIENT_LIMIT", "COMPOSE_FIELDS", "FILTERS", "FILTER_KEYS",
           "PER_PAGE", "REPLY_UPLOAD_ID", "THREAD_PAGE", "InboxState", "attachment_row"]


class InboxState(InboxList, InboxThread, InboxCompose, StaffState):
    """/console/messages[?c=<conversation id>][&client=<client id>]."""

    @staff_event
    def load(self, session, ctx):
        """on_load: the inbox (for the client in ?client=), with ?c=<id> opened."""
        query = self.router.url.query_parameters
        self.compose_open = False
        self.reply_error = ""
        missing = was_unread = False
        self._set_client_filter(session, query.get("client", ""))
        self._close_thread()
        if query.get("c"):
            try:
                was_unread = self._open(session, query.get("c"))
            except ServiceError:
                self._close_thread()
                missing = True
        # An open thread (its id is kept only when it opened) has loaded the staff.
        self._fill(session, ctx, staff_loaded=bool(self._conversation_id))
        if was_unread:
            # Other console tabs show unread counts: they change with this read.
            live.staff_changed(exclude=self.router.session.client_token, about=live.MESSAGES)
        if missing:
            return rx.toast.error(messaging.NO_CONVERSATION)
        return None

    def _live_refresh(self) -> None:
        """Pushed from outside (a client wrote): reload the list and the open thread."""
        self._as_staff(lambda s, c: self._refresh(s, c))
