"""Client payments pages (seed 001): /payments with Open and Paid tabs and the
"+" button, /payments/invoice (Print, Download PDF, Pay Now, Accept/Decline),
/payments/receipt, and the test-mode checkout page /pay/test."""

import reflex as rx

from components.auth_card import auth_card
from components.client_shell import client_shell, empty_state
from components.dialogs import focus_return
from components.forms import error_callout, notice_callout
from components.i18n import t
from components.payments_tabs import payments_tabs
from portal_app import routes
from state.checkout_test_mode import CheckoutTestModeState as T
from state.payments import InvoiceState as I
from state.payments import PaymentsState as S
from state.payments import ReceiptState as R

STATUS_COLORS = (("paid", "green"), ("partially_paid", "amber"), ("sent", "blue"),
                 ("accepted", "green"), ("declined", "gray"))


def status_badge(row) -> rx.Component:
    return rx.badge(row["status_label"], color_scheme=rx.match(row["status"], *STATUS_COLORS,
                                                               "gray"))


def pdf_link(href, label: str = "Download PDF") -> rx.Component:
    # Reflex renders it as a React Router link: reloadDocument hands /api to the browser.
    return rx.el.a(rx.button(rx.icon("download", size=16), t(label), variant="soft", tab_index=-1),
                   href=href, download=True, class_name="no-print",
                   custom_attrs={"reloadDocument": True})


def pdf_button_pending(label: str = "Download PDF") -> rx.Component:
    """The PDF button's place until its document has arrived (disabled: no link yet)."""
    return rx.button(rx.icon("download", size=16), t(label), variant="soft", disabled=True,
                     class_name="no-print")


def print_button() -> rx.Component:
    return rx.button(rx.icon("printer", size=16), t("Print"), variant="soft",
                     on_click=rx.call_script("window.print()"), class_name="no-print")


def invoice_card(row) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.hstack(rx.link(rx.text(row["title"], " ", row["number"], weight="bold"),
                                  href=routes.PAYMENTS_INVOICE + "?id=" + row["id"]),
                          status_badge(row), align="center", spacing="2"),
                rx.text(t("Issued "), row["issue"],
                        rx.cond(row["due"] != "", rx.text.span(t(" · due "), row["due"]), ""),
                        size="2", color="var(--gray-11)"),
                spacing="1",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text(row["amount"], weight="bold", size="4"),
                rx.cond(row["paid_line"] != "",
                        rx.text(row["paid_line"], size="2", color="var(--gray-11)",
                                align="right")),
                rx.cond(row["can_pay"] == "yes",
                        rx.button(t("Pay Now"), on_click=S.pay_now(row["id"]), loading=S.busy,
                                  aria_label=t("Pay Now") + " " + row["number"])),
                align="end", spacing="1",
            ),
            width="100%", align="center", wrap="wrap",
        ),
        width="100%",
    )


def receipt_card(row) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.link(rx.text(t("Receipt "), row["number"], weight="bold"),
                        href=routes.PAYMENTS_RECEIPT + "?id=" + row["id"]),
                rx.text(row["date"], " · ", row["method"], t(" · invoice "), row["invoice"],
                        size="2", color="var(--gray-11)"),
                rx.cond(row["refunded"] != "",
                        rx.badge(t("Refunded "), row["refunded"], color_scheme="gray")),
                spacing="1",
            ),
            rx.spacer(),
            rx.text(row["amount"], weight="bold", size="4"),
            width="100%", align="center",
        ),
        width="100%",
    )


def payment_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Make a payment")),
            rx.dialog.description(t("Pay toward an open invoice. You will confirm on the next "
                                  "page.")),
            rx.form(
                rx.vstack(
                    rx.el.label(t("Invoice"), html_for="pay-invoice"),
                    rx.el.select(
                        rx.foreach(S.pay_choices, lambda c: rx.el.option(c["label"],
                                                                         value=c["id"])),
                        id="pay-invoice", name="invoice_id", value=S.pay_invoice,
                        on_change=S.choose_invoice,
                        style={"width": "100%", "padding": "0.5em"},
                    ),
                    rx.el.label(t("Amount ("), S.currency, ")", html_for="pay-amount"),
                    rx.input(id="pay-amount", name="amount", value=S.pay_amount,
                             on_change=S.set_pay_amount, input_mode="decimal", size="3",
                             width="100%"),
                    error_callout(S.pay_error),
                    rx.hstack(
                        rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                        rx.button(t("Continue to payment"), type="submit", loading=S.busy),
                        justify="end", spacing="2", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.submit_payment,
            ),
            **focus_return(),
        ),
        open=S.pay_open,
        on_open_change=S.set_pay_open,
    )


def invoice_list() -> rx.Component:
    return rx.cond(S.rows.length() > 0,
                   rx.vstack(rx.foreach(S.rows, invoice_card), spacing="3", width="100%"),
                   empty_state("credit_card", rx.cond(S.tab == "open", t("Nothing to pay."),
                                                      t("No paid invoices yet."))))


def payments_page() -> rx.Component:
    return client_shell(
        S,
        t("Payments"),
        rx.tabs.root(
            rx.hstack(
                payments_tabs(S.superbills),
                rx.spacer(),
                # A line of its own on a phone, held from the first paint: the amount and
                # the button arrive with the first event and must not rewrap the row
                # (the list below would jump).
                rx.hstack(
                    rx.text(t("Total due: "), rx.text.span(S.total_due, weight="bold")),
                    rx.cond(S.access["pay"],
                            rx.button(rx.icon("plus"), t("Pay"), on_click=S.open_payment,
                                      aria_label=t("Make a payment"))),
                    align="center", spacing="3", min_height="var(--space-6)",
                    width=rx.breakpoints(initial="100%", sm="auto"),
                ),
                width="100%", align="center", wrap="wrap", spacing="3",
            ),
            # One panel, always the open tab's: the list the server filtered for it.
            rx.tabs.content(invoice_list(), value=S.tab, padding_top="1em"),
            value=S.tab, on_change=S.show_tab, width="100%",
        ),
        rx.cond(S.receipts.length() > 0,
                rx.vstack(rx.heading(t("Receipts"), size="4", as_="h2"),
                          rx.foreach(S.receipts, receipt_card), spacing="3", width="100%")),
        payment_dialog(),
    )


def totals_row(label, value, bold: bool = False) -> rx.Component:
    return rx.hstack(rx.text(label), rx.spacer(),
                     rx.text(value, weight="bold" if bold else "regular"),
                     width="100%", max_width="320px")


def lines_table() -> rx.Component:
    """The line items. On phones the rows stack (a11y.css, `stack-on-phone`): each
    cell on its own line, named by its data-label."""
    def cell(value, label=None) -> rx.Component:
        return rx.table.cell(value, custom_attrs={"data-label": label} if label is not None else {})

    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell(t("Description")), rx.table.column_header_cell(t("Qty")),
            rx.table.column_header_cell(t("Unit price")), rx.table.column_header_cell(t("Amount")))),
        rx.table.body(rx.foreach(I.lines, lambda ln: rx.table.row(
            cell(ln["description"]), cell(ln["quantity"], t("Qty")),
            cell(ln["unit_price"], t("Unit price")), cell(ln["amount"], t("Amount"))))),
        width="100%", variant="surface", class_name="stack-on-phone",
    )


def invoice_heading(inv) -> rx.Component:
    """The document's name, number and status, Print and PDF. On a phone the heading
    has a line of its own from the first paint, and the PDF button holds its place
    (disabled) until the link arrives: the number, badge and link that come later
    do not rewrap or move the row."""
    return rx.hstack(
        rx.hstack(
            rx.heading(rx.cond(inv["kind"] == "estimate", t("Estimate"), t("Invoice")), " ",
                       inv["number"], size="5", as_="h2"),
            rx.cond(I.found, status_badge(inv)),
            align="center", spacing="2", min_height="var(--space-6)",
            width=rx.breakpoints(initial="100%", sm="auto"),
        ),
        rx.spacer(),
        rx.hstack(print_button(),
                  rx.cond(I.found, pdf_link(inv["pdf_url"]), pdf_button_pending()),
                  align="center", spacing="2"),
        width="100%", align="center", wrap="wrap", spacing="3",
    )


def invoice_figures(inv) -> rx.Component:
    """What comes with the invoice: totals, notes, Pay or Accept/Decline, payments."""
    return rx.fragment(
        rx.vstack(
            totals_row(t("Subtotal"), inv["subtotal"]),
            rx.cond(inv["discount"] != "", totals_row(t("Discount"), inv["discount"])),
            rx.cond(inv["tax_label"] != "", totals_row(inv["tax_label"], inv["tax"])),
            totals_row(t("Total"), inv["total"], bold=True),
            rx.cond(inv["balance"] != "", totals_row(t("Paid"), inv["paid"])),
            rx.cond(inv["balance"] != "", totals_row(t("Balance due"), inv["balance"], bold=True)),
            align="end", width="100%", spacing="1",
        ),
        rx.cond(inv["notes"] != "", rx.text(inv["notes"], white_space="pre-wrap", size="2")),
        rx.cond(inv["can_pay"] == "yes",
                rx.button(t("Pay Now "), inv["balance"], size="3", on_click=I.pay_now,
                          loading=I.busy, class_name="no-print")),
        rx.cond(inv["can_answer"] == "yes",
                rx.hstack(rx.button(t("Accept estimate"), size="3",
                                    on_click=I.answer_estimate(True)),
                          rx.button(t("Decline"), size="3", variant="soft", color_scheme="red",
                                    on_click=I.answer_estimate(False)),
                          spacing="2", class_name="no-print")),
        rx.cond(I.payments.length() > 0, rx.vstack(
            rx.heading(t("Payments"), size="4", as_="h2"),
            rx.foreach(I.payments, lambda p: rx.link(
                p["date"], " · ", p["amount"], " · ", p["method"], t(" · receipt "), p["number"],
                href=routes.PAYMENTS_RECEIPT + "?id=" + p["id"])),
            spacing="1")),
    )


def invoice_frame() -> rx.Component:
    """The invoice. Its frame (heading, "Issued" line, the table) is in the first paint
    and the same elements take the invoice when it arrives over the websocket, so
    the invoice's text is not one large block painted seconds later (a phone's
    largest contentful paint); what lies below the table comes with the invoice, so
    nothing painted moves."""
    inv = I.inv
    return rx.vstack(
        invoice_heading(inv),
        rx.text(t("Issued "), inv["issue"],
                rx.cond(I.found & (inv["due"] != ""), rx.text.span(t(" · due "), inv["due"]), ""),
                color="var(--gray-11)", size="2"),
        lines_table(),
        rx.cond(I.found, invoice_figures(inv)),
        spacing="4", width="100%",
    )


def invoice_page() -> rx.Component:
    return client_shell(
        I, t("Invoice"),
        rx.link(t("← All payments"), href=routes.PAYMENTS, class_name="no-print"),
        notice_callout(I.notice),
        rx.cond(~I.missing, invoice_frame()),
    )


def receipt_page() -> rx.Component:
    r = R.receipt
    return client_shell(
        R, t("Receipt"),
        rx.link(t("← All payments"), href=routes.PAYMENTS, class_name="no-print"),
        rx.cond(
            R.found,
            rx.card(rx.vstack(
                rx.hstack(rx.heading(t("Receipt "), r["number"], size="5", as_="h2"), rx.spacer(),
                          print_button(), pdf_link(r["pdf_url"]), width="100%", wrap="wrap"),
                rx.text(t("Amount paid"), color="var(--gray-11)", size="2"),
                rx.text(r["amount"], size="7", weight="bold"),
                rx.text(t("Paid on "), r["date"], t(" by "), r["method"]),
                rx.text(t("For invoice "),
                        rx.link(r["invoice"], href=routes.PAYMENTS_INVOICE + "?id="
                                + r["invoice_id"])),
                rx.cond(r["refunded"] != "", rx.text(t("Refunded: "), r["refunded"])),
                rx.text(t("Remaining balance on the invoice: "), r["balance"]),
                rx.text(t("Thank you!"), weight="bold"),
                spacing="2", width="100%")),
            empty_state("receipt", t("That receipt does not exist.")),
        ),
    )


def test_checkout_page() -> rx.Component:
    c = T.checkout
    return auth_card(
        t("Test checkout"),
        rx.callout(t("TEST MODE: no real money moves. This page stands in for Stripe until "
                   "the business adds its Stripe keys."), icon="flask_conical",
                   color_scheme="amber", role="note"),
        error_callout(T.error),
        rx.cond(
            c["amount"],
            rx.vstack(
                rx.text(c["business"], weight="bold"),
                rx.text(t("Invoice "), c["invoice"]),
                rx.text(c["amount"], size="7", weight="bold"),
                rx.text(t("Paying as "), c["email"], size="2", color="var(--gray-11)"),
                rx.button(t("Pay "), c["amount"], t(" (test card)"), size="3", width="100%",
                          on_click=T.pay, loading=T.busy),
                rx.button(t("Cancel"), variant="soft", size="3", width="100%",
                          on_click=T.cancel),
                spacing="3", width="100%",
            ),
        ),
    )
