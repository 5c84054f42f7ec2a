"""Which navigation link is the open page's: marked for screen readers and the eye,
in the client shell and the console shell alike."""

import reflex as rx


def is_current(*paths: str, exact: bool = False) -> rx.Var:
    """The open page is one of `paths`, or (unless `exact`) a page under one of them (an
    invoice is under Payments). The router's path is the browser's, sent with each event."""
    path = rx.State.router.url.path
    found = None
    for p in paths:
        match = (path == p) | (path == p + "/")
        if not exact:
            match = match | path.startswith(p + "/")
        found = match if found is None else found | match
    return found


def current_marks(current: rx.Var) -> dict:
    """What marks the current section's link: `aria-current="page"` for screen readers;
    a tinted background, a bar on its edge and bold text for the eye (not colour alone)."""
    return {
        "custom_attrs": {"aria-current": rx.cond(current, "page", None)},
        "background": rx.cond(current, "var(--accent-4)", "transparent"),
        "box_shadow": rx.cond(current, "inset 3px 0 0 var(--accent-9)", "none"),
        "font_weight": rx.cond(current, "600", "400"),
    }

