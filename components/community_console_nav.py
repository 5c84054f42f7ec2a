"""The console's Community section: its pages' links (Groups, Moderation), shared
by those pages; the open one is marked."""

import reflex as rx

from components.current_page import is_current
from components.i18n import t
from portal_app import routes

PAGES = [
    ("Groups", routes.CONSOLE_COMMUNITY),
    ("Moderation", routes.CONSOLE_COMMUNITY_QUEUE),
]


def community_console_nav() -> rx.Component:
    links = []
    for label, href in PAGES:
        current = is_current(href, exact=True)
        links.append(rx.link(
            t(label), href=href, padding="6px 12px", border_radius="6px",
            custom_attrs={"aria-current": rx.cond(current, "page", None)},
            background=rx.cond(current, "var(--accent-4)", "transparent"),
            font_weight=rx.cond(current, "600", "400")))
    return rx.el.nav(rx.hstack(*links, spacing="2", wrap="wrap"),
                     aria_label=t("Community pages"), margin_bottom="12px")
