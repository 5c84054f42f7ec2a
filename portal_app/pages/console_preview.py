""""View as client": the client's dashboard as they see it, read-only."""

import reflex as rx

from components.client_shell import client_shell, dashboard_cards
from components.i18n import t
from portal_app import routes
from state.console_client import ClientPreviewState as S


def client_preview_page() -> rx.Component:
    return rx.box(
        rx.callout(
            rx.hstack(
                rx.text(t("Preview of what "), rx.text.strong(S.client_name),
                        t(" sees. Read-only: buttons here do nothing.")),
                rx.spacer(),
                rx.link(t("Back to the client"), href=routes.CONSOLE_CLIENT + "?id=" + S.client_id),
                width="100%",
            ),
            icon="eye", color_scheme="amber", role="status",
        ),
        rx.cond(~S.can_sign_in,
                rx.callout(t("This client cannot sign in at the moment (not invited, disabled, "
                           "or the portal is off)."), icon="info", color_scheme="gray")),
        client_shell(S, t("Dashboard"), dashboard_cards(S)),
    )
