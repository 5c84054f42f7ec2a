"""Small pieces the console billing pages share: the status badge, a field's
error line and a totals row."""

import reflex as rx

STATUS_COLORS = (("draft", "gray"), ("sent", "blue"), ("partially_paid", "amber"),
                 ("paid", "green"), ("void", "red"), ("accepted", "green"),
                 ("declined", "gray"))


def invoice_status_badge(status, label) -> rx.Component:
    return rx.badge(label, color_scheme=rx.match(status, *STATUS_COLORS, "gray"),
                    variant="soft")


def field_error(message) -> rx.Component:
    return rx.cond(message != "", rx.text(message, color_scheme="red", size="2", role="alert"))


def totals_row(label, value, bold: bool = False) -> rx.Component:
    return rx.hstack(rx.text(label), rx.spacer(),
                     rx.text(value, weight="bold" if bold else "regular"),
                     width="100%", max_width="340px")
