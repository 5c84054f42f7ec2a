"""Console → Referrals (/console/referrals): the referrers and their figures,
search, "Invite a client", disable / enable, "Move a customer"."""

import reflex as rx

from components.console_bits import section
from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from components.referrals_console_nav import referrals_console_nav
from portal_app import routes
from portal_app.pages.console_forms.common import LABEL_STYLE, SELECT_STYLE, field_error
from portal_app.pages.console_referrals.fields import INPUT_STYLE, MUTED, labelled
from state.console_referrals import ConsoleReferrersState as S


def referrer_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r["name"], weight="medium",
                                         href=routes.CONSOLE_CLIENT + "?id=" + r["client_id"])),
        rx.table.cell(rx.code(r["code"])),
        rx.table.cell(r["coupon"]),
        rx.table.cell(rx.badge(r["status_label"], variant="soft", color_scheme=rx.cond(
            r["status"] == "active", "green", "gray"))),
        rx.table.cell(r["clicks"]), rx.table.cell(r["signups"]),
        rx.table.cell(r["customers"]),
        rx.table.cell(r["pending"]), rx.table.cell(r["approved"]), rx.table.cell(r["paid"]),
        rx.table.cell(r["reversed"]),
        rx.table.cell(rx.cond(
            r["status"] == "active",
            rx.button(t("Disable"), size="1", variant="soft", color_scheme="red",
                      aria_label=t("Disable ") + r["name"],
                      on_click=S.disable_referrer(r["id"])),
            rx.button(t("Enable"), size="1", variant="soft",
                      aria_label=t("Enable ") + r["name"],
                      on_click=S.enable_referrer(r["id"])))),
        key=r["id"])


def referrers_table() -> rx.Component:
    headers = (t("Clicks"), t("Sign-ups"), t("Customers"), t("Pending"), t("Approved"),
               t("Paid"), t("Reversed"), "")
    return rx.cond(
        S.rows.length() > 0,
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(t("Referrer")),
                rx.table.column_header_cell(t("Link code")),
                rx.table.column_header_cell(t("Coupon")),
                rx.table.column_header_cell(t("Status")),
                *[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(S.rows, referrer_row)), width="100%"),
            overflow_x="auto", width="100%"),
        rx.text(rx.cond(S.search != "", t("No referrer has that name."),
                        t("No referrers yet.")), color=MUTED))


def search_form() -> rx.Component:
    return rx.form(rx.hstack(
        rx.el.label(t("Search referrers"), html_for="referrer-search", style=LABEL_STYLE),
        rx.el.input(id="referrer-search", name="search", type="search",
                    placeholder=t("Name"), max_length=100,
                    style={**SELECT_STYLE, "min_width": "14em"}),
        rx.button(t("Search"), type="submit", variant="soft"),
        spacing="2", align="center", wrap="wrap"), on_submit=S.search_referrers,
        reset_on_submit=False)


def invite_panel() -> rx.Component:
    return section(
        t("Invite a client"),
        rx.text(t("When the program is by invitation, an invited client sees Referrals "
                  "in their portal and may join."), size="2", color=MUTED),
        rx.form(rx.hstack(
            rx.el.label(t("Find a client"), html_for="referral-invite-query",
                        style=LABEL_STYLE),
            rx.el.input(id="referral-invite-query", name="query", placeholder=t("Name or email"),
                        max_length=100, style={**SELECT_STYLE, "min_width": "16em"}),
            rx.button(t("Find"), type="submit", variant="soft"),
            spacing="2", align="center", wrap="wrap"), on_submit=S.find_clients),
        rx.foreach(S.client_hits, lambda c: rx.hstack(
            rx.text(c["name"]), rx.text(c["email"], size="2", color=MUTED),
            rx.button(t("Invite"), size="1", aria_label=t("Invite ") + c["name"],
                      on_click=S.invite(c["id"])),
            spacing="3", align="center", key=c["id"])),
    )


def move_dialog() -> rx.Component:
    e = S.move_errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Move a customer")),
            rx.dialog.description(t("Later payments of the customer earn for the referrer "
                                    "you choose; commissions already made stay."),
                                  size="2"),
            rx.form(rx.hstack(
                rx.el.label(t("Find the customer"), html_for="move-query", style=LABEL_STYLE),
                rx.el.input(id="move-query", name="query", placeholder=t("Name or email"),
                            max_length=100, style={**SELECT_STYLE, "min_width": "12em"}),
                rx.button(t("Find"), type="submit", variant="soft"),
                spacing="2", align="center", wrap="wrap"), on_submit=S.find_customers),
            rx.foreach(S.move_hits, lambda c: rx.hstack(
                rx.text(c["name"]), rx.text(c["email"], size="2", color=MUTED),
                rx.button(t("Choose"), size="1", variant="soft",
                          aria_label=t("Choose ") + c["name"],
                          on_click=S.choose_customer(c["id"])),
                spacing="3", align="center", key=c["id"])),
            rx.form(rx.vstack(
                rx.text(t("Customer: "), rx.cond(S.move_client.contains("name"),
                                                 S.move_client["name"], t("none chosen")),
                        weight="medium"),
                field_error(e["client"]),
                labelled(t("Referrer"), "move-referrer", rx.el.select(
                    rx.foreach(S.referrer_options,
                               lambda o: rx.el.option(o["name"], value=o["id"])),
                    id="move-referrer", name="referrer_id", style=INPUT_STYLE), e["referrer"]),
                labelled(t("Reason"), "move-reason", rx.el.input(
                    id="move-reason", name="reason", max_length=300, required=True,
                    style=INPUT_STYLE), e["reason"],
                    hint=t("Kept in the audit log.")),
                dialog_buttons(t("Move customer")),
                spacing="3", width="100%", margin_top="1em"),
                on_submit=S.move_customer, reset_on_submit=False),
            **focus_return()),
        open=S.move_open, on_open_change=S.close_move)


def console_referrers_page() -> rx.Component:
    return console_shell(
        t("Referrals"),
        referrals_console_nav(),
        rx.heading(t("Referrers"), size="5", as_="h2"),
        rx.hstack(search_form(), rx.spacer(),
                  rx.button(rx.icon("arrow_right_left", size=16, aria_hidden="true"),
                            t("Move a customer"), variant="soft", on_click=S.open_move),
                  width="100%", wrap="wrap", spacing="3"),
        referrers_table(),
        rx.cond(S.by_invitation, invite_panel(),
                rx.text(t("Any client may join the program: no invitation is needed."),
                        size="2", color=MUTED)),
        move_dialog(),
    )
