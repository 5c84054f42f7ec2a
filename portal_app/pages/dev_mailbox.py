"""/dev/mailbox: emails and texts the portal queued (dev only)."""

import reflex as rx

from state.mailbox import MailboxState


def message_card(m) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.badge(m["channel"]), rx.text(m["to"], weight="bold"), rx.spacer(),
                      rx.text(m["created"], size="1", color="var(--gray-11)"), width="100%"),
            rx.text(m["subject"], weight="medium"),
            rx.el.pre(m["body"], style={"white_space": "pre-wrap", "font_size": "0.85em",
                                        "margin": "0"}),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="mail-item",
    )


def dev_mailbox_page() -> rx.Component:
    return rx.container(
        rx.vstack(
            rx.heading("Dev mailbox", size="7", as_="h1"),
            rx.text("Every email and text message the portal sends, newest first. "
                    "This page exists only outside production."),
            rx.button("Refresh", on_click=MailboxState.load),
            rx.foreach(MailboxState.messages, message_card),
            spacing="3",
            padding_y="1.5em",
        ),
    )
