"""/console/clients: search, filter, page, select, bulk invite, create."""

import reflex as rx

from components.console_bits import email_preview_dialog, labelled_checkbox, pager, status_badge
from components.console_shell import console_shell
from components.forms import error_callout, text_field
from portal_app import routes
from state.console_clients import ClientListState as S


def filters() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(name="search", placeholder="Search name or email", default_value=S.search,
                     aria_label="Search clients", width="260px"),
            rx.el.select(
                rx.el.option("Any portal status", value="all"),
                rx.el.option("Not invited", value="not_invited"),
                rx.el.option("Invited — not signed in yet", value="invited"),
                rx.el.option("Active", value="active"),
                rx.el.option("Disabled", value="disabled"),
                name="status", default_value=S.status, aria_label="Portal status",
            ),
            rx.el.select(
                rx.el.option("Signed in or not", value="any"),
                rx.el.option("Has signed in", value="yes"),
                rx.el.option("Never signed in", value="no"),
                name="signed_in", default_value=S.signed_in, aria_label="Has signed in",
            ),
            rx.button("Apply", type="submit", variant="soft"),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        on_submit=S.apply_filters,
    )


def client_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.el.input(
            type="checkbox", aria_label=f"Select {row['name']}",
            checked=S.selected.contains(row["id"]),
            on_change=lambda checked: S.toggle_row(row["id"], checked),
            style={"width": "18px", "height": "18px"})),
        rx.table.cell(rx.link(row["name"], href=routes.CONSOLE_CLIENT + "?id=" + row["id"])),
        rx.table.cell(row["email"]),
        rx.table.cell(status_badge(row["status"], row["status_label"])),
        rx.table.cell(rx.cond(row["last_sign_in"] != "", row["last_sign_in"], "—")),
    )


def create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("plus"), "New client")),
        rx.dialog.content(
            rx.dialog.title("New client"),
            rx.form(
                rx.vstack(
                    error_callout(S.error),
                    text_field("Full name", "full_name", autocomplete="off"),
                    text_field("Email", "email", type="email", required=False),
                    text_field("Mobile", "mobile", type="tel", required=False,
                               placeholder="+1 555 010 0200"),
                    text_field("Time zone", "timezone", required=False,
                               placeholder="America/New_York"),
                    rx.el.label("Notes", html_for="field-notes"),
                    rx.text_area(id="field-notes", name="notes", width="100%"),
                    labelled_checkbox("Invite to the client portal", "invite", True),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", type="button")),
                        rx.button("Create client", type="submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.create_client,
            ),
        ),
        open=S.create_open,
        on_open_change=S.open_create,
    )


def client_list_page() -> rx.Component:
    return console_shell(
        "Clients",
        rx.hstack(filters(), rx.spacer(), create_dialog(), width="100%", wrap="wrap",
                  spacing="3"),
        rx.hstack(
            rx.text(S.total, " clients", size="2", color="var(--gray-11)"),
            rx.spacer(),
            rx.cond(S.selected.length() > 0,
                    rx.hstack(
                        rx.text(S.selected.length(), " selected", size="2"),
                        rx.button("Preview invitation", variant="soft", on_click=S.preview_bulk),
                        rx.button("Send portal invite", on_click=S.bulk_invite),
                        spacing="2", align="center")),
            width="100%",
            align="center",
        ),
        rx.cond(S.bulk_message != "", rx.callout(S.bulk_message, icon="check", role="status")),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(rx.el.input(
                    type="checkbox", aria_label="Select all on this page",
                    on_change=S.toggle_page, style={"width": "18px", "height": "18px"})),
                rx.table.column_header_cell("Name"),
                rx.table.column_header_cell("Portal email"),
                rx.table.column_header_cell("Portal status"),
                rx.table.column_header_cell("Last sign-in"),
            )),
            rx.table.body(rx.foreach(S.rows, client_row)),
            width="100%",
        ),
        pager(S),
        email_preview_dialog(S.preview_subject, S.preview_text, S.close_preview),
    )
