"""A console section's row of page links (Referrals, Community, …), shared by the
section's pages; the open one is marked (`aria-current="page"`)."""

import reflex as rx

from components.current_page import is_current
from components.i18n import t


def section_nav(pages: list[tuple[str, str]], label: str) -> rx.Component:
    """`pages`: (English label, route) in order; `label` names the navigation."""
    links = []
    for text, href in pages:
        current = is_current(href, exact=True)
        links.append(rx.link(
            t(text), href=href, padding="6px 12px", border_radius="6px",
            custom_attrs={"aria-current": rx.cond(current, "page", None)},
            background=rx.cond(current, "var(--accent-4)", "transparent"),
            font_weight=rx.cond(current, "600", "400")))
    return rx.el.nav(rx.hstack(*links, spacing="2", wrap="wrap"),
                     aria_label=t(label), margin_bottom="12px")
