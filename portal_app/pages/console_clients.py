"""/console/clients: search, filter, page, select, bulk invite, create."""

import reflex as rx

from components.console_bits import email_preview_dialog, pager, status_badge
from components.console_new_client import email_ok_choice, invite_choice
from components.console_shell import console_shell
from components.forms import error_callout, text_field
from components.i18n import t
from components.zone_picker import zone_picker
from portal_app import routes
from portal_app.pages.console_forms.bulk import bulk_packet_controls, bulk_packet_message
from state.console_clients import ClientListState as S

# A native select is as wide as its longest option and shrinks in a crowded row, so
# its text ran into the arrow ("Signed in or not" cut off): room for the text and
# the arrow, and no shrinking (the row wraps instead).
FILTER_SELECT = {"padding": "0.4em 0.5em", "padding_right": "1.75em", "min_width": "11.5em",
                 "flex_shrink": "0", "box_sizing": "border-box"}


def filters() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(name="search", placeholder=t("Search name or email"), default_value=S.search,
                     aria_label=t("Search clients"), width="260px"),
            rx.el.select(
                rx.el.option(t("Any portal status"), value="all"),
                rx.el.option(t("Not invited"), value="not_invited"),
                rx.el.option(t("Invited — not signed in yet"), value="invited"),
                rx.el.option(t("Active"), value="active"),
                rx.el.option(t("Disabled"), value="disabled"),
                name="status", default_value=S.status, aria_label=t("Portal status"),
                style=FILTER_SELECT,
            ),
            rx.el.select(
                rx.el.option(t("Signed in or not"), value="any"),
                rx.el.option(t("Has signed in"), value="yes"),
                rx.el.option(t("Never signed in"), value="no"),
                name="signed_in", default_value=S.signed_in, aria_label=t("Has signed in"),
                style=FILTER_SELECT,
            ),
            rx.button(t("Apply"), type="submit", variant="soft"),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        on_submit=S.apply_filters,
    )


def portal_cloud(status) -> rx.Component:
    """Seed 003's cloud: green when active, red when off. Decoration only: the badge
    beside it says the status in words."""
    return rx.match(
        status,
        ("active", rx.icon("cloud_check", size=18, color="var(--green-11)", aria_hidden="true")),
        ("invited", rx.icon("cloud", size=18, color="var(--amber-11)", aria_hidden="true")),
        ("disabled", rx.icon("cloud_off", size=18, color="var(--red-11)", aria_hidden="true")),
        rx.icon("cloud_off", size=18, color="var(--gray-10)", aria_hidden="true"),
    )


def portal_status(row) -> rx.Component:
    return rx.hstack(
        portal_cloud(row["status"]),
        rx.vstack(
            status_badge(row["status"], row["status_label"]),
            rx.cond(row["age"] != "", rx.text(row["age"], size="1", color="var(--gray-11)")),
            spacing="1",
        ),
        spacing="2", align="start",
    )


def upload_toggle(row) -> rx.Component:
    """Seed 003's paper-clip: the client's upload permission; a click turns it over.
    Off is crossed out (not only greyed) and both states are named for screen readers."""
    on = row["upload"] != ""
    return rx.icon_button(
        rx.box(
            rx.icon("paperclip", size=16, aria_hidden="true"),
            rx.cond(on, rx.fragment(),
                    rx.icon("slash", size=16, aria_hidden="true", position="absolute",
                            top="0", left="0")),
            position="relative", width="16px", height="16px",
        ),
        variant=rx.cond(on, "soft", "outline"),
        color_scheme=rx.cond(on, "blue", "gray"),
        size="1",
        aria_label=rx.cond(on, t("Uploads allowed for ") + row["name"] + t(" (turn off)"),
                           t("Uploads off for ") + row["name"] + t(" (turn on)")),
        title=rx.cond(on, t("Uploads allowed"), t("Uploads off")),
        aria_pressed=rx.cond(on, "true", "false"),
        on_click=S.toggle_upload(row["id"]),
    )


def client_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.el.input(
            type="checkbox", aria_label=f"Select {row['name']}",
            checked=S.selected.contains(row["id"]),
            on_change=lambda checked: S.toggle_row(row["id"], checked),
            style={"width": "18px", "height": "18px"})),
        rx.table.cell(rx.link(row["name"], href=routes.CONSOLE_CLIENT + "?id=" + row["id"])),
        rx.table.cell(rx.vstack(
            rx.text(row["email"], size="2"),
            rx.cond(row["email_ok"] == "",
                    rx.badge(rx.icon("mail_x", size=12, aria_hidden="true"), t("Email OK off"),
                             color_scheme="gray", variant="outline")),
            spacing="1")),
        rx.table.cell(portal_status(row)),
        rx.table.cell(upload_toggle(row)),
        rx.table.cell(rx.cond(row["last_sign_in"] != "", row["last_sign_in"], "—")),
    )


def create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("plus"), t("New client"))),
        rx.dialog.content(
            rx.dialog.title(t("New client")),
            rx.form(
                rx.vstack(
                    error_callout(S.error),
                    text_field(t("Full name"), "full_name", autocomplete="off"),
                    text_field(t("Email"), "email", type="email", required=False),
                    text_field(t("Mobile"), "mobile", type="tel", required=False,
                               placeholder="+1 555 010 0200"),
                    zone_picker(t("Time zone"), "timezone", S.zone_options),
                    rx.el.label(t("Notes"), html_for="field-notes"),
                    rx.text_area(id="field-notes", name="notes", width="100%"),
                    email_ok_choice(),
                    invite_choice(S.activation),
                    rx.hstack(
                        rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                        rx.button(t("Create client"), type="submit"),
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
        t("Clients"),
        rx.hstack(filters(), rx.spacer(), create_dialog(), width="100%", wrap="wrap",
                  spacing="3"),
        rx.hstack(
            rx.text(S.total, t(" clients"), size="2", color="var(--gray-11)"),
            rx.spacer(),
            rx.cond(S.selected.length() > 0,
                    rx.hstack(
                        rx.text(S.selected.length(), t(" selected"), size="2"),
                        rx.button(t("Preview invitation"), variant="soft", on_click=S.preview_bulk),
                        rx.button(t("Send portal invite"), on_click=S.bulk_invite),
                        bulk_packet_controls(S.selected),
                        spacing="2", align="center", wrap="wrap")),
            width="100%",
            align="center",
        ),
        rx.cond(S.bulk_message != "", rx.callout(S.bulk_message, icon="check", role="status")),
        bulk_packet_message(),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(rx.el.input(
                    type="checkbox", aria_label=t("Select all on this page"),
                    on_change=S.toggle_page, style={"width": "18px", "height": "18px"})),
                rx.table.column_header_cell(t("Name")),
                rx.table.column_header_cell(t("Portal email")),
                rx.table.column_header_cell(t("Portal status")),
                rx.table.column_header_cell(t("Uploads")),
                rx.table.column_header_cell(t("Last sign-in")),
            )),
            rx.table.body(rx.foreach(S.rows, client_row)),
            width="100%",
        ),
        pager(S),
        email_preview_dialog(S.preview_subject, S.preview_text, S.close_preview),
    )
