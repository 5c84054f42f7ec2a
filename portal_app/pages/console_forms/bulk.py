"""The clients list's bulk "Send a packet" (the list's selection is sent along)."""

import reflex as rx

from components.i18n import t
from portal_app.pages.console_forms.common import SELECT_STYLE
from state.console_forms.bulk import BulkFormsState as B


def bulk_packet_controls(selected) -> rx.Component:
    return rx.cond(
        B.packet_options.length() > 0,
        rx.hstack(
            rx.el.select(rx.foreach(B.packet_options,
                                    lambda o: rx.el.option(o["name"], value=o["id"])),
                         value=B.bulk_packet, on_change=B.choose_packet, style=SELECT_STYLE,
                         aria_label=t("Packet")),
            rx.button(t("Send a packet"), variant="soft",
                      on_click=B.send_to_selected(selected)),
            spacing="2", align="center"),
    )


def bulk_packet_message() -> rx.Component:
    return rx.cond(B.bulk_forms_message != "",
                   rx.callout(B.bulk_forms_message, icon="check", role="status"))
