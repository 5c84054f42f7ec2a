"""The "Insurance billing" section of /console/settings (state/console_insurance.py)."""

import reflex as rx

from components.console_bits import labelled_checkbox, section
from components.file_upload import named_dropzone
from components.forms import error_callout
from components.i18n import t
from components.superbill_fields import checked_field, checked_select, field_message
from state.console_insurance import SIGNATURE_MAX_BYTES
from state.console_insurance import InsuranceSettingsState as S

MUTED = "var(--gray-11)"


def tax_id_fields() -> rx.Component:
    return rx.vstack(
        checked_select(t("Tax id kind"), "tax_id_kind", S.errors,
                       [("ein", t("EIN (employer identification number)")),
                        ("ssn", t("SSN (social security number)"))],
                       prefix="insurance", default_value=S.tax_id_kind),
        checked_field(t("Tax id"), "tax_id", S.errors, prefix="insurance",
                      placeholder=S.tax_id_masked,
                      hint=rx.cond(S.tax_id_masked != "",
                                   t("Saved and shown masked. Leave blank to keep it; type a "
                                     "new one to replace it."),
                                   t("Nine digits. After saving it is only shown masked."))),
        rx.cond(S.tax_id_masked != "",
                labelled_checkbox(t("Remove the saved tax id"), "tax_id_clear", False)),
        spacing="2", width="100%",
    )


def provider_form() -> rx.Component:
    E = S.errors
    return rx.form(
        rx.vstack(
            checked_field(t("Legal name"), "legal_name", E, prefix="insurance",
                          default_value=S.legal_name),
            rx.grid(
                checked_field(t("Individual NPI"), "npi_individual", E, prefix="insurance",
                              default_value=S.npi_individual, input_mode="numeric"),
                checked_field(t("Organisation NPI"), "npi_organisation", E, prefix="insurance",
                              default_value=S.npi_organisation, input_mode="numeric"),
                columns="2", spacing="2", width="100%",
            ),
            tax_id_fields(),
            rx.grid(
                checked_field(t("Licence number"), "license_number", E, prefix="insurance",
                              default_value=S.license_number),
                checked_field(t("Licence state"), "license_state", E, prefix="insurance",
                              default_value=S.license_state, max_length=2),
                columns="2", spacing="2", width="100%",
            ),
            checked_field(t("Taxonomy code"), "taxonomy_code", E, prefix="insurance",
                          default_value=S.taxonomy_code),
            checked_field(t("Address on superbills"), "address", E, prefix="insurance",
                          default_value=S.address,
                          hint=t("The business's address: also shown as the portal's contact "
                                 "address.")),
            checked_field(t("Phone on superbills"), "phone", E, prefix="insurance",
                          default_value=S.phone,
                          hint=t("The business's phone: also shown as the portal's contact "
                                 "phone.")),
            checked_field(t("Send superbills for last month automatically on day"),
                          "superbill_auto_day", E, prefix="insurance", type="number",
                          default_value=S.auto_day, min=0, max=28,
                          hint=t("1 to 28, in the business's time zone; 0 turns it off.")),
            rx.button(t("Save insurance billing"), type="submit", disabled=~S.can_edit),
            spacing="2", width="100%",
        ),
        on_submit=S.save,
        key=S.legal_name + S.npi_individual + S.tax_id_masked + S.tax_id_kind + S.auto_day
        + S.address + S.phone + S.license_state + S.taxonomy_code,
    )


def signature_block() -> rx.Component:
    return rx.vstack(
        rx.text(t("Signature on superbills"), weight="bold", size="2"),
        rx.cond(S.signature_src != "",
                rx.image(src=S.signature_src, alt=t("Current signature"), max_height="64px"),
                rx.text(t("No signature yet."), size="2")),
        rx.cond(S.can_edit, named_dropzone(rx.upload(
            rx.vstack(rx.icon("signature", aria_hidden="true"),
                      rx.text(t(f"PNG or JPEG, up to {SIGNATURE_MAX_BYTES // 1024} KB. Kept "
                                "private. Drop a file or click to choose."), size="2"),
                      align="center"),
            id="signature_upload", multiple=False, max_files=1, max_size=SIGNATURE_MAX_BYTES,
            accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
            border="1px dashed var(--gray-7)", padding="1em", border_radius="8px",
            on_drop=S.upload_signature(rx.upload_files(upload_id="signature_upload")),
        ), t("Signature image"))),
        field_message(S.signature_error, "insurance-err-signature"),
        rx.cond(S.has_signature & S.can_edit,
                rx.button(t("Remove signature"), variant="soft", color_scheme="red",
                          on_click=S.remove_signature)),
        spacing="2", width="100%",
    )


def insurance_card() -> rx.Component:
    return section(
        t("Insurance billing"),
        rx.hstack(
            rx.switch(checked=S.enabled, on_change=S.set_enabled, id="superbills-switch",
                      disabled=~S.can_edit),
            rx.el.label(t("We bill clients who claim from insurance"),
                        html_for="superbills-switch"),
            align="center", spacing="3",
        ),
        rx.text(t("On: services get CPT codes, clients get diagnoses, and clients can have "
                  "superbills to claim from their insurer."), size="1", color=MUTED),
        rx.cond(~S.can_edit, rx.text(t("Only the owner can change these settings."), size="2",
                                     color=MUTED)),
        error_callout(S.error),
        rx.cond(S.enabled, rx.vstack(provider_form(), rx.separator(), signature_block(),
                                     spacing="3", width="100%")),
    )
