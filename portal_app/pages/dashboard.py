"""Client dashboard (seed 001): a greeting, the one thing to do next, then
upcoming appointments, total due and new documents."""

import reflex as rx

from components.client_shell import client_shell, dashboard_cards
from components.courses_progress import continue_card
from components.i18n import t
from state.client_pages import DashboardState as S


def next_step_card() -> rx.Component:
    """The one next step (portal_app/services/dashboard.py decides which): what,
    a line of detail, and the button that does it.

    Its frame (the card, its label and its title's place, saying what it is looking
    for) is in the first paint, and the same heading takes the step's title when the
    page's data arrives over the websocket. A phone's largest contentful paint is then
    this frame at the first paint, not a card's heading painted seconds later; the
    greeting's line above is held, and what comes with the data (the detail, the
    button, the cards) comes below what is painted, so nothing painted moves."""
    step = S.next_step
    return rx.cond(
        ~S.loaded | step.contains("title"),
        rx.card(
            rx.flex(
                rx.vstack(
                    rx.text(t("Next step"), size="1", weight="bold", color="var(--accent-11)"),
                    rx.heading(rx.cond(S.loaded, step["title"],
                                       t("Checking what needs your attention…")),
                               size="4", as_="h2"),
                    rx.cond(S.loaded & (step["detail"] != ""),
                            rx.text(step["detail"], size="2", color="var(--gray-11)")),
                    spacing="1", flex="1", min_width="0",
                ),
                rx.cond(S.loaded & (step["action"] != ""),
                        rx.link(rx.button(step["action"], size="3"), href=step["href"],
                                flex_shrink="0")),
                direction=rx.breakpoints(initial="column", sm="row"),
                align=rx.breakpoints(initial="start", sm="center"),
                gap="3",
                width="100%",
            ),
            width="100%",
            border_left="4px solid var(--accent-9)",
            role="region",
            aria_label=t("Next step"),
            custom_attrs={"aria-busy": rx.cond(S.loaded, "false", "true")},
        ),
    )


def dashboard_page() -> rx.Component:
    return client_shell(
        S,
        t("Dashboard"),
        # The greeting comes with the data: its line is held from the first paint, so
        # the next step's frame below it does not move down then.
        rx.text(S.greeting, size="5", weight="medium", min_height="var(--line-height-5)"),
        next_step_card(),
        continue_card(S.continue_course),
        dashboard_cards(S),
    )
