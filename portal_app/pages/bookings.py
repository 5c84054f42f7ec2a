"""/bookings (seed 001): Upcoming and Past tabs, the "+" button to book, and
Reschedule / Cancel under each upcoming booking (or the reason they are not
possible, with the contact link)."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.dialogs import focus_return
from components.forms import error_callout
from components.i18n import t
from portal_app import routes
from state.bookings import BookingsState as S


def booking_card(b) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(b["service"], size="4", as_="h2"),  # under the h1: no level skipped
                rx.spacer(),
                rx.badge(b["status_label"],
                         color_scheme=rx.match(b["status"], ("confirmed", "green"),
                                               ("pending", "amber"), "gray")),
                width="100%", align="center",
            ),
            rx.text(b["when"]),
            rx.cond(b["staff"] != "", rx.text(t("With "), b["staff"], size="2",
                                              color="var(--gray-11)")),
            rx.cond(b["location"] != "", rx.text(b["location"], size="2", color="var(--gray-11)")),
            rx.cond(
                b["can_change"] != "",
                rx.hstack(
                    rx.button(t("Reschedule"), variant="soft", on_click=S.start_reschedule(b["id"])),
                    rx.alert_dialog.root(
                        rx.alert_dialog.trigger(rx.button(t("Cancel"), variant="soft",
                                                          color_scheme="red")),
                        rx.alert_dialog.content(
                            rx.alert_dialog.title(t("Cancel this booking?")),
                            rx.alert_dialog.description(b["service"] + ", " + b["when"]),
                            rx.hstack(
                                rx.alert_dialog.cancel(rx.button(t("Keep it"), variant="soft")),
                                rx.alert_dialog.action(rx.button(
                                    t("Cancel booking"), color_scheme="red",
                                    on_click=S.cancel(b["id"]))),
                                justify="end", spacing="2"),
                        ),
                    ),
                    # A link drawn as a button (as_child), the same size and line as the
                    # others. Reflex renders it as a React Router link: reloadDocument
                    # hands /api to the browser.
                    rx.button(rx.el.a(rx.icon("calendar_plus", size=16, flex_shrink="0"),
                                      t("Add to calendar"),
                                      href=routes.API_BOOKING_ICS + "?id=" + b["id"],
                                      download=True, custom_attrs={"reloadDocument": True}),
                              variant="soft", color_scheme="gray", as_child=True),
                    spacing="2", wrap="wrap", align="center",
                ),
                rx.cond(
                    b["reason"] != "",
                    rx.callout(rx.text(b["reason"], " ",
                                       rx.link(t("Get in touch with us"), href=routes.MESSAGES)),
                               icon="info", size="1"),
                ),
            ),
            spacing="2", width="100%",
        ),
        width="100%",
    )


def service_step() -> rx.Component:
    """Step 1 (booking only): the services, each with its length and price."""
    return rx.vstack(
        rx.text(t("Choose a service"), weight="bold"),
        rx.foreach(S.services, lambda s: rx.button(
            rx.vstack(rx.text(s["name"], weight="bold"),
                      rx.text(s["detail"],
                              rx.cond(s["approval"] != "", t(" · needs our approval"), ""),
                              size="1"),
                      align="start", spacing="0"),
            variant="outline", width="100%", justify_content="flex-start", height="auto",
            padding="0.6em", on_click=S.choose_service(s["id"]))),
        spacing="2", width="100%",
    )


def day_chip(d) -> rx.Component:
    chosen = S.chosen_day == d["key"]
    return rx.button(
        rx.vstack(rx.text(d["weekday"], size="1"), rx.text(d["date"], size="2", weight="bold"),
                  spacing="0", align="center"),
        variant=rx.cond(chosen, "solid", "soft"), height="auto", min_width="4.5rem",
        padding="0.35em 0.5em", aria_pressed=rx.cond(chosen, "true", "false"),
        auto_focus=chosen, on_click=S.choose_day(d["key"]),
    )


def day_times(d) -> rx.Component:
    """The chosen day's free times, in a grid: equal columns, gaps between them."""
    return rx.cond(
        d["key"] == S.chosen_day,
        rx.vstack(
            rx.text(d["day"], weight="bold", size="2"),
            rx.box(
                rx.foreach(d["slots"].to(list[dict[str, str]]), lambda x: rx.button(
                    x["label"], size="2", variant="soft", width="100%",
                    aria_label=x["long"], on_click=S.choose_slot(x["value"], x["long"]))),
                display="grid", grid_template_columns="repeat(auto-fill, minmax(5.5rem, 1fr))",
                gap="0.5rem", width="100%", role="group", aria_label=d["day"],
            ),
            spacing="2", width="100%",
        ),
    )


def time_step() -> rx.Component:
    """Step 2: a date strip (a week at a time), then the chosen day's times."""
    return rx.vstack(
        rx.hstack(
            rx.cond(S.mode == "book",
                    rx.button(rx.icon("arrow_left", size=16), t("Back"), variant="ghost",
                              size="1", on_click=S.step_back)),
            rx.text(S.service_name, weight="bold"),
            spacing="3", align="center", width="100%",
        ),
        rx.hstack(
            rx.button(t("Earlier"), variant="ghost", size="1", on_click=S.shift_days(-1)),
            rx.spacer(),
            rx.text(t("Times in "), S.zone_label, size="1", color="var(--gray-11)"),
            rx.spacer(),
            rx.button(t("Later"), variant="ghost", size="1", on_click=S.shift_days(1)),
            width="100%", align="center",
        ),
        rx.cond(
            S.slot_days.length() > 0,
            rx.fragment(
                rx.flex(rx.foreach(S.slot_days, day_chip), wrap="wrap", spacing="2", width="100%",
                        role="group", aria_label=t("Days")),
                rx.foreach(S.slot_days, day_times),
            ),
            rx.text(t("No free times in these days. "),
                    rx.link(t("Don't see availability? Get in touch with us."),
                            href=routes.MESSAGES), size="2"),
        ),
        spacing="3", width="100%",
    )


def confirm_step() -> rx.Component:
    """Step 3: what will be booked, and the button that books it (in sight on a phone)."""
    return rx.vstack(
        rx.callout.root(
            rx.callout.icon(rx.icon("calendar")),
            rx.vstack(rx.text(S.service_name, weight="bold"), rx.text(S.chosen_label),
                      rx.text(S.service_detail, size="2", color="var(--gray-11)"),
                      spacing="1"),
            role="status", width="100%",
        ),
        # Confirm first (focus lands on it): on a phone a column with Confirm on top,
        # wider a row with Confirm at the right end.
        rx.flex(
            rx.button(rx.cond(S.mode == "reschedule", t("Move booking"), t("Confirm booking")),
                      on_click=S.confirm, auto_focus=True, width=["100%", "auto"]),
            rx.button(t("Change time"), variant="soft", on_click=S.step_back,
                      width=["100%", "auto"]),
            rx.dialog.close(rx.button(t("Close"), variant="soft", color_scheme="gray",
                                      width=["100%", "auto"])),
            direction=rx.breakpoints(initial="column", xs="row-reverse"), spacing="2",
            width="100%",
        ),
        spacing="3", width="100%",
    )


def slot_picker() -> rx.Component:
    """Book or move: service, then day and time, then confirm; one step at a time, so
    the Confirm button is never below a list of times."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.mode == "reschedule", t("Choose a new time"),
                                    t("Book an appointment"))),
            rx.vstack(
                error_callout(S.error),
                rx.cond(
                    S.chosen_slot != "",
                    confirm_step(),
                    rx.fragment(
                        rx.cond(S.service_id != "", time_step(), service_step()),
                        rx.hstack(rx.dialog.close(rx.button(t("Close"), variant="soft")),
                                  justify="end", width="100%"),
                    ),
                ),
                spacing="3", width="100%",
            ),
            max_width="640px",
            **focus_return(),
        ),
        open=S.picker_open,
        on_open_change=S.set_picker_open,
    )


def booking_list() -> rx.Component:
    return rx.cond(S.rows.length() > 0,
                   rx.vstack(rx.foreach(S.rows, booking_card), spacing="3", width="100%"),
                   empty_state("calendar", rx.cond(S.tab == "upcoming",
                                                   t("You have no upcoming bookings."),
                                                   t("No past bookings."))))


def bookings_page() -> rx.Component:
    return client_shell(
        S,
        t("Bookings"),
        rx.tabs.root(
            rx.hstack(
                rx.tabs.list(rx.tabs.trigger(t("Upcoming"), value="upcoming"),
                             rx.tabs.trigger(t("Past"), value="past")),
                rx.spacer(),
                rx.button(rx.icon("plus"), t("Book"), on_click=S.start_booking,
                          aria_label=t("Book an appointment")),
                width="100%", align="center",
            ),
            # One panel, always the open tab's: the list the server filtered for it.
            rx.tabs.content(booking_list(), value=S.tab, padding_top="1em"),
            value=S.tab, on_change=S.show_tab, width="100%",
        ),
        rx.text(t("Times are shown in "), S.zone_label, ".", size="1", color="var(--gray-11)"),
        slot_picker(),
    )
