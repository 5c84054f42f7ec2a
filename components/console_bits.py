"""Small console pieces: status badges, checkboxes, an email preview dialog."""

import reflex as rx


def status_badge(status, label) -> rx.Component:
    return rx.badge(
        label,
        color_scheme=rx.match(status, ("active", "green"), ("invited", "amber"),
                              ("disabled", "red"), "gray"),
        variant="soft",
    )


def labelled_checkbox(label: str, name: str, checked, **props) -> rx.Component:
    """A native checkbox (so forms submit it) with its label."""
    field_id = f"check-{name}"
    return rx.hstack(
        rx.el.input(type="checkbox", id=field_id, name=name, default_checked=checked,
                    style={"width": "18px", "height": "18px"}, **props),
        rx.el.label(label, html_for=field_id),
        align="center",
        spacing="2",
        min_height="32px",
    )


def email_preview_dialog(subject, text, on_close) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Invitation email preview"),
            rx.text(rx.text.strong("Subject: "), subject, size="2"),
            rx.el.pre(text, style={"white_space": "pre-wrap", "font_size": "0.85em",
                                   "margin_top": "1em"}),
            rx.dialog.close(rx.button("Close", variant="soft", on_click=on_close)),
        ),
        open=subject != "",
    )
