"""/community/members?id=: the group's members (search by display name, more), this
member's notification settings for the group, and "Leave group" with a confirmation."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.dialogs import focus_return
from components.i18n import t
from portal_app.pages.community.profile_card import avatar
from state.community.members_page import MembersState as S

MUTED = "var(--gray-11)"
CHOICES = (("all", "Everything at once", "Every new post and comment, as it happens."),
           ("mentions", "Mentions and replies, plus a daily digest",
            "Mentions of you and replies to you at once; the rest once a day. The default."),
           ("muted", "Muted", "Nothing from this group, not even mentions."))


def member_row(member) -> rx.Component:
    return rx.el.li(rx.hstack(
        avatar(member["avatar"], member["initials"], "40px"),
        rx.vstack(
            rx.hstack(rx.text(member["name"], weight="medium"),
                      rx.cond(member["me"] == "yes", rx.badge(t("You"), color_scheme="gray")),
                      rx.cond(member["level"] != "", rx.badge(member["level"])),
                      spacing="2", align="center", wrap="wrap"),
            rx.text(member["joined"],
                    rx.cond(member["points"] != "", rx.fragment(" · ", member["points"])),
                    size="1", color=MUTED),
            spacing="0"),
        spacing="3", align="center", width="100%", padding_y="0.4em"), key=member["id"])


def directory() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("Members"), size="5", as_="h2"),
        rx.form(rx.hstack(
            rx.el.label(t("Search members"), html_for="community-member-search",
                        class_name="visually-hidden"),
            rx.input(id="community-member-search", name="search", type="search",
                     placeholder=t("Search by name"), max_length=40, size="3", width="16em"),
            rx.button(t("Search"), type="submit", size="3", variant="soft"),
            spacing="2", wrap="wrap"), on_submit=S.find, reset_on_submit=False),
        rx.cond(S.members.length() > 0,
                rx.el.ul(rx.foreach(S.members, member_row),
                         style={"list_style": "none", "padding": "0", "margin": "0",
                                "width": "100%"}),
                empty_state("users", t("No members match."))),
        rx.cond(S.has_more, rx.button(t("Show more"), variant="soft", on_click=S.more)),
        spacing="3", width="100%"), width="100%")


def notify_card() -> rx.Component:
    return rx.card(rx.el.fieldset(
        rx.el.legend(rx.heading(t("Notification settings"), size="5", as_="h2",
                                id="community-notify-heading")),
        rx.text(t("Muted overrides everything else: nothing from this group reaches you."),
                size="2", color=MUTED),
        rx.radio_group.root(
            rx.vstack(*[rx.el.label(
                rx.radio_group.item(value=value),
                rx.vstack(rx.text(t(label), weight="medium"),
                          rx.text(t(hint), size="1", color=MUTED), spacing="0"),
                style={"display": "flex", "align_items": "center", "gap": "0.6em",
                       "min_height": "44px", "cursor": "pointer"})
                for value, label, hint in CHOICES], spacing="1"),
            value=S.notify, on_change=S.set_notify, size="3",
            aria_labelledby="community-notify-heading"),
        rx.text(S.notify_error, role="alert", size="2", color="var(--red-11)",
                min_height="1.5em"),
        style={"border": "none", "padding": "0", "margin": "0"}), width="100%")


def leave_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("Leave group"), size="5", as_="h2"),
        rx.text(t("You stop seeing the group and its notifications. You can ask to join "
                  "again later."), size="2", color=MUTED),
        rx.button(t("Leave group"), color_scheme="red", variant="soft", min_height="44px",
                  on_click=S.set_leave_open(True)),
        spacing="2", width="100%"), width="100%")


def leave_dialog() -> rx.Component:
    return rx.alert_dialog.root(rx.alert_dialog.content(
        rx.alert_dialog.title(t("Leave this group?")),
        rx.alert_dialog.description(S.group_name, size="2"),
        rx.hstack(
            rx.alert_dialog.cancel(rx.button(t("Stay"), variant="soft")),
            rx.alert_dialog.action(rx.button(t("Leave group"), color_scheme="red",
                                             on_click=S.leave)),
            spacing="2", justify="end", width="100%", padding_top="1em"),
        **focus_return()), open=S.leave_open, on_open_change=S.set_leave_open)


def body() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading(S.group_name, size="6", as_="h2"), rx.spacer(),
                  rx.link(t("Back to the group"), href=S.group_href, size="2"),
                  width="100%", align="center", wrap="wrap"),
        directory(),
        notify_card(),
        leave_card(),
        leave_dialog(),
        spacing="4", width="100%")


def members_page() -> rx.Component:
    return client_shell(
        S,
        t("Members and settings"),
        rx.cond(S.missing, empty_state("users", t("That group is not available to you.")),
                rx.cond(S.loaded, body(),
                        rx.skeleton(height="220px", width="100%", aria_busy="true"))),
    )
