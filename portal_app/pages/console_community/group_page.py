"""Console → Community → one group (/console/community/group?id=): settings and
moderation rules, channels, members, join requests, and the offers that include it."""

import reflex as rx

from components.community_console_nav import community_console_nav
from components.console_bits import section
from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from portal_app import routes
from portal_app.pages.console_community.fields import (
    MUTED,
    group_fields,
    labelled,
    select,
    text_input,
)
from portal_app.pages.console_community.members_section import members_section
from state.console_community.group import ConsoleGroupState as S

LINK_OPTIONS = [("allow", "Allow links"), ("hold", "Hold posts with links"),
                ("block", "Refuse posts with links")]
KIND_OPTIONS = [("feed", "Feed"), ("questions", "Questions"),
                ("announcements", "Announcements")]


def settings_section() -> rx.Component:
    g, e = S.group, S.errors
    return section(
        t("Settings"),
        rx.form(rx.vstack(
            *group_fields("group", g, e),
            rx.heading(t("Moderation"), size="3", as_="h3"),
            rx.hstack(
                labelled(t("Approve a new member's first posts (0 to 50; 0 = off)"),
                         "group-hold", text_input("group-hold", "hold_first_posts",
                                                  g["hold_first_posts"], input_mode="numeric"),
                         e["hold_first_posts"]),
                labelled(t("Reports that hide a post pending review (1 to 100)"),
                         "group-threshold", text_input("group-threshold", "report_threshold",
                                                       g["report_threshold"],
                                                       input_mode="numeric"),
                         e["report_threshold"]),
                spacing="3", width="100%", wrap="wrap"),
            labelled(t("Words that hold a post for review (separated by commas)"),
                     "group-words", rx.el.textarea(
                         id="group-words", name="held_words", default_value=g["held_words"],
                         rows="2", max_length=5000, style={"width": "100%"}),
                     e["held_words"]),
            labelled(t("Links in posts and comments"), "group-links",
                     select("group-links", "link_rule", LINK_OPTIONS, g["link_rule"]),
                     e["link_rule"]),
            rx.hstack(rx.button(t("Save settings"), type="submit"),
                      rx.cond(g["archived"] == "yes",
                              rx.button(t("Restore group"), type="button", variant="soft",
                                        on_click=S.restore_group),
                              rx.button(t("Archive group"), type="button", variant="soft",
                                        color_scheme="red", on_click=S.archive_group)),
                      spacing="2", wrap="wrap"),
            spacing="3", width="100%"),
            on_submit=S.save_settings, reset_on_submit=False, key=S.form_key.to_string()))


def channel_row(c) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(c["name"], href=c["href"], weight="medium"),
                                 rx.cond(c["archived"] == "yes", rx.badge(
            t("Archived"), variant="soft", margin_left="0.5em"))),
        rx.table.cell(c["kind_label"]),
        rx.table.cell(rx.cond(c["staff_only"] == "yes", rx.text(t("Staff only"), size="2"),
                              rx.button(rx.cond(c["approve"] == "yes", t("Approve: on"),
                                                t("Approve: off")),
                                        size="1", variant="soft",
                                        aria_label=t("Approve every post in ") + c["name"],
                                        aria_pressed=rx.cond(c["approve"] == "yes",
                                                             "true", "false"),
                                        on_click=S.toggle_approval(c["id"])))),
        rx.table.cell(rx.hstack(
            rx.cond(c["archived"] == "yes",
                    rx.button(t("Restore"), size="1", variant="soft",
                              aria_label=t("Restore ") + c["name"],
                              on_click=S.restore_channel(c["id"])),
                    rx.fragment(
                        rx.icon_button(rx.icon("arrow-up", size=14), size="1", variant="soft",
                                       aria_label=t("Move up: ") + c["name"],
                                       on_click=S.move_channel(c["id"], "up")),
                        rx.icon_button(rx.icon("arrow-down", size=14), size="1",
                                       variant="soft", aria_label=t("Move down: ") + c["name"],
                                       on_click=S.move_channel(c["id"], "down")),
                        rx.button(t("Rename"), size="1", variant="soft",
                                  aria_label=t("Rename ") + c["name"],
                                  on_click=S.ask_rename(c["id"])),
                        rx.button(t("Archive"), size="1", variant="soft", color_scheme="red",
                                  aria_label=t("Archive ") + c["name"],
                                  on_click=S.archive_channel(c["id"])))),
            spacing="2", wrap="wrap")),
        key=c["id"])


def channels_section() -> rx.Component:
    e = S.channel_errors
    return section(
        t("Channels"),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(t("Channel")),
                rx.table.column_header_cell(t("Kind")),
                rx.table.column_header_cell(t("Approve before publishing")),
                rx.table.column_header_cell(t("Actions")))),
            rx.table.body(rx.foreach(S.channels, channel_row)), width="100%"),
            overflow_x="auto", width="100%"),
        rx.form(rx.hstack(
            labelled(t("New channel"), "channel-name", text_input(
                "channel-name", "channel_name", "", max_length=60), e["channel_name"]),
            labelled(t("Kind"), "channel-kind", select("channel-kind", "channel_kind",
                                                       KIND_OPTIONS, "feed"), e["channel_kind"]),
            rx.button(rx.icon("plus", size=16, aria_hidden="true"), t("Add channel"),
                      type="submit"),
            spacing="3", align="end", wrap="wrap", width="100%"),
            on_submit=S.add_channel, reset_on_submit=False,
            key=S.channel_form_key.to_string()),
        rename_dialog())


def rename_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Rename channel")),
            rx.dialog.description(t("Members see the new name at once."), size="2"),
            rx.form(rx.vstack(
                labelled(t("Name"), "rename-channel", text_input(
                    "rename-channel", "channel_name", S.renaming_name, max_length=60,
                    required=True), S.channel_errors["channel_name"]),
                dialog_buttons(t("Save")), spacing="3", width="100%"),
                on_submit=S.rename_channel, reset_on_submit=False, key=S.renaming),
            **focus_return()),
        open=S.renaming != "", on_open_change=S.set_rename_open)


def request_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r["client"], href=r["client_href"])),
        rx.table.cell(rx.text(r["note"], white_space="pre-wrap")),
        rx.table.cell(r["date"]),
        rx.table.cell(rx.hstack(
            rx.button(t("Approve"), size="1", aria_label=t("Approve ") + r["client"],
                      on_click=S.approve_request(r["id"])),
            rx.button(t("Decline"), size="1", variant="soft", color_scheme="red",
                      aria_label=t("Decline ") + r["client"], on_click=S.ask_decline(r["id"])),
            spacing="2")),
        key=r["id"])


def requests_section() -> rx.Component:
    return section(
        t("Join requests"),
        rx.cond(S.join_requests.length() > 0,
                rx.box(rx.table.root(
                    rx.table.header(rx.table.row(
                        rx.table.column_header_cell(t("Client")),
                        rx.table.column_header_cell(t("Note")),
                        rx.table.column_header_cell(t("Asked")),
                        rx.table.column_header_cell(t("Actions")))),
                    rx.table.body(rx.foreach(S.join_requests, request_row)), width="100%"),
                    overflow_x="auto", width="100%"),
                rx.text(t("No requests waiting."), size="2", color=MUTED)),
        decline_dialog())


def decline_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Decline the request of ") + S.declining_name),
            rx.dialog.description(t("The client is not told the reason."), size="2"),
            rx.form(rx.vstack(
                labelled(t("Reason (optional, kept for staff)"), "decline-reason",
                         text_input("decline-reason", "reason", "", max_length=300)),
                dialog_buttons(t("Decline"), color_scheme="red"), spacing="3", width="100%"),
                on_submit=S.decline_request, reset_on_submit=True),
            **focus_return()),
        open=S.declining != "", on_open_change=S.set_decline_open)


def offers_section() -> rx.Component:
    return section(
        t("Offers that include this group"),
        rx.text(t("Clients who buy or are given one of these offers, or book its linked "
                  "service, become members at once."), size="2", color=MUTED),
        rx.cond(S.offers.length() > 0,
                rx.el.ul(rx.foreach(S.offers, lambda o: rx.el.li(
                    rx.text(o["name"], weight="medium"), " — ", o["status"],
                    rx.cond(o["service"] == "yes",
                            rx.text(t(" (granted by booking its service)"), as_="span")),
                    key=o["id"]))),
                rx.text(t("No offer includes this group yet."), size="2", color=MUTED)),
        rx.link(t("Sell or give access: create an offer"), href=routes.CONSOLE_OFFERS))


def console_group_page() -> rx.Component:
    return console_shell(
        t("Community"),
        community_console_nav(),
        rx.cond(
            S.found,
            rx.vstack(
                rx.hstack(rx.heading(S.group["name"], size="5", as_="h2"),
                          rx.badge(S.group["visibility_label"], variant="soft"),
                          rx.spacer(),
                          rx.link(t("Gamification and levels"), href=S.group["levels_href"]),
                          width="100%", align="center", wrap="wrap"),
                settings_section(), channels_section(), members_section(),
                requests_section(), offers_section(),
                spacing="4", width="100%"),
            rx.text(t("That group does not exist."), color=MUTED)),
    )
