"""Pick which client record to act for (several records share one email)."""

import reflex as rx

from components.auth_card import auth_card
from components.i18n import t
from state.client_pages import SelectAccountState


def record_button(record) -> rx.Component:
    return rx.button(
        rx.icon("user"),
        record["name"],
        size="3",
        variant="outline",
        width="100%",
        justify="start",
        on_click=SelectAccountState.switch_record(record["id"]),
    )


def select_account_page() -> rx.Component:
    return auth_card(
        t("Choose an account"),
        rx.text(t("Your email gives access to more than one account. Choose the one to view; "
                "you can switch at any time from the top of the page.")),
        rx.vstack(rx.foreach(SelectAccountState.record_options, record_button), width="100%",
                  spacing="2"),
        rx.button(t("Logout"), variant="ghost", on_click=SelectAccountState.logout),
    )
