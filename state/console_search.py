"""The console header's search box (components/console_search.py): results grouped
by kind, arrows to move, Enter to open. The staff check and the role come from the
server on every search; the results' addresses are made by the service, never taken
from the browser."""

import reflex as rx

from portal_app.services.console_search import search_console
from state.console_format import console_zone
from state.guards import staff_event
from state.staff_session import StaffState

GROUP_LABELS = {"clients": "Clients", "invoices": "Invoices", "bookings": "Bookings",
                "conversations": "Conversations"}


class ConsoleSearchState(StaffState):
    search_query: str = ""
    search_hits: list[dict[str, str]] = []
    search_active: int = -1

    @staff_event
    def search(self, session, ctx, query: str):
        """What the box's text finds for this staff member (their role decides the kinds)."""
        self.search_query = str(query or "")[:100]
        hits = search_console(session, query=self.search_query, role=ctx.role,
                              zone=console_zone(session), lang=self._lang)
        rows, last_kind = [], ""
        for index, hit in enumerate(hits):
            group = self._tr(GROUP_LABELS[hit.kind])
            rows.append({"id": f"search-hit-{index}", "group": group, "title": hit.title,
                         "detail": hit.detail, "url": hit.url,
                         "first": "yes" if hit.kind != last_kind else ""})
            last_kind = hit.kind
        self.search_hits = rows
        self.search_active = 0 if rows else -1

    @rx.event
    def search_key(self, key: str):
        """Arrows move through the results, Enter opens the chosen one, Escape closes."""
        if not self.search_hits:
            return None
        if key == "ArrowDown":
            self.search_active = (self.search_active + 1) % len(self.search_hits)
        elif key == "ArrowUp":
            self.search_active = (self.search_active - 1) % len(self.search_hits)
        elif key == "Escape":
            self.search_hits = []
            self.search_active = -1
        elif key == "Enter" and 0 <= self.search_active < len(self.search_hits):
            url = self.search_hits[self.search_active]["url"]
            self.search_hits = []
            self.search_active = -1
            return rx.redirect(url)
        return None

    @rx.event
    def close_search(self):
        self.search_hits = []
        self.search_active = -1
