"""/community: "Your groups" (name, description, channels, latest activity, Open and
Members), "Groups you can join" (Join, Ask to join with a note, Request sent with
Cancel, Declined), an empty state, and "Your community profile"."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from portal_app.pages.community.profile_card import profile_card
from state.community.list_page import CommunityState as S

MUTED = "var(--gray-11)"


def facts(group) -> rx.Component:
    return rx.text(group["kind"], " · ", group["channels"], " · ", group["latest"], size="1",
                   color=MUTED)


def my_group_card(group) -> rx.Component:
    return rx.card(rx.vstack(
        rx.link(rx.heading(group["name"], size="4", as_="h3"), href=group["href"]),
        rx.cond(group["description"] != "",
                rx.text(group["description"], size="2", color=MUTED, white_space="pre-line")),
        facts(group),
        rx.hstack(
            rx.link(rx.button(t("Go to the group"), variant="soft", size="2"), href=group["href"]),
            rx.link(t("Members and settings"), href=group["members_href"], size="2"),
            spacing="3", align="center", wrap="wrap"),
        spacing="2", width="100%"), width="100%", key=group["id"])


def join_controls(group) -> rx.Component:
    """What the client may do about a group they are not in."""
    return rx.match(
        group["standing"],
        ("join", rx.button(t("Join"), size="2", min_height="44px",
                           on_click=S.join(group["id"]))),
        ("ask", rx.button(t("Ask to join"), size="2", variant="soft", min_height="44px",
                          on_click=S.open_ask(group["id"]))),
        ("requested", rx.hstack(
            rx.badge(t("Request sent"), color_scheme="blue", role="status"),
            rx.button(t("Cancel request"), size="2", variant="ghost", min_height="44px",
                      on_click=S.cancel_request(group["id"])),
            spacing="2", align="center")),
        ("declined", rx.badge(t("Declined"), color_scheme="gray")),
        rx.fragment(),
    )


def other_group_card(group) -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(group["name"], size="4", as_="h3"),
        rx.cond(group["description"] != "",
                rx.text(group["description"], size="2", color=MUTED, white_space="pre-line")),
        rx.text(group["kind"], " · ", group["channels"], size="1", color=MUTED),
        join_controls(group),
        spacing="2", width="100%"), width="100%", key=group["id"])


def ask_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(t("Ask to join"), " ", S.ask_name),
        rx.dialog.description(t("The business decides who joins this group. You can add a "
                                "note for them."), size="2", color=MUTED),
        rx.form(rx.vstack(
            rx.el.label(t("Note (optional)"), html_for="community-ask-note",
                        style={"font_weight": "500"}),
            rx.text_area(id="community-ask-note", name="note", rows="3", width="100%",
                         max_length=500, aria_describedby="community-ask-note-error",
                         aria_invalid=rx.cond(S.errors["note"] != "", "true", "false")),
            rx.text(S.errors["note"], id="community-ask-note-error", role="alert", size="2",
                    color="var(--red-11)", min_height="1.5em"),
            dialog_buttons(t("Send request")),
            spacing="2", width="100%", padding_top="0.8em"),
            on_submit=S.ask, reset_on_submit=False),
        **focus_return()), open=S.ask_open, on_open_change=S.set_ask_open)


def section(title, items, render) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="5", as_="h2"),
        rx.grid(rx.foreach(items, render), columns=rx.breakpoints(initial="1", md="2"),
                spacing="4", width="100%"),
        spacing="3", width="100%")


def groups() -> rx.Component:
    return rx.vstack(
        rx.cond(S.my_groups.length() > 0, section(t("Your groups"), S.my_groups, my_group_card)),
        rx.cond(S.other_groups.length() > 0,
                section(t("Groups you can join"), S.other_groups, other_group_card)),
        rx.cond((S.my_groups.length() == 0) & (S.other_groups.length() == 0),
                empty_state("users", t("No groups yet. The business will let you know when "
                                       "there is one for you."))),
        spacing="5", width="100%")


def loading() -> rx.Component:
    return rx.vstack(rx.skeleton(height="140px", width="100%"),
                     rx.skeleton(height="140px", width="100%"), spacing="4", width="100%",
                     aria_busy="true")


def community_page() -> rx.Component:
    return client_shell(
        S,
        t("Community"),
        rx.cond(S.loaded, groups(), loading()),
        profile_card(),
        ask_dialog(),
    )
