""""View as client": the client's dashboard as they see it, read-only."""

import reflex as rx

from components.client_shell import client_shell, dashboard_cards
from portal_app import routes
from state.console_client import ClientPreviewState as S


def client_preview_page() -> rx.Component:
    return rx.box(
        rx.callout(
            rx.hstack(
                rx.text("Preview of what ", rx.text.strong(S.client_name),
                        " sees. Read-only: buttons here do nothing."),
                rx.spacer(),
                rx.link("Back to the client", href=routes.CONSOLE_CLIENT + "?id=" + S.client_id),
                width="100%",
            ),
            icon="eye", color_scheme="amber", role="status",
        ),
        rx.cond(~S.can_sign_in,
                rx.callout("This client cannot sign in at the moment (not invited, disabled, "
                           "or the portal is off).", icon="info", color_scheme="gray")),
        client_shell(S, "Dashboard", dashboard_cards(S)),
    )
