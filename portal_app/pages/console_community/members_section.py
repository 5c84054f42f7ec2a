"""The Members part of a group's console page: search, the list with its actions,
the confirm dialog of remove / mute / ban, and "Add a client"."""

import reflex as rx

from components.console_bits import section
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from portal_app.pages.console_community.fields import INPUT_STYLE, MUTED, labelled, select
from portal_app.pages.console_forms.common import LABEL_STYLE, SELECT_STYLE, field_error
from state.console_community.group_members import ConsoleGroupMembersState as S

STATUS_OPTIONS = [("", "Everyone"), ("active", "Active"), ("removed", "Removed"),
                  ("banned", "Banned"), ("left", "Left"), ("declined", "Declined")]
PERIOD_OPTIONS = [("1h", "1 hour"), ("1d", "1 day"), ("7d", "7 days"), ("30d", "30 days"),
                  ("until", "Until a date (below)")]


def member_row(m) -> rx.Component:
    name = m["name"]
    return rx.table.row(
        rx.table.row_header_cell(rx.text(name, weight="medium"),
                                 rx.cond(m["display_name"] != "",
                                         rx.text(m["display_name"], size="1", color=MUTED))),
        rx.table.cell(rx.badge(m["status_label"], variant="soft", color_scheme=rx.match(
            m["status"], ("active", "green"), ("banned", "red"), "gray")),
            rx.cond(m["muted_until"] != "",
                    rx.text(t("Muted until ") + m["muted_until"], size="1", color=MUTED)),
            rx.cond(m["reason"] != "", rx.text(m["reason"], size="1", color=MUTED))),
        rx.table.cell(m["joined"]),
        rx.table.cell(rx.hstack(
            rx.cond(m["status"] == "active", rx.fragment(
                rx.cond(m["muted_until"] != "",
                        rx.button(t("Unmute"), size="1", variant="soft",
                                  aria_label=t("Unmute ") + name, on_click=S.unmute(m["id"])),
                        rx.button(t("Mute"), size="1", variant="soft",
                                  aria_label=t("Mute ") + name,
                                  on_click=S.ask("mute", m["id"]))),
                rx.button(t("Remove"), size="1", variant="soft", color_scheme="red",
                          aria_label=t("Remove ") + name, on_click=S.ask("remove", m["id"])))),
            rx.cond(m["status"] == "banned",
                    rx.button(t("Unban"), size="1", variant="soft",
                              aria_label=t("Unban ") + name, on_click=S.unban(m["id"])),
                    rx.button(t("Ban"), size="1", variant="soft", color_scheme="red",
                              aria_label=t("Ban ") + name, on_click=S.ask("ban", m["id"]))),
            spacing="2", wrap="wrap")),
        key=m["id"])


def action_dialog() -> rx.Component:
    e = S.action_errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.action_title),
            rx.dialog.description(rx.match(
                S.action,
                ("ban", t("A banned member loses access at their next action, whatever "
                          "grants they hold.")),
                ("mute", t("A muted member may read but not post, comment or react.")),
                t("A removed member may be added again later.")), size="2"),
            rx.form(rx.vstack(
                rx.cond(S.action == "mute", rx.vstack(
                    labelled(t("For how long"), "mute-period",
                             select("mute-period", "period", PERIOD_OPTIONS, "1d"),
                             e["period"]),
                    labelled(t("Last day of the mute"), "mute-until", rx.el.input(
                        type="date", id="mute-until", name="until", style=INPUT_STYLE),
                        e["until"]),
                    spacing="3", width="100%")),
                labelled(rx.cond(S.action == "mute", t("Reason (optional)"), t("Reason")),
                         "action-reason", rx.el.input(
                             id="action-reason", name="reason", max_length=300,
                             style=INPUT_STYLE), e["reason"],
                         hint=t("Kept in the audit log.")),
                dialog_buttons(t("Confirm"), color_scheme="red"),
                spacing="3", width="100%"),
                on_submit=S.confirm_action, reset_on_submit=True),
            **focus_return()),
        open=S.action != "", on_open_change=S.set_action_open)


def search_form() -> rx.Component:
    return rx.form(rx.hstack(
        rx.el.label(t("Search members"), html_for="member-search", style=LABEL_STYLE),
        rx.el.input(id="member-search", name="search", type="search", max_length=100,
                    placeholder=t("Name or email"), style={**SELECT_STYLE, "min_width": "12em"}),
        rx.el.label(t("Status"), html_for="member-status", style=LABEL_STYLE),
        rx.el.select(*[rx.el.option(t(label), value=value) for value, label in STATUS_OPTIONS],
                     id="member-status", name="status", style=SELECT_STYLE),
        rx.button(t("Search"), type="submit", variant="soft"),
        spacing="2", align="center", wrap="wrap"), on_submit=S.search_members,
        reset_on_submit=False)


def add_panel() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Add a client"), size="3", as_="h3"),
        rx.text(t("The client becomes a member at once (a staff grant to the group)."),
                size="2", color=MUTED),
        rx.form(rx.hstack(
            rx.el.label(t("Find a client"), html_for="member-add-query", style=LABEL_STYLE),
            rx.el.input(id="member-add-query", name="query", placeholder=t("Name or email"),
                        max_length=100, style={**SELECT_STYLE, "min_width": "14em"}),
            rx.button(t("Find"), type="submit", variant="soft"),
            spacing="2", align="center", wrap="wrap"), on_submit=S.find_clients),
        field_error(S.add_error),
        rx.foreach(S.client_hits, lambda c: rx.hstack(
            rx.text(c["name"]), rx.text(c["email"], size="2", color=MUTED),
            rx.button(t("Add"), size="1", aria_label=t("Add ") + c["name"],
                      on_click=S.add_client(c["id"])),
            spacing="3", align="center", key=c["id"])),
        spacing="2", width="100%")


def members_section() -> rx.Component:
    return section(
        t("Members"),
        search_form(),
        rx.cond(S.rows.length() > 0,
                rx.box(rx.table.root(
                    rx.table.header(rx.table.row(
                        rx.table.column_header_cell(t("Member")),
                        rx.table.column_header_cell(t("Status")),
                        rx.table.column_header_cell(t("Joined")),
                        rx.table.column_header_cell(t("Actions")))),
                    rx.table.body(rx.foreach(S.rows, member_row)), width="100%"),
                    overflow_x="auto", width="100%"),
                rx.text(t("No members found."), size="2", color=MUTED)),
        rx.cond(S.pages > 1, rx.hstack(
            rx.button(t("Previous"), size="1", variant="soft", disabled=S.page <= 1,
                      on_click=S.go_to_page(S.page - 1)),
            rx.text(S.page.to_string() + " / " + S.pages.to_string(), size="2"),
            rx.button(t("Next"), size="1", variant="soft", disabled=S.page >= S.pages,
                      on_click=S.go_to_page(S.page + 1)),
            spacing="3", align="center")),
        add_panel(),
        action_dialog())
