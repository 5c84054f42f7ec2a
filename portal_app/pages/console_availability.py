"""Console availability editor: weekly hours as rows of time pickers, exceptions,
and a preview of the bookable times (state/console_availability.py)."""

import reflex as rx

from components.console_shell import console_shell
from components.forms import error_callout, notice_callout
from components.i18n import t
from state.console_availability import WEEKDAYS, AvailabilityState

S = AvailabilityState
MUTED = "var(--gray-11)"


def field_error(message, error_id) -> rx.Component:
    """A message beside the field it is about (the field names it in aria-describedby)."""
    return rx.cond(message != "", rx.text(message, id=error_id, color="var(--red-11)",
                                          size="2", role="alert"))


def time_input(value, label, name, key, which, error) -> rx.Component:
    return rx.el.input(
        type="time", step=300, default_value=value, name=name, aria_label=label,
        required=True, aria_invalid=rx.cond(error != "", "true", "false"),
        aria_describedby="err-" + key,
        on_change=lambda v: S.set_time(key, which, v),
        style={"padding": "0.25em 0.4em", "border": "1px solid var(--gray-8)",
               "border_radius": "var(--radius-2)", "font": "inherit",
               "background": "var(--color-surface)", "color": "var(--gray-12)"},
    )


def interval_row(day: str, row) -> rx.Component:
    name = t(day) + t(" interval ") + row["n"]
    return rx.vstack(
        rx.hstack(
            time_input(row["start"], name + t(" start"), "start-" + row["key"], row["key"],
                       "start", row["error"]),
            rx.text(t("to"), size="2", aria_hidden="true"),
            time_input(row["end"], name + t(" end"), "end-" + row["key"], row["key"], "end",
                       row["error"]),
            rx.button(t("Remove"), type="button", size="1", variant="ghost", color_scheme="red",
                      aria_label=t("Remove ") + name,
                      on_click=S.remove_interval(row["key"])),
            align="center", spacing="2", wrap="wrap",
        ),
        field_error(row["error"], "err-" + row["key"]),
        role="group", aria_label=name, spacing="1",
        key=row["key"],
    )


def day_fieldset(index: int) -> rx.Component:
    day = WEEKDAYS[index]
    rows = S.week[index]
    return rx.el.fieldset(
        rx.el.legend(t(day), style={"font_weight": "600", "padding": "0 0.25em"}),
        rx.vstack(
            rx.cond(rows.length() == 0, rx.text(t("Not working"), size="2", color=MUTED)),
            rx.foreach(rows, lambda r: interval_row(day, r)),
            rx.button(rx.icon("plus", size=14), t("Add interval"), type="button", size="1",
                      variant="soft", aria_label=t("Add interval on ") + t(day),
                      on_click=S.add_interval(index)),
            spacing="2",
        ),
        style={"border": "1px solid var(--gray-6)", "border_radius": "var(--radius-3)",
               "padding": "0.5em 0.75em", "min_width": "0"},
    )


def weekly_hours_card() -> rx.Component:
    return rx.card(rx.form(
        rx.vstack(
            rx.heading(t("Weekly hours"), size="4", as_="h2"),
            rx.text(t("Times in the business time zone, "), S.zone_label,
                    t(". An end of 00:00 means midnight, the end of the day."), size="2",
                    color=MUTED),
            error_callout(S.hours_error),
            rx.grid(*[day_fieldset(i) for i in range(7)],
                    columns=rx.breakpoints(initial="1", sm="2", lg="3"), spacing="3",
                    width="100%"),
            rx.hstack(
                rx.button(t("Save weekly hours"), type="submit"),
                rx.button(t("Copy Monday to weekdays"), type="button", variant="soft",
                          on_click=S.copy_monday),
                rx.cond(S.hours_dirty, rx.button(t("Discard changes"), type="button",
                                                 variant="ghost",
                                                 on_click=S.discard_changes)),
                spacing="2", wrap="wrap",
            ),
            spacing="3", width="100%",
        ),
        on_submit=S.save_hours,
    ), width="100%")


def labelled(label: str, field_id: str, control: rx.Component, error_key: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font_size": "0.9em",
                                                     "font_weight": "500"}),
        control,
        field_error(S.exception_errors.get(error_key, ""), "exception-err-" + error_key),
        spacing="1",
    )


def exceptions_card() -> rx.Component:
    E = S.exception_errors
    return rx.card(rx.vstack(
        rx.heading(t("Exceptions (time off, extra hours)"), size="4", as_="h2"),
        rx.text(t("Dates and times in the business time zone, "), S.zone_label, ".", size="2",
                color=MUTED),
        rx.form(rx.flex(
            labelled(t("Date"), "exception-day", rx.input(
                id="exception-day", name="day", type="date", required=True,
                aria_describedby="exception-err-day"), "day"),
            labelled(t("Kind"), "exception-kind", rx.el.select(
                rx.el.option(t("Time off"), value="off"),
                rx.el.option(t("Extra hours"), value="extra"),
                id="exception-kind", name="kind", value=S.exception_kind,
                on_change=S.set_exception_kind, aria_describedby="exception-err-kind",
                style={"padding": "0.35em"}), "kind"),
            rx.cond(S.exception_kind == "off", labelled(t("All day"), "exception-all-day",
                rx.checkbox(id="exception-all-day", name="all_day", checked=S.exception_all_day,
                            on_change=S.set_exception_all_day,
                            aria_describedby="exception-err-all_day"), "all_day")),
            rx.cond((S.exception_kind == "extra") | ~S.exception_all_day, rx.fragment(
                labelled(t("From"), "exception-start", rx.el.input(
                    id="exception-start", name="start", type="time", step=300,
                    aria_describedby="exception-err-start",
                    aria_invalid=rx.cond(E.get("start", "") != "", "true", "false")), "start"),
                labelled(t("To"), "exception-end", rx.el.input(
                    id="exception-end", name="end", type="time", step=300,
                    aria_describedby="exception-err-end",
                    aria_invalid=rx.cond(E.get("end", "") != "", "true", "false")), "end"),
            )),
            labelled(t("Note"), "exception-note", rx.input(
                id="exception-note", name="note", aria_describedby="exception-err-note"),
                "note"),
            rx.button(t("Add exception"), type="submit", variant="soft"),
            wrap="wrap", spacing="3", align="end",
        ), on_submit=S.add_exception, reset_on_submit=True),
        rx.cond(S.exceptions.length() == 0,
                rx.text(t("No exceptions from today on."), size="2", color=MUTED)),
        rx.foreach(S.exceptions, lambda e: rx.hstack(
            rx.text(e["day"], weight="medium"), rx.badge(e["kind"]),
            rx.text(e["times"], size="2"),
            rx.text(e["note"], size="2", color=MUTED),
            rx.button(t("Remove"), size="1", variant="ghost", color_scheme="red",
                      aria_label=e["label"], on_click=S.remove_exception(e["id"])),
            align="center", wrap="wrap", spacing="2")),
        spacing="3", width="100%",
    ), width="100%")


def preview_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("Bookable times, next 7 days"), size="4", as_="h2"),
        rx.cond(S.service_options.length() > 0, rx.hstack(
            rx.el.label(t("Service"), html_for="preview-service"),
            rx.el.select(rx.foreach(S.service_options,
                                    lambda o: rx.el.option(o["name"], value=o["id"])),
                         id="preview-service", value=S.service_id,
                         on_change=S.pick_service, style={"padding": "0.35em"}),
            align="center", spacing="2")),
        rx.text(t("What clients can book with this staff member, in "), S.zone_label,
                t(" (notice, bookings and exceptions included)."), size="2", color=MUTED),
        notice_callout(S.preview_note),
        rx.el.section(
            rx.foreach(S.preview, lambda d: rx.vstack(
                rx.heading(d["heading"], size="3", as_="h3"),
                rx.cond(d["times"].to(list[str]).length() == 0,
                        rx.text(t("No bookable times"), size="2", color=MUTED),
                        rx.flex(rx.foreach(d["times"].to(list[str]),
                                           lambda t: rx.badge(t, variant="soft", size="2")),
                                wrap="wrap", spacing="1")),
                role="group", aria_label=d["heading"], spacing="1", width="100%")),
            aria_label=t("Preview of bookable times"),
            style={"display": "flex", "flex_direction": "column", "gap": "0.75em",
                   "width": "100%"},
        ),
        spacing="3", width="100%",
    ), width="100%")


def availability_page() -> rx.Component:
    return console_shell(
        t("Availability"),
        rx.hstack(
            rx.el.label(t("Staff member"), html_for="staff-pick"),
            rx.el.select(rx.foreach(S.staff_options,
                                    lambda o: rx.el.option(o["name"], value=o["id"])),
                         id="staff-pick", value=S.staff_id, on_change=S.pick_staff,
                         style={"padding": "0.35em"}),
            align="center", spacing="2",
        ),
        weekly_hours_card(),
        exceptions_card(),
        preview_card(),
    )
