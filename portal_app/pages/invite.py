"""/invite?key=…: the page behind the emailed link, and /welcome after it."""

import reflex as rx

from components.auth_card import auth_card
from components.client_shell import client_shell
from components.forms import error_callout, text_field
from components.i18n import t
from portal_app import routes
from state.client_pages import AccountState
from state.invite import InviteState as S


def invite_page() -> rx.Component:
    return auth_card(
        t("Your client portal"),
        error_callout(S.error),
        rx.cond(
            S.loaded,
            rx.cond(
                S.valid,
                rx.vstack(
                    rx.text(t("Welcome, "), rx.text.strong(S.client_name),
                            t(". Press the button to open your portal. You will sign in with "),
                            rx.text.strong(S.email), "."),
                    rx.button(t("Open my portal"), size="3", width="100%", on_click=S.accept),
                    spacing="3",
                    width="100%",
                ),
                rx.vstack(
                    rx.text(t("This invitation link has expired or was already used.")),
                    rx.link(rx.button(t("Sign in with your email"), size="3", width="100%"),
                            href=routes.LOGIN, width="100%"),
                    spacing="3",
                    width="100%",
                ),
            ),
            rx.spinner(),
        ),
    )


def welcome_page() -> rx.Component:
    return client_shell(
        AccountState,
        t("Welcome!"),
        rx.text(t("You're signed in. Next time, sign in with your email and a code, or set a "
                "password now (optional).")),
        rx.card(
            rx.form(
                rx.vstack(
                    error_callout(AccountState.error),
                    rx.cond(
                        AccountState.saved,
                        rx.callout(t("Password saved."), icon="check", color_scheme="green",
                                   role="status"),
                        rx.vstack(
                            text_field(t("New password"), "new_password", type="password",
                                       autocomplete="new-password"),
                            rx.text(t("At least 10 characters."), size="1", color="var(--gray-11)"),
                            rx.button(t("Save password"), type="submit"),
                            spacing="2",
                        ),
                    ),
                    spacing="3",
                    max_width="420px",
                ),
                on_submit=AccountState.save_password,
                reset_on_submit=True,
            ),
        ),
        rx.link(rx.button(t("Go to my dashboard"), size="3"), href=routes.DASHBOARD),
    )
