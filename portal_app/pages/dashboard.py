"""Client dashboard (seed 001): upcoming appointments, total due, new documents."""

import reflex as rx

from components.client_shell import client_shell, dashboard_card, empty_state
from portal_app import routes


def dashboard_page() -> rx.Component:
    return client_shell(
        "Dashboard",
        rx.grid(
            dashboard_card("Upcoming appointments",
                           empty_state("calendar", "No upcoming appointments."), routes.BOOKINGS),
            dashboard_card("Total due", empty_state("credit_card", "Nothing to pay."),
                           routes.PAYMENTS),
            dashboard_card("Shared documents", empty_state("file_text", "No new documents."),
                           routes.DOCUMENTS),
            columns=rx.breakpoints(initial="1", md="2", xl="3"),
            spacing="4",
            width="100%",
        ),
    )
