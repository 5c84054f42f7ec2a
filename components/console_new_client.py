"""Pieces of the console's "New client" forms (the clients list's dialog and the
calendar's "New booking" dialog), so both ask the same questions."""

import reflex as rx

from components.console_bits import labelled_checkbox
from components.i18n import t


def invite_choice(activation) -> rx.Component:
    """The portal line, after the business's activation setting (`activation`, a
    PortalActivation value): "Invite to the client portal now" (ticked when
    activation is manual), or a note saying when the portal is activated."""
    return rx.cond(
        activation == "on_create",
        rx.text(t("The client's portal is activated when you create them (Portal settings)."),
                size="2", color="var(--gray-11)"),
        rx.vstack(
            labelled_checkbox(t("Invite to the client portal now"), "invite",
                              activation == "manual"),
            rx.cond(activation == "first_booking",
                    rx.text(t("Otherwise the portal is activated at the client's first booking."),
                            size="1", color="var(--gray-11)")),
            rx.cond(activation == "first_share",
                    rx.text(t("Otherwise the portal is activated when you first share a "
                            "document with the client."), size="1", color="var(--gray-11)")),
            spacing="1",
        ),
    )


def email_ok_choice(**props) -> rx.Component:
    """The "Email OK" box (ticked) and what unticking it means."""
    return rx.vstack(
        labelled_checkbox(t("Email OK: the client agrees to get email from us"), "email_ok",
                          True, **props),
        rx.text(t("Untick if the client declined email: they then get only the "
                "sign-in codes they ask for, and no portal invitation."),
                size="1", color="var(--gray-11)"),
        spacing="1",
    )
