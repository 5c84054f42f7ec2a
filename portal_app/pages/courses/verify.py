"""/verify/<code>: the public certificate check, no sign-in. What the certificate says
and whether it is valid; "No certificate has this code" otherwise."""

import reflex as rx

from components.auth_card import auth_card
from components.i18n import t
from state.courses.verify import VerifyCertificateState as S

MUTED = "var(--gray-11)"


def fact(label: str, value) -> rx.Component:
    return rx.vstack(rx.text(t(label), size="1", color=MUTED), rx.text(value, weight="bold"),
                     spacing="0")


def verify_page() -> rx.Component:
    return auth_card(
        t("Certificate check"),
        rx.cond(
            S.found,
            rx.vstack(
                rx.cond(S.revoked != "",
                        rx.callout(S.revoked, icon="circle_x", color_scheme="red",
                                   role="status", width="100%"),
                        rx.callout(t("This certificate is valid."), icon="circle_check",
                                   color_scheme="green", role="status", width="100%")),
                fact("Name", S.name),
                fact("Course", S.course),
                fact("Date", S.issued),
                fact("Code", S.shown_code),
                rx.text(t("A certificate that says anything else has been altered."),
                        size="2", color=MUTED),
                spacing="3", width="100%",
            ),
            rx.cond(S.message != "", rx.callout(S.message, icon="info", role="status",
                                                width="100%"), rx.spinner()),
        ),
    )
