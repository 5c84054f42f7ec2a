"""The client's superbills (/payments/superbills): the issued ones with "Download PDF",
the requests not answered yet, and "Ask for a superbill" for a range with a note."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.i18n import t
from portal_app import routes
from portal_app.pages.console_forms.common import LABEL_STYLE, SELECT_STYLE, field_error
from portal_app.pages.payments import pdf_link
from state.superbills import CHOICE_LABELS
from state.superbills import SuperbillsState as S

# A client's phone: every control at least 44 px tall (WCAG 2.5.5, as the rest).
CONTROL_STYLE = {**SELECT_STYLE, "min_height": "44px"}
INPUT_STYLE = {**CONTROL_STYLE, "width": "100%"}


def issued_card(row) -> rx.Component:
    return rx.card(rx.hstack(
        rx.icon("file_text", size=20, aria_hidden="true"),
        rx.vstack(rx.text(row["days"], weight="bold"),
                  rx.text(t("Issued"), " ", row["issued"], size="2", color="var(--gray-11)"),
                  spacing="0", flex="1"),
        pdf_link(row["pdf"]),
        align="center", spacing="3", width="100%", wrap="wrap"),
        width="100%", key=row["id"])


def request_line(row) -> rx.Component:
    return rx.hstack(
        rx.text(row["days"]), rx.badge(row["status"], variant="soft", color_scheme="amber"),
        rx.cond(row["note"] != "", rx.text(row["note"], size="2", color="var(--gray-11)")),
        spacing="2", align="center", wrap="wrap", key=row["id"])


def labelled(label: str, field_id: str, control: rx.Component, error) -> rx.Component:
    return rx.vstack(rx.el.label(t(label), html_for=field_id, style=LABEL_STYLE), control,
                     field_error(error), spacing="1", width="100%")


def ask_form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading(t("Ask for a superbill"), size="4", as_="h2"),
        labelled("Range", "sb-choice", rx.el.select(
            *[rx.el.option(t(label), value=value) for value, label in CHOICE_LABELS],
            id="sb-choice", name="choice", value=S.choice, on_change=S.choose,
            style=CONTROL_STYLE), S.errors["choice"]),
        rx.cond(S.choice == "session", labelled("Session", "sb-booking", rx.el.select(
            rx.foreach(S.sessions, lambda o: rx.el.option(o["label"], value=o["id"])),
            id="sb-booking", name="booking", style=CONTROL_STYLE), S.errors["booking"])),
        rx.cond(S.choice == "custom", rx.hstack(
            labelled("First day", "sb-start", rx.el.input(type="date", id="sb-start", name="start",
                                                          style=INPUT_STYLE), S.errors["start"]),
            labelled("Last day", "sb-end", rx.el.input(type="date", id="sb-end", name="end",
                                                       style=INPUT_STYLE), S.errors["end"]),
            spacing="3", width="100%", wrap="wrap")),
        labelled("Note (optional)", "sb-note", rx.el.textarea(
            id="sb-note", name="note", max_length=500, rows="2", style=INPUT_STYLE),
            S.errors["note"]),
        rx.button(t("Ask for a superbill"), type="submit"),
        spacing="3", width="100%"), on_submit=S.ask, reset_on_submit=False), width="100%")


def superbills_page() -> rx.Component:
    return client_shell(
        S,
        t("Superbills"),
        rx.link(t("← Payments"), href=routes.PAYMENTS, size="2"),
        rx.text(t("A superbill lists your sessions with their codes and what you paid, "
                  "to claim from your insurance."), color="var(--gray-11)"),
        rx.cond(S.issued.length() > 0,
                rx.vstack(rx.foreach(S.issued, issued_card), spacing="3", width="100%"),
                empty_state("file_text", t("No superbills yet."))),
        rx.cond(S.requested.length() > 0,
                rx.vstack(rx.heading(t("Asked for"), size="4", as_="h2"),
                          rx.foreach(S.requested, request_line), spacing="2", width="100%")),
        ask_form(),
    )
