"""Shown when the business has switched the portal off."""

import reflex as rx

from components.auth_card import auth_card
from components.brand import contact_line
from components.i18n import t


def closed_page() -> rx.Component:
    return auth_card(
        t("The portal is closed"),
        rx.text(t("The client portal is not available at the moment. "
                "Please contact us directly; we're happy to help.")),
        contact_line(),
    )
