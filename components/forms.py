"""Form pieces: labelled fields, error callouts, submit buttons."""

import reflex as rx


def text_field(label: str, name: str, *, type: str = "text", autocomplete: str = "",
               placeholder: str = "", required: bool = True, **props) -> rx.Component:
    """A label tied to its input (so screen readers and get_by_label find it)."""
    field_id = f"field-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font_weight": "500", "font_size": "0.9em"}),
        rx.input(id=field_id, name=name, type=type, auto_complete=autocomplete or "off",
                 placeholder=placeholder, required=required, size="3", width="100%", **props),
        spacing="1",
        width="100%",
    )


def error_callout(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert",
                   width="100%"),
    )


def notice_callout(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="info", color_scheme="blue", role="status", width="100%"),
    )


def submit_button(label: str, **props) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", **props)
