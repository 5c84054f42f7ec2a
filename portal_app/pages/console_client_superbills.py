"""The superbills section of the console's client page: requests, held and issued
superbills, "Produce superbill" for a range, and the pre-flight's list of what is
missing (each with a link to where it is fixed); and the open requests in Billing."""

import reflex as rx

from components.console_bits import section
from components.i18n import t
from portal_app.pages.console_forms.common import LABEL_STYLE, MUTED, SELECT_STYLE, field_error
from state.console_superbills import ClientSuperbillsState as B
from state.console_superbills import SuperbillRequestsState as Q

CHOICES = (("last_month", "Last month"), ("this_month", "This month"),
           ("custom", "Custom range"))
INPUT_STYLE = {**SELECT_STYLE, "width": "100%"}


def superbill_line(row) -> rx.Component:
    return rx.hstack(
        rx.icon("file_text", size=20, aria_hidden="true"),
        rx.vstack(
            rx.hstack(rx.text(row["days"], weight="bold"),
                      rx.badge(row["status_label"], variant="soft", color_scheme=rx.match(
                          row["status"], ("issued", "green"), ("held", "red"), "amber")),
                      spacing="2", align="center", wrap="wrap"),
            rx.text(row["source"], " · ", row["at"], size="1", color=MUTED),
            rx.cond(row["note"] != "", rx.text(row["note"], size="2")),
            spacing="1", flex="1", min_width="0"),
        rx.cond(row["pdf"] != "",
                rx.el.a(t("PDF"), href=row["pdf"], download=True,
                        custom_attrs={"reloadDocument": True},
                        aria_label=t("Download the superbill of") + " " + row["days"])),
        rx.cond(row["open"] == "yes",
                rx.button(t("Produce"), size="1", variant="soft",
                          on_click=B.produce_request(row["id"]),
                          aria_label=t("Produce the superbill of") + " " + row["days"])),
        spacing="3", align="start", width="100%", key=row["id"])


def problems_callout() -> rx.Component:
    return rx.cond(B.problems.length() > 0, rx.callout.root(
        rx.callout.icon(rx.icon("triangle_alert")),
        rx.vstack(
            rx.text(t("Missing before this superbill can be issued:"), weight="bold"),
            rx.el.ul(rx.foreach(B.problems, lambda p: rx.el.li(rx.cond(
                p["link"] != "", rx.link(p["text"], href=p["link"]), rx.text(p["text"]))))),
            spacing="1"),
        color_scheme="red", role="alert", width="100%"))


def produce_form() -> rx.Component:
    return rx.form(rx.hstack(
        rx.vstack(rx.el.label(t("Range"), html_for="sbc-choice", style=LABEL_STYLE),
                  rx.el.select(*[rx.el.option(t(label), value=v) for v, label in CHOICES],
                               id="sbc-choice", name="choice", value=B.choice,
                               on_change=B.choose, style=SELECT_STYLE),
                  field_error(B.errors["choice"]), spacing="1"),
        rx.cond(B.choice == "custom", rx.hstack(
            rx.vstack(rx.el.label(t("First day"), html_for="sbc-start", style=LABEL_STYLE),
                      rx.el.input(type="date", id="sbc-start", name="start", style=INPUT_STYLE),
                      field_error(B.errors["start"]), spacing="1"),
            rx.vstack(rx.el.label(t("Last day"), html_for="sbc-end", style=LABEL_STYLE),
                      rx.el.input(type="date", id="sbc-end", name="end", style=INPUT_STYLE),
                      field_error(B.errors["end"]), spacing="1"),
            spacing="3")),
        rx.button(rx.icon("file_check", size=16), t("Produce superbill"), type="submit"),
        spacing="3", align="end", wrap="wrap", width="100%"), on_submit=B.produce,
        reset_on_submit=False)


def client_superbills_section() -> rx.Component:
    return rx.cond(B.enabled, section(
        t("Superbills"),
        produce_form(),
        problems_callout(),
        rx.cond(B.superbill_rows.length() > 0,
                rx.vstack(rx.foreach(B.superbill_rows, superbill_line), spacing="3",
                          width="100%"),
                rx.text(t("No superbills yet."), size="2", color=MUTED)),
    ))


def request_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["client"], href=row["link"])),
        rx.table.cell(row["days"]),
        rx.table.cell(rx.badge(row["status_label"], variant="soft", color_scheme=rx.match(
            row["status"], ("held", "red"), "amber"))),
        rx.table.cell(row["at"]), rx.table.cell(row["note"]), key=row["id"])


def superbill_requests_section() -> rx.Component:
    return rx.cond(Q.request_rows.length() > 0, section(
        t("Superbill requests"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                t("Client"), t("Range"), t("Status"), t("Asked"), t("Note"))])),
            rx.table.body(rx.foreach(Q.request_rows, request_row)), width="100%"),
    ))
