"""Client dashboard (seed 001): upcoming appointments, total due, new documents."""

import reflex as rx

from components.client_shell import client_shell, dashboard_cards
from state.session import ClientState


def dashboard_page() -> rx.Component:
    return client_shell(ClientState, "Dashboard", dashboard_cards(ClientState))
