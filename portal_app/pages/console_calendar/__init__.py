"""Console → Calendar: day, week and month views in the business zone (named), for
everyone or one staff member, with the dialogs and the calendar feed panel."""

import reflex as rx

from components.console_shell import console_shell
from components.i18n import t
from portal_app.pages.console_calendar.dialogs import (
    booking_dialog,
    move_dialog,
    new_booking_dialog,
)
from portal_app.pages.console_calendar.feed import feed_panel
from portal_app.pages.console_calendar.grid import KEYS_SCRIPT_SRC, month_grid, time_grid
from state.console_calendar import CalendarState

VIEW_LABELS = (("day", "Day"), ("week", "Week"), ("month", "Month"))


def _view_switch() -> rx.Component:
    S = CalendarState
    return rx.hstack(
        *[rx.button(t(label), type="button", size="2",
                    variant=rx.cond(S.view == key, "solid", "soft"),
                    aria_pressed=rx.cond(S.view == key, "true", "false"),
                    on_click=S.set_view(key))
          for key, label in VIEW_LABELS],
        spacing="1", role="group", aria_label=t("View"),
    )


def _step_label(back: bool):
    S = CalendarState
    if back:
        return rx.match(S.view, ("day", t("Previous day")), ("month", t("Previous month")),
                        t("Previous week"))
    return rx.match(S.view, ("day", t("Next day")), ("month", t("Next month")),
                    t("Next week"))


def toolbar() -> rx.Component:
    S = CalendarState
    return rx.flex(
        rx.hstack(
            rx.icon_button(rx.icon("chevron-left"), type="button", variant="soft",
                           on_click=S.step(-1), aria_label=_step_label(True)),
            rx.button(t("Today"), type="button", variant="soft", on_click=S.go_today),
            rx.icon_button(rx.icon("chevron-right"), type="button", variant="soft",
                           on_click=S.step(1), aria_label=_step_label(False)),
            # The title comes with the first event: its line is held from the first
            # paint (on a phone, a line of its own), so the grid below does not jump.
            rx.heading(S.title, size="4", as_="h2", min_height="var(--line-height-4)",
                       width=rx.breakpoints(initial="100%", sm="auto")),
            align="center", spacing="2", wrap="wrap"),
        rx.spacer(),
        rx.hstack(
            _view_switch(),
            rx.el.label(t("Staff"), html_for="calendar-staff", style={"font_size": "0.9em"}),
            rx.el.select(
                rx.el.option(t("Everyone"), value=""),
                rx.foreach(S.staff_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                id="calendar-staff", value=S.staff_filter,
                # A set width: the staff names arrive after the first paint.
                on_change=S.set_staff, style={"min_height": "36px", "width": "11em"}),
            align="center", spacing="2", wrap="wrap"),
        gap="2", wrap="wrap", width="100%", align="center",
    )


def move_banner() -> rx.Component:
    S = CalendarState
    return rx.cond(S.moving_label != "", rx.callout(
        rx.hstack(
            rx.text(t("Moving"), " ", S.moving_label, ". ",
                    t("Pick the new time in the calendar.")),
            rx.button(t("Cancel move"), size="1", variant="soft", type="button",
                      on_click=S.stop_move),
            align="center", wrap="wrap", spacing="2"),
        icon="move", color_scheme="blue", role="status", width="100%"))


def legend() -> rx.Component:
    # The zone arrives after the first paint: on a line of its own (held from the first
    # paint), so the text below keeps its lines.
    return rx.vstack(
        rx.text(t("Times in"), " ", CalendarState.zone, " (", CalendarState.zone_abbrev, ").",
                size="1", min_height="var(--line-height-1)"),
        rx.text(t("Shaded: outside working hours; striped: time off. Dashed: waiting for "
                  "approval; faint: cancelled."), size="1"),
        spacing="0", color="var(--gray-11)")


def calendar_page() -> rx.Component:
    S = CalendarState
    return console_shell(
        t("Calendar"),
        rx.script(src=KEYS_SCRIPT_SRC),
        toolbar(),
        legend(),
        move_banner(),
        rx.cond(S.view == "month", month_grid(), time_grid()),
        new_booking_dialog(),
        booking_dialog(),
        move_dialog(),
        feed_panel(),
    )
