"""/referrals: the client's Referrals app. Not joined yet: a card that explains the
program (rate, window, hold, minimum payout, terms) and "Join the program". Joined:
their link (copy, QR code, share by email or WhatsApp), coupon code, how they would
like to be paid, figures, commissions, adjustments, payouts. Space is reserved for
what loads (no layout shift)."""

import reflex as rx

from components.client_shell import client_shell
from components.i18n import t
from portal_app.pages.referrals.lists import (
    adjustments,
    commissions,
    figures,
    needs,
    payout_dialog,
    payouts,
    section,
)
from state.referrals.page import ReferralsState as S

MUTED = "var(--gray-11)"
QR_SIZE = "164px"
METHODS = (("account_credit", "Account credit",
            "Taken off your own invoices with us; what is left stays as credit."),
           ("bank_transfer", "Bank transfer", "To the account in your payout details."),
           ("cash", "Cash", "Collected in person."))


def join_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("Earn by bringing us customers"), size="5", as_="h2"),
        rx.text(t("Share your own link. When someone you bring becomes a customer, you earn "
                  "a commission on what they pay.")),
        rx.el.ul(rx.foreach(S.facts, lambda f: rx.el.li(f)),
                 style={"padding_left": "1.2em", "line_height": "1.6"}),
        rx.cond(S.terms != "", rx.vstack(
            rx.heading(t("Program terms"), size="3", as_="h3"),
            rx.text(S.terms, white_space="pre-line", size="2"),
            spacing="1", width="100%")),
        rx.text(t("By joining you accept these terms."), size="2", color=MUTED),
        rx.button(t("Join the program"), size="3", min_height="44px", on_click=S.join),
        spacing="3", width="100%"), width="100%")


def share_links() -> rx.Component:
    style = {"display": "inline-flex", "align_items": "center", "gap": "0.4em",
             "min_height": "44px"}
    return rx.flex(
        rx.button(rx.icon("copy", size=16, aria_hidden="true"), t("Copy link"),
                  min_height="44px", on_click=S.copy_link),
        rx.link(rx.icon("mail", size=16, aria_hidden="true"), t("Share by email"),
                href=S.mail_href, style=style),
        rx.link(rx.icon("message_circle", size=16, aria_hidden="true"),
                t("Share on WhatsApp"), href=S.whatsapp_href, is_external=True, style=style),
        spacing="4", wrap="wrap", align="center")


def link_card() -> rx.Component:
    return rx.card(rx.flex(
        rx.vstack(
            rx.heading(t("Your link"), size="5", as_="h2"),
            rx.text(t("Anyone who follows it and signs up within the program's window "
                      "counts as yours."), size="2", color=MUTED),
            rx.el.label(t("Your referral link"), html_for="referral-link",
                        style={"font_weight": "500", "font_size": "0.9em"}),
            rx.input(id="referral-link", value=S.link, read_only=True, size="3", width="100%"),
            share_links(),
            spacing="2", flex="1", min_width="16em"),
        rx.box(rx.cond(S.qr != "",
                       rx.image(src=S.qr, alt=t("QR code of your referral link"),
                                width=QR_SIZE, height=QR_SIZE)),
               width=QR_SIZE, height=QR_SIZE, flex_shrink="0"),
        spacing="4", wrap="wrap", width="100%", align="start"), width="100%")


def coupon_card() -> rx.Component:
    return rx.cond(S.coupons_on, rx.card(section(
        t("Your coupon code"),
        rx.text(t("A customer can give this code when they sign up instead of following "
                  "your link. A code overrides a link."), size="2", color=MUTED),
        rx.form(rx.vstack(
            rx.el.label(t("Coupon code"), html_for="referral-coupon",
                        style={"font_weight": "500", "font_size": "0.9em"}),
            rx.hstack(
                rx.input(id="referral-coupon", name="coupon", default_value=S.coupon,
                         max_length=20, size="3", auto_complete="off",
                         aria_invalid=rx.cond(S.coupon_error != "", "true", "false"),
                         aria_describedby="referral-coupon-error", width="16em"),
                rx.button(t("Save coupon"), type="submit", size="3"),
                spacing="2", wrap="wrap"),
            rx.text(S.coupon_error, id="referral-coupon-error", role="alert", size="2",
                    color="var(--red-11)", min_height="1.5em"),
            spacing="1", width="100%"),
            on_submit=S.set_coupon, key=S.coupon),
    )))


def method_card() -> rx.Component:
    return rx.card(rx.el.fieldset(
        rx.el.legend(rx.heading(t("How you would like to be paid"), size="5", as_="h2",
                                id="payout-method-heading")),
        rx.radio_group.root(
            rx.vstack(*[rx.el.label(
                rx.radio_group.item(value=value),
                rx.vstack(rx.text(t(label), weight="medium"),
                          rx.text(t(hint), size="1", color=MUTED), spacing="0"),
                style={"display": "flex", "align_items": "center", "gap": "0.6em",
                       "min_height": "44px", "cursor": "pointer"})
                for value, label, hint in METHODS], spacing="1"),
            value=S.payout_method, on_change=S.set_payout_method, size="3",
            aria_labelledby="payout-method-heading"),
        rx.text(S.method_error, role="alert", size="2", color="var(--red-11)",
                min_height="1.5em"),
        style={"border": "none", "padding": "0", "margin": "0"}), details_form(), width="100%")


def details_form() -> rx.Component:
    """The payout details profile completion first asked for, to change them."""
    return rx.form(rx.vstack(
        rx.el.label(t("Payout details"), html_for="referral-payout-details",
                    style={"font_weight": "500"}),
        rx.text(t("How you would like your referral commissions paid: \"account credit\" on "
                  "your invoices, or the name and number of the bank account for a transfer."),
                id="referral-payout-details-hint", size="1", color=MUTED),
        rx.text_area(id="referral-payout-details", name="payout_details",
                     default_value=S.payout_details, rows="2", width="100%",
                     aria_describedby="referral-payout-details-hint referral-details-error",
                     aria_invalid=rx.cond(S.details_error != "", "true", "false")),
        rx.button(t("Save payout details"), type="submit", size="3"),
        rx.text(S.details_error, id="referral-details-error", role="alert", size="2",
                color="var(--red-11)", min_height="1.5em"),
        spacing="2", width="100%", margin_top="12px"),
        on_submit=S.save_payout_details, key=S.payout_details)


def program_details() -> rx.Component:
    """The program's rules and terms, folded away once joined."""
    return rx.el.details(
        rx.el.summary(rx.heading(t("How the program works"), size="5", as_="h2",
                                 style={"display": "inline"}),
                      style={"cursor": "pointer", "min_height": "44px"}),
        rx.el.ul(rx.foreach(S.facts, lambda f: rx.el.li(f)),
                 style={"padding_left": "1.2em", "line_height": "1.6"}),
        rx.cond(S.terms != "", rx.vstack(
            rx.heading(t("Program terms"), size="3", as_="h3"),
            rx.text(S.terms, white_space="pre-line", size="2"), spacing="1")),
        style={"width": "100%"})


def referrer_view() -> rx.Component:
    return rx.vstack(
        rx.cond(~S.active, rx.callout(
            t("Your link and coupon are paused. Commissions you already earned stay yours."),
            icon="info", color_scheme="amber", role="status", width="100%")),
        link_card(),
        figures(),
        needs(),
        commissions(),
        adjustments(),
        payouts(),
        coupon_card(),
        method_card(),
        program_details(),
        payout_dialog(),
        spacing="5", width="100%")


def loading() -> rx.Component:
    """Room for the first card while the page loads (nothing jumps when it arrives)."""
    return rx.vstack(rx.skeleton(height="220px", width="100%"),
                     rx.skeleton(height="120px", width="100%"), spacing="4", width="100%",
                     aria_busy="true")


def referrals_page() -> rx.Component:
    return client_shell(
        S,
        t("Referrals"),
        rx.cond(S.loaded, rx.cond(S.joined, referrer_view(), join_card()), loading()),
    )
