"""/community/leaderboard?id=: a group's boards (Weekly / All time: rank, display
name, points, level), the viewer's points, level and the next level; a note when
points are off in the group. Tables stack on phones (a11y.css `stack-on-phone`)."""

import reflex as rx

from components.client_shell import client_shell
from components.i18n import t
from state.community.leaderboard import LeaderboardState as S

MUTED = "var(--gray-11)"


def _cell(value, label) -> rx.Component:
    return rx.table.cell(value, custom_attrs={"data-label": label})


def _row(row) -> rx.Component:
    name = rx.cond(row["me"] != "",
                   rx.text(row["name"], " ", rx.badge(t("You"), color_scheme="blue"),
                           weight="bold"),
                   rx.text(row["name"]))
    return rx.table.row(_cell(row["rank"], t("Rank")), _cell(name, t("Member")),
                        _cell(row["points"], t("Points")), _cell(row["level"], t("Level")))


def _board(rows, rank) -> rx.Component:
    return rx.vstack(
        rx.text(rank, size="2", color=MUTED),
        rx.cond(
            rows.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(t("Rank")),
                    rx.table.column_header_cell(t("Member")),
                    rx.table.column_header_cell(t("Points")),
                    rx.table.column_header_cell(t("Level")))),
                rx.table.body(rx.foreach(rows, _row)),
                width="100%", variant="surface", class_name="stack-on-phone"),
            rx.text(t("No points yet in this period."), color=MUTED)),
        spacing="3", width="100%", padding_top="1em")


def _standing() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("Your standing"), size="4", as_="h2"),
        rx.hstack(rx.text(S.my_points, size="5", weight="bold"),
                  rx.badge(S.my_level, color_scheme="amber", size="2"),
                  align="center", spacing="3", wrap="wrap"),
        rx.text(S.next_text, size="2", color=MUTED),
        spacing="2"), width="100%")


def _boards() -> rx.Component:
    return rx.vstack(
        _standing(),
        rx.heading(t("Leaderboard"), size="4", as_="h2"),
        rx.tabs.root(
            rx.tabs.list(rx.tabs.trigger(t("Weekly"), value="week"),
                         rx.tabs.trigger(t("All time"), value="all")),
            rx.tabs.content(_board(S.week_rows, S.week_rank), value="week"),
            rx.tabs.content(_board(S.all_rows, S.all_rank), value="all"),
            default_value="week", width="100%"),
        spacing="4", width="100%")


def leaderboard_page() -> rx.Component:
    return client_shell(
        S,
        rx.cond(S.group_name != "", S.group_name, t("Leaderboard")),
        rx.cond(S.group_href != "",
                rx.link(t("Back to the group"), href=S.group_href, size="2")),
        rx.cond(
            S.missing,
            rx.text(t("That group is not available to you.")),
            rx.cond(S.gamification, _boards(),
                    rx.cond(S.group_href != "",
                            rx.text(t("Points are off in this group."), color=MUTED))),
        ),
    )
