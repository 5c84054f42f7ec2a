"""Console → Forms → Verify a signed form: paste a SHA-256 or upload the PDF."""

import reflex as rx

from components.file_upload import named_dropzone
from components.i18n import t
from portal_app.pages.console_forms.common import LABEL_STYLE, MUTED, field_error
from state.console_forms.verify import VERIFY_UPLOAD_ID
from state.console_forms.verify import FormVerifyState as S


def verdict() -> rx.Component:
    return rx.cond(
        S.verdict != "",
        rx.callout(S.verdict_text, icon=rx.cond(S.verdict == "ok", "badge_check", "shield_x"),
                   color_scheme=rx.cond(S.verdict == "ok", "green", "red"), role="status",
                   width="100%"),
    )


def verify_tab() -> rx.Component:
    return rx.vstack(
        rx.text(t("Check that a PDF, or the document behind it, is a form signed here and "
                  "has not been changed."), color=MUTED),
        rx.form(
            rx.vstack(
                rx.el.label(t("SHA-256 of the document or of its PDF"), html_for="verify-sha",
                            style=LABEL_STYLE),
                rx.input(id="verify-sha", name="sha256", width="100%", max_length=200,
                         font_family="monospace", auto_complete="off"),
                rx.button(t("Verify"), type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.verify, width="100%",
        ),
        rx.text(t("Or upload the PDF"), weight="medium"),
        named_dropzone(rx.upload.root(
            rx.vstack(rx.icon("upload", size=24, aria_hidden="true"),
                      rx.text(t("Select the PDF"), weight="bold"),
                      rx.text(t("or drop it here"), size="1", color=MUTED),
                      align="center", spacing="1"),
            id=VERIFY_UPLOAD_ID, multiple=False, max_files=1,
            accept={"application/pdf": [".pdf"]},
            border="1px dashed var(--gray-8)", border_radius="8px", padding="1.2em",
            width="100%", cursor="pointer",
        ), t("Select the PDF")),
        rx.foreach(rx.selected_files(VERIFY_UPLOAD_ID),
                   lambda name: rx.text(name, size="2")),
        rx.button(t("Verify the PDF"), variant="soft",
                  on_click=S.verify_upload(rx.upload_files(upload_id=VERIFY_UPLOAD_ID))),
        field_error(S.verify_error),
        verdict(),
        spacing="3", width="100%", max_width="40em",
    )
