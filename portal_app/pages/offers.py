"""The client's Offers page (/offers): what the business offers that the client
does not have yet, with "Get it" or "Buy for $X", and the line that says a
purchase worked."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.i18n import t
from state.offers import OffersState as S


def offer_card(row) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(row["name"], size="4", as_="h2"), rx.spacer(),
                  rx.badge(row["price"], size="2", variant="soft",
                           color_scheme=rx.cond(row["free"] == "yes", "green", "blue")),
                  align="center", width="100%", wrap="wrap"),
        rx.cond(row["description"] != "",
                rx.text(row["description"], white_space="pre-line")),
        rx.text(t("Includes: "), row["includes"], size="2", color="var(--gray-11)"),
        rx.cond(row["access"] != "", rx.text(row["access"], size="2",
                                             color="var(--gray-11)")),
        rx.button(row["button"], size="3", min_height="44px", loading=S.busy,
                  aria_label=row["button"] + " — " + row["name"],
                  on_click=rx.cond(row["free"] == "yes", S.claim(row["id"]),
                                   S.buy(row["id"]))),
        spacing="2", width="100%"), width="100%", key=row["id"])


def offers_page() -> rx.Component:
    return client_shell(
        S,
        t("Offers"),
        rx.cond(S.done_line != "",
                rx.callout(S.done_line, icon="circle_check", color_scheme="green",
                           role="status", width="100%")),
        rx.cond(S.rows.length() > 0,
                rx.vstack(rx.foreach(S.rows, offer_card), spacing="3", width="100%"),
                empty_state("gift", t("Nothing new to offer you at the moment."))),
    )
