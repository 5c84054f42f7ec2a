"""The staff member's own console settings card (shown on Portal settings)."""

import reflex as rx

from components.console_bits import section
from components.forms import error_callout
from components.i18n import t
from components.zone_picker import zone_picker
from state.console_me import ConsoleMeState as S


def my_console_card() -> rx.Component:
    return section(
        t("Your console"),
        rx.form(
            rx.vstack(
                error_callout(S.my_zone_error),
                zone_picker(t("Your time zone"), "timezone", S.zone_options,
                            default_value=S.my_timezone, list_id="my-timezone-choices"),
                rx.text(t("Empty: the business's time zone, "), S.business_timezone, ".",
                        size="1", color="var(--gray-11)"),
                rx.button(t("Save my time zone"), type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.save_my_zone,
            key=S.my_timezone,
        ),
    )
