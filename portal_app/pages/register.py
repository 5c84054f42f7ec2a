"""Self sign-up (when the business allows it): details → email code."""

import reflex as rx

from components.auth_card import auth_card
from components.forms import error_callout, submit_button, text_field
from components.i18n import lang_field, t
from portal_app import routes
from state.brand import BrandState
from state.login import RegisterState


def register_page() -> rx.Component:
    details = rx.form(
        lang_field(),
        rx.vstack(
            text_field(t("Full name"), "full_name", autocomplete="name"),
            text_field(t("Email"), "email", type="email", autocomplete="email"),
            text_field(t("Password"), "password", type="password", autocomplete="new-password"),
            rx.text(t("At least 10 characters."), size="1", color="var(--gray-11)"),
            submit_button(t("Create account")),
            spacing="3",
        ),
        on_submit=RegisterState.start,
        width="100%",
    )
    code = rx.vstack(
        rx.text(t("We sent a verification code to "), rx.text.strong(RegisterState.email),
                t(". It expires in 15 minutes.")),
        # The same reply whether or not the email has an account (no enumeration);
        # the email itself says whether to sign in instead.
        rx.text(t("If this email already has a portal account, the email tells you how to "
                  "sign in with it instead: one email never has two accounts."),
                size="1", color="var(--gray-11)"),
        rx.form(
            lang_field(),
            rx.vstack(
                text_field(t("6-digit code"), "code", autocomplete="one-time-code",
                           input_mode="numeric"),
                submit_button(t("Verify and continue")),
                spacing="3",
            ),
            on_submit=RegisterState.finish,
            reset_on_submit=True,
            width="100%",
        ),
        rx.button(t("Start over"), variant="ghost", on_click=RegisterState.restart),
        spacing="3",
        width="100%",
    )
    return auth_card(
        t("Create your account"),
        error_callout(RegisterState.error),
        rx.cond(
            BrandState.self_signup,
            rx.cond(RegisterState.step == "code", code, details),
            rx.text(t("Sign-up is not open. Please contact us to get access.")),
        ),
        rx.link(t("Already have an account? Sign in"), href=routes.LOGIN, size="2"),
    )
