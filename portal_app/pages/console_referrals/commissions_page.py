"""Console → Referrals → Commissions (/console/referrals/commissions): the list with
its filters and pages, ticks for bulk approve / reject, and the reject dialog."""

import reflex as rx

from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from components.referrals_console_nav import referrals_console_nav
from portal_app.pages.console_forms.common import field_error
from portal_app.pages.console_referrals.fields import INPUT_STYLE, MUTED, labelled, pager
from state.console_referrals import ConsoleCommissionsState as S

STATE_OPTIONS = [("all", "All states"), ("pending", "Pending"), ("approved", "Approved"),
                 ("paid", "Paid"), ("reversed", "Reversed"), ("rejected", "Rejected")]
BOX = {"width": "18px", "height": "18px"}


def filters() -> rx.Component:
    return rx.form(rx.hstack(
        labelled(t("State"), "commission-state", rx.el.select(
            *[rx.el.option(t(label), value=value) for value, label in STATE_OPTIONS],
            id="commission-state", name="state", default_value="all", style=INPUT_STYLE)),
        labelled(t("Referrer"), "commission-referrer", rx.el.select(
            rx.el.option(t("All referrers"), value=""),
            rx.foreach(S.referrer_options, lambda o: rx.el.option(o["name"], value=o["id"])),
            id="commission-referrer", name="referrer_id", default_value="",
            style=INPUT_STYLE)),
        rx.button(t("Show"), type="submit", variant="soft"),
        spacing="3", align="end", wrap="wrap"), on_submit=S.apply_filters,
        reset_on_submit=False)


def commission_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.cond(r["open"] == "yes", rx.el.input(
            type="checkbox", aria_label=t("Select commission ") + r["id"],
            checked=S.selected.contains(r["id"]),
            on_change=lambda checked: S.toggle_row(r["id"], checked), style=BOX))),
        rx.table.row_header_cell(r["referrer"]),
        rx.table.cell(r["customer"]),
        rx.table.cell(r["invoice"]),
        rx.table.cell(r["paid"]),
        rx.table.cell(rx.text(r["amount"]), rx.cond(r["earned"] != "", rx.text(
            t("of "), r["earned"], size="1", color=MUTED))),
        rx.table.cell(rx.badge(r["state_label"], variant="soft", color_scheme=rx.match(
            r["state"], ("approved", "blue"), ("paid", "green"), ("pending", "amber"),
            "gray"))),
        rx.table.cell(r["hold_until"]),
        rx.table.cell(rx.text(r["reason"], size="2")),
        rx.table.cell(rx.cond(r["open"] == "yes", rx.hstack(
            rx.cond(r["state"] == "pending", rx.button(
                t("Approve"), size="1", variant="soft",
                aria_label=t("Approve commission ") + r["id"],
                on_click=S.approve_one(r["id"]))),
            rx.button(t("Reject"), size="1", variant="soft", color_scheme="red",
                      aria_label=t("Reject commission ") + r["id"],
                      on_click=S.reject_one(r["id"])),
            spacing="2"))),
        key=r["id"])


def bulk_bar() -> rx.Component:
    return rx.hstack(
        rx.text(S.selected.length().to_string() + t(" selected"), size="2"),
        rx.button(t("Approve selected"), size="2", on_click=S.approve_selected,
                  disabled=S.selected.length() == 0),
        rx.button(t("Reject selected"), size="2", variant="soft", color_scheme="red",
                  on_click=S.open_reject, disabled=S.selected.length() == 0),
        spacing="3", align="center", wrap="wrap")


def skipped_note() -> rx.Component:
    return rx.cond(S.skipped.length() > 0, rx.callout.root(
        rx.callout.text(t("Left as they were:")),
        rx.el.ul(rx.foreach(S.skipped, lambda s: rx.el.li(s))),
        color_scheme="amber", role="status", width="100%"))


def commissions_table() -> rx.Component:
    headers = (t("Referrer"), t("Customer"), t("Invoice"), t("Payment date"), t("Amount"),
               t("State"), t("Hold until"), t("Reason"), "")
    return rx.cond(S.rows.length() > 0, rx.vstack(
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(rx.el.input(
                    type="checkbox", aria_label=t("Select all on this page"),
                    on_change=S.toggle_page, style=BOX)),
                *[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(S.rows, commission_row)), width="100%"),
            overflow_x="auto", width="100%"),
        rx.hstack(rx.text(S.total.to_string() + t(" commissions"), size="2", color=MUTED),
                  rx.spacer(), pager(S.page, S.pages, S.go_to_page), width="100%"),
        spacing="3", width="100%"),
        rx.text(t("No commissions here."), color=MUTED))


def reject_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Reject commissions")),
            rx.dialog.description(
                S.selected.length().to_string() + t(" selected. The referrer sees the "
                                                    "reason."), size="2"),
            rx.form(rx.vstack(
                rx.el.label(t("Reason"), html_for="reject-reason",
                            style={"font_weight": "500", "font_size": "0.9em"}),
                rx.el.textarea(id="reject-reason", name="reason", rows="3", max_length=300,
                               required=True, style=INPUT_STYLE),
                field_error(S.reject_error),
                dialog_buttons(t("Reject"), color_scheme="red"),
                spacing="2", width="100%", margin_top="1em"),
                on_submit=S.reject_selected, reset_on_submit=True),
            **focus_return()),
        open=S.reject_open, on_open_change=S.set_reject_open)


def console_commissions_page() -> rx.Component:
    return console_shell(
        t("Referrals"),
        referrals_console_nav(),
        rx.heading(t("Commissions"), size="5", as_="h2"),
        rx.text(t("A commission waits for its hold (the refund window) to end before it "
                  "can be approved."), size="2", color=MUTED),
        filters(),
        bulk_bar(),
        skipped_note(),
        commissions_table(),
        reject_dialog(),
    )
