"""Console → Community → one group → Gamification (/console/community/levels?id=):
the switch, the points per action, and the levels with their reward offers."""

import reflex as rx

from components.community_console_nav import community_console_nav
from components.console_bits import section
from components.console_shell import console_shell
from components.i18n import t
from portal_app.pages.console_community.fields import (
    INPUT_STYLE,
    MUTED,
    check,
    labelled,
    text_input,
)
from state.console_community.levels import ConsoleLevelsState as S

POINTS = [("points_post", "Points for a post"), ("points_comment", "Points for a comment"),
          ("points_reaction", "Points for a reaction received"),
          ("points_best_answer", "Points for a best answer")]


def points_section() -> rx.Component:
    v, e = S.values, S.errors
    return section(
        t("Points"),
        rx.form(rx.vstack(
            check("gamification", t("Gamification is on for this group"),
                  v["gamification"] == "yes", "levels-on"),
            rx.text(t("Each number from 0 to 100."), size="2", color=MUTED),
            rx.hstack(*[labelled(t(label), f"levels-{name}", text_input(
                f"levels-{name}", name, v[name], input_mode="numeric"), e[name])
                for name, label in POINTS], spacing="3", width="100%", wrap="wrap"),
            rx.button(t("Save points"), type="submit"),
            spacing="3", width="100%"),
            on_submit=S.save_points, reset_on_submit=False, key=S.form_key.to_string()))


def level_row(lv) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(lv["name"]),
        rx.table.cell(lv["threshold"]),
        rx.table.cell(rx.cond(lv["reward"] != "", lv["reward"], "—")),
        rx.table.cell(rx.hstack(
            rx.button(t("Edit"), size="1", variant="soft", aria_label=t("Edit ") + lv["name"],
                      on_click=S.edit_level(lv["id"])),
            rx.button(t("Delete"), size="1", variant="soft", color_scheme="red",
                      aria_label=t("Delete ") + lv["name"], on_click=S.delete_level(lv["id"])),
            spacing="2")),
        key=lv["id"])


def level_form() -> rx.Component:
    v, e = S.level_values, S.level_errors
    return rx.form(rx.vstack(
        rx.heading(rx.cond(S.editing != "", t("Edit level"), t("Add a level")), size="3",
                   as_="h3"),
        rx.hstack(
            labelled(t("Level name"), "level-name", text_input(
                "level-name", "name", v["name"], max_length=40), e["name"]),
            labelled(t("Points needed"), "level-threshold", text_input(
                "level-threshold", "threshold", v["threshold"], input_mode="numeric"),
                e["threshold"]),
            labelled(t("Reward (optional)"), "level-reward", rx.el.select(
                rx.el.option(t("No reward"), value=""),
                rx.foreach(S.rewards, lambda o: rx.el.option(o["name"], value=o["id"])),
                id="level-reward", name="reward_offer_id", default_value=v["reward_offer_id"],
                style=INPUT_STYLE), e["reward_offer_id"],
                hint=t("Reaching the level grants the offer once.")),
            spacing="3", width="100%", wrap="wrap"),
        rx.hstack(rx.button(t("Save level"), type="submit"),
                  rx.cond(S.editing != "", rx.button(t("Cancel"), type="button",
                                                     variant="soft", on_click=S.new_level)),
                  spacing="2"),
        spacing="3", width="100%"),
        on_submit=S.save_level, reset_on_submit=False, key=S.level_form_key.to_string())


def levels_section() -> rx.Component:
    return section(
        t("Levels"),
        rx.cond(S.levels.length() > 0,
                rx.box(rx.table.root(
                    rx.table.header(rx.table.row(
                        rx.table.column_header_cell(t("Level")),
                        rx.table.column_header_cell(t("Points needed")),
                        rx.table.column_header_cell(t("Reward")),
                        rx.table.column_header_cell(t("Actions")))),
                    rx.table.body(rx.foreach(S.levels, level_row)), width="100%"),
                    overflow_x="auto", width="100%"),
                rx.text(t("No levels yet."), size="2", color=MUTED)),
        level_form())


def console_levels_page() -> rx.Component:
    return console_shell(
        t("Community"),
        community_console_nav(),
        rx.cond(
            S.found,
            rx.vstack(
                rx.hstack(rx.heading(S.group_name + " — " + t("Gamification"), size="5",
                                     as_="h2"),
                          rx.spacer(), rx.link(t("Back to the group"), href=S.group_href),
                          width="100%", align="center", wrap="wrap"),
                points_section(), levels_section(), spacing="4", width="100%"),
            rx.text(t("That group does not exist."), color=MUTED)),
    )
