"""Pieces the Forms tabs share: a labelled native select, state badges."""

import reflex as rx

from components.i18n import t

LABEL_STYLE = {"font_weight": "500", "font_size": "0.9em"}
SELECT_STYLE = {"border": "1px solid var(--gray-7)", "border_radius": "6px",
                "padding": "0.35em 0.5em", "min_height": "36px", "background": "transparent",
                "color": "inherit", "max_width": "100%"}
MUTED = "var(--gray-11)"


def options(pairs) -> list[rx.Component]:
    """(value, English label) pairs as <option>s in the reader's language."""
    return [rx.el.option(t(label), value=value) for value, label in pairs]


def labelled_select(label, field_id: str, *children, **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.el.select(*children, id=field_id, style=SELECT_STYLE, **props),
        spacing="1",
    )


def field_error(message) -> rx.Component:
    """A refusal beside its field."""
    return rx.cond(message != "", rx.text(message, color="var(--red-11)", size="2",
                                          role="alert"))


def state_badge(state, label) -> rx.Component:
    return rx.badge(label, variant="soft", color_scheme=rx.match(
        state, ("completed", "green"), ("overdue", "red"), ("in_progress", "blue"),
        ("opened", "amber"), ("cancelled", "gray"), "gray"))
