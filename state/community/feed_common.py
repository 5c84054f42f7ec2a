"""What the group and post pages share: the app check on every handler, and the
live pushes a write makes.

Pushes are scheduled tasks (portal_app/live.py): a handler runs its one
`session_scope()` to the end (the commit) before the event loop runs them, so a
refreshed tab reads what this event committed."""

from __future__ import annotations

from collections.abc import Callable

from portal_app import apps, live
from state.guards import client_event


def community_event(fn: Callable | None = None, *, on_error: str | None = None,
                    page: bool = False):
    """A Community handler: a signed-in client with a selected record and the app."""
    decorate = client_event(app=apps.COMMUNITY, on_error=on_error, page=page)
    return decorate(fn) if fn is not None else decorate


def push_written(group_id: int, token: str, notify: list[int] | None = None, *,
                 staff: bool = False) -> None:
    """Every other tab showing the group reloads; the clients whose bell changed too;
    with `staff` (text held for review, a report), the console's moderation queue."""
    live.group_changed(group_id, exclude=token)
    for client_id in dict.fromkeys(notify or []):
        live.client_changed(client_id, about=live.COMMUNITY)
    if staff:
        live.staff_changed(about=live.COMMUNITY)
