"""Assigning page vars only when they change.

Reflex sends every var a handler assigns, equal or not, and its Redis state manager
writes the touched state back. A page opened again in the same tab (or refreshed by a
live push) mostly shows what the tab already holds, so a page's load assigns through
`assign_changed`: an unchanged list of posts or rows is not serialised and sent again.
A tab that reconnects is sent its whole state anyway (Reflex's hydrate)."""

from __future__ import annotations

from typing import Any


def assign_if_changed(state, name: str, value: Any) -> None:
    """Set `name` on `state` only when its current value differs. For a backend var
    (`_x`) too: any assignment marks the state touched, and Reflex's Redis state
    manager writes a touched state back after the event."""
    if getattr(state, name) != value:
        setattr(state, name, value)


def assign_changed(state, values: dict[str, Any]) -> None:
    """`assign_if_changed` for each of `values`."""
    for name, value in values.items():
        assign_if_changed(state, name, value)
