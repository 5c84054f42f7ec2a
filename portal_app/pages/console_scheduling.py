"""Console pages for scheduling: services, bookings (availability: console_availability)."""

import reflex as rx

from components.console_bits import labelled_checkbox
from components.console_shell import console_shell
from components.dialogs import focus_return
from components.forms import error_callout, text_field
from components.i18n import t
from components.superbill_fields import checked_field, field_message
from state.console_scheduling import ServicesState, StaffBookingsState

NUMBER_FIELDS = [
    ("Duration (minutes)", "duration_minutes"),
    ("Buffer before (minutes)", "buffer_before_minutes"),
    ("Buffer after (minutes)", "buffer_after_minutes"),
    ("Minimum notice (minutes)", "min_notice_minutes"),
    ("Book at most this many days ahead", "horizon_days"),
    ("No changes within (hours of the start)", "change_window_hours"),
]


def insurance_codes() -> rx.Component:
    """CPT code, place of service and modifiers: only while superbills are on."""
    S = ServicesState
    E = S.code_errors
    return rx.cond(S.superbills, rx.vstack(
        rx.text(t("For superbills"), weight="bold", size="2"),
        rx.grid(
            checked_field(t("CPT code"), "cpt_code", E, default_value=S.editing["cpt_code"],
                          placeholder="90834"),
            checked_field(t("Modifiers"), "modifiers", E, default_value=S.editing["modifiers"],
                          placeholder="95"),
            columns="2", spacing="2", width="100%",
        ),
        rx.el.label(t("Place of service"), html_for="field-pos_code",
                    style={"font_weight": "500", "font_size": "0.9em"}),
        rx.el.select(rx.foreach(S.pos_options, lambda o: rx.el.option(o["label"],
                                                                      value=o["value"])),
                     id="field-pos_code", name="pos_code", default_value=S.editing["pos_code"],
                     aria_describedby="field-err-pos_code", style={"padding": "0.5em"}),
        field_message(E.get("pos_code", ""), "field-err-pos_code"),
        spacing="1", width="100%",
    ))


def service_dialog() -> rx.Component:
    S = ServicesState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Service")),
            rx.form(
                rx.vstack(
                    error_callout(S.error),
                    text_field(t("Name"), "name", default_value=S.editing["name"]),
                    rx.el.label(t("Description"), html_for="field-description"),
                    rx.text_area(id="field-description", name="description",
                                 default_value=S.editing["description"], width="100%"),
                    text_field(t("Price"), "price", default_value=S.editing["price"]),
                    rx.grid(*[text_field(t(label), name, type="number",
                                         default_value=S.editing[name])
                              for label, name in NUMBER_FIELDS], columns="2", spacing="2",
                            width="100%"),
                    text_field(t("Location"), "location", required=False,
                               default_value=S.editing["location"]),
                    text_field(t("Video link (https://…)"), "video_link", required=False,
                               default_value=S.editing["video_link"]),
                    insurance_codes(),
                    labelled_checkbox(t("Needs our approval (a request, confirmed by staff)"),
                                      "needs_approval", S.editing["needs_approval"] != ""),
                    labelled_checkbox(t("Offered to clients"), "active", S.editing["active"] != ""),
                    rx.text(t("Provided by"), weight="bold", size="2"),
                    rx.foreach(S.staff_options, lambda o: rx.hstack(
                        rx.el.input(type="checkbox", name="provider-" + o["id"],
                                    id="provider-" + o["id"],
                                    default_checked=S.editing_providers.contains(o["id"])),
                        rx.el.label(o["name"], html_for="provider-" + o["id"]), align="center")),
                    rx.hstack(rx.dialog.close(rx.button(t("Close"), variant="soft", type="button")),
                              rx.button(t("Save service"), type="submit"), justify="end",
                              width="100%"),
                    spacing="2",
                ),
                on_submit=S.save,
                key=S.editing.to_string(),
            ),
            max_width="560px",
            **focus_return(),
        ),
        open=S.dialog_open,
        on_open_change=S.set_dialog_open,
    )


def services_page() -> rx.Component:
    S = ServicesState
    return console_shell(
        t("Services"),
        rx.button(rx.icon("plus"), t("New service"), on_click=S.edit("")),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                t("Service"), t("Duration"), t("Price"), t("Booking"), t("Shown"), "")])),
            rx.table.body(rx.foreach(S.rows, lambda r: rx.table.row(
                rx.table.cell(r["name"]), rx.table.cell(r["duration"]),
                rx.table.cell(r["price"]), rx.table.cell(r["approval"]),
                rx.table.cell(r["active"]),
                rx.table.cell(rx.button(t("Edit"), size="1", variant="soft",
                                        aria_label=t("Edit ") + r["name"],
                                        on_click=S.edit(r["id"])))))),
            width="100%",
        ),
        service_dialog(),
    )


def booking_invoice_action(b) -> rx.Component:
    """A booking that took place: its invoice, or the button that drafts one."""
    return rx.cond(
        b["invoice_number"] != "",
        rx.text(t("Invoiced: "), rx.link(b["invoice_number"], href=b["invoice_url"]), size="2"),
        rx.button(rx.icon("receipt", size=16), t("Create invoice"), size="1", variant="soft",
                  aria_label=t("Create invoice for ") + b["client"] + " " + b["when"],
                  on_click=StaffBookingsState.invoice_booking(b["id"])),
    )


def staff_bookings_page() -> rx.Component:
    S = StaffBookingsState
    # The list is the open tab's panel, so each tab controls an element that exists.
    return console_shell(
        t("Bookings"),
        rx.tabs.root(
            rx.tabs.list(rx.tabs.trigger(t("Upcoming"), value="all"),
                         rx.tabs.trigger(t("Pending requests"), value="pending"),
                         rx.tabs.trigger(t("Recently ended"), value="ended"),
                         rx.tabs.trigger(t("Cancelled"), value="cancelled")),
            rx.tabs.content(staff_bookings_panel(), value=S.view, padding_top="0.75em"),
            value=S.view, on_change=S.show, width="100%",
        ),
    )


def staff_bookings_panel() -> rx.Component:
    S = StaffBookingsState
    return rx.vstack(
        rx.text(t("Times in "), S.zone, ".", size="1", color="var(--gray-11)"),
        rx.cond(S.for_client_id != "", rx.card(rx.form(rx.vstack(
            rx.heading(t("New booking for "), S.for_client_name, size="4", as_="h2"),
            error_callout(S.error),
            rx.hstack(
                rx.el.select(rx.foreach(S.services, lambda o: rx.el.option(o["name"],
                                                                           value=o["id"])),
                             name="service_id", aria_label=t("Service")),
                rx.input(type="datetime-local", name="start", aria_label=t("Start"), required=True),
                rx.button(t("Book"), type="submit"),
                spacing="2", wrap="wrap"),
            spacing="2"), on_submit=S.create_for_client, reset_on_submit=True), width="100%")),
        rx.cond(S.rows.length() == 0, rx.text(t("Nothing here."), color="var(--gray-11)")),
        rx.foreach(S.rows, lambda b: rx.card(rx.vstack(
            rx.hstack(rx.text(b["when"], weight="bold"), rx.spacer(),
                      rx.badge(b["status_label"], color_scheme=rx.match(
                          b["status"], ("confirmed", "green"), ("pending", "amber"), "gray")),
                      width="100%"),
            rx.text(b["client"], " · ", b["service"], " · ", b["staff"], size="2"),
            rx.cond(b["status"] == "pending", rx.hstack(
                rx.button(t("Approve"), on_click=S.approve(b["id"]),
                          aria_label=t("Approve ") + b["client"] + " " + b["when"]),
                rx.form(rx.hstack(
                    rx.input(type="hidden", name="booking_id", value=b["id"]),
                    rx.input(name="message", placeholder=t("Message to the client (optional)"),
                             aria_label=t("Decline message"), width="260px"),
                    rx.button(t("Decline"), type="submit", variant="soft", color_scheme="red"),
                    spacing="2"), on_submit=S.decline),
                spacing="2", wrap="wrap")),
            rx.cond(b["ended"] == "yes", booking_invoice_action(b)),
            rx.cond((b["status"] == "confirmed") & (b["ended"] != "yes"), rx.hstack(
                rx.form(rx.hstack(
                    rx.input(type="hidden", name="booking_id", value=b["id"]),
                    rx.input(type="datetime-local", name="start", required=True,
                             aria_label=t("New start for ") + b["client"]),
                    rx.button(t("Move"), type="submit", size="1", variant="soft"),
                    spacing="2"), on_submit=S.move, reset_on_submit=True),
                rx.button(t("Cancel booking"), size="1", variant="ghost", color_scheme="red",
                          on_click=S.cancel(b["id"])),
                spacing="2", wrap="wrap", align="center")),
            spacing="2", width="100%",
        ), width="100%")),
        spacing="4", width="100%",
    )
