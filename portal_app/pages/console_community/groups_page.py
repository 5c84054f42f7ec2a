"""Console → Community (/console/community): the app switch, the groups table and
"New group"."""

import reflex as rx

from components.community_console_nav import community_console_nav
from components.console_bits import section
from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from portal_app.pages.console_community.fields import (
    MUTED,
    check,
    group_fields,
)
from portal_app.pages.console_forms.common import field_error
from state.console_community.groups import ConsoleGroupsState as S


def app_switch() -> rx.Component:
    return section(
        t("Community app"),
        rx.form(rx.vstack(
            check("app_on", t("Community is on for the business"), S.app_on,
                  "community-app-on"),
            check("app_open", t("Every client may use Community (without an offer or a "
                                "grant)"), S.app_open, "community-app-open"),
            rx.text(t("Otherwise a client sees Community once they hold an offer or a grant "
                      "that includes it."), size="2", color=MUTED),
            field_error(S.app_error),
            rx.button(t("Save"), type="submit"),
            spacing="2", width="100%"),
            on_submit=S.save_app, reset_on_submit=False, key=S.app_key.to_string()))


def group_row(g) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(g["name"], href=g["href"], weight="medium"),
                                 rx.cond(g["archived"] == "yes", rx.badge(
                                     t("Archived"), variant="soft", margin_left="0.5em"))),
        rx.table.cell(g["visibility"]),
        rx.table.cell(g["members"]),
        rx.table.cell(g["requests"]),
        rx.table.cell(g["waiting"]),
        key=g["id"])


def groups_table() -> rx.Component:
    return rx.cond(
        S.groups.length() > 0,
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(t("Group")),
                rx.table.column_header_cell(t("Who may join")),
                rx.table.column_header_cell(t("Members")),
                rx.table.column_header_cell(t("Join requests")),
                rx.table.column_header_cell(t("Waiting for review")))),
            rx.table.body(rx.foreach(S.groups, group_row)), width="100%"),
            overflow_x="auto", width="100%"),
        rx.text(t("No groups yet."), color=MUTED))


def new_group_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("New group")),
            rx.dialog.description(t("A new group has a Feed channel and an Announcements "
                                    "channel; add more on its page."), size="2"),
            rx.form(rx.vstack(
                *group_fields("new-group", {"name": "", "description": "",
                                            "visibility": "open"}, S.errors),
                dialog_buttons(t("Create group")),
                spacing="3", width="100%"),
                on_submit=S.create_group, reset_on_submit=False, key=S.form_key.to_string()),
            **focus_return()),
        open=S.new_open, on_open_change=S.set_new_open)


def console_community_page() -> rx.Component:
    return console_shell(
        t("Community"),
        community_console_nav(),
        app_switch(),
        rx.hstack(rx.heading(t("Groups"), size="5", as_="h2"), rx.spacer(),
                  rx.button(rx.icon("plus", size=16, aria_hidden="true"), t("New group"),
                            on_click=S.open_new),
                  width="100%", align="center"),
        groups_table(),
        new_group_dialog(),
    )
