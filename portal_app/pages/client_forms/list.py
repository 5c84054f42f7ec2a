"""/forms: what the client still has to fill in, and what they signed."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.i18n import t
from state.client_forms.list_page import FormsListState as S

STATUS_COLOURS = (("new", "blue"), ("in_progress", "amber"), ("overdue", "red"),
                  ("completed", "green"))


def _status(row) -> rx.Component:
    return rx.badge(row["status_text"], color_scheme=rx.match(row["status"], *STATUS_COLOURS,
                                                              "gray"), size="2")


def outstanding_card(row) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(rx.text(row["title"], weight="bold", size="4"), rx.spacer(),
                          rx.cond(row["progress"] != "", rx.text(row["progress"], size="2",
                                                                 color="var(--gray-11)")),
                          width="100%", align="center"),
                rx.hstack(_status(row),
                          rx.cond(row["due"] != "", rx.text(row["due"], size="2")),
                          spacing="2", align="center", wrap="wrap"),
                spacing="2", width="100%"),
            width="100%", min_height="64px"),
        href=row["href"], underline="none", width="100%", color="inherit")


def completed_card(row) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.text(row["title"], weight="bold"), _status(row), spacing="2",
                      align="center", wrap="wrap"),
            rx.text(row["done"], size="2", color="var(--gray-11)"),
            rx.hstack(
                rx.link(t("View answers"), href=row["href"]),
                rx.cond(row["pdf_url"] != "",
                        rx.el.a(t("Signed PDF"), href=row["pdf_url"], download=True,
                                custom_attrs={"reloadDocument": True})),
                spacing="4"),
            spacing="1", width="100%"),
        width="100%")


def forms_page() -> rx.Component:
    return client_shell(
        S,
        t("Forms"),
        rx.heading(t("To complete"), size="5", as_="h2"),
        rx.cond(S.outstanding.length() > 0,
                rx.vstack(rx.foreach(S.outstanding, outstanding_card), spacing="3",
                          width="100%"),
                empty_state("circle_check", t("Nothing to fill in right now."))),
        rx.cond(S.completed.length() > 0,
                rx.vstack(rx.heading(t("Completed forms"), size="5", as_="h2"),
                          rx.text(t("The signed copies are also in Documents."), size="2",
                                  color="var(--gray-11)"),
                          rx.foreach(S.completed, completed_card), spacing="3",
                          width="100%")),
    )
