"""The forms section of the console's client page: each form's state, answers,
PDF, "Send again", "Cancel request", and the "Send forms" dialog."""

import reflex as rx

from components.console_bits import section
from components.dialogs import focus_return
from components.i18n import t
from portal_app.pages.console_forms.common import (
    LABEL_STYLE,
    MUTED,
    SELECT_STYLE,
    field_error,
    state_badge,
)
from state.console_forms.client import ClientFormsState as F


def cancel_button(row) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("Cancel request"), size="1", variant="ghost",
                                          color_scheme="red",
                                          aria_label=t("Cancel request") + " " + row["title"])),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Cancel this request?")),
            rx.alert_dialog.description(t("The client no longer sees this form; what they "
                                          "typed in it is kept but cannot be submitted.")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t("Keep the request"), variant="soft")),
                rx.alert_dialog.action(rx.button(t("Cancel request"), color_scheme="red",
                                                 on_click=F.cancel(row["id"]))),
                justify="end", spacing="2"),
        ),
    )


def form_line(row) -> rx.Component:
    return rx.hstack(
        rx.icon("clipboard_list", size=20, aria_hidden="true"),
        rx.vstack(
            rx.hstack(rx.text(row["title"], weight="bold"),
                      rx.text("v", row["version"], size="1", color=MUTED),
                      state_badge(row["state"], row["state_label"]),
                      spacing="2", align="center", wrap="wrap"),
            rx.text(t("Sent"), " ", row["sent"],
                    rx.cond(row["due"] != "", rx.text.span(" · ", t("Due"), " ", row["due"])),
                    rx.cond(row["completed"] != "",
                            rx.text.span(" · ", t("Completed"), " ", row["completed"]),
                            rx.text.span(" · ", t("Last activity"), " ", row["activity"])),
                    size="1", color=MUTED),
            spacing="1", min_width="0", flex="1",
        ),
        rx.hstack(
            rx.cond(row["done"] == "yes",
                    rx.button(t("View answers"), size="1", variant="soft",
                              on_click=F.view_answers(row["id"]),
                              aria_label=t("View answers") + " " + row["title"])),
            rx.cond(row["pdf"] != "",
                    rx.el.a(t("PDF"), href=row["pdf"], download=True,
                            custom_attrs={"reloadDocument": True},
                            aria_label=t("Download the PDF of") + " " + row["title"])),
            rx.cond(row["open"] == "yes",
                    rx.hstack(
                        rx.button(t("Send again"), size="1", variant="soft",
                                  on_click=F.remind(row["id"]),
                                  aria_label=t("Send again") + " " + row["title"]),
                        cancel_button(row), spacing="2")),
            spacing="2", align="center", wrap="wrap",
        ),
        spacing="3", align="start", width="100%", key=row["id"],
        role="group", aria_label=row["title"],
    )


def send_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Send forms")),
            rx.dialog.description(t("The client is told under the bell and by email, and "
                                    "fills them in in the portal.")),
            rx.form(rx.vstack(
                rx.cond(F.portal_note != "",
                        rx.callout(F.portal_note, icon="cloud", color_scheme="blue",
                                   role="status", width="100%")),
                rx.cond(F.email_note != "",
                        rx.callout(F.email_note, icon="mail_x", color_scheme="amber",
                                   role="status", width="100%")),
                rx.el.label(t("Packet or form"), html_for="send-what", style=LABEL_STYLE),
                rx.el.select(rx.foreach(F.send_options,
                                        lambda o: rx.el.option(o["label"], value=o["value"])),
                             id="send-what", name="what", value=F.send_choice,
                             on_change=F.choose_send, style=SELECT_STYLE),
                field_error(F.send_error),
                rx.hstack(
                    rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                    rx.button(t("Send"), type="submit"),
                    justify="end", spacing="2", width="100%"),
                spacing="3", width="100%", margin_top="1em",
            ), on_submit=F.send),
            **focus_return(),
        ),
        open=F.send_open,
        on_open_change=F.set_send_open,
    )


def answers_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(F.answers_title),
            rx.dialog.description(F.answers_meta),
            rx.vstack(
                rx.foreach(F.answers, lambda a: rx.vstack(
                    rx.text(a["label"], weight="bold", size="2"),
                    rx.cond(a["answer"] != "",
                            rx.text(a["answer"], size="2", white_space="pre-wrap",
                                    overflow_wrap="anywhere")),
                    spacing="0", width="100%")),
                rx.dialog.close(rx.button(t("Close"), variant="soft")),
                spacing="3", width="100%", margin_top="1em",
            ),
            **focus_return(),
        ),
        open=F.answers_open,
        on_open_change=F.set_answers_open,
    )


def client_forms_section() -> rx.Component:
    return section(
        t("Forms"),
        rx.hstack(rx.spacer(),
                  rx.button(rx.icon("send", size=16), t("Send forms"), on_click=F.open_send),
                  width="100%"),
        rx.cond(F.form_rows.length() > 0,
                rx.vstack(rx.foreach(F.form_rows, form_line), spacing="3", width="100%"),
                rx.text(t("No forms sent yet."), size="2", color=MUTED)),
        send_dialog(),
        answers_dialog(),
    )
