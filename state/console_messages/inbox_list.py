"""The inbox list of /console/messages: filter tabs, search, paging, and the
one-client filter (`?client=<id>`), a backend var set by the server at load."""

import reflex as rx

from portal_app import routes
from portal_app.services import clients, messaging
from portal_app.services.errors import ServiceError
from state.console_format import console_zone, when
from state.guards import staff_event

PER_PAGE = 50
CLIENT_LIMIT = 500  # one client's conversations when the inbox shows only that client
FILTERS = [("all", "All"), ("unread", "Unread"), ("mine", "Assigned to me"),
           ("unassigned", "Unassigned")]
FILTER_KEYS = {key for key, _ in FILTERS}


def _clean_search(raw: object) -> str:
    return " ".join(str(raw or "").split())[:100]


class InboxList(rx.State, mixin=True):
    """InboxState's list: its vars, its filling, and its handlers."""

    view: str = "all"
    search: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    client_id: str = ""
    client_name: str = ""
    _client_id: int = 0

    def _client_page(self, session, ctx) -> tuple[list, int]:
        """One client's conversations, with the tab and search applied here.

        `staff_inbox` has no client filter, so this reads the client's
        conversations (one query) and filters them in Python; the search here
        matches the subject and the client's name, not the message text.
        """
        names = self._staff_names()
        text = self.search.lower()
        found = []
        for conv in messaging.client_conversations(session, client_id=self._client_id,
                                                   limit=CLIENT_LIMIT):
            if self.view == "unread" and conv.staff_unread <= 0:
                continue
            if self.view == "mine" and conv.assigned_staff_id != ctx.staff_id:
                continue
            if self.view == "unassigned" and conv.assigned_staff_id is not None:
                continue
            if text and text not in conv.subject.lower() and text not in self.client_name.lower():
                continue
            assignee = ""
            if conv.assigned_staff_id is not None:
                assignee = names.get(str(conv.assigned_staff_id), "Former staff member")
            found.append(messaging.InboxRow(conv, self.client_name, assignee))
        start = (self.page - 1) * PER_PAGE
        return found[start:start + PER_PAGE], len(found)

    def _page_of(self, session, ctx) -> tuple[list, int]:
        if self._client_id:
            return self._client_page(session, ctx)
        return messaging.staff_inbox(
            session, unread_only=self.view == "unread",
            assigned_to=ctx.staff_id if self.view == "mine" else None,
            unassigned=self.view == "unassigned", search=self.search, page=self.page,
            per_page=PER_PAGE)

    def _fill(self, session, ctx, *, staff_loaded: bool = False) -> None:
        """The list; `staff_loaded`: the open thread has just loaded the staff choices."""
        if not staff_loaded:
            self._load_staff(session)
        result, total = self._page_of(session, ctx)
        pages = max(1, -(-total // PER_PAGE))
        if self.page > pages:
            self.page = pages
            result, total = self._page_of(session, ctx)
        self.total, self.pages = total, pages
        zone = console_zone(session)
        suffix = f"&client={self._client_id}" if self._client_id else ""
        self.rows = [
            {"id": str(r.conversation.id), "subject": r.conversation.subject,
             "url": f"{routes.CONSOLE_MESSAGES}?c={r.conversation.id}{suffix}",
             "client": r.client_name, "client_url": routes.console_client(r.conversation.client_id),
             "when": when(r.conversation.last_message_at, zone),
             "unread": str(r.conversation.staff_unread) if r.conversation.staff_unread else "",
             "assignee": r.assigned_name,
             "active": "yes" if r.conversation.id == self._conversation_id else ""}
            for r in result
        ]

    def _set_client_filter(self, session, raw: str) -> None:
        previous = self._client_id
        self._client_id = 0
        self.client_id = self.client_name = ""
        if raw:
            try:
                client = clients.get_client(session, client_id=raw)
            except ServiceError:
                client = None
            if client is not None:
                self._client_id = client.id
                self.client_id, self.client_name = str(client.id), client.full_name
        if self._client_id != previous:
            self.page = 1

    @staff_event
    def show(self, session, ctx, name: str):
        """A filter tab: all, unread, mine (assigned to me) or unassigned."""
        self.view = str(name) if str(name) in FILTER_KEYS else "all"
        self.page = 1
        self._fill(session, ctx)

    @staff_event
    def apply_search(self, session, ctx, form: dict):
        """Search subjects, client names and message text."""
        self.search = _clean_search(form.get("search", "") if isinstance(form, dict) else "")
        self.page = 1
        self._fill(session, ctx)

    @staff_event
    def go_to_page(self, session, ctx, page: int):
        try:
            self.page = min(max(1, int(page)), self.pages)
        except (TypeError, ValueError):
            self.page = 1
        self._fill(session, ctx)
