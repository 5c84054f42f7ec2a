"""Console → Forms → Packets: forms sent together, their trigger and due rule."""

import reflex as rx

from components.i18n import t
from portal_app.pages.console_forms.common import (
    LABEL_STYLE,
    MUTED,
    field_error,
    labelled_select,
    options,
)
from state.console_forms.labels import DUE_NONE, DUE_RULES, SERVICE_BOOKED, TRIGGERS
from state.console_forms.packets import FormPacketsState as S


def packet_row(row) -> rx.Component:
    on = row["active"] == "yes"
    return rx.table.row(
        rx.table.cell(rx.text(row["name"], weight="bold")),
        rx.table.cell(row["forms"]),
        rx.table.cell(rx.vstack(rx.text(row["trigger"]),
                                rx.text(row["due"], size="1", color=MUTED), spacing="0")),
        rx.table.cell(rx.badge(rx.cond(on, t("On"), t("Off")), variant="soft",
                               color_scheme=rx.cond(on, "green", "gray"))),
        rx.table.cell(rx.hstack(
            rx.button(t("Edit"), size="1", variant="soft", on_click=S.edit_packet(row["id"]),
                      aria_label=t("Edit") + " " + row["name"]),
            rx.button(rx.cond(on, t("Turn off"), t("Turn on")), size="1", variant="ghost",
                      on_click=S.switch(row["id"], ~on)),
            spacing="2")),
        key=row["id"],
    )


def packet_form_line(f, i) -> rx.Component:
    return rx.hstack(
        rx.text(i + 1, ". ", f["title"], flex="1"),
        rx.button(rx.icon("arrow_up", size=14), size="1", variant="soft", type="button",
                  on_click=S.move_form(i, -1), aria_label=t("Move up") + " " + f["title"]),
        rx.button(rx.icon("arrow_down", size=14), size="1", variant="soft", type="button",
                  on_click=S.move_form(i, 1), aria_label=t("Move down") + " " + f["title"]),
        rx.button(t("Remove"), size="1", variant="ghost", color_scheme="red", type="button",
                  on_click=S.remove_form(i), aria_label=t("Remove") + " " + f["title"]),
        width="100%", align="center", spacing="2", key=f["id"],
    )


def packet_editor() -> rx.Component:
    return rx.card(rx.form(
        rx.vstack(
            rx.hstack(rx.heading(S.packet_heading, size="5", as_="h2"), rx.spacer(),
                      rx.button(t("Close"), variant="soft", type="button",
                                on_click=S.close_packet),
                      width="100%", align="center"),
            field_error(S.errors.get("form", "")),
            rx.el.label(t("Packet name"), html_for="packet-name", style=LABEL_STYLE),
            rx.input(id="packet-name", name="name", default_value=S.packet_name,
                     width="100%", max_length=200),
            field_error(S.errors.get("name", "")),
            rx.text(t("Forms, in the order the client fills them in"), style=LABEL_STYLE),
            rx.cond(S.packet_forms.length() > 0,
                    rx.vstack(rx.foreach(S.packet_forms, packet_form_line), width="100%",
                              spacing="2"),
                    rx.text(t("No forms in this packet yet."), color=MUTED, size="2")),
            rx.hstack(
                labelled_select(t("Add a form"), "packet-add",
                                rx.foreach(S.template_options,
                                           lambda o: rx.el.option(o["title"], value=o["id"])),
                                value=S.add_choice, on_change=S.choose_add, name="add_choice"),
                rx.button(t("Add"), variant="soft", type="button", on_click=S.add_form),
                align="end", spacing="2",
            ),
            field_error(S.errors.get("template_ids", "")),
            labelled_select(t("When it is sent"), "packet-trigger", *options(TRIGGERS),
                            value=S.trigger, on_change=S.set_trigger, name="trigger"),
            field_error(S.errors.get("trigger", "")),
            rx.cond(S.trigger == SERVICE_BOOKED, rx.vstack(
                labelled_select(t("Service"), "packet-service",
                                rx.el.option(t("Choose a service"), value=""),
                                rx.foreach(S.service_options,
                                           lambda o: rx.el.option(o["name"], value=o["id"])),
                                name="trigger_service_id", default_value=S.service_id),
                field_error(S.errors.get("trigger_service_id", "")),
                spacing="1")),
            rx.hstack(
                labelled_select(t("Due"), "packet-due", *options(DUE_RULES), value=S.due_rule,
                                on_change=S.set_due_rule, name="due_rule"),
                rx.cond(S.due_rule != DUE_NONE, rx.vstack(
                    rx.el.label(t("How many"), html_for="packet-due-amount",
                                style=LABEL_STYLE),
                    rx.input(id="packet-due-amount", name="due_amount", type="number",
                             default_value=S.due_amount, width="8em"),
                    spacing="1")),
                align="end", spacing="3", wrap="wrap",
            ),
            field_error(S.errors.get("due_amount", "")),
            field_error(S.errors.get("due_rule", "")),
            rx.button(t("Save packet"), type="submit"),
            spacing="3", width="100%",
        ),
        on_submit=S.save, key=S.packet_round, width="100%",
    ), width="100%")


def packets_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text(t("Forms sent together, in order, by hand or by themselves."),
                          color=MUTED),
                  rx.spacer(),
                  rx.button(rx.icon("plus", size=16), t("New packet"), on_click=S.new_packet),
                  width="100%", align="center"),
        rx.cond(S.packet_open, packet_editor()),
        rx.cond(
            S.packets.length() > 0,
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(t("Packet")),
                    rx.table.column_header_cell(t("Forms")),
                    rx.table.column_header_cell(t("When")),
                    rx.table.column_header_cell(t("State")),
                    rx.table.column_header_cell(""),
                )),
                rx.table.body(rx.foreach(S.packets, packet_row)),
                width="100%",
            ), overflow_x="auto", width="100%", role="region", aria_label=t("Packets")),
            rx.text(t("No packets yet."), color=MUTED),
        ),
        spacing="4", width="100%",
    )
