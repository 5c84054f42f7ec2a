"""The "Apps" section of /console/settings (state/console_hub_settings.py)."""

import reflex as rx

from components.console_bits import labelled_checkbox, section
from components.forms import error_callout
from components.i18n import t
from state.console_hub_settings import LANDING_CHOICES, OPTIONAL_APPS
from state.console_hub_settings import HubSettingsState as S

MUTED = "var(--gray-11)"


def hub_settings_card() -> rx.Component:
    return section(
        t("Apps"),
        rx.text(t("The portal's own sections are always there. An app you turn on shows in "
                  "a client's app switcher once they have access to it (an offer they "
                  "bought or were given, or access you give on the client's page)."),
                size="2", color=MUTED),
        rx.form(
            rx.vstack(
                error_callout(S.hub_error),
                *[labelled_checkbox(t(label), f"app_{key}", S.apps_on[key])
                  for key, label in OPTIONAL_APPS],
                rx.el.label(t("Landing app after sign-in"), html_for="field-landing_app",
                            style={"font_weight": "500", "font_size": "0.9em"}),
                rx.el.select(
                    *[rx.el.option(t(label), value=key) for key, label in LANDING_CHOICES],
                    id="field-landing_app", name="landing_app", default_value=S.landing_app,
                    style={"width": "100%", "min_height": "44px", "padding": "0.4em"},
                ),
                rx.text(t("A client who may not use the landing app lands on the dashboard."),
                        size="1", color=MUTED),
                labelled_checkbox(t("Allow several client records per email"),
                                  "allow_several_records_per_email", S.several_records),
                rx.text(t("On: signing up with an email that already has a portal account "
                          "adds a new client record to that account's household (after the "
                          "emailed code). Off: it offers to sign in instead. An email never "
                          "gets a second account."), size="1", color=MUTED),
                rx.button(t("Save apps"), type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.save_hub,
            key=S.apps_on.to_string() + S.landing_app + S.several_records.to_string(),
        ),
    )
