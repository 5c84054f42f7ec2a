"""Console → Referrals → Program (/console/referrals/program): the program's form
(errors beside each field) and the rates of single offers or services."""

import reflex as rx

from components.console_bits import section
from components.console_shell import console_shell
from components.i18n import t
from components.referrals_console_nav import referrals_console_nav
from portal_app import routes
from portal_app.pages.console_referrals.fields import INPUT_STYLE, MUTED, labelled, select
from state.console_referrals import ConsoleProgramState as S

JOIN_OPTIONS = [("any", "Any client may join"), ("invitation", "By invitation from staff"),
                ("offer", "Clients granted an offer that includes Referrals")]
KIND_OPTIONS = [("percent", "A percentage of each payment"),
                ("fixed", "A fixed amount per payment")]
DURATION_OPTIONS = [("first", "The customer's first payment only"),
                    ("months", "Payments in the first months (set below)"),
                    ("every", "Every payment")]
RULE_OPTIONS = [("first", "First click wins"), ("last", "Last click wins")]


def _options(pairs):
    return [(value, t(label)) for value, label in pairs]


def program_form() -> rx.Component:
    v, e = S.values, S.errors
    return rx.form(rx.vstack(
        labelled(t("Who may join"), "program-join",
                 select("program-join", "join_rule", _options(JOIN_OPTIONS), v["join_rule"]),
                 e["join_rule"]),
        rx.hstack(
            labelled(t("Commission"), "program-kind",
                     select("program-kind", "rate_kind", _options(KIND_OPTIONS),
                            v["rate_kind"]), e["rate_kind"]),
            labelled(t("Percentage (such as 10 or 12.5)"), "program-rate", rx.el.input(
                id="program-rate", name="rate", default_value=v["rate"], input_mode="decimal",
                style=INPUT_STYLE), e["rate"]),
            labelled(t("Fixed amount per payment (") + S.currency + ")", "program-fixed",
                     rx.el.input(id="program-fixed", name="fixed_amount",
                                 default_value=v["fixed_amount"], input_mode="decimal",
                                 style=INPUT_STYLE), e["fixed_amount"]),
            spacing="3", width="100%", wrap="wrap"),
        rx.hstack(
            labelled(t("Payments that earn a commission"), "program-duration",
                     select("program-duration", "duration", _options(DURATION_OPTIONS),
                            v["duration"]), e["duration"]),
            labelled(t("Months (1 to 120)"), "program-months", rx.el.input(
                id="program-months", name="duration_months", default_value=v["duration_months"],
                input_mode="numeric", style=INPUT_STYLE), e["duration_months"]),
            spacing="3", width="100%", wrap="wrap"),
        rx.hstack(
            labelled(t("Attribution window (days, 1 to 365)"), "program-window", rx.el.input(
                id="program-window", name="window_days", default_value=v["window_days"],
                input_mode="numeric", style=INPUT_STYLE), e["window_days"],
                hint=t("How long a visit through a link counts.")),
            labelled(t("When two referrers compete"), "program-rule",
                     select("program-rule", "attribution_rule", _options(RULE_OPTIONS),
                            v["attribution_rule"]), e["attribution_rule"],
                     hint=t("A coupon code overrides a link.")),
            spacing="3", width="100%", wrap="wrap"),
        rx.hstack(
            labelled(t("Hold before approval (days, 0 to 365)"), "program-hold", rx.el.input(
                id="program-hold", name="hold_days", default_value=v["hold_days"],
                input_mode="numeric", style=INPUT_STYLE), e["hold_days"],
                hint=t("Match your refund window: a refund inside it reduces the commission.")),
            labelled(t("Minimum payout (") + S.currency + ")", "program-minimum", rx.el.input(
                id="program-minimum", name="min_payout", default_value=v["min_payout"],
                input_mode="decimal", style=INPUT_STYLE), e["min_payout"]),
            spacing="3", width="100%", wrap="wrap"),
        rx.el.label(
            rx.el.input(type="checkbox", name="coupons", id="program-coupons",
                        default_checked=v["coupons"] == "yes",
                        style={"width": "18px", "height": "18px"}),
            t("Referrers may choose a personal coupon code"), html_for="program-coupons",
            style={"display": "flex", "gap": "0.5em", "align_items": "center",
                   "min_height": "32px"}),
        labelled(t("Terms (shown to referrers; up to 4000 characters)"), "program-terms",
                 rx.el.textarea(id="program-terms", name="terms", default_value=v["terms"],
                                rows="5", max_length=4000, style=INPUT_STYLE), e["terms"]),
        rx.button(t("Save program"), type="submit"),
        spacing="4", width="100%"),
        on_submit=S.save_program, reset_on_submit=False, key=S.form_key.to_string())


def rate_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r["name"]), rx.table.cell(r["kind_label"]),
        rx.table.cell(r["rate"]),
        rx.table.cell(rx.button(t("Remove"), size="1", variant="soft", color_scheme="red",
                                aria_label=t("Remove the rate of ") + r["name"],
                                on_click=S.delete_rate(r["id"]))),
        key=r["id"])


def rates_section() -> rx.Component:
    e = S.rate_errors
    return section(
        t("Rates of single offers or services"),
        rx.text(t("A payment for one of these earns its own rate instead of the program's."),
                size="2", color=MUTED),
        rx.cond(S.rates.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                t("Offer or service"), t("Kind"), t("Rate"), "")])),
            rx.table.body(rx.foreach(S.rates, rate_row)), width="100%"),
            rx.text(t("No special rates."), color=MUTED)),
        rx.form(rx.vstack(
            rx.hstack(
                labelled(t("Offer or service"), "rate-target", rx.el.select(
                    rx.el.option(t("Choose…"), value=""),
                    rx.foreach(S.targets, lambda o: rx.el.option(o["label"], value=o["value"])),
                    id="rate-target", name="target", style=INPUT_STYLE), e["target"]),
                labelled(t("Commission of this rate"), "rate-kind",
                         select("rate-kind", "rate_kind", _options(KIND_OPTIONS), "percent"),
                         e["rate_kind"]),
                spacing="3", width="100%", wrap="wrap"),
            rx.hstack(
                labelled(t("Its percentage"), "rate-rate", rx.el.input(
                    id="rate-rate", name="rate", input_mode="decimal", style=INPUT_STYLE),
                    e["rate"]),
                labelled(t("Its fixed amount (") + S.currency + ")", "rate-fixed",
                         rx.el.input(id="rate-fixed", name="fixed_amount",
                                     input_mode="decimal", style=INPUT_STYLE),
                         e["fixed_amount"]),
                spacing="3", width="100%", wrap="wrap"),
            rx.button(t("Save rate"), type="submit", variant="soft"),
            spacing="3", width="100%"),
            on_submit=S.save_rate, reset_on_submit=False, key=S.rate_form_key.to_string()),
    )


def console_program_page() -> rx.Component:
    return console_shell(
        t("Referrals"),
        referrals_console_nav(),
        rx.cond(~S.app_on, rx.callout(
            rx.text(t("The Referrals app is off: clients see nothing of the program until "
                      "you turn it on in "),
                    rx.link(t("Portal settings"), href=routes.CONSOLE_SETTINGS), "."),
            icon="info", color_scheme="amber", role="status", width="100%")),
        section(t("Program"), program_form()),
        rates_section(),
    )
