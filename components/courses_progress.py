"""What the Courses pages and the dashboard share: a course's progress bar (with its
percentage and an accessible name) and the "Continue where you left off" card."""

import reflex as rx

from components.i18n import t

MUTED = "var(--gray-11)"


def progress_bar(percent, percent_text, label) -> rx.Component:
    """The bar (`percent`, a number Var) and "NN%" (`percent_text`); `label` names it
    for screen readers ("Calm Mind: 40% complete")."""
    return rx.hstack(
        rx.progress(value=percent, max=100, aria_label=label, flex="1"),
        rx.text(percent_text + "%", size="2", color=MUTED, aria_hidden="true"),
        align="center", spacing="3", width="100%",
    )


def continue_card(card) -> rx.Component:
    """`card`: a dict Var with course, lesson, href ({} shows nothing)."""
    return rx.cond(
        card.contains("href"),
        rx.card(
            rx.flex(
                rx.vstack(
                    rx.text(t("Continue where you left off"), size="1", weight="bold",
                            color="var(--accent-11)"),
                    rx.heading(card["lesson"], size="4", as_="h2"),
                    rx.text(card["course"], size="2", color=MUTED),
                    spacing="1", flex="1", min_width="0",
                ),
                rx.link(rx.button(t("Continue"), size="3"), href=card["href"], flex_shrink="0"),
                direction=rx.breakpoints(initial="column", sm="row"),
                align=rx.breakpoints(initial="start", sm="center"),
                gap="3", width="100%",
            ),
            width="100%", border_left="4px solid var(--accent-9)", role="region",
            aria_label=t("Continue where you left off"),
        ),
    )
