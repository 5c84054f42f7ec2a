"""/console/invoices: the invoice list with its filter tabs, search and pager."""

import reflex as rx

from components.console_bits import pager
from components.console_shell import console_shell
from components.i18n import t
from portal_app import routes
from portal_app.pages.console_billing.parts import invoice_status_badge
from portal_app.pages.console_billing.statement_sends import statement_sends_card
from portal_app.pages.console_client_superbills import superbill_requests_section
from state.console_billing import FILTERS
from state.console_billing import InvoiceListState as L


def invoice_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["number"], href=row["url"])),
        rx.table.cell(row["kind"]),
        rx.table.cell(rx.link(row["client"], href=row["client_url"])),
        rx.table.cell(row["issue"]),
        rx.table.cell(rx.cond(row["due"] != "", row["due"], "—")),
        rx.table.cell(row["total"]),
        rx.table.cell(rx.cond(row["balance"] != "", row["balance"], "—")),
        rx.table.cell(rx.hstack(
            invoice_status_badge(row["status"], row["status_label"]),
            rx.cond(row["flagged"] == "yes",
                    rx.badge(rx.icon("triangle_alert", size=12), t("Check payment"),
                             color_scheme="orange",
                             title=t("A payment differs from what was asked: open the invoice"))),
            spacing="1", wrap="wrap")),
    )


def list_toolbar() -> rx.Component:
    return rx.hstack(
        rx.form(
            rx.hstack(
                rx.input(name="search", default_value=L.search, placeholder=t("Client or number"),
                         aria_label=t("Search invoices"), width="240px"),
                rx.button(t("Search"), type="submit", variant="soft"),
                spacing="2",
            ),
            on_submit=L.apply_search,
        ),
        rx.spacer(),
        rx.button(rx.icon("plus"), t("New invoice"), on_click=rx.redirect(L.new_invoice_url)),
        rx.button(rx.icon("plus"), t("New estimate"), variant="soft",
                  on_click=rx.redirect(L.new_estimate_url)),
        width="100%", wrap="wrap", spacing="2", align="center",
    )


def console_invoices_page() -> rx.Component:
    # The list is the open filter tab's panel, so each tab controls an element that exists.
    return console_shell(
        t("Invoices"),
        rx.tabs.root(
            rx.tabs.list(*[rx.tabs.trigger(t(label), value=value) for value, label in FILTERS]),
            rx.tabs.content(invoices_panel(), value=L.status, padding_top="0.75em"),
            value=L.status, on_change=L.show, width="100%",
        ),
        statement_sends_card(),
        superbill_requests_section(),
    )


def invoices_panel() -> rx.Component:
    return rx.vstack(
        list_toolbar(),
        rx.cond(L.client_id != "", rx.callout(
            rx.hstack(rx.text(t("Showing the documents of "), rx.text.strong(L.client_name), "."),
                      rx.link(t("Show all clients"), href=routes.CONSOLE_INVOICES),
                      spacing="3", wrap="wrap"),
            icon="filter", role="status", width="100%")),
        rx.text(L.total, t(" documents"), size="2", color="var(--gray-11)"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                t("Number"), t("Kind"), t("Client"), t("Issued"), t("Due"), t("Total"), t("Balance"), t("Status"))])),
            rx.table.body(rx.foreach(L.rows, invoice_row)),
            width="100%",
        ),
        rx.cond(L.rows.length() == 0, rx.text(t("Nothing here."), color="var(--gray-11)")),
        pager(L),
        spacing="4", width="100%",
    )
