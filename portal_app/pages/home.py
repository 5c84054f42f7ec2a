"""The public front page: the business and a "My Account" button."""

import reflex as rx

from components.auth_card import auth_card
from components.i18n import t
from portal_app import routes
from state.brand import BrandState


def home_page() -> rx.Component:
    return auth_card(
        t("Welcome"),
        rx.cond(BrandState.tagline != "", rx.text(BrandState.tagline, color="var(--gray-11)")),
        rx.text(t("Book and manage appointments, pay invoices, share documents and message us "
                "securely.")),
        rx.link(rx.button(t("My Account"), size="3", width="100%"), href=routes.LOGIN, width="100%"),
        rx.cond(
            BrandState.self_signup,
            rx.link(t("New here? Create an account"), href=routes.REGISTER, size="2"),
        ),
    )
