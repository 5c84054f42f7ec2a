"""Console → Referrals → Payouts: who is due what, a referrer's approved commissions to
pay, the confirm dialog with the plan, the history with each payout's lines, and the
CSV for the bank."""

import reflex as rx

from components.console_bits import section
from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from components.referrals_console_nav import referrals_console_nav
from portal_app.pages.console_forms.common import LABEL_STYLE, MUTED, SELECT_STYLE, field_error
from state.console_referrals.payouts import ReferralPayoutsState as S

INPUT_STYLE = {**SELECT_STYLE, "width": "100%"}
LINK_STYLE = {"display": "inline-flex", "align_items": "center", "gap": "0.4em",
              "min_height": "36px"}


def labelled(label, field_id: str, control: rx.Component, error) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=field_id, style=LABEL_STYLE), control,
                     field_error(error), spacing="1", width="100%")


def _headers(*labels) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in labels]))


def csv_link(label, href) -> rx.Component:
    # A plain link: reloadDocument hands the route to the browser, which downloads it.
    return rx.el.a(rx.icon("download", size=16, aria_hidden="true"), rx.text(label),
                   href=href, download=True, custom_attrs={"reloadDocument": True},
                   style=LINK_STYLE)


# --- who is due ------------------------------------------------------------------------------


def due_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r["name"]),
        rx.table.cell(r["currency"]),
        rx.table.cell(r["approved"], " ", rx.text.span("(", r["count"], ")", color=MUTED)),
        rx.table.cell(r["adjustments"]),
        rx.table.cell(rx.text.strong(r["net"])),
        rx.table.cell(rx.cond(
            r["reaches"] == "yes",
            rx.badge(t("Ready"), color_scheme="green", variant="soft"),
            rx.badge(rx.cond(r["minimum"] != "", t("Below the minimum") + " " + r["minimum"],
                             t("Nothing due yet")), color_scheme="amber", variant="soft"))),
        rx.table.cell(r["method"]),
        rx.table.cell(rx.cond(r["can_pay"] == "yes", rx.button(
            t("Choose"), size="1", variant=rx.cond(S.payee_key == r["key"], "solid", "soft"),
            aria_label=t("Choose commissions to pay to") + " " + r["name"],
            on_click=S.choose(r["referrer_id"], r["currency"])))),
        key=r["key"])


def due_section() -> rx.Component:
    return section(
        t("Due for payout"),
        rx.cond(S.due_rows.length() > 0, rx.box(rx.table.root(
            _headers(t("Referrer"), t("Currency"), t("Approved"), t("Adjustments"), t("Net due"),
                     t("Minimum payout"), t("Their choice"), ""),
            rx.table.body(rx.foreach(S.due_rows, due_row)), width="100%"),
            overflow_x="auto", width="100%"),
            rx.text(t("No one is due a payout: approved commissions appear here."),
                    color=MUTED)))


# --- choosing commissions ------------------------------------------------------------------


def commission_row(c) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.checkbox(checked=S.selected.contains(c["id"]),
                                  on_change=lambda on: S.toggle(c["id"].to(str), on),
                                  aria_label=t("Pay commission") + " " + c["label"])),
        rx.table.row_header_cell(c["label"]),
        rx.table.cell(c["earned"]), rx.table.cell(c["invoice"]), rx.table.cell(c["customer"]),
        rx.table.cell(c["amount"]),
        key=c["id"])


def payee_section() -> rx.Component:
    return section(
        t("Approved commissions"),
        rx.heading(S.payee_name, size="3", as_="h3"),
        rx.cond(S.payee_details != "",
                rx.text(rx.text.strong(t("Payout details")), ": ", S.payee_details, size="2"),
                rx.text(t("No payout details given yet."), size="2", color=MUTED)),
        rx.cond(S.commission_rows.length() > 0, rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(rx.checkbox(
                    checked=(S.selected.length() == S.commission_rows.length())
                    & (S.commission_rows.length() > 0),
                    on_change=S.toggle_all, aria_label=t("Select all"))),
                *[rx.table.column_header_cell(h) for h in (
                    t("Commission"), t("Earned"), t("Invoice"), t("Customer"), t("Amount"))])),
            rx.table.body(rx.foreach(S.commission_rows, commission_row)), width="100%"),
            overflow_x="auto", width="100%"),
            rx.text(t("No approved commissions to pay."), color=MUTED)),
        rx.hstack(
            rx.text(S.selected.length().to_string(), " ", t("selected"), size="2",
                    role="status"),
            rx.button(t("Pay out…"), on_click=S.open_plan, disabled=S.selected.length() == 0),
            rx.button(t("Close"), variant="soft", on_click=S.close_payee),
            spacing="3", align="center", wrap="wrap"),
    )


def plan_line(line) -> rx.Component:
    return rx.hstack(rx.text(line["label"], size="2"), rx.spacer(),
                     rx.text(line["amount"], size="2"), width="100%", key=line["key"])


def plan_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(t("Pay out to"), " ", S.payee_name),
        rx.dialog.description(t("This payout pays these commissions and deducts the open "
                                "adjustments; the referrer gets a statement by email.")),
        rx.vstack(rx.foreach(S.plan_lines, plan_line),
                  rx.divider(),
                  rx.hstack(rx.text.strong(t("Net")), rx.spacer(), rx.text.strong(S.plan_total),
                            width="100%"),
                  spacing="2", width="100%", margin_y="1em"),
        rx.form(rx.vstack(
            labelled(t("Method"), "payout-method", rx.el.select(
                rx.el.option(t("Bank transfer"), value="bank_transfer"),
                rx.el.option(t("Cash"), value="cash"),
                rx.el.option(t("Account credit"), value="account_credit"),
                id="payout-method", name="method", default_value=S.method, style=INPUT_STYLE,
                aria_invalid=rx.cond(S.errors["method"] != "", "true", "false")),
                S.errors["method"]),
            labelled(t("Reference (the bank's, or a receipt number)"), "payout-reference",
                     rx.el.input(id="payout-reference", name="reference", max_length=120,
                                 style=INPUT_STYLE,
                                 aria_invalid=rx.cond(S.errors["reference"] != "", "true",
                                                      "false")),
                     S.errors["reference"]),
            labelled(t("Note (staff only)"), "payout-note",
                     rx.el.textarea(id="payout-note", name="note", rows="2", max_length=300,
                                    style=INPUT_STYLE,
                                    aria_invalid=rx.cond(S.errors["note"] != "", "true",
                                                         "false")),
                     S.errors["note"]),
            dialog_buttons(t("Record payout")), spacing="3", width="100%"),
            on_submit=S.pay, reset_on_submit=False, key=S.form_key.to_string()),
        **focus_return()), open=S.plan_open, on_open_change=S.set_plan_open)


# --- history ---------------------------------------------------------------------------------


def history_row(p) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.checkbox(checked=S.chosen_payouts.contains(p["id"]),
                                  on_change=lambda on: S.toggle_payout(p["id"].to(str), on),
                                  aria_label=t("Add to the CSV:") + " " + p["number"])),
        rx.table.row_header_cell(p["number"]),
        rx.table.cell(p["date"]), rx.table.cell(p["referrer"]), rx.table.cell(p["method"]),
        rx.table.cell(p["amount"]), rx.table.cell(p["reference"]),
        rx.table.cell(rx.cond(p["credit"] == "yes", rx.text(
            t("applied"), " ", p["applied"], " · ", t("left"), " ", p["left"], size="2"),
            rx.text("—", color=MUTED))),
        rx.table.cell(rx.button(t("Details"), size="1", variant="soft",
                                aria_label=t("Details of") + " " + p["number"],
                                on_click=S.show_payout(p["id"]))),
        key=p["id"])


def pager() -> rx.Component:
    return rx.cond(S.history_pages > 1, rx.hstack(
        rx.button(t("Newer"), size="1", variant="soft", disabled=S.history_page <= 1,
                  on_click=S.go_to_page(S.history_page - 1)),
        rx.text(t("Page"), " ", S.history_page.to_string(), " / ",
                S.history_pages.to_string(), size="2"),
        rx.button(t("Older"), size="1", variant="soft",
                  disabled=S.history_page >= S.history_pages,
                  on_click=S.go_to_page(S.history_page + 1)),
        spacing="3", align="center"))


def csv_panel() -> rx.Component:
    return rx.vstack(
        rx.heading(t("CSV for the bank"), size="3", as_="h3"),
        rx.hstack(csv_link(t("All payouts"), S.all_csv_url),
                  rx.cond(S.chosen_csv_url != "",
                          csv_link(t("Ticked payouts"), S.chosen_csv_url)),
                  spacing="4", wrap="wrap"),
        rx.form(rx.hstack(
            labelled(t("From"), "payouts-from", rx.el.input(
                id="payouts-from", name="date_from", type="date", style=INPUT_STYLE),
                S.errors["date_from"]),
            labelled(t("To"), "payouts-to", rx.el.input(
                id="payouts-to", name="date_to", type="date", style=INPUT_STYLE),
                S.errors["date_to"]),
            rx.button(t("Prepare CSV"), type="submit", variant="soft"),
            spacing="3", align="end", wrap="wrap"), on_submit=S.prepare_range,
            reset_on_submit=False),
        rx.cond(S.range_csv_url != "", csv_link(t("Payouts in those dates"), S.range_csv_url)),
        spacing="2", width="100%")


def history_section() -> rx.Component:
    return section(
        t("Payouts made"),
        rx.cond(S.history_rows.length() > 0, rx.vstack(
            rx.box(rx.table.root(
                _headers("", t("Payout"), t("Date"), t("Referrer"), t("Method"), t("Amount"),
                         t("Reference"), t("Account credit"), ""),
                rx.table.body(rx.foreach(S.history_rows, history_row)), width="100%"),
                overflow_x="auto", width="100%"),
            pager(), spacing="3", width="100%"),
            rx.text(t("No payouts yet."), color=MUTED)),
        csv_panel())


def detail_line(line) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(line["label"]),
                        rx.table.cell(line["invoice"]), rx.table.cell(line["customer"]),
                        rx.table.cell(line["amount"]), key=line["key"])


def detail_dialog() -> rx.Component:
    d = S.detail
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(t("Payout"), " ", d["number"]),
        rx.dialog.description(d["referrer"], " · ", d["date"], " · ", d["method"], " · ",
                              d["amount"]),
        rx.cond(d["reference"] != "", rx.text(t("Reference"), ": ", d["reference"], size="2")),
        rx.cond(d["note"] != "", rx.text(t("Note"), ": ", d["note"], size="2")),
        rx.table.root(_headers(t("Paid"), t("Invoice"), t("Customer"), t("Amount")),
                      rx.table.body(rx.foreach(S.detail_lines, detail_line)), width="100%"),
        rx.hstack(rx.dialog.close(rx.button(t("Close"), variant="soft")), justify="end",
                  margin_top="1em"),
        **focus_return()), open=S.detail_open, on_open_change=S.close_detail)


def referral_payouts_page() -> rx.Component:
    return console_shell(
        t("Referral payouts"),
        referrals_console_nav(),
        due_section(),
        rx.cond(S.payee_name != "", payee_section()),
        history_section(),
        plan_dialog(),
        detail_dialog(),
    )
