"""The insurance part of /console/client?id=… (superbills on): member id, date of
birth, and the dated diagnoses (state/console_client_insurance.py)."""

import reflex as rx

from components.console_bits import section
from components.forms import error_callout
from components.i18n import t
from components.superbill_fields import checked_field, field_message
from state.console_client_insurance import ClientInsuranceState as S

MUTED = "var(--gray-11)"


def insurance_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.grid(
                checked_field(t("Insurance member id"), "insurance_member_id", S.errors,
                              prefix="client", default_value=S.insurance_member_id),
                checked_field(t("Date of birth"), "date_of_birth", S.errors, prefix="client",
                              type="date", default_value=S.date_of_birth),
                columns="2", spacing="2", width="100%",
            ),
            rx.button(t("Save insurance details"), type="submit", variant="soft"),
            spacing="2", width="100%",
        ),
        on_submit=S.save_insurance,
        key=S.insurance_member_id + S.date_of_birth,
    )


def end_form(d) -> rx.Component:
    """The "End" control of an open diagnosis: its last day."""
    field_id = "end-" + d["id"]
    return rx.form(
        rx.hstack(
            rx.el.input(type="hidden", name="diagnosis_id", default_value=d["id"]),
            rx.input(id=field_id, name="until_date", type="date", size="1",
                     aria_label=t("Last day of ") + d["code"],
                     aria_describedby="end-err-" + d["id"]),
            rx.button(t("End"), type="submit", size="1", variant="soft"),
            spacing="1", align="center",
        ),
        field_message(S.end_errors.get(d["id"], ""), "end-err-" + d["id"]),
        on_submit=S.end_diagnosis,
    )


def diagnosis_row(d) -> rx.Component:
    name = d["code"]
    return rx.vstack(
        rx.hstack(
            rx.badge(d["code"], variant="soft"),
            rx.text(d["description"], size="2"),
            rx.cond(d["primary"] != "", rx.badge(t("Primary"), color_scheme="green",
                                                 variant="soft", size="1")),
            spacing="2", align="center", wrap="wrap",
        ),
        rx.text(t("From "), d["from"],
                rx.cond(d["until"] != "", rx.fragment(t(" until "), d["until"])), size="1",
                color=MUTED),
        rx.hstack(
            rx.icon_button(rx.icon("arrow_up"), type="button", variant="soft", size="1",
                           aria_label=t("Move ") + name + t(" up"),
                           on_click=S.move_diagnosis(d["id"], -1)),
            rx.icon_button(rx.icon("arrow_down"), type="button", variant="soft", size="1",
                           aria_label=t("Move ") + name + t(" down"),
                           on_click=S.move_diagnosis(d["id"], 1)),
            rx.button(t("Edit"), size="1", variant="soft", aria_label=t("Edit ") + name,
                      on_click=S.edit_diagnosis(d["id"])),
            rx.button(t("Remove"), size="1", variant="ghost", color_scheme="red",
                      aria_label=t("Remove ") + name, on_click=S.remove_diagnosis(d["id"])),
            rx.cond(d["until"] == "", end_form(d)),
            spacing="2", align="center", wrap="wrap",
        ),
        spacing="1", width="100%", padding_y="0.4em",
        border_bottom="1px solid var(--gray-5)",
    )


def diagnosis_form() -> rx.Component:
    E = S.dx_errors
    return rx.form(
        rx.vstack(
            rx.text(rx.cond(S.editing_id != "", t("Edit diagnosis"), t("Add a diagnosis")),
                    weight="bold", size="2"),
            rx.grid(
                checked_field(t("ICD-10 code"), "code", E, prefix="diagnosis",
                              default_value=S.editing["code"], placeholder="F41.1"),
                checked_field(t("Description"), "description", E, prefix="diagnosis",
                              default_value=S.editing["description"]),
                checked_field(t("From"), "from_date", E, prefix="diagnosis", type="date",
                              default_value=S.editing["from_date"]),
                checked_field(t("Until (optional)"), "until_date", E, prefix="diagnosis",
                              type="date", default_value=S.editing["until_date"]),
                columns="2", spacing="2", width="100%",
            ),
            rx.hstack(
                rx.button(rx.cond(S.editing_id != "", t("Save diagnosis"), t("Add diagnosis")),
                          type="submit"),
                rx.cond(S.editing_id != "",
                        rx.button(t("Cancel"), type="button", variant="soft",
                                  on_click=S.edit_diagnosis(""))),
                spacing="2",
            ),
            spacing="2", width="100%",
        ),
        on_submit=S.save_diagnosis,
        key=S.editing_id + S.editing.to_string(),
    )


def client_insurance_section() -> rx.Component:
    return rx.cond(S.enabled, section(
        t("Insurance"),
        error_callout(S.error),
        insurance_form(),
        rx.separator(),
        rx.text(t("Diagnoses"), weight="bold", size="2"),
        rx.text(t("A superbill lists the codes valid on each date of service, primary first."),
                size="1", color=MUTED),
        rx.cond(S.diagnoses.length() == 0, rx.text(t("No diagnoses yet."), size="2")),
        rx.foreach(S.diagnoses, diagnosis_row),
        diagnosis_form(),
    ))
