"""A hidden mark in every page that says whether the page is live yet.

A page is painted from its prerendered HTML before its scripts start (the deferred
boot of portal_app/frontend_build.py); a click or a choice made before React has
hydrated it and the websocket has run the page's on_load handlers is lost. The mark
holds Reflex's own `State.is_hydrated`: "false" in the prerendered page and again
from each in-app navigation until that page's on_load handlers have run, "true"
after. The browser suite waits on it before acting (tests/e2e/hydration.py).
"""

import reflex as rx

MARK_ID = "portal-hydrated"


def hydration_mark() -> rx.Component:
    return rx.el.div(id=MARK_ID, hidden=True, data_hydrated=rx.State.is_hydrated)


def hydration_mark_wrap(stateful: bool) -> rx.Component | None:
    """The mark as an app wrap (`rx.App(extra_app_wraps=...)`): on every page."""
    return rx.fragment(hydration_mark()) if stateful else None
