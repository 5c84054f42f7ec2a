"""Staff sign-in: email + password, then an authenticator code (TOTP)."""

import reflex as rx

from components.auth_card import auth_card
from components.forms import error_callout, submit_button, text_field
from components.i18n import t
from state.console import ConsoleLoginState as S


def password_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_field(t("Email"), "email", type="email", autocomplete="username"),
            text_field(t("Password"), "password", type="password", autocomplete="current-password"),
            submit_button(t("Continue")),
            spacing="3",
        ),
        on_submit=S.submit_password,
        reset_on_submit=True,
        width="100%",
    )


def totp_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(t("Enter the 6-digit code from your authenticator app, or a recovery code.")),
            text_field(t("Authentication code"), "code", autocomplete="one-time-code"),
            submit_button(t("Sign in")),
            rx.button(t("Start over"), variant="ghost", on_click=S.restart, type="button"),
            spacing="3",
        ),
        on_submit=S.submit_code,
        reset_on_submit=True,
        width="100%",
    )


def enrol_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(t("Set up two-step sign-in: scan this QR code with an authenticator app "
                    "(or type the key), then enter the code it shows.")),
            rx.image(src=S.enrol_qr, alt=t("QR code for your authenticator app"), width="200px",
                     height="200px"),
            rx.code(S.enrol_secret, aria_label=t("Authenticator key")),
            text_field(t("Authentication code"), "code", autocomplete="one-time-code"),
            submit_button(t("Confirm")),
            spacing="3",
        ),
        on_submit=S.confirm_enrolment,
        reset_on_submit=True,
        width="100%",
    )


def recovery_step() -> rx.Component:
    return rx.vstack(
        rx.text(t("Save these recovery codes somewhere safe. Each works once if you lose your "
                "phone. They will not be shown again.")),
        rx.grid(rx.foreach(S.recovery_codes, lambda c: rx.code(c)), columns="2", spacing="2",
                aria_label=t("Recovery codes")),
        rx.button(t("I have saved them — continue"), size="3", on_click=S.finish_enrolment),
        spacing="3",
        width="100%",
    )


def console_login_page() -> rx.Component:
    return auth_card(
        t("Staff sign-in"),
        error_callout(S.error),
        rx.match(
            S.step,
            ("totp", totp_step()),
            ("enrol", enrol_step()),
            ("recovery", recovery_step()),
            password_step(),
        ),
    )
