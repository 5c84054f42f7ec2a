"""Self sign-up (when the business allows it): details → email code."""

import reflex as rx

from components.auth_card import auth_card
from components.forms import error_callout, submit_button, text_field
from portal_app import routes
from state.brand import BrandState
from state.login import RegisterState


def register_page() -> rx.Component:
    details = rx.form(
        rx.vstack(
            text_field("Full name", "full_name", autocomplete="name"),
            text_field("Email", "email", type="email", autocomplete="email"),
            text_field("Password", "password", type="password", autocomplete="new-password"),
            rx.text("At least 10 characters.", size="1", color="gray"),
            submit_button("Create account"),
            spacing="3",
        ),
        on_submit=RegisterState.start,
        width="100%",
    )
    code = rx.vstack(
        rx.text("We sent a verification code to ", rx.text.strong(RegisterState.email),
                ". It expires in 15 minutes."),
        rx.form(
            rx.vstack(
                text_field("6-digit code", "code", autocomplete="one-time-code",
                           input_mode="numeric"),
                submit_button("Verify and continue"),
                spacing="3",
            ),
            on_submit=RegisterState.finish,
            reset_on_submit=True,
            width="100%",
        ),
        rx.button("Start over", variant="ghost", on_click=RegisterState.restart),
        spacing="3",
        width="100%",
    )
    return auth_card(
        "Create your account",
        error_callout(RegisterState.error),
        rx.cond(
            BrandState.self_signup,
            rx.cond(RegisterState.step == "code", code, details),
            rx.text("Sign-up is not open. Please contact us to get access."),
        ),
        rx.link("Already have an account? Sign in", href=routes.LOGIN, size="2"),
    )
