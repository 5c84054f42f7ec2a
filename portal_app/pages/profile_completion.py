"""/complete-profile: the few fields an app asks for before it first opens (seed 002)."""

import reflex as rx

from components.client_shell import client_shell
from components.i18n import t
from state.profile_completion import ProfileCompletionState as S


def completion_field(field) -> rx.Component:
    key = field["key"]
    error = S.errors[key]
    return rx.vstack(
        rx.el.label(field["label"], html_for="field-" + key,
                    style={"font_weight": "500", "font_size": "0.9em"}),
        rx.input(id="field-" + key, name=key, type=field["type"], size="3", width="100%",
                 required=True, auto_complete="off",
                 custom_attrs={"aria-invalid": rx.cond(error != "", "true", "false"),
                               "aria-describedby": "hint-" + key + rx.cond(
                                   error != "", " error-" + key, "")}),
        rx.text(field["hint"], id="hint-" + key, size="1", color="var(--gray-11)"),
        rx.cond(error != "", rx.text(error, id="error-" + key, color="red", size="2",
                                     role="alert")),
        spacing="1", width="100%",
    )


def profile_completion_page() -> rx.Component:
    return client_shell(
        S,
        t("Complete your profile"),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.text(t("Before you open"), " ", rx.text.strong(S.app_label), ", ",
                            t("we need a little more about you. You are asked once."),
                            size="2"),
                    rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert",
                                                      color_scheme="red", role="alert")),
                    rx.foreach(S.fields, completion_field),
                    rx.button(t("Save and continue"), type="submit", size="3"),
                    spacing="3", width="100%", max_width="480px",
                ),
                on_submit=S.save,
            ),
            width="100%",
        ),
    )
