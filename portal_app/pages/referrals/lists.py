"""The referrer's figures and lists on /referrals: clicks, sign-ups and customers; the
sums per currency; commissions (the customer only as "A customer, first payment on
…"), adjustments and payouts, and one payout's detail in a dialog. Tables stack on
phones (a11y.css `stack-on-phone`: each cell named by its data-label)."""

import reflex as rx

from components.client_shell import empty_state
from components.dialogs import focus_return
from components.i18n import t
from state.referrals.page import ReferralsState as S

MUTED = "var(--gray-11)"
STATE_COLORS = (("pending", "amber"), ("approved", "blue"), ("paid", "green"),
                ("reversed", "gray"), ("rejected", "red"))


def section(title, *children, **props) -> rx.Component:
    return rx.vstack(rx.heading(title, size="5", as_="h2"), *children, spacing="3",
                     width="100%", **props)


def cell(value, label=None) -> rx.Component:
    return rx.table.cell(value, custom_attrs={"data-label": label} if label is not None else {})


def head(*labels) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(x) for x in labels]))


def table(header, body) -> rx.Component:
    return rx.table.root(header, rx.table.body(body), width="100%", variant="surface",
                         class_name="stack-on-phone")


def figure(label, value) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="2", color=MUTED),
                             rx.text(value, size="7", weight="bold"), spacing="1"),
                   min_width="9em", flex="1")


def figures() -> rx.Component:
    return section(
        t("Your figures"),
        rx.flex(figure(t("Clicks"), S.figures["clicks"]),
                figure(t("Sign-ups"), S.figures["signups"]),
                figure(t("Customers"), S.figures["customers"]),
                spacing="3", wrap="wrap", width="100%"),
        rx.cond(S.totals.length() > 0, table(
            head(t("Currency"), t("Pending"), t("Approved"), t("Paid"), t("Reversed")),
            rx.foreach(S.totals, lambda r: rx.table.row(
                cell(r["currency"]), cell(r["pending"], t("Pending")),
                cell(r["approved"], t("Approved")), cell(r["paid"], t("Paid")),
                cell(r["reversed"], t("Reversed")), key=r["currency"])))),
    )


def needs() -> rx.Component:
    """What is still needed before the first payout (shown until one is made)."""
    return rx.cond(S.needs.length() > 0, section(
        t("Before your first payout"),
        rx.vstack(rx.foreach(S.needs, lambda n: rx.hstack(
            rx.cond(n["done"] == "yes",
                    rx.icon("circle_check", size=18, color="var(--green-10)",
                            aria_label=t("Done")),
                    rx.icon("circle", size=18, color="var(--gray-9)",
                            aria_label=t("Not yet"))),
            rx.text(n["text"]), align="center", spacing="2")), spacing="2"),
        rx.text(t("You can change your payout details below."), size="2", color=MUTED),
    ))


def state_badge(row) -> rx.Component:
    return rx.badge(row["state_label"], color_scheme=rx.match(row["state"], *STATE_COLORS,
                                                               "gray"))


def commission_row(row) -> rx.Component:
    return rx.table.row(
        cell(row["earned"], t("Earned")),
        cell(row["customer"], t("Customer")),
        cell(row["amount"], t("Amount")),
        cell(rx.vstack(state_badge(row),
                       rx.cond(row["reason"] != "", rx.text(row["reason"], size="1",
                                                            color=MUTED)),
                       rx.cond(row["payout"] != "",
                               rx.text(t("Paid in "), row["payout"], size="1", color=MUTED)),
                       spacing="1", align="start"), t("State")),
        key=row["id"])


def commissions() -> rx.Component:
    return section(
        t("Commissions"),
        rx.cond(S.commissions.length() > 0,
                table(head(t("Earned"), t("Customer"), t("Amount"), t("State")),
                      rx.foreach(S.commissions, commission_row)),
                empty_state("gift", t("No commissions yet. They appear here when a customer "
                                      "you brought pays."))),
    )


def adjustments() -> rx.Component:
    return rx.cond(S.adjustments.length() > 0, section(
        t("Adjustments"),
        rx.text(t("A refund after a commission was paid is taken off a payout, here for "
                  "you to see."), size="2", color=MUTED),
        table(head(t("Date"), t("Amount"), t("Reason"), t("Settled")),
              rx.foreach(S.adjustments, lambda a: rx.table.row(
                  cell(a["date"], t("Date")), cell(a["amount"], t("Amount")),
                  cell(a["reason"], t("Reason")), cell(a["settled"], t("Settled")),
                  key=a["id"]))),
    ))


def payout_row(row) -> rx.Component:
    return rx.table.row(
        cell(row["number"], t("Number")), cell(row["date"], t("Date")),
        cell(row["method"], t("Method")), cell(row["amount"], t("Amount")),
        cell(row["reference"], t("Reference")),
        cell(rx.button(t("Details"), variant="soft", size="2", min_height="44px",
                       aria_label=t("Details of payout ") + row["number"],
                       on_click=S.open_payout(row["id"]))),
        key=row["id"])


def payouts() -> rx.Component:
    return section(
        t("Payouts"),
        rx.cond(S.payouts.length() > 0,
                table(head(t("Number"), t("Date"), t("Method"), t("Amount"), t("Reference"),
                           rx.el.span(t("Details"), class_name="visually-hidden")),
                      rx.foreach(S.payouts, payout_row)),
                empty_state("wallet", t("No payouts yet."))),
    )


def payout_dialog() -> rx.Component:
    p = S.payout
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(t("Payout "), p["number"]),
        rx.dialog.description(p["date"], " · ", p["method"], " · ", p["amount"], size="2",
                              color=MUTED),
        rx.cond(p["reference"] != "",
                rx.text(t("Reference: "), p["reference"], size="2")),
        rx.vstack(rx.foreach(S.payout_lines, lambda ln: rx.hstack(
            rx.vstack(rx.text(ln["label"]),
                      rx.cond(ln["date"] != "", rx.text(ln["date"], size="1", color=MUTED)),
                      spacing="0"),
            rx.spacer(), rx.text(ln["amount"]), width="100%", key=ln["id"])),
            spacing="2", width="100%", padding_y="1em"),
        rx.hstack(rx.dialog.close(rx.button(t("Close"), variant="soft")), justify="end"),
        **focus_return()), open=S.payout_open, on_open_change=S.set_payout_open)
