"""The calendar's dialogs: new booking, a booking's details, confirming a move."""

import reflex as rx

from components.console_new_client import email_ok_choice, invite_choice
from components.dialogs import focus_return
from components.i18n import t
from state.console_calendar import CalendarState


def _field_error(message, field_id: str) -> rx.Component:
    return rx.cond(message != "", rx.text(message, id=field_id, role="alert", color="red",
                                          size="2"))


def _client_input(label, name: str, **props) -> rx.Component:
    """A labelled field of the "New client" form, its refusal said under it."""
    S = CalendarState
    field_id, error_id = f"new-client-{name}", f"new-client-{name}-error"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font_weight": "500"}),
        rx.input(id=field_id, name=name, auto_complete="off", width="100%",
                 aria_describedby=error_id,
                 aria_invalid=rx.cond(S.new_client_error_field == name, "true", "false"),
                 **props),
        rx.cond(S.new_client_error_field == name, _field_error(S.new_client_error, error_id)),
        spacing="1", width="100%",
    )


def new_client_form() -> rx.Component:
    """"New client" inside the dialog: the clients list's questions (time zone: the
    business's); once created, the client is the one picked for the booking."""
    S = CalendarState
    return rx.form(
        rx.vstack(
            rx.heading(t("New client"), as_="h3", size="3"),
            rx.cond(S.new_client_error_field == "form",
                    _field_error(S.new_client_error, "new-client-form-error")),
            _client_input(t("Full name"), "full_name", default_value=S.new_query,
                          required=True),
            _client_input(t("Email"), "email", type="email"),
            _client_input(t("Mobile"), "mobile", type="tel", placeholder="+1 555 010 0200"),
            email_ok_choice(aria_describedby="new-client-email_ok-error"),
            rx.cond(S.new_client_error_field == "email_ok",
                    _field_error(S.new_client_error, "new-client-email_ok-error")),
            invite_choice(S.new_client_activation),
            rx.hstack(
                rx.button(t("Cancel"), variant="soft", type="button",
                          on_click=S.show_new_client(False)),
                rx.button(t("Create client"), type="submit"),
                justify="end", width="100%"),
            spacing="2", width="100%",
        ),
        on_submit=S.add_client,
        reset_on_submit=False,
        width="100%",
        padding="0.75em",
        border="1px solid var(--gray-6)",
        border_radius="var(--radius-3)",
        aria_label=t("New client"),
    )


def new_booking_dialog() -> rx.Component:
    S = CalendarState
    err = S.new_error
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("New booking")),
            rx.vstack(
                rx.text(rx.text.strong(t("Time")), ": ", S.new_when, size="2",
                        id="new-booking-when"),
                rx.cond(S.new_error_field == "start", _field_error(err, "new-when-error")),
                rx.el.label(t("Client"), html_for="new-booking-client",
                            style={"font_weight": "500"}),
                rx.cond(
                    S.new_client_name != "",
                    rx.hstack(rx.badge(S.new_client_name, size="2"),
                              rx.button(t("Change"), size="1", variant="ghost", type="button",
                                        on_click=S.clear_client),
                              align="center"),
                ),
                rx.input(id="new-booking-client", placeholder=t("Search by name or email"),
                         value=S.new_query, on_change=S.search_clients.debounce(250),
                         auto_complete="off", width="100%",
                         aria_describedby="new-client-error"),
                rx.cond(S.new_error_field == "client", _field_error(err, "new-client-error")),
                rx.cond(S.new_results.length() > 0, rx.vstack(
                    rx.foreach(S.new_results, lambda r: rx.button(
                        r["name"], rx.text(r["email"], size="1", color="var(--gray-11)"),
                        type="button", variant="soft", size="2", width="100%",
                        justify="start", aria_label=r["name"] + " " + r["email"],
                        on_click=S.pick_client(r["id"]))),
                    spacing="1", width="100%", role="list", aria_label=t("Clients found"))),
                rx.cond(
                    S.new_client_open,
                    new_client_form(),
                    rx.cond(S.new_client_name == "",
                            rx.button(rx.icon("user_plus", size=16), t("New client"),
                                      variant="ghost", size="2", type="button",
                                      on_click=S.show_new_client(True))),
                ),
                rx.form(
                    rx.vstack(
                        rx.el.label(t("Service"), html_for="new-booking-service",
                                    style={"font_weight": "500"}),
                        rx.el.select(
                            rx.foreach(S.new_services, lambda o: rx.el.option(
                                o["label"], value=o["id"])),
                            id="new-booking-service", name="service_id",
                            aria_describedby="new-service-error",
                            style={"min_height": "36px", "width": "100%"}),
                        rx.cond(S.new_error_field == "service",
                                _field_error(err, "new-service-error")),
                        rx.hstack(
                            rx.dialog.close(rx.button(t("Close"), variant="soft",
                                                      type="button")),
                            rx.button(t("Book"), type="submit"),
                            justify="end", width="100%"),
                        spacing="2", width="100%"),
                    on_submit=S.create_booking,
                    width="100%",
                ),
                spacing="2", width="100%",
            ),
            max_width="480px",
            **focus_return(),
        ),
        open=S.new_open,
        on_open_change=S.set_new_open,
    )


def booking_dialog() -> rx.Component:
    S = CalendarState
    d = S.detail
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(d["client"]),
            rx.vstack(
                rx.text(d["service"], " · ", d["staff"], size="2"),
                rx.text(d["when"], " – ", d["until"], size="2"),
                rx.badge(d["status_label"], color_scheme=rx.match(
                    d["status"], ("confirmed", "green"), ("pending", "amber"), "gray")),
                rx.cond(S.detail_error != "", rx.callout(S.detail_error, icon="triangle_alert",
                                                         color_scheme="red", role="alert",
                                                         width="100%")),
                rx.cond(d["pending"] == "yes", rx.vstack(
                    rx.button(t("Approve"), on_click=S.approve, width="100%"),
                    rx.form(rx.hstack(
                        rx.input(name="message", aria_label=t("Decline message"),
                                 placeholder=t("Message to the client (optional)"),
                                 width="100%"),
                        rx.button(t("Decline"), type="submit", variant="soft",
                                  color_scheme="red"),
                        spacing="2", width="100%"), on_submit=S.decline, width="100%"),
                    spacing="2", width="100%")),
                rx.cond(d["holds"] == "yes", rx.hstack(
                    rx.button(rx.icon("move", size=16), t("Move"), variant="soft",
                              on_click=S.start_move),
                    rx.button(t("Cancel booking"), variant="soft", color_scheme="red",
                              on_click=S.cancel),
                    spacing="2", wrap="wrap")),
                rx.cond(d["can_invoice"] == "yes",
                        rx.button(rx.icon("receipt", size=16), t("Create invoice"),
                                  variant="soft", on_click=S.create_invoice)),
                rx.cond(d["invoice_number"] != "",
                        rx.text(t("Invoiced: "), rx.link(d["invoice_number"],
                                                         href=d["invoice_url"]), size="2")),
                rx.cond((d["can_invoice"] != "yes") & (d["invoice_number"] == ""),
                        rx.link(t("New invoice for this client"), href=d["new_invoice_url"],
                                size="2")),
                rx.hstack(rx.link(t("Open client"), href=d["client_url"], size="2"),
                          rx.spacer(),
                          rx.dialog.close(rx.button(t("Close"), variant="soft",
                                                    type="button")),
                          width="100%", align="center"),
                spacing="3", width="100%",
            ),
            max_width="460px",
            **focus_return(),
        ),
        open=S.detail_open,
        on_open_change=S.set_detail_open,
    )


def move_dialog() -> rx.Component:
    S = CalendarState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Move booking")),
            rx.vstack(
                rx.text(S.moving_label, size="2"),
                rx.text(rx.text.strong(t("New time")), ": ", S.propose_when, size="2"),
                rx.cond(S.propose_error != "",
                        rx.callout(S.propose_error, icon="triangle_alert", color_scheme="red",
                                   role="alert", width="100%")),
                rx.hstack(
                    rx.button(t("Pick another time"), variant="soft", type="button",
                              on_click=S.set_propose_open(False)),
                    rx.button(t("Confirm move"), on_click=S.confirm_move,
                              disabled=S.propose_error != ""),
                    justify="end", width="100%", wrap="wrap"),
                spacing="3", width="100%",
            ),
            max_width="460px",
            **focus_return(),
        ),
        open=S.propose_open,
        on_open_change=S.set_propose_open,
    )
