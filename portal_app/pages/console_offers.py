"""Console → Offers (/console/offers): the list, the create / edit form, and one
offer's buyers with "Give to a client"."""

import reflex as rx

from components.console_bits import section
from components.console_shell import console_shell
from components.i18n import t
from portal_app.pages.console_forms.common import LABEL_STYLE, SELECT_STYLE, field_error
from state.console_offers import ConsoleOffersState as S

INPUT_STYLE = {**SELECT_STYLE, "width": "100%"}


def labelled(label, field_id: str, control: rx.Component, error=None) -> rx.Component:
    parts = [rx.el.label(label, html_for=field_id, style=LABEL_STYLE), control]
    if error is not None:
        parts.append(field_error(error))
    return rx.vstack(*parts, spacing="1", width="100%")


def checkbox(name, label, checked, box_id) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, id=box_id, default_checked=checked,
                    style={"width": "18px", "height": "18px"}),
        label, html_for=box_id,
        style={"display": "flex", "gap": "0.5em", "align_items": "center",
               "min_height": "32px"})


def offer_form() -> rx.Component:
    v = S.values
    return section(
        S.form_title,
        rx.form(rx.vstack(
            labelled(t("Name"), "offer-name", rx.el.input(
                id="offer-name", name="name", default_value=v["name"], max_length=120,
                required=True, style=INPUT_STYLE), S.errors["name"]),
            labelled(t("Description"), "offer-description", rx.el.textarea(
                id="offer-description", name="description", default_value=v["description"],
                rows="3", max_length=5000, style=INPUT_STYLE), S.errors["description"]),
            rx.hstack(
                labelled(t("Price (empty or 0 = free)"), "offer-price", rx.el.input(
                    id="offer-price", name="price", default_value=v["price"],
                    input_mode="decimal", style=INPUT_STYLE), S.errors["price"]),
                labelled(t("Access for (days; empty = no end)"), "offer-days", rx.el.input(
                    id="offer-days", name="access_days", default_value=v["access_days"],
                    input_mode="numeric", style=INPUT_STYLE), S.errors["access_days"]),
                labelled(t("Status"), "offer-status", rx.el.select(
                    rx.el.option(t("Draft"), value="draft"),
                    rx.el.option(t("Active"), value="active"),
                    rx.el.option(t("Archived"), value="archived"),
                    id="offer-status", name="status", default_value=v["status"],
                    style=INPUT_STYLE), S.errors["status"]),
                spacing="3", width="100%", wrap="wrap"),
            labelled(t("Booking this service gives the offer"), "offer-service", rx.el.select(
                rx.el.option(t("No service"), value=""),
                rx.foreach(S.services, lambda s: rx.el.option(s["name"], value=s["id"])),
                id="offer-service", name="service_id", default_value=v["service_id"],
                style=INPUT_STYLE), S.errors["service_id"]),
            checkbox("staff_only", t("Given by staff only (not listed to clients)"),
                     v["staff_only"] == "yes", "offer-staff-only"),
            rx.el.fieldset(
                rx.el.legend(t("Gives access to"), style=LABEL_STYLE),
                checkbox("item:app:courses", t("All courses"),
                         S.chosen.contains("app:courses"), "offer-item-all"),
                rx.foreach(S.courses, lambda c: checkbox(
                    "item:course:" + c["id"], c["title"],
                    S.chosen.contains("course:" + c["id"]), "offer-item-" + c["id"])),
                checkbox("item:app:community", t("All community groups"),
                         S.chosen.contains("app:community"), "offer-item-community"),
                rx.foreach(S.groups, lambda g: checkbox(
                    "item:group:" + g["id"], t("Group: ") + g["name"],
                    S.chosen.contains("group:" + g["id"]), "offer-item-group-" + g["id"])),
                field_error(S.errors["items"]),
                style={"border": "none", "padding": "0", "margin": "0"}),
            rx.hstack(rx.button(t("Save offer"), type="submit"),
                      rx.button(t("Cancel"), type="button", variant="soft",
                                on_click=S.close_form), spacing="2"),
            spacing="3", width="100%"),
            on_submit=S.save_offer, reset_on_submit=False, key=S.form_key.to_string()),
    )


def offer_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r["name"], weight="medium"),
                      rx.cond(r["staff_only"] == "yes",
                              rx.badge(t("Staff only"), variant="soft", margin_left="0.5em"))),
        rx.table.cell(r["price"]),
        rx.table.cell(rx.badge(r["status_label"], variant="soft", color_scheme=rx.match(
            r["status"], ("active", "green"), ("draft", "gray"), "amber"))),
        rx.table.cell(r["items"]),
        rx.table.cell(r["buyers"]),
        rx.table.cell(rx.hstack(
            rx.button(t("Buyers"), size="1", variant="soft",
                      aria_label=t("Buyers of ") + r["name"], on_click=S.show_offer(r["id"])),
            rx.button(t("Edit"), size="1", variant="soft", aria_label=t("Edit ") + r["name"],
                      on_click=S.edit_offer(r["id"])),
            rx.cond(r["status"] != "archived", rx.button(
                t("Archive"), size="1", variant="soft", color_scheme="red",
                aria_label=t("Archive ") + r["name"], on_click=S.archive_offer(r["id"]))),
            spacing="2", wrap="wrap")),
        key=r["id"])


def holder_row(h) -> rx.Component:
    return rx.table.row(
        rx.table.cell(h["client"]), rx.table.cell(h["status"]), rx.table.cell(h["date"]),
        rx.table.cell(rx.cond(h["can_keep"] == "yes", rx.button(
            t("Keep access"), size="1", variant="soft",
            aria_label=t("Keep access for ") + h["client"],
            on_click=S.keep_access(h["purchase_id"])))),
        key=h["key"])


def buyers_panel() -> rx.Component:
    return section(
        t("Buyers"),
        rx.heading(S.shown_name, size="3", as_="h3"),
        rx.cond(S.holders.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                t("Client"), t("Status"), t("Date"), "")])),
            rx.table.body(rx.foreach(S.holders, holder_row)), width="100%"),
            rx.text(t("No one has this offer yet."), color="var(--gray-11)")),
        rx.form(rx.hstack(
            rx.el.label(t("Give to a client"), html_for="offer-give-query", style=LABEL_STYLE),
            rx.el.input(id="offer-give-query", name="query", placeholder=t("Name or email"),
                        max_length=100, style={**SELECT_STYLE, "min_width": "16em"}),
            rx.button(t("Find"), type="submit", variant="soft"),
            spacing="2", align="center", wrap="wrap"), on_submit=S.find_clients),
        rx.foreach(S.client_hits, lambda c: rx.hstack(
            rx.text(c["name"]), rx.text(c["email"], size="2", color="var(--gray-11)"),
            rx.button(t("Give"), size="1", aria_label=t("Give to ") + c["name"],
                      on_click=S.give(c["id"])),
            spacing="3", align="center", key=c["id"])),
    )


def console_offers_page() -> rx.Component:
    return console_shell(
        t("Offers"),
        rx.text(t("An offer gives access to courses: free, for a price, by staff, or with "
                  "a booking of a service."), color="var(--gray-11)"),
        rx.cond(~S.form_open, rx.button(rx.icon("plus"), t("New offer"), on_click=S.new_offer)),
        rx.cond(S.form_open, offer_form()),
        rx.cond(S.offers.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                t("Offer"), t("Price"), t("Status"), t("Gives access to"), t("Buyers"), "")])),
            rx.table.body(rx.foreach(S.offers, offer_row)), width="100%"),
            rx.text(t("No offers yet."), color="var(--gray-11)")),
        rx.cond(S.shown_name != "", buyers_panel()),
    )
