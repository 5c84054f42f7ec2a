"""The Payments section's tab bar: Open and Paid (the invoice lists), Statements, and
Superbills when the business bills clients who claim from insurance. Shared by the
Payments page and the Statements page (each says which tab is current and what a
change does)."""

import reflex as rx

from components.i18n import t


def payments_tabs(superbills) -> rx.Component:
    """The triggers; the caller's `rx.tabs.root` holds the value and `on_change`."""
    return rx.tabs.list(
        rx.tabs.trigger(t("Open"), value="open"),
        rx.tabs.trigger(t("Paid"), value="paid"),
        rx.tabs.trigger(t("Statements"), value="statements"),
        rx.cond(superbills, rx.tabs.trigger(t("Superbills"), value="superbills")),
        class_name="no-print",
    )
