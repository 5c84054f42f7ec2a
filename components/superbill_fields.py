"""Form fields of the insurance billing setup (settings, services, the client's page):
a labelled input with its own message beside it, named in aria-describedby."""

import reflex as rx

LABEL_STYLE = {"font_weight": "500", "font_size": "0.9em"}
SELECT_STYLE = {"width": "100%", "padding": "0.5em"}


def field_message(message, error_id: str) -> rx.Component:
    """The message about one field, right under it (empty: nothing)."""
    return rx.cond(message != "", rx.text(message, id=error_id, color="var(--red-11)",
                                          size="2", role="alert"))


def checked_field(label, name: str, errors, *, prefix: str = "field", default_value="",
                  type: str = "text", hint=None, **props) -> rx.Component:
    """A labelled input whose error (errors[name]) is shown beside it."""
    field_id, error_id = f"{prefix}-{name}", f"{prefix}-err-{name}"
    message = errors.get(name, "")
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.input(id=field_id, name=name, type=type, default_value=default_value,
                 auto_complete="off", width="100%", aria_describedby=error_id,
                 aria_invalid=rx.cond(message != "", "true", "false"), **props),
        rx.text(hint, size="1", color="var(--gray-11)") if hint is not None else rx.fragment(),
        field_message(message, error_id),
        spacing="1", width="100%",
    )


def checked_select(label, name: str, errors, options, *, prefix: str = "field",
                   default_value="") -> rx.Component:
    """A labelled native select of (value, label) options, its error beside it."""
    field_id, error_id = f"{prefix}-{name}", f"{prefix}-err-{name}"
    message = errors.get(name, "")
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.el.select(*[rx.el.option(text, value=value) for value, text in options],
                     id=field_id, name=name, default_value=default_value,
                     aria_describedby=error_id, style=SELECT_STYLE),
        field_message(message, error_id),
        spacing="1", width="100%",
    )
