"""Client dashboard (seed 001): upcoming appointments, total due, new documents."""

import reflex as rx

from components.client_shell import client_shell, dashboard_cards
from components.i18n import t
from state.session import ClientState


def dashboard_page() -> rx.Component:
    return client_shell(ClientState, t("Dashboard"), dashboard_cards(ClientState))
