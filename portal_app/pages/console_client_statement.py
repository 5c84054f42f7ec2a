"""The Statement section of the console's client page: the range (this month, last
month, custom dates with their errors beside the fields), the statement per currency
with its running balance and aging, "Download PDF" and "Send statement"."""

import reflex as rx

from components.console_bits import section
from components.i18n import t
from state.console_statement import CUSTOM, RANGE_CHOICES
from state.console_statement import ClientStatementState as S

LABEL_STYLE = {"font_weight": "500", "font_size": "0.9em"}


def field_error(message) -> rx.Component:
    return rx.cond(message != "", rx.text(message, color_scheme="red", size="1", role="alert"))


def date_field(label: str, name: str, value, error) -> rx.Component:
    field_id = f"statement-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.input(id=field_id, name=name, type="date", default_value=value, required=True,
                 aria_invalid=rx.cond(error != "", "true", "false")),
        field_error(error),
        spacing="1",
    )


def range_picker() -> rx.Component:
    return rx.vstack(
        rx.segmented_control.root(
            *[rx.segmented_control.item(t(label), value=value) for value, label in RANGE_CHOICES],
            value=S.range_kind, on_change=S.show_range,
        ),
        rx.cond(
            S.range_kind == CUSTOM,
            rx.form(
                rx.hstack(
                    date_field(t("First day"), "start", S.start_text, S.start_error),
                    date_field(t("Last day"), "end", S.end_text, S.end_error),
                    rx.button(t("Show statement"), type="submit", variant="soft"),
                    spacing="3", align="end", wrap="wrap",
                ),
                on_submit=S.show_custom,
                key=S.start_text + S.end_text,
            ),
            field_error(S.start_error),
        ),
        spacing="2", width="100%",
    )


def statement_row(row) -> rx.Component:
    return rx.match(
        row["kind"],
        ("currency", rx.table.row(rx.table.cell(rx.text(row["text"], weight="bold"),
                                                col_span=4))),
        ("total", rx.table.row(
            rx.table.cell(row["day"]), rx.table.cell(rx.text(row["text"], weight="medium")),
            rx.table.cell(""), rx.table.cell(rx.text(row["balance"], weight="medium")))),
        rx.table.row(
            rx.table.cell(row["day"]),
            rx.table.cell(rx.vstack(
                rx.text(row["text"]),
                rx.cond(row["detail"] != "",
                        rx.text(row["detail"], size="1", color="var(--gray-11)")),
                spacing="0")),
            rx.table.cell(row["amount"]),
            rx.table.cell(row["balance"]),
        ),
    )


def aging_table() -> rx.Component:
    heads = (t("Currency"), t("Current"), t("1–30 days"), t("31–60 days"), t("61–90 days"),
             t("Over 90 days"), t("Open"), t("Credit"))
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in heads])),
        rx.table.body(rx.foreach(S.aging, lambda a: rx.table.row(
            rx.table.cell(a["currency"]), rx.table.cell(a["current"]), rx.table.cell(a["d1_30"]),
            rx.table.cell(a["d31_60"]), rx.table.cell(a["d61_90"]), rx.table.cell(a["over_90"]),
            rx.table.cell(a["total"]),
            rx.table.cell(rx.cond(a["credit"] != "", a["credit"], "—"))))),
        width="100%", size="1",
    )


def statement_actions() -> rx.Component:
    # Reflex renders el.a as a React Router link: reloadDocument hands /api to the browser.
    return rx.hstack(
        rx.el.a(rx.button(rx.icon("download", size=16), t("Download PDF"), variant="outline",
                          tab_index=-1),
                href=S.pdf_url, download=True, custom_attrs={"reloadDocument": True}),
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(rx.button(rx.icon("mail", size=16), t("Send statement"))),
            rx.alert_dialog.content(
                rx.alert_dialog.title(t("Send this statement?")),
                rx.alert_dialog.description(
                    t("The client is e-mailed that their statement for "), S.period,
                    t(" is ready, with the closing balance and a link to it in the portal. "
                      "Nothing is attached: the statement stays behind sign-in.")),
                rx.hstack(
                    rx.alert_dialog.cancel(rx.button(t("Cancel"), variant="soft")),
                    rx.alert_dialog.action(rx.button(t("Send statement"),
                                                     on_click=S.send_statement)),
                    justify="end", spacing="2"),
            ),
        ),
        spacing="2", wrap="wrap",
    )


def client_statement_section() -> rx.Component:
    return section(
        t("Statement"),
        range_picker(),
        rx.text(S.period, t(" · dates on the calendar of "), S.zone, size="2",
                color="var(--gray-11)"),
        rx.cond(
            S.rows.length() > 0,
            rx.vstack(
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                        t("Date"), t("Entry"), t("Amount"), t("Balance"))])),
                    rx.table.body(rx.foreach(S.rows, statement_row)),
                    width="100%", size="1",
                ),
                rx.heading(t("Aging on the last day"), size="3", as_="h3"),
                aging_table(),
                spacing="3", width="100%",
            ),
            rx.text(t("Nothing owed and nothing happened in this range."), size="2",
                    color="var(--gray-11)"),
        ),
        rx.cond(S.send_note != "",
                rx.callout(S.send_note, icon="mail_x", color_scheme="amber", role="status",
                           width="100%")),
        statement_actions(),
    )
