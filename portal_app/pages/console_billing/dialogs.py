"""The dialogs of /console/invoice, beside their states in state/console_billing/:
Send (send_dialog.py), Record payment (payment_dialog.py), Refund (refund_dialog.py)."""

import reflex as rx

from components.dialogs import dialog_buttons, focus_return
from components.forms import error_callout, text_field
from components.i18n import t
from portal_app.pages.console_billing.parts import field_error
from state.console_billing import METHOD_OPTIONS
from state.console_billing import InvoiceEditorState as E


def send_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(E.editable, t("Send to client"), t("Send again"))),
            rx.dialog.description(t("The client gets an email with a link to "),
                                  E.send_target, t(" in the portal.")),
            rx.form(
                rx.vstack(
                    rx.cond(E.send_email_note != "",
                            rx.callout(E.send_email_note, icon="mail_x", color_scheme="amber",
                                       role="status", width="100%")),
                    rx.el.label(t("Message to the client (optional)"), html_for="send-message"),
                    rx.text_area(id="send-message", name="message", width="100%",
                                 max_length=2000),
                    field_error(E.errors["message"]),
                    dialog_buttons(t("Send")),
                    spacing="2", margin_top="1em",
                ),
                on_submit=E.send,
            ),
            **focus_return(),
        ),
        open=E.send_open,
        on_open_change=E.set_send_open,
    )


def payment_dialog() -> rx.Component:
    d = E.payment_defaults
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Record payment")),
            rx.dialog.description(t("Money received outside the portal. The client is emailed "
                                  "a receipt.")),
            rx.form(
                rx.vstack(
                    error_callout(E.payment_error),
                    text_field(t("Amount"), "amount", default_value=d["amount"],
                               input_mode="decimal"),
                    rx.vstack(
                        rx.el.label(t("Method"), html_for="field-method",
                                    style={"font_weight": "500", "font_size": "0.9em"}),
                        rx.el.select(*[rx.el.option(t(label), value=value)
                                       for value, label in METHOD_OPTIONS],
                                     id="field-method", name="method",
                                     default_value=d["method"],
                                     style={"width": "100%", "padding": "0.5em"}),
                        spacing="1", width="100%",
                    ),
                    text_field(t("Date received"), "paid_on", type="date",
                               default_value=d["paid_on"]),
                    text_field(t("Note"), "note", required=False),
                    dialog_buttons(t("Record payment")),
                    spacing="3", margin_top="1em",
                ),
                on_submit=E.record_payment,
            ),
            **focus_return(),
        ),
        open=E.payment_open,
        on_open_change=E.set_payment_open,
    )


def refund_dialog() -> rx.Component:
    r = E.refund_info
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(r["button"], t(" — receipt "), r["receipt"]),
            rx.dialog.description(
                t("Up to "), r["left"], t(" can be refunded. "),
                rx.cond(r["offline"] == "yes",
                        t("Record money you have already returned to the client yourself."),
                        t("The money goes back to the client's card through the payment "
                        "provider."))),
            rx.form(
                rx.vstack(
                    error_callout(E.refund_error),
                    rx.el.label(t("Amount ("), r["currency"], ")", html_for="refund-amount",
                                style={"font_weight": "500", "font_size": "0.9em"}),
                    rx.input(id="refund-amount", name="amount", default_value=r["amount"],
                             input_mode="decimal", required=True, size="3", width="100%"),
                    rx.el.label(t("Reason"), html_for="refund-reason",
                                style={"font_weight": "500", "font_size": "0.9em"}),
                    rx.input(id="refund-reason", name="reason", max_length=300, size="3",
                             width="100%"),
                    rx.cond(r["offer"] != "", rx.el.label(
                        rx.el.input(type="checkbox", name="keep_access", id="refund-keep",
                                    style={"width": "18px", "height": "18px"}),
                        t("Keep the client's access to "), r["offer"],
                        t(" (a refund of the whole payment ends it otherwise)"),
                        html_for="refund-keep",
                        style={"display": "flex", "gap": "0.5em", "align_items": "center"})),
                    dialog_buttons(r["button"]),
                    spacing="2", margin_top="1em",
                ),
                on_submit=E.refund,
            ),
            **focus_return(),
        ),
        open=E.refund_open,
        on_open_change=E.set_refund_open,
    )
