"""Client sign-in: email → code, or email → password (seeds 000-002)."""

import reflex as rx

from components.auth_card import auth_card
from components.forms import error_callout, notice_callout, submit_button, text_field
from components.i18n import lang_field, t
from portal_app import routes
from state.brand import BrandState
from state.login import LoginState


def email_step() -> rx.Component:
    return rx.vstack(
        rx.text(t("Enter the email address you use with us. We'll send you a sign-in code.")),
        rx.form(
            lang_field(),
            rx.vstack(
                text_field(t("Email"), "email", type="email", autocomplete="email",
                           default_value=LoginState.email),
                submit_button(t("Send me a code")),
                spacing="3",
            ),
            on_submit=LoginState.request_code,
            width="100%",
        ),
        rx.hstack(
            rx.button(t("Sign in with a password"), variant="ghost",
                      on_click=LoginState.use_password),
            rx.spacer(),
            rx.cond(BrandState.self_signup,
                    rx.link(t("Create an account"), href=routes.REGISTER, size="2")),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def code_step() -> rx.Component:
    return rx.vstack(
        rx.text(t("Code sent for "), rx.text.strong(LoginState.email)),
        rx.form(
            lang_field(),
            rx.vstack(
                text_field(t("6-digit code"), "code", autocomplete="one-time-code",
                           input_mode="numeric", max_length=6, pattern="[0-9 ]{6,7}"),
                submit_button(t("Submit")),
                spacing="3",
            ),
            on_submit=LoginState.submit_code,
            reset_on_submit=True,
            width="100%",
        ),
        rx.hstack(
            rx.button(t("Resend code"), variant="ghost", on_click=LoginState.resend_code),
            rx.spacer(),
            rx.button(t("Use another email"), variant="ghost", on_click=LoginState.back_to_email),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def password_step() -> rx.Component:
    return rx.vstack(
        rx.form(
            lang_field(),
            rx.vstack(
                text_field(t("Email"), "email", type="email", autocomplete="email",
                           default_value=LoginState.email),
                text_field(t("Password"), "password", type="password",
                           autocomplete="current-password"),
                submit_button(t("Sign in")),
                spacing="3",
            ),
            on_submit=LoginState.submit_password,
            reset_on_submit=True,
            width="100%",
        ),
        rx.hstack(
            rx.link(t("Forgot password?"), href=routes.FORGOT, size="2"),
            rx.spacer(),
            rx.button(t("Email me a code instead"), variant="ghost",
                      on_click=LoginState.back_to_email),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def login_page() -> rx.Component:
    return auth_card(
        t("Sign in to your account"),
        error_callout(LoginState.error),
        notice_callout(LoginState.notice),
        rx.match(
            LoginState.step,
            ("code", code_step()),
            ("password", password_step()),
            email_step(),
        ),
    )
