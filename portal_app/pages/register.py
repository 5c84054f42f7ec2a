"""Self sign-up (when the business allows it): details → email code."""

import reflex as rx

from components.auth_card import auth_card
from components.forms import error_callout, submit_button, text_field
from components.i18n import lang_field, t
from portal_app import routes
from state.brand import BrandState
from state.login import RegisterState


def referral_code_field() -> rx.Component:
    """The optional referral code, its message beside it (named in aria-describedby)."""
    message = RegisterState.referral_error
    return rx.vstack(
        rx.el.label(t("Referral code (optional)"), html_for="field-referral_code",
                    style={"font_weight": "500", "font_size": "0.9em"}),
        rx.input(id="field-referral_code", name="referral_code", auto_complete="off",
                 required=False, size="3", width="100%",
                 aria_describedby="register-err-referral_code",
                 aria_invalid=rx.cond(message != "", "true", "false")),
        rx.cond(message != "", rx.text(message, id="register-err-referral_code",
                                       color="var(--red-11)", size="2", role="alert")),
        spacing="1",
        width="100%",
    )


def register_page() -> rx.Component:
    details = rx.form(
        lang_field(),
        rx.vstack(
            text_field(t("Full name"), "full_name", autocomplete="name"),
            text_field(t("Email"), "email", type="email", autocomplete="email"),
            text_field(t("Password"), "password", type="password", autocomplete="new-password"),
            rx.text(t("At least 10 characters."), size="1", color="var(--gray-11)"),
            rx.cond(RegisterState.ask_referral, referral_code_field()),
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
