"""/documents (seed 001 "Documents"): what was shared, newest first, with a
"new" badge until opened; "Share a document" sends files to the business."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.dialogs import focus_return
from components.field_value import field_values
from components.file_upload import file_picker
from components.forms import error_callout
from components.i18n import t
from state.documents import UPLOAD_ID
from state.documents import DocumentsState as S


def document_card(row) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon("file_text", size=22, aria_hidden="true"),
            rx.vstack(
                rx.hstack(
                    # Reflex renders it as a React Router link: reloadDocument hands /api
                    # to the browser, which downloads the file.
                    rx.el.a(rx.text(row["title"], weight="bold"), href=row["url"],
                            download=True, custom_attrs={"reloadDocument": True},
                            on_click=S.opened(row["id"])),
                    rx.cond(row["new"] == "yes", rx.badge(t("New"), color_scheme="blue")),
                    spacing="2", align="center", wrap="wrap",
                ),
                rx.text(row["filename"], " · ", row["size"], " · ", row["date"], " · ",
                        row["from"], size="1", color="var(--gray-11)"),
                rx.cond(row["message"] != "",
                        rx.text(row["message"], size="2", white_space="pre-wrap")),
                spacing="1", min_width="0",
            ),
            spacing="3", align="start", width="100%",
        ),
        width="100%",
    )


def upload_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Share a document")),
            rx.dialog.description(t("Send files to us securely. You can select several at once.")),
            rx.vstack(
                file_picker(UPLOAD_ID),
                rx.el.label(t("Name (when you send one file)"), html_for="upload-title"),
                rx.input(id="upload-title", value=S.upload_title, on_change=S.set_upload_title,
                         width="100%"),
                rx.el.label(t("Message (optional)"), html_for="upload-message"),
                rx.text_area(id="upload-message", value=S.upload_message,
                             on_change=S.set_upload_message, width="100%"),
                error_callout(S.upload_error),
                rx.hstack(
                    rx.dialog.close(rx.button(t("Cancel"), variant="soft")),
                    rx.button(t("Submit"), loading=S.busy,
                              on_click=S.handle_upload(rx.upload_files(upload_id=UPLOAD_ID),
                                                       field_values(title="upload-title",
                                                                    message="upload-message"))),
                    justify="end", spacing="2", width="100%",
                ),
                spacing="3", width="100%",
            ),
            **focus_return(),
        ),
        open=S.upload_open,
        on_open_change=S.set_upload_open,
    )


def documents_page() -> rx.Component:
    return client_shell(
        S,
        t("Documents"),
        rx.hstack(
            rx.spacer(),
            rx.cond(S.access["upload"],
                    rx.button(rx.icon("plus"), t("Share a document"), on_click=S.open_upload)),
            width="100%",
        ),
        rx.cond(S.rows.length() > 0,
                rx.vstack(rx.foreach(S.rows, document_card), spacing="3", width="100%"),
                empty_state("file_text", t("No documents have been shared."))),
        upload_dialog(),
    )
