"""Forgot password: email → code and a new password."""

import reflex as rx

from components.auth_card import auth_card
from components.forms import error_callout, submit_button, text_field
from components.i18n import lang_field, t
from portal_app import routes
from state.login import ForgotState


def forgot_page() -> rx.Component:
    ask = rx.form(
        lang_field(),
        rx.vstack(
            rx.text(t("Enter your email and we'll send you a code to choose a new password.")),
            text_field(t("Email"), "email", type="email", autocomplete="email"),
            submit_button(t("Send reset code")),
            spacing="3",
        ),
        on_submit=ForgotState.request,
        width="100%",
    )
    reset = rx.form(
        lang_field(),
        rx.vstack(
            rx.text(t("If "), rx.text.strong(ForgotState.email),
                    t(" has portal access, a code is on its way.")),
            text_field(t("6-digit code"), "code", autocomplete="one-time-code",
                       input_mode="numeric"),
            text_field(t("New password"), "new_password", type="password",
                       autocomplete="new-password"),
            submit_button(t("Save password and sign in")),
            spacing="3",
        ),
        on_submit=ForgotState.reset_with_code,
        width="100%",
    )
    return auth_card(
        t("Reset your password"),
        error_callout(ForgotState.error),
        rx.cond(ForgotState.step == "code", reset, ask),
        rx.link(t("Back to sign in"), href=routes.LOGIN, size="2"),
    )
