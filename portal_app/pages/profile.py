"""/profile: the client's name, mobile, time zone, language and email
notification choices; "Download my data"; "Close my account"."""

import reflex as rx

from components.client_shell import client_shell
from components.console_bits import labelled_checkbox
from components.dialogs import focus_return
from components.forms import error_callout
from components.i18n import t
from portal_app import routes
from portal_app.i18n import LANGUAGES
from state.profile import OPTIONAL_EMAILS, NotificationKind
from state.profile import ProfileState as S

SELECT_STYLE = {"width": "100%", "min_height": "44px", "padding": "0.4em 0.6em",
                "border": "1px solid var(--gray-7)", "border_radius": "6px",
                "background": "var(--color-surface)", "color": "inherit", "font_size": "1em"}


def field_error(name: str, message) -> rx.Component:
    return rx.cond(message != "", rx.text(message, id=f"error-{name}", color="red", size="2",
                                          role="alert"))


def labelled(label, name: str, control: rx.Component, message) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=f"field-{name}",
                    style={"font_weight": "500", "font_size": "0.9em"}),
        control,
        field_error(name, message),
        spacing="1",
        width="100%",
    )


def _described(message, name: str) -> dict:
    return {"aria-invalid": rx.cond(message != "", "true", "false"),
            "aria-describedby": rx.cond(message != "", f"error-{name}", "")}


def text_input(name: str, value, message, **props) -> rx.Component:
    return rx.input(id=f"field-{name}", name=name, default_value=value, size="3", width="100%",
                    custom_attrs=_described(message, name), **props)


def timezone_field() -> rx.Component:
    """The canonical zones, searchable: type a city or country and the list narrows
    (an input with a datalist, filled when the field is first focused); each names its
    offset now. Or the device's zone."""
    return rx.vstack(
        rx.input(id="field-timezone", name="timezone", default_value=S.timezone, size="3",
                 width="100%", auto_complete="off", spell_check=False,
                 placeholder=t("Type a city or country"), on_focus=S.show_zones,
                 custom_attrs={**_described(S.timezone_error, "timezone"),
                               "list": "timezone-choices"}),
        rx.el.datalist(rx.foreach(S.zone_options,
                                  lambda o: rx.el.option(o["label"], value=o["value"])),
                       id="timezone-choices"),
        rx.button(rx.icon("locate", size=16, aria_hidden="true"), t("Use my device's zone"),
                  type="button", variant="soft", on_click=S.use_device_zone),
        spacing="2",
        width="100%",
        align_items="start",
    )


def language_select() -> rx.Component:
    return rx.el.select(
        *[rx.el.option(name, value=code) for code, name in LANGUAGES.items()],
        id="field-language", name="language", default_value=S.language,
        custom_attrs=_described(S.language_error, "language"), style=SELECT_STYLE,
    )


def details_card() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("Your details"), size="4", as_="h2"),
                labelled(t("Full name"), "full_name",
                         text_input("full_name", S.full_name, S.full_name_error,
                                    auto_complete="name", required=True), S.full_name_error),
                labelled(t("Mobile phone"), "mobile",
                         text_input("mobile", S.mobile, S.mobile_error, type="tel",
                                    auto_complete="tel", placeholder="+1 555 010 0200"),
                         S.mobile_error),
                labelled(t("Time zone"), "timezone", timezone_field(), S.timezone_error),
                rx.text(t("Times in the portal and in our emails are shown in this zone."),
                        size="1", color="var(--gray-11)"),
                labelled(t("Language"), "language", language_select(), S.language_error),
                rx.button(t("Save profile"), type="submit"),
                spacing="3",
                max_width="480px",
                width="100%",
            ),
            on_submit=S.save_profile,
            key=S.form_key.to_string(),
        ),
        width="100%",
    )


def notification_choices() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("Email notifications"), size="4", as_="h2"),
                rx.text(t("The bell always shows them. Which should also arrive by email? "
                          "Booking confirmations, invoices and receipts are always emailed."),
                        size="2", color="var(--gray-11)"),
                # The card is there from the first paint (the cards below do not jump
                # when the choices arrive); its boxes are hidden until then rather than
                # shown unticked.
                rx.vstack(
                    *[labelled_checkbox(t(NotificationKind.LABELS[kind]), f"email_{kind}",
                                        S.email_kinds[kind])
                      for kind in OPTIONAL_EMAILS],
                    rx.button(t("Save choices"), type="submit"),
                    spacing="2",
                    visibility=rx.cond(S.email_kinds.length() > 0, "visible", "hidden"),
                ),
                spacing="2",
            ),
            on_submit=S.save_notifications,
            key=S.form_key.to_string(),
        ),
        width="100%",
    )


def data_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Your data"), size="4", as_="h2"),
            rx.text(t("Download everything the portal holds about this account: your details, "
                      "bookings, invoices and payments, messages, notifications and your "
                      "documents, as a zip file."), size="2", color="var(--gray-11)"),
            # A plain link (never rx.download): reloadDocument hands /api to the browser,
            # which downloads the zip; the record comes from the session, not the URL.
            rx.el.a(
                rx.hstack(rx.icon("download", size=16, aria_hidden="true"),
                          rx.text(t("Download my data")), align="center", spacing="2"),
                href=routes.API_PROFILE_EXPORT, download=True,
                custom_attrs={"reloadDocument": True, "data-testid": "export-data"},
                style={"display": "inline-flex", "min_height": "44px", "align_items": "center",
                       "padding": "0 1em", "border_radius": "6px", "text_decoration": "none",
                       "background": "var(--accent-3)", "color": "var(--accent-11)",
                       "font_weight": "500"},
            ),
            spacing="3",
        ),
        width="100%",
    )


def closure_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Close my account?")),
            rx.dialog.description(
                t("We will be told and will contact you. Nothing is deleted until we have "
                  "talked, and you can still sign in meanwhile.")),
            rx.form(
                rx.vstack(
                    rx.el.label(t("Reason (optional)"), html_for="closure-reason"),
                    rx.text_area(id="closure-reason", name="reason", width="100%",
                                 max_length=1000),
                    error_callout(S.closure_error),
                    rx.hstack(
                        rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                        rx.button(t("Ask to close my account"), color_scheme="red",
                                  type="submit", custom_attrs={"data-testid": "confirm-close"}),
                        justify="end", spacing="2", width="100%",
                    ),
                    spacing="3", width="100%", margin_top="1em",
                ),
                on_submit=S.request_closure,
            ),
            **focus_return(),
        ),
        open=S.closure_open,
        on_open_change=S.set_closure_open,
    )


def closure_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Close my account"), size="4", as_="h2"),
            rx.cond(
                S.closure_requested_on != "",
                rx.callout(
                    rx.vstack(
                        rx.text(t("You asked to close this account."), weight="bold"),
                        rx.text(t("Asked on:"), " ", S.closure_requested_on),
                        rx.cond(S.closure_reason != "",
                                rx.text(t("Your reason:"), " ", S.closure_reason,
                                        white_space="pre-wrap")),
                        rx.text(t("Your request is with us: we will contact you. Nothing has "
                                  "been deleted.")),
                        spacing="1",
                    ),
                    icon="clock", color_scheme="amber", role="status", width="100%",
                    custom_attrs={"data-testid": "closure-requested"}),
                rx.vstack(
                    rx.text(t("No longer need the portal? Ask us to close your account."),
                            size="2", color="var(--gray-11)"),
                    rx.button(t("Close my account"), color_scheme="red", variant="soft",
                              on_click=S.set_closure_open(True),
                              custom_attrs={"data-testid": "close-account"}),
                    spacing="2",
                ),
            ),
            spacing="3",
        ),
        width="100%",
    )


def profile_page() -> rx.Component:
    return client_shell(
        S,
        t("Profile"),
        details_card(),
        notification_choices(),
        data_card(),
        closure_card(),
        closure_dialog(),
    )
