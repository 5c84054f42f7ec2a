"""Portal settings, billing: the monthly statements' day (a select: Off, 1–28)."""

import reflex as rx

from components.console_bits import section
from components.i18n import t
from state.console_statement_settings import AUTO_DAY_CHOICES
from state.console_statement_settings import StatementSettingsState as S


def statement_settings_card() -> rx.Component:
    return section(
        t("Billing: monthly statements"),
        rx.form(
            rx.vstack(
                rx.el.label(t("E-mail last month's statements on day"),
                            html_for="field-statement_auto_day",
                            style={"font_weight": "500", "font_size": "0.9em"}),
                rx.el.select(
                    *[rx.el.option(t(label) if value == "0" else label, value=value)
                      for value, label in AUTO_DAY_CHOICES],
                    id="field-statement_auto_day", name="statement_auto_day",
                    default_value=S.auto_day,
                    aria_invalid=rx.cond(S.auto_day_error != "", "true", "false"),
                    style={"padding": "0.5em", "min_width": "120px"},
                ),
                rx.cond(S.auto_day_error != "",
                        rx.text(S.auto_day_error, color_scheme="red", size="1", role="alert")),
                rx.text(t("On that day of each month (on the calendar of "), S.zone,
                        t(") every client with an invoice, a payment or a refund last month is "
                          "e-mailed a link to their statement, once. Clients without Email OK "
                          "or an email address are skipped."),
                        size="1", color="var(--gray-11)"),
                rx.button(t("Save"), type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.save_auto_day,
            key=S.auto_day,
        ),
    )
