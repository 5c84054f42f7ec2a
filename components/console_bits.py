"""Small console pieces: status badges, checkboxes, an email preview dialog."""

import reflex as rx

from components.dialogs import focus_return
from components.i18n import t


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
            rx.dialog.title(t("Invitation email preview")),
            rx.text(rx.text.strong(t("Subject: ")), subject, size="2"),
            rx.el.pre(text, style={"white_space": "pre-wrap", "font_size": "0.85em",
                                   "margin_top": "1em"}),
            rx.dialog.close(rx.button(t("Close"), variant="soft", on_click=on_close)),
            **focus_return(),
        ),
        open=subject != "",
    )


def section(title: str, *children) -> rx.Component:
    """A titled card: the console pages' building block."""
    return rx.card(rx.vstack(rx.heading(title, size="4", as_="h2"), *children, spacing="3",
                             width="100%"), width="100%")


def permissions_form(permissions: list[tuple[str, str]], values, *, error, note: str,
                     button: str, on_submit, key) -> rx.Component:
    """Checkboxes for (key, label) permissions, bound to a dict var of their values."""
    return rx.form(
        rx.vstack(
            rx.cond(error != "", rx.callout(error, icon="triangle_alert", color_scheme="red",
                                            role="alert", width="100%")),
            *[labelled_checkbox(t(label), name, values[name]) for name, label in permissions],
            rx.text(t(note), size="1", color="var(--gray-11)"),
            rx.button(button, type="submit"),
            spacing="2",
        ),
        on_submit=on_submit,
        key=key,
    )


def pager(S) -> rx.Component:
    """Previous / Page n of m / Next for a state with page, pages and go_to_page."""
    return rx.hstack(
        rx.button(t("Previous"), variant="soft", disabled=S.page <= 1,
                  on_click=S.go_to_page(S.page - 1)),
        rx.text(t("Page "), S.page, t(" of "), S.pages, size="2"),
        rx.button(t("Next"), variant="soft", disabled=S.page >= S.pages,
                  on_click=S.go_to_page(S.page + 1)),
        align="center", spacing="3",
    )
