"""Small form pieces of the console's Referrals pages."""

import reflex as rx

from components.i18n import t
from portal_app.pages.console_forms.common import LABEL_STYLE, SELECT_STYLE, field_error

INPUT_STYLE = {**SELECT_STYLE, "width": "100%"}
MUTED = "var(--gray-11)"


def labelled(label, field_id: str, control: rx.Component, error=None, hint=None
             ) -> rx.Component:
    """A label, its control, an optional hint and the field's error beside it."""
    parts = [rx.el.label(label, html_for=field_id, style=LABEL_STYLE), control]
    if hint is not None:
        parts.append(rx.text(hint, size="1", color=MUTED))
    if error is not None:
        parts.append(field_error(error))
    return rx.vstack(*parts, spacing="1", width="100%", min_width="12em", flex="1")


def select(field_id: str, name: str, options: list[tuple[str, object]], default, **props
           ) -> rx.Component:
    """A select of (value, label) options."""
    return rx.el.select(*[rx.el.option(label, value=value) for value, label in options],
                        id=field_id, name=name, default_value=default, style=INPUT_STYLE,
                        **props)


def pager(page, pages, go) -> rx.Component:
    """Previous / "page x of y" / Next."""
    return rx.hstack(
        rx.button(rx.icon("chevron_left", size=16, aria_hidden="true"), t("Previous"),
                  variant="soft", size="1", disabled=page <= 1, on_click=go(page - 1)),
        rx.text(page.to_string() + " / " + pages.to_string(), size="2"),
        rx.button(t("Next"), rx.icon("chevron_right", size=16, aria_hidden="true"),
                  variant="soft", size="1", disabled=page >= pages, on_click=go(page + 1)),
        spacing="3", align="center")
