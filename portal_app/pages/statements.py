"""/payments/statements (issue 20): the selected record's statement — range picker
(This month, Last month, Custom), per currency the summary with Pay balance, every
line with its running balance (invoices link to their page), the aging; Print and
Download PDF. Reached from the Payments tab bar."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.forms import notice_callout
from components.i18n import t
from components.payments_tabs import payments_tabs
from portal_app import routes
from portal_app.pages.payments import pdf_link, print_button
from state.statements import StatementsState as S

MUTED = "var(--gray-11)"


def range_button(label: str, mode: str) -> rx.Component:
    return rx.button(t(label), variant=rx.cond(S.mode == mode, "solid", "soft"),
                     aria_pressed=rx.cond(S.mode == mode, "true", "false"),
                     on_click=S.choose_range(mode), type="button")


def field_error(message, error_id: str) -> rx.Component:
    """The message beside its field (named by the field's aria-describedby)."""
    return rx.cond(message != "", rx.text(message, id=error_id, color="var(--red-11)",
                                          size="2", role="alert"))


def date_field(label: str, name: str, value, error) -> rx.Component:
    field_id, error_id = f"statement-{name}", f"statement-{name}-error"
    return rx.vstack(
        rx.el.label(t(label), html_for=field_id, style={"font_weight": "500"}),
        rx.input(id=field_id, name=name, type="date", default_value=value, key=value,
                 required=True, aria_invalid=rx.cond(error != "", "true", "false"),
                 aria_describedby=error_id),
        field_error(error, error_id),
        spacing="1",
    )


def range_picker() -> rx.Component:
    return rx.vstack(
        rx.hstack(range_button("This month", "this_month"),
                  range_button("Last month", "last_month"),
                  range_button("Custom", "custom"), spacing="2", wrap="wrap"),
        rx.cond(S.mode == "custom", rx.form(
            rx.hstack(date_field("From", "start", S.start_text, S.start_error),
                      date_field("To", "end", S.end_text, S.end_error),
                      rx.button(t("Show"), type="submit"),
                      align="end", spacing="3", wrap="wrap"),
            on_submit=S.show_custom)),
        spacing="3", class_name="no-print", width="100%",
    )


def summary_row(label, value, bold: bool = False) -> rx.Component:
    return rx.hstack(rx.text(label), rx.spacer(),
                     rx.text(value, weight="bold" if bold else "regular"),
                     width="100%", max_width="360px")


def aging_table(cur) -> rx.Component:
    labels = ("Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days")
    return rx.table.root(
        # The caption names the table for screen readers (the text above says it too).
        rx.el.caption(t("Aging of what is open"), class_name="visually-hidden"),
        rx.table.header(rx.table.row(
            *[rx.table.column_header_cell(t(label)) for label in labels],
            rx.table.column_header_cell(t("Total")))),
        rx.table.body(rx.table.row(
            *[rx.table.cell(cur[f"aging_{n}"], custom_attrs={"data-label": t(label)})
              for n, label in enumerate(labels)],
            rx.table.cell(rx.text(cur["aging_total"], weight="bold"),
                          custom_attrs={"data-label": t("Total")}))),
        variant="surface", size="1", width="100%", class_name="stack-on-phone",
    )


def currency_card(cur) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(cur["currency"], size="4", as_="h2"), rx.spacer(),
                  rx.cond((cur["owed"] == "yes") & S.can_pay,
                          rx.button(t("Pay balance"), " ", cur["closing"],
                                    on_click=S.pay_balance(cur["currency"]), loading=S.busy,
                                    class_name="no-print")),
                  width="100%", align="center"),
        summary_row(t("Opening balance"), cur["opening"]),
        summary_row(t("Invoices"), cur["charges"]),
        summary_row(t("Payments"), cur["payments"]),
        summary_row(t("Refunds"), cur["refunds"]),
        summary_row(t("Voided"), cur["voids"]),
        summary_row(t("Closing balance"), cur["closing"], bold=True),
        rx.cond(cur["credit"] != "", summary_row(t("Credit"), cur["credit"])),
        rx.text(t("Aging of what is open"), size="2", color=MUTED),
        aging_table(cur),
        spacing="2", width="100%"), width="100%")


def line_row(row) -> rx.Component:
    def cell(value, label=None) -> rx.Component:
        return rx.table.cell(value, custom_attrs={"data-label": label} if label is not None else {})

    description = rx.vstack(
        rx.cond(row["kind"] == "invoice",
                rx.link(row["description"], href=routes.PAYMENTS_INVOICE + "?id="
                        + row["invoice_id"]),
                rx.text(row["description"])),
        rx.cond(row["detail"] != "", rx.text(row["detail"], size="1", color=MUTED)),
        spacing="0")
    return rx.match(
        row["type"],
        ("heading", rx.table.row(rx.table.cell(rx.text(row["description"], weight="bold"),
                                               col_span=4))),
        ("opening", rx.table.row(cell(""), cell(t("Opening balance")), cell(""),
                                 cell(row["balance"], t("Balance")))),
        ("closing", rx.table.row(cell(""), cell(rx.text(t("Closing balance"), weight="bold")),
                                 cell(""), cell(rx.text(row["balance"], weight="bold"),
                                                t("Balance")))),
        rx.table.row(cell(row["date"]), cell(description), cell(row["amount"], t("Amount")),
                     cell(row["balance"], t("Balance"))),
    )


def lines_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell(t("Date")), rx.table.column_header_cell(t("Description")),
            rx.table.column_header_cell(t("Amount")), rx.table.column_header_cell(t("Balance")))),
        rx.table.body(rx.foreach(S.rows, line_row)),
        width="100%", variant="surface", class_name="stack-on-phone",
    )


def statement_body() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.vstack(rx.heading(t("Statement"), " ", S.period, size="5", as_="h2"),
                      rx.text(S.zone_note, size="2", color=MUTED), spacing="1"),
            rx.spacer(),
            print_button(),
            pdf_link(S.pdf_url),
            width="100%", align="center", wrap="wrap",
        ),
        rx.cond(
            S.summaries.length() > 0,
            rx.vstack(rx.foreach(S.summaries, currency_card), lines_table(),
                      spacing="4", width="100%"),
            empty_state("file_text", t("Nothing owed and no activity in this period.")),
        ),
        rx.foreach(S.unapplied, lambda text: rx.text(text, size="2", color=MUTED)),
        spacing="4", width="100%",
    )


def statements_page() -> rx.Component:
    return client_shell(
        S,
        t("Payments"),
        rx.tabs.root(
            payments_tabs(S.superbills),
            # The selected tab's panel holds the page (its trigger points at it).
            rx.tabs.content(
                rx.vstack(notice_callout(S.notice), range_picker(), statement_body(),
                          spacing="4", width="100%"),
                value="statements", padding_top="1em"),
            value="statements", on_change=S.go_tab, width="100%"),
    )
