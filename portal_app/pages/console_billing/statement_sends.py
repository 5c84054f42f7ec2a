"""/console/invoices: "Send statements for <month>" (every client with activity in
the month, once), with what it did: sent, skipped without consent, already sent."""

import reflex as rx

from components.console_bits import section
from components.i18n import t
from state.console_billing.statement_sends import StatementSendState as S


def month_select() -> rx.Component:
    return rx.vstack(
        rx.el.label(t("Month"), html_for="statements-month",
                    style={"font_weight": "500", "font_size": "0.9em"}),
        rx.el.select(
            rx.foreach(S.months, lambda m: rx.el.option(m["label"], value=m["value"])),
            id="statements-month", value=S.month, on_change=S.choose_month,
            style={"padding": "0.5em", "min_width": "200px"},
        ),
        rx.cond(S.month_error != "",
                rx.text(S.month_error, color_scheme="red", size="1", role="alert")),
        spacing="1",
    )


def send_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(rx.icon("mail", size=16),
                                          t("Send statements for "), S.month_label)),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Send statements for "), S.month_label, "?"),
            rx.alert_dialog.description(
                t("Every client with an invoice, a payment or a refund in that month is "
                  "e-mailed a link to their statement (nothing attached). Clients without "
                  "Email OK or an email address are skipped, and nobody gets the same "
                  "month's statement twice.")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t("Cancel"), variant="soft")),
                rx.alert_dialog.action(rx.button(t("Send statements"), on_click=S.send)),
                justify="end", spacing="2"),
        ),
    )


def statement_sends_card() -> rx.Component:
    return section(
        t("Statements"),
        rx.hstack(month_select(), send_dialog(), spacing="3", align="end", wrap="wrap"),
        rx.cond(S.result != "",
                rx.callout(rx.vstack(rx.text(S.result),
                                     rx.cond(S.result_note != "", rx.text(S.result_note)),
                                     spacing="1"),
                           icon="mail_check", color_scheme="green", role="status",
                           width="100%")),
        rx.text(t("Automatic monthly sending is in Portal settings."), size="1",
                color="var(--gray-11)"),
    )
