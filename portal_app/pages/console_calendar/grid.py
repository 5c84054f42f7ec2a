"""The calendar's grids: day/week (half-hour buttons under the bookings) and month.

Keyboard: one button of the grid is in the tab order (roving tabindex); the
arrow keys move between days (left/right) and times (up/down; in the month
view, weeks), Home/End to the first/last time of the day; Enter or Space opens
it (it is a button). Bookings are buttons after the grid's times."""

import reflex as rx

from components.i18n import t
from state.console_calendar import CalendarState

# One listener for the page moves focus between the grid's buttons (a file of its own:
# the pages' Content-Security-Policy refuses inline scripts it does not know).
KEYS_SCRIPT_SRC = "/calendar_keys.js"

SHADES = {"work": "var(--color-panel-solid)", "closed": "var(--gray-3)",
          "off": "repeating-linear-gradient(135deg, var(--gray-4) 0 6px, var(--gray-2) 6px 12px)"}
ROW_PX = 7  # one grid row = 5 minutes
EMPTY_GRID_PX = 10 * 12 * ROW_PX + 40  # ten hours of rows and the day row


def _shade(shade):
    return rx.match(shade, ("work", SHADES["work"]), ("off", SHADES["off"]), SHADES["closed"])


def _cell(c) -> rx.Component:
    S = CalendarState
    return rx.el.button(
        rx.el.span(rx.cond(S.moving_label != "", t("Move here"), t("New booking")),
                   class_name="cal-cell-hint"),
        type="button",
        on_click=S.open_slot(c["start"]),
        tab_index=c["tab"].to(int),
        aria_label=rx.match(c["shade"], ("off", c["label"] + " — " + t("time off")),
                            ("closed", c["label"] + " — " + t("outside working hours")),
                            c["label"]).to(str),
        custom_attrs={"data-cal-day": c["day"], "data-cal-slot": c["slot"],
                      "data-shade": c["shade"]},
        class_name="cal-cell",
        style={"grid_area": c["area"], "background": _shade(c["shade"]),
               "border": "none", "border_top": "1px solid var(--gray-5)",
               "border_left": "1px solid var(--gray-5)", "min_height": "0", "padding": "0",
               "cursor": "pointer", "position": "relative"},
    )


def _block(b) -> rx.Component:
    S = CalendarState
    cancelled = b["status"] == "cancelled"
    fill, edge = "var(--" + b["colour"] + "-4)", "var(--" + b["colour"] + "-9)"
    return rx.el.button(
        rx.el.span(b["time"], style={"font_weight": "600", "display": "block"}),
        rx.el.span(b["client"], style={"display": "block"}),
        rx.el.span(b["service"], " · ", b["staff"], style={"display": "block",
                                                          "opacity": "0.85"}),
        rx.cond(b["status"] == "pending",
                rx.el.span(t("Pending"), style={"font_style": "italic", "display": "block"})),
        type="button",
        on_click=S.open_booking(b["id"]),
        aria_label=b["client"] + ", " + b["service"] + ", " + b["time"] + ", "
        + b["status_label"],
        custom_attrs={"data-status": b["status"]},
        class_name="cal-booking",
        style={"grid_column": b["col"], "grid_row": b["row"], "margin_left": b["left"],
               "width": b["width"], "z_index": "1", "background": fill,
               "border": rx.cond(b["status"] == "pending", "2px dashed " + edge,
                                 "1px solid " + edge),
               "border_left": "4px solid " + edge, "border_radius": "4px",
               "padding": "1px 4px", "font_size": "11px", "line_height": "1.25",
               "text_align": "left", "overflow": "hidden", "color": "var(--gray-12)",
               "opacity": rx.cond(cancelled, "0.45", "1"),
               "text_decoration": rx.cond(cancelled, "line-through", "none"),
               "cursor": "pointer",
               # In move mode a click goes through to the time underneath.
               "pointer_events": rx.cond(S.moving_label != "", "none", "auto")},
    )


def time_grid() -> rx.Component:
    S = CalendarState
    return rx.box(
        rx.el.div(
            rx.el.div(style={"grid_column": "1", "grid_row": "1"}),
            rx.foreach(S.columns, lambda c: rx.el.div(
                rx.el.span(c["short"], style={"display": "block", "font_size": "12px"}),
                rx.el.span(c["date"], style={"display": "block", "font_weight": "600"}),
                title=c["label"],
                style={"grid_column": c["col"], "grid_row": "1", "text_align": "center",
                       "padding": "4px 0", "position": "sticky", "top": "0",
                       "z_index": "2", "background": rx.cond(c["today"] == "yes",
                                                             "var(--accent-4)",
                                                             "var(--color-background)"),
                       "border_bottom": "1px solid var(--gray-6)"})),
            rx.foreach(S.hours, lambda h: rx.el.div(
                h["label"], aria_hidden="true",
                style={"grid_column": "1", "grid_row": h["row"], "font_size": "11px",
                       "color": "var(--gray-11)", "text_align": "right",
                       "padding_right": "4px", "margin_top": "-6px"})),
            rx.foreach(S.cells, _cell),
            rx.foreach(S.blocks, _block),
            custom_attrs={"data-cal-grid": S.view, "data-cal-slots": S.grid_slots},
            role="group",
            aria_label=t("Calendar") + ": " + S.title,
            style={"display": "grid",
                   "grid_template_columns": "52px repeat(" + S.columns.length().to_string()
                   + ", minmax(0, 1fr))",
                   "grid_template_rows": "auto repeat(" + S.grid_rows + f", {ROW_PX}px)",
                   "min_width": rx.cond(S.view == "week", "680px", "0"),
                   "border_right": "1px solid var(--gray-5)",
                   "border_bottom": "1px solid var(--gray-5)"},
        ),
        overflow_x="auto",
        width="100%",
        # Until the first event brings the grid, the smallest grid's height is held
        # (08:00-18:00, services.scheduling.calendar_view.hour_range, and the day row),
        # so what follows it (the calendar feed) does not jump down when it comes.
        min_height=rx.cond(S.grid_rows == "0", f"{EMPTY_GRID_PX}px", "0"),
    )


def _month_item(i) -> rx.Component:
    cancelled = i["status"] == "cancelled"
    return rx.el.button(
        i["text"], type="button",
        on_click=CalendarState.open_booking(i["id"]),
        aria_label=i["text"] + ", " + i["service"] + ", " + i["status_label"],
        custom_attrs={"data-status": i["status"]},
        style={"display": "block", "width": "100%", "text_align": "left", "font_size": "11px",
               "background": i["bg"], "border": "none", "border_left": "3px solid " + i["edge"],
               "border_radius": "3px", "padding": "1px 3px", "white_space": "nowrap",
               "overflow": "hidden", "text_overflow": "ellipsis", "cursor": "pointer",
               "outline": rx.cond(i["status"] == "pending", "1px dashed " + i["edge"], "none"),
               "opacity": rx.cond(cancelled, "0.45", "1"),
               "text_decoration": rx.cond(cancelled, "line-through", "none")},
    )


def _month_day(d) -> rx.Component:
    return rx.box(
        rx.el.button(
            d["number"].to(str), type="button",
            on_click=CalendarState.open_day(d["iso"].to(str)),
            tab_index=d["tab"].to(str).to(int),
            aria_label=d["label"].to(str) + ", " + d["count"].to(str) + " " + t("bookings"),
            custom_attrs={"data-cal-day": d["day"].to(str), "data-cal-slot": "0"},
            style={"border": "none", "background": rx.cond(d["today"].to(str) == "yes",
                                                            "var(--accent-9)", "transparent"),
                   "color": rx.cond(d["today"].to(str) == "yes", "white", "inherit"),
                   "border_radius": "999px", "min_width": "28px", "min_height": "28px",
                   "font_weight": "600", "cursor": "pointer"}),
        rx.foreach(d["items"].to(list[dict[str, str]]), _month_item),
        rx.cond(d["more"].to(str) != "", rx.text("+", d["more"].to(str), " ", t("more"), size="1")),
        style={"min_height": "96px", "padding": "4px", "display": "flex",
               "flex_direction": "column", "gap": "2px",
               "border_top": "1px solid var(--gray-5)", "border_left": "1px solid var(--gray-5)",
               "background": rx.cond(d["off"].to(str) == "yes", SHADES["off"],
                                     rx.cond(d["shade"].to(str) == "work", SHADES["work"],
                                             SHADES["closed"])),
               "opacity": rx.cond(d["in_month"].to(str) == "yes", "1", "0.6"), "min_width": "0"},
    )


def month_grid() -> rx.Component:
    S = CalendarState
    return rx.el.div(
        rx.foreach(S.columns, lambda c: rx.el.div(
            c["short"], aria_hidden="true",
            style={"text_align": "center", "font_size": "12px", "padding": "4px 0",
                   "border_bottom": "1px solid var(--gray-6)"})),
        rx.foreach(S.month_days, _month_day),
        custom_attrs={"data-cal-grid": "month", "data-cal-slots": "1"},
        role="group",
        aria_label=t("Calendar") + ": " + S.title,
        style={"display": "grid", "grid_template_columns": "repeat(7, minmax(0, 1fr))",
               "border_right": "1px solid var(--gray-5)",
               "border_bottom": "1px solid var(--gray-5)", "width": "100%"},
    )
