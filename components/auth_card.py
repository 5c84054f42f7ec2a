"""The centred card used by signed-out pages (sign-in, sign-up, reset)."""

import reflex as rx

from components.brand import business_mark, contact_line
from components.i18n import language_picker


def auth_card(title: str, *children: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                business_mark("4"),
                rx.heading(title, size="6", as_="h1"),
                *children,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="100%",
            max_width="440px",
        ),
        rx.hstack(contact_line(), language_picker(), padding_top="1em", spacing="4",
                  align="start", wrap="wrap", justify="center"),
        direction="column",
        min_height="100vh",
        padding="1em",
        background="var(--gray-2)",
    )
