"""Account & security: password, sign out of all devices (notification choices: /profile)."""

import reflex as rx

from components.client_shell import client_shell
from components.forms import error_callout, text_field
from components.i18n import t
from portal_app import routes
from state.client_pages import AccountState


def account_page() -> rx.Component:
    return client_shell(
        AccountState,
        t("Account & security"),
        rx.text(t("Signed in as "), rx.text.strong(AccountState.email)),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(rx.cond(AccountState.has_password, t("Change password"),
                                       t("Set a password")), size="4", as_="h2"),
                    rx.text(t("With a password you can sign in without waiting for a code."),
                            size="2", color="var(--gray-11)"),
                    error_callout(AccountState.error),
                    rx.cond(AccountState.has_password,
                            text_field(t("Current password"), "current_password", type="password",
                                       autocomplete="current-password")),
                    text_field(t("New password"), "new_password", type="password",
                               autocomplete="new-password"),
                    rx.button(t("Save password"), type="submit"),
                    spacing="3",
                    max_width="420px",
                ),
                on_submit=AccountState.save_password,
                reset_on_submit=True,
            ),
        ),
        rx.text(t("Your name, time zone, language and email notifications are on "),
                rx.link(t("your profile"), href=routes.PROFILE), ".", size="2"),
        rx.card(
            rx.vstack(
                rx.heading(t("Devices"), size="4", as_="h2"),
                rx.text(t("Signed in on a shared or lost device? End every session at once."),
                        size="2", color="var(--gray-11)"),
                rx.button(t("Sign out of all devices"), color_scheme="red", variant="soft",
                          on_click=AccountState.sign_out_everywhere),
                spacing="3",
            ),
        ),
    )
