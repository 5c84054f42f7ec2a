"""/forms/form?id=: one form, phone first (issue 19)."""

import reflex as rx

from components.client_shell import client_shell
from components.forms import error_callout, notice_callout
from components.i18n import t
from portal_app import routes
from portal_app.pages.client_forms.fields import field_block
from state.client_forms.form_page import FormState as S


def _header() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.link(rx.hstack(rx.icon("arrow_left", size=16, aria_hidden="true"),
                              rx.text(t("All forms")), spacing="1", align="center"),
                    href=routes.FORMS, min_height="44px", display="flex",
                    align_items="center"),
            rx.spacer(),
            rx.cond(S.progress != "", rx.badge(S.progress, size="3", variant="soft",
                                               )),
            width="100%", align="center"),
        rx.heading(S.title, size="6", as_="h2"),
        rx.cond(S.intro != "", rx.text(S.intro, size="3", white_space="pre-wrap")),
        rx.cond(S.read_only, notice_callout(S.completed_text)),
        rx.cond(S.pdf_url != "", rx.el.a(t("Download the signed PDF"), href=S.pdf_url,
                                         download=True,
                                         custom_attrs={"reloadDocument": True})),
        rx.cond(~S.read_only, rx.text(t("Your answers are saved as you type. Fields marked * "
                                        "are required."), size="2", color="var(--gray-11)")),
        spacing="2", width="100%")


def _consent() -> rx.Component:
    return rx.cond(
        S.needs_consent & ~S.read_only,
        rx.vstack(
            rx.el.label(
                rx.checkbox(checked=S.consent_checked, on_change=S.set_consent, size="3",
                            id="esign-consent",
                            aria_label=t("I agree to sign electronically")),
                rx.text(t("I agree to sign electronically"), weight="bold"),
                style={"display": "flex", "align_items": "center", "gap": "0.6em",
                       "min_height": "44px", "cursor": "pointer"}),
            rx.text(S.consent_text, size="2", color="var(--gray-11)"),
            rx.cond(S.consent_error != "", rx.text(S.consent_error, size="2",
                                                   color="var(--red-11)", role="alert")),
            spacing="1", width="100%", padding="0.8em", border_radius="8px",
            border="1px solid var(--gray-6)"),
    )


def _footer() -> rx.Component:
    return rx.cond(
        S.read_only,
        rx.fragment(),
        rx.vstack(
            _consent(),
            error_callout(S.form_error),
            rx.button(t("Submit"), size="4", width="100%", min_height="52px",
                      loading=S.busy, on_click=S.submit),
            rx.text(S.saved_text, size="2", color="var(--gray-11)", role="status",
                    aria_live="polite", min_height="1.4em"),
            spacing="3", width="100%"),
    )


def form_page() -> rx.Component:
    return client_shell(
        S,
        t("Forms"),
        rx.cond(
            S.found,
            rx.vstack(
                _header(),
                rx.vstack(rx.foreach(S.rows, field_block), spacing="5", width="100%"),
                _footer(),
                spacing="5", width="100%", max_width="640px"),
            rx.vstack(notice_callout(S.notice),
                      rx.link(t("All forms"), href=routes.FORMS), spacing="3"),
        ),
        quick_actions=False,
    )
