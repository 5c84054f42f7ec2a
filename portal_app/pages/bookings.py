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
                rx.heading(b["service"], size="4", as_="h3"),
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
                    # Reflex renders it as a React Router link: reloadDocument hands /api to the browser.
                    rx.el.a(rx.button(t("Add to calendar"), variant="ghost", tab_index=-1),
                            href=routes.API_BOOKING_ICS + "?id=" + b["id"], download=True,
                            custom_attrs={"reloadDocument": True}),
                    spacing="2", wrap="wrap",
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


def slot_picker() -> rx.Component:
    services = rx.vstack(
        rx.text(t("Choose a service"), weight="bold"),
        rx.foreach(S.services, lambda s: rx.button(
            rx.vstack(rx.text(s["name"], weight="bold"),
                      rx.text(s["duration"], " ", s["price"],
                              rx.cond(s["approval"] != "", t(" · needs our approval"), ""),
                              size="1"),
                      align="start", spacing="0"),
            variant=rx.cond(S.service_id == s["id"], "solid", "outline"), width="100%",
            justify="start", height="auto", padding="0.6em",
            on_click=S.choose_service(s["id"]))),
        width="100%",
    )
    times = rx.vstack(
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
            rx.foreach(S.slot_days, lambda d: rx.vstack(
                rx.text(d["day"], weight="bold", size="2"),
                rx.flex(rx.foreach(d["slots"].to(list[dict[str, str]]), lambda t: rx.button(
                    t["label"], size="2",
                    variant=rx.cond(S.chosen_slot == t["value"], "solid", "soft"),
                    aria_label=t["long"], on_click=S.choose_slot(t["value"], t["long"]))),
                    wrap="wrap", gap="2"),
                spacing="1", width="100%")),
            rx.text(t("No free times in these days. "),
                    rx.link(t("Don't see availability? Get in touch with us."),
                            href=routes.MESSAGES), size="2"),
        ),
        spacing="3", width="100%",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.mode == "reschedule", t("Choose a new time"),
                                    t("Book an appointment"))),
            rx.vstack(
                error_callout(S.error),
                rx.cond(S.mode == "book", services, rx.text(S.service_name, weight="bold")),
                rx.cond(S.service_id != "", times),
                rx.cond(S.chosen_slot != "", rx.callout(S.chosen_label, icon="calendar",
                                                        role="status")),
                rx.hstack(
                    rx.dialog.close(rx.button(t("Close"), variant="soft")),
                    rx.button(rx.cond(S.mode == "reschedule", t("Move booking"), t("Confirm booking")),
                              disabled=S.chosen_slot == "", on_click=S.confirm),
                    justify="end", width="100%", spacing="2",
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
