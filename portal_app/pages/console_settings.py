"""/console/settings: the portal switch, branding, logo, URL, features, buttons, defaults."""

import reflex as rx

from components.console_bits import labelled_checkbox, permissions_form, section
from components.console_shell import console_shell
from components.file_upload import named_dropzone
from components.forms import error_callout, text_field
from components.i18n import t
from portal_app.pages.console_me import my_console_card
from portal_app.pages.console_settings_hub import hub_settings_card
from portal_app.pages.console_settings_insurance import insurance_card
from portal_app.pages.console_statement_settings import statement_settings_card
from state.console_settings import (
    ACTIVATION_CHOICES,
    COUNTRY_CHOICES,
    FEATURES,
    LOGO_MAX_BYTES,
    PAY_NEEDS_BILLING,
    PERMISSIONS,
)
from state.console_settings import PortalSettingsState as S


def switch_card() -> rx.Component:
    return section(
        t("Client portal"),
        rx.hstack(
            rx.switch(checked=S.portal_enabled, on_change=S.set_portal_enabled,
                      id="portal-switch", aria_label=t("Client portal on")),
            rx.el.label(rx.cond(S.portal_enabled, t("On: clients can sign in"),
                                t("Off: nobody can sign in or use the portal")),
                        html_for="portal-switch"),
            align="center", spacing="3",
        ),
        rx.text(t("Turning the portal off signs every client out at once; they see a "
                "\"portal is closed\" page."), size="1", color="var(--gray-11)"),
    )


def activation_card() -> rx.Component:
    """When a client's portal is activated (seeds 003 and 004)."""
    return section(
        t("Portal activation"),
        rx.form(
            rx.vstack(
                error_callout(S.activation_error),
                rx.el.fieldset(
                    rx.el.legend(t("Activate a client's portal"), style={"font_weight": "500"}),
                    rx.radio_group.root(
                        rx.vstack(*[
                            rx.hstack(rx.radio_group.item(value=value, id=f"activation-{value}"),
                                      rx.el.label(t(label), html_for=f"activation-{value}"),
                                      align="center")
                            for value, label in ACTIVATION_CHOICES], spacing="2"),
                        name="portal_activation", default_value=S.activation,
                    ),
                    style={"border": "none", "padding": "0", "margin": "0"},
                ),
                rx.text(t("Activation sends the usual invitation, once per client, to clients "
                        "with an email and Email OK. A client whose email already signs in to "
                        "the portal gets this record added to that sign-in, without an "
                        "invitation. A client whose access you disabled is never activated "
                        "again automatically."), size="1", color="var(--gray-11)"),
                rx.button(t("Save activation"), type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.save_activation,
            key=S.activation,
        ),
    )


def branding_card() -> rx.Component:
    return section(
        t("Branding and contact"),
        rx.form(
            rx.vstack(
                error_callout(S.branding_error),
                rx.cond(S.branding_note != "",
                        rx.callout(S.branding_note, icon="info", color_scheme="amber",
                                   role="status")),
                text_field(t("Business name"), "name", default_value=S.name),
                text_field(t("Tagline"), "tagline", required=False, default_value=S.tagline),
                rx.hstack(
                    text_field(t("Accent colour"), "accent_color", default_value=S.accent_color,
                               placeholder="#0F766E"),
                    rx.box(width="36px", height="36px", border_radius="6px",
                           background=S.accent_color, margin_top="1.4em", aria_hidden="true"),
                    align="start", width="100%",
                ),
                rx.text(t("Checked against WCAG AA (4.5:1 with white text); a lighter colour is "
                        "darkened to pass."), size="1", color="var(--gray-11)"),
                text_field(t("Contact email"), "contact_email", type="email", required=False,
                           default_value=S.contact_email),
                text_field(t("Contact phone"), "contact_phone", required=False,
                           default_value=S.contact_phone),
                text_field(t("Address"), "address", required=False, default_value=S.address),
                rx.button(t("Save branding"), type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.save_branding,
            key=S.accent_color + S.name,
        ),
    )


def logo_card() -> rx.Component:
    return section(
        t("Logo"),
        error_callout(S.logo_error),
        rx.cond(S.has_logo,
                rx.image(src="/api/brand/logo?v=" + S.logo_version, alt=t("Current logo"),
                         max_height="64px"),
                rx.text(t("No logo yet: the accent colour is shown instead."), size="2")),
        named_dropzone(rx.upload(
            rx.vstack(rx.icon("image", aria_hidden="true"),
                      rx.text(t(f"PNG, JPEG or SVG, up to {LOGO_MAX_BYTES // 1024} "
                                "KB. Drop a file or click to choose."), size="2"),
                      align="center"),
            id="logo_upload", multiple=False, max_files=1, max_size=LOGO_MAX_BYTES,
            accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"],
                    "image/svg+xml": [".svg"]},
            border="1px dashed var(--gray-7)", padding="1em", border_radius="8px",
            on_drop=S.upload_logo(rx.upload_files(upload_id="logo_upload")),
        ), t("Logo file")),
        rx.cond(S.has_logo, rx.button(t("Remove logo"), variant="soft", color_scheme="red",
                                      on_click=S.remove_logo)),
    )


def url_and_features_card() -> rx.Component:
    return section(
        t("Portal address and features"),
        rx.hstack(rx.code(S.portal_url),
                  rx.button(t("Copy"), variant="soft", size="1",
                            on_click=rx.set_clipboard(S.portal_url)), align="center"),
        rx.form(
            rx.vstack(
                error_callout(S.features_error),
                text_field(t("Short name (slug)"), "portal_slug", required=False,
                           default_value=S.portal_slug, placeholder="harbor-wellness"),
                rx.text(t("Features the portal offers"), weight="bold", size="2"),
                *[labelled_checkbox(t(label), key, S.features[key]) for key, label in FEATURES],
                labelled_checkbox(t("Self sign-up (new clients can register)"), "self_signup",
                                  S.self_signup),
                text_field(t("Invitation links expire after (days)"), "invite_ttl_days",
                           type="number", default_value=S.invite_ttl_days.to_string()),
                rx.button(t("Save features"), type="submit"),
                spacing="2",
            ),
            on_submit=S.save_features,
            key=S.features.to_string() + S.portal_slug + S.self_signup.to_string(),
        ),
    )


def defaults_card() -> rx.Component:
    return section(
        t("Default permissions for new clients"),
        permissions_form(PERMISSIONS, S.defaults, error=S.defaults_error, note=PAY_NEEDS_BILLING,
                         button=t("Save defaults"), on_submit=S.save_defaults,
                         key=S.defaults.to_string()),
    )


def cta_row(cta) -> rx.Component:
    key = cta["key"]
    return rx.hstack(
        rx.el.input(type="checkbox", name="enabled-" + key, default_checked=cta["enabled"] != "",
                    aria_label=t("Show ") + cta["label"], style={"width": "18px", "height": "18px"}),
        rx.input(name="label-" + key, default_value=cta["label"], aria_label=t("Label for ") + key,
                 width="240px"),
        rx.icon_button(rx.icon("arrow_up"), type="button", variant="soft", size="1",
                       aria_label=t("Move ") + cta["label"] + t(" up"), on_click=S.move_button(key, -1)),
        rx.icon_button(rx.icon("arrow_down"), type="button", variant="soft", size="1",
                       aria_label=t("Move ") + cta["label"] + t(" down"),
                       on_click=S.move_button(key, 1)),
        align="center", spacing="2",
    )


def buttons_card() -> rx.Component:
    return section(
        t("Client quick-action buttons"),
        rx.text(t("Shown on the client's right panel in this order, when the client may use "
                "the feature."), size="2", color="var(--gray-11)"),
        rx.form(
            rx.vstack(
                error_callout(S.cta_error),
                rx.foreach(S.ctas, cta_row),
                rx.button(t("Save buttons"), type="submit"),
                spacing="2",
            ),
            on_submit=S.save_buttons,
            key=S.ctas.to_string(),
        ),
    )


def printouts_card() -> rx.Component:
    return section(
        t("Printouts"),
        rx.form(
            rx.vstack(
                error_callout(S.country_error),
                rx.el.label(t("Country of the business"), html_for="field-country",
                            style={"font_weight": "500", "font_size": "0.9em"}),
                rx.el.select(
                    rx.el.option(t("From the time zone"), value=""),
                    *[rx.el.option(f"{name} ({code})", value=code)
                      for code, name in COUNTRY_CHOICES],
                    id="field-country", name="country", default_value=S.country,
                    style={"width": "100%", "padding": "0.5em"},
                ),
                rx.text(S.country_note, size="2", color="var(--gray-11)"),
                rx.text(t("Letter in the US, Canada, Mexico, the Philippines and a few "
                        "neighbours; A4 elsewhere."), size="1", color="var(--gray-11)"),
                rx.button(t("Save country"), type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.save_country,
            key=S.country,
        ),
    )


def portal_settings_page() -> rx.Component:
    return console_shell(
        t("Portal settings"),
        rx.grid(
            rx.vstack(switch_card(), activation_card(), branding_card(), logo_card(), printouts_card(),
                      statement_settings_card(), spacing="4"),
            rx.vstack(url_and_features_card(), hub_settings_card(), defaults_card(), buttons_card(),
                      insurance_card(),
                      my_console_card(), spacing="4"),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
    )
