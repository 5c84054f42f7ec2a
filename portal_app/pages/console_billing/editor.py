"""/console/invoice: a draft's form, or a sent document with its payments,
refunds and staff actions (the dialogs are in `dialogs.py`)."""

import reflex as rx

from components.console_shell import console_shell
from components.forms import text_field
from components.i18n import t
from portal_app import routes
from portal_app.pages.console_billing.dialogs import payment_dialog, refund_dialog, send_dialog
from portal_app.pages.console_billing.parts import field_error, invoice_status_badge, totals_row
from state.console_billing import InvoiceEditorState as E

# --- a draft ------------------------------------------------------------------------------


def draft_field(label: str, name: str, **props) -> rx.Component:
    return rx.vstack(
        text_field(label, name, required=False, default_value=E.draft[name],
                   on_blur=lambda value: E.set_field(name, value), **props),
        field_error(E.errors[name]),
        spacing="1", width="100%",
    )


def client_picker() -> rx.Component:
    return rx.vstack(
        rx.el.label(t("Client"), html_for="field-client_id",
                    style={"font_weight": "500", "font_size": "0.9em"}),
        rx.el.select(
            rx.el.option(t("Choose a client…"), value=""),
            rx.foreach(E.client_options, lambda o: rx.el.option(o["name"], value=o["id"])),
            id="field-client_id", value=E.draft["client_id"],
            on_change=lambda value: E.set_field("client_id", value),
            style={"width": "100%", "padding": "0.5em"},
        ),
        field_error(E.errors["client_id"]),
        rx.form(
            rx.hstack(
                rx.input(name="client_search", placeholder=t("Name or email"),
                         aria_label=t("Find a client"), size="1", width="200px"),
                rx.button(t("Find client"), type="submit", size="1", variant="soft"),
                spacing="2", align="center",
            ),
            on_submit=E.find_clients,
        ),
        spacing="1", width="100%",
    )


def line_editor_row(ln) -> rx.Component:
    def on_blur(field: str):
        return lambda value: E.set_line(ln["key"], field, value)

    return rx.table.row(
        rx.table.cell(rx.input(default_value=ln["description"], on_blur=on_blur("description"),
                               aria_label=t("Description, line ") + ln["n"], width="100%"),
                      min_width="220px"),
        rx.table.cell(rx.input(default_value=ln["quantity"], on_blur=on_blur("quantity"),
                               input_mode="decimal", aria_label=t("Quantity, line ") + ln["n"],
                               width="80px")),
        rx.table.cell(rx.input(default_value=ln["unit_price"], on_blur=on_blur("unit_price"),
                               input_mode="decimal", aria_label=t("Unit price, line ") + ln["n"],
                               width="110px")),
        rx.table.cell(rx.vstack(
            rx.text(ln["amount"]),
            rx.cond(ln["error"] != "", rx.text(ln["error"], color_scheme="red", size="1")),
            spacing="1")),
        rx.table.cell(rx.icon_button(rx.icon("trash-2", size=16), variant="ghost",
                                     color_scheme="red", aria_label=t("Remove line ") + ln["n"],
                                     on_click=E.remove_line(ln["key"]))),
        key=ln["key"],
    )


def delete_draft_button() -> rx.Component:
    return rx.cond(
        E.is_new,
        rx.button(t("Discard"), variant="ghost", color_scheme="red",
                  on_click=rx.redirect(routes.CONSOLE_INVOICES)),
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(rx.button(t("Delete draft"), variant="ghost",
                                              color_scheme="red")),
            rx.alert_dialog.content(
                rx.alert_dialog.title(t("Delete this draft?")),
                rx.alert_dialog.description(E.inv["heading"], t(" is deleted for good.")),
                rx.hstack(
                    rx.alert_dialog.cancel(rx.button(t("Keep it"), variant="soft")),
                    rx.alert_dialog.action(rx.button(t("Delete draft"), color_scheme="red",
                                                     on_click=E.delete_draft)),
                    justify="end", spacing="2"),
            ),
        ),
    )


def draft_editor() -> rx.Component:
    return rx.vstack(
        rx.hstack(invoice_status_badge(E.inv["status"], E.inv["status_label"]),
                  rx.text(t("Nothing is sent to the client until you press Send."), size="2",
                          color="var(--gray-11)"),
                  align="center", spacing="3", wrap="wrap"),
        rx.card(rx.vstack(
            client_picker(),
            rx.grid(
                draft_field(t("Issue date"), "issue_date", type="date"),
                draft_field(t("Due date"), "due_date", type="date"),
                draft_field(t("Tax rate (%)"), "tax_rate", input_mode="decimal"),
                draft_field(t("Discount"), "discount", input_mode="decimal"),
                columns=rx.breakpoints(initial="1", sm="2", md="4"), spacing="3", width="100%",
            ),
            spacing="3", width="100%",
        ), width="100%"),
        rx.card(rx.vstack(
            rx.heading(t("Line items"), size="4", as_="h2"),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                    t("Description"), t("Quantity"), t("Unit price"), t("Amount"), "")])),
                rx.table.body(rx.foreach(E.lines, line_editor_row)),
                width="100%",
            ),
            field_error(E.errors["lines"]),
            rx.button(rx.icon("plus", size=16), t("Add line"), variant="soft", on_click=E.add_line),
            rx.vstack(
                totals_row(t("Subtotal"), E.preview["subtotal"]),
                rx.cond(E.preview["discount"] != "",
                        totals_row(t("Discount"), E.preview["discount"])),
                totals_row(E.preview["tax_label"], E.preview["tax"]),
                totals_row(t("Total"), E.preview["total"], bold=True),
                align="end", width="100%", spacing="1",
            ),
            spacing="3", width="100%",
        ), width="100%"),
        rx.vstack(
            rx.el.label(t("Notes (shown on the document)"), html_for="field-notes",
                        style={"font_weight": "500", "font_size": "0.9em"}),
            rx.text_area(id="field-notes", default_value=E.draft["notes"], width="100%",
                         on_blur=lambda value: E.set_field("notes", value)),
            field_error(E.errors["notes"]),
            spacing="1", width="100%",
        ),
        rx.hstack(
            rx.button(t("Save draft"), on_click=E.save),
            rx.button(rx.icon("send", size=16), t("Send to client"), variant="soft",
                      on_click=E.set_send_open(True)),
            rx.spacer(),
            delete_draft_button(),
            width="100%", spacing="2", wrap="wrap",
        ),
        spacing="4", width="100%",
        key=E.version.to_string(),
    )


# --- a sent document ----------------------------------------------------------------------


def document_lines() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
            t("Description"), t("Quantity"), t("Unit price"), t("Amount"))])),
        rx.table.body(rx.foreach(E.lines, lambda ln: rx.table.row(
            rx.table.cell(ln["description"]), rx.table.cell(ln["quantity"]),
            rx.table.cell(ln["unit_price"]), rx.table.cell(ln["amount"])))),
        width="100%", variant="surface",
    )


def payment_row(p) -> rx.Component:
    return rx.table.row(
        rx.table.cell(p["number"]),
        rx.table.cell(p["date"]),
        rx.table.cell(p["amount"]),
        rx.table.cell(p["method"]),
        rx.table.cell(rx.cond(p["refunded"] != "", p["refunded"], "—")),
        rx.table.cell(rx.vstack(
            rx.cond(p["flag"] != "", rx.badge(rx.icon("triangle_alert", size=14), p["flag"],
                                              color_scheme="amber", variant="soft")),
            rx.cond(p["note"] != "", rx.text(p["note"], size="1", color="var(--gray-11)")),
            spacing="1")),
        rx.table.cell(rx.cond(p["can_refund"] == "yes", rx.button(
            p["refund_label"], size="1", variant="soft",
            aria_label=p["refund_label"] + " " + p["number"],
            on_click=E.open_refund(p["id"])))),
    )


def payments_section() -> rx.Component:
    return rx.cond(E.payments.length() > 0, rx.vstack(
        rx.heading(t("Payments"), size="4", as_="h2"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                t("Receipt"), t("Date"), t("Amount"), t("Method"), t("Refunded"), t("Notes"), "")])),
            rx.table.body(rx.foreach(E.payments, payment_row)),
            width="100%",
        ),
        spacing="2", width="100%",
    ))


def void_button() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("Void"), variant="soft", color_scheme="red")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Void "), E.inv["heading"], "?"),
            rx.alert_dialog.description(
                t("A void document stays on record but is no longer owed or shown to the "
                "client. This cannot be undone.")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t("Keep it"), variant="soft")),
                rx.alert_dialog.action(rx.button(t("Void"), color_scheme="red", on_click=E.void)),
                justify="end", spacing="2"),
        ),
    )


def document_view() -> rx.Component:
    inv = E.inv
    return rx.vstack(
        rx.hstack(
            invoice_status_badge(inv["status"], inv["status_label"]),
            rx.spacer(),
            # A plain link: React Router must not catch /api; the browser downloads the file.
            rx.el.a(rx.button(rx.icon("download", size=16), t("Download PDF"), variant="soft",
                              tab_index=-1),
                    href=inv["pdf_url"], download=True,
                    custom_attrs={"reloadDocument": True}),
            rx.cond(inv["can_send"] == "yes",
                    rx.button(rx.icon("send", size=16), t("Resend"), variant="soft",
                              on_click=E.set_send_open(True))),
            rx.cond(inv["can_pay"] == "yes",
                    rx.button(rx.icon("banknote", size=16), t("Record payment"),
                              on_click=E.open_payment)),
            rx.cond(inv["can_void"] == "yes", void_button()),
            width="100%", align="center", spacing="2", wrap="wrap",
        ),
        rx.text(t("Client: "), rx.link(inv["client"], href=inv["client_url"])),
        rx.text(t("Issued "), inv["issue"],
                rx.cond(inv["due"] != "", rx.text.span(t(" · due "), inv["due"]), ""),
                rx.cond(inv["sent"] != "", rx.text.span(t(" · sent "), inv["sent"]), ""),
                size="2", color="var(--gray-11)"),
        document_lines(),
        rx.vstack(
            totals_row(t("Subtotal"), inv["subtotal"]),
            rx.cond(inv["discount"] != "", totals_row(t("Discount"), inv["discount"])),
            rx.cond(inv["tax_label"] != "", totals_row(inv["tax_label"], inv["tax"])),
            totals_row(t("Total"), inv["total"], bold=True),
            rx.cond(inv["balance"] != "", totals_row(t("Paid"), inv["paid"])),
            rx.cond(inv["balance"] != "", totals_row(t("Balance"), inv["balance"], bold=True)),
            align="end", width="100%", spacing="1",
        ),
        rx.cond(inv["notes"] != "", rx.text(inv["notes"], white_space="pre-wrap", size="2")),
        payments_section(),
        spacing="4", width="100%",
    )


def console_invoice_page() -> rx.Component:
    return console_shell(
        rx.cond(E.found, E.inv["heading"], t("Invoice")),
        rx.link(t("← All invoices"), href=routes.CONSOLE_INVOICES),
        rx.cond(E.found, rx.cond(E.editable, draft_editor(), document_view())),
        send_dialog(),
        payment_dialog(),
        refund_dialog(),
    )
