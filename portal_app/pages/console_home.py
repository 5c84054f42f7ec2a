"""Console home: the business at a glance."""

import reflex as rx

from components.console_shell import console_shell
from state.console import ConsoleHomeState as S


def stat(label: str, value) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="2", color="var(--gray-11)"),
                             rx.heading(value, size="7", as_="p"), spacing="1"))


def console_home_page() -> rx.Component:
    return console_shell(
        "Console",
        rx.text("Welcome, ", S.staff_name, "."),
        rx.grid(
            stat("Clients", S.clients),
            stat("Active in the portal", S.active),
            stat("Invited, not signed in yet", S.invited),
            stat("Messages waiting to send", S.outbox_pending),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
    )
