"""The documents section of the console's client page: shared and uploaded
files, the storage used, and the Share / Replace / Delete dialogs."""

import reflex as rx

from components.console_bits import section
from components.dialogs import focus_return
from components.field_value import field_values
from components.file_upload import ACCEPT, file_picker, named_dropzone
from components.forms import error_callout
from components.i18n import t
from state.console_documents import REPLACE_UPLOAD_ID, SHARE_UPLOAD_ID
from state.console_documents import ClientDocumentsState as D

LABEL_STYLE = {"font_weight": "500", "font_size": "0.9em"}


def download_link(row) -> rx.Component:
    # Reflex renders el.a as a React Router link: reloadDocument hands /api to the
    # browser, which downloads the file.
    return rx.el.a(rx.text(row["title"], weight="bold"), href=row["url"], download=True,
                   custom_attrs={"reloadDocument": True},
                   aria_label=t("Download ") + row["title"])


def delete_button(row) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("Delete"), size="1", variant="ghost",
                                          color_scheme="red",
                                          aria_label=t("Delete ") + row["title"])),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Delete “"), row["title"], "”?"),
            rx.alert_dialog.description(t("The file is removed for good and the client no "
                                        "longer sees it.")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t("Keep it"), variant="soft")),
                rx.alert_dialog.action(rx.button(t("Delete"), color_scheme="red",
                                                 on_click=D.delete_document(row["id"]))),
                justify="end", spacing="2"),
        ),
    )


def document_line(row, *, shared: bool) -> rx.Component:
    details = [row["filename"], " · ", row["size"], " · ", row["date"]]
    if shared:
        details += [rx.cond(row["shared_by"] != "", rx.text.span(t(" · by "), row["shared_by"]),
                            "")]
    return rx.hstack(
        rx.icon("file_text", size=20, aria_hidden="true"),
        rx.vstack(
            rx.hstack(
                download_link(row),
                rx.cond(row["viewed"] != "",
                        rx.badge(row["viewed"], variant="soft",
                                 color_scheme=rx.cond(row["opened"] == "yes", "green",
                                                      "gray" if shared else "blue"))),
                spacing="2", align="center", wrap="wrap",
            ),
            rx.text(*details, size="1", color="var(--gray-11)"),
            rx.cond(row["message"] != "",
                    rx.text(row["message"], size="2", white_space="pre-wrap",
                            overflow_wrap="anywhere")),
            spacing="1", min_width="0", flex="1",
        ),
        rx.hstack(
            *([rx.button(t("Replace"), size="1", variant="soft",
                         aria_label=t("Replace ") + row["title"],
                         on_click=D.open_replace(row["id"]))] if shared else []),
            delete_button(row),
            spacing="2", align="center",
        ),
        spacing="3", align="start", width="100%",
        key=row["id"],
    )


def document_list(title: str, rows, empty: str, *, shared: bool) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="3", as_="h3"),
        rx.cond(rows.length() > 0,
                rx.vstack(rx.foreach(rows, lambda r: document_line(r, shared=shared)),
                          spacing="3", width="100%"),
                rx.text(empty, size="2", color="var(--gray-11)")),
        spacing="2", width="100%",
    )


def share_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Share files")),
            rx.dialog.description(t("The client sees them under Documents and is told about "
                                  "them. You can select several at once.")),
            rx.vstack(
                rx.cond(D.share_portal_note != "",
                        rx.callout(D.share_portal_note, icon="cloud", color_scheme="blue",
                                   role="status", width="100%")),
                rx.cond(D.share_email_note != "",
                        rx.callout(D.share_email_note, icon="mail_x", color_scheme="amber",
                                   role="status", width="100%")),
                file_picker(SHARE_UPLOAD_ID),
                rx.el.label(t("Name (when you share one file)"), html_for="share-title",
                            style=LABEL_STYLE),
                rx.input(id="share-title", default_value=D.share_title,
                         on_blur=D.set_share_title, max_length=200, width="100%"),
                rx.el.label(t("Message to the client (optional)"), html_for="share-message",
                            style=LABEL_STYLE),
                rx.text_area(id="share-message", default_value=D.share_message,
                             on_blur=D.set_share_message, max_length=2000, width="100%"),
                error_callout(D.share_error),
                rx.hstack(
                    rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                    rx.button(t("Submit"), on_click=D.share(
                        rx.upload_files(upload_id=SHARE_UPLOAD_ID),
                        field_values(title="share-title", message="share-message"))),
                    justify="end", spacing="2", width="100%",
                ),
                spacing="3", width="100%", margin_top="1em",
            ),
            **focus_return(),
        ),
        open=D.share_open,
        on_open_change=D.set_share_open,
    )


def replace_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Replace “"), D.replace_info["title"], "”"),
            rx.dialog.description(t("Choose one file. It takes the place of "),
                                  D.replace_info["filename"],
                                  t(" under the same name; the client is told it was updated.")),
            rx.vstack(
                named_dropzone(rx.upload.root(
                    rx.vstack(
                        rx.icon("upload", size=24, aria_hidden="true"),
                        rx.text(t("Select the new file"), weight="bold"),
                        rx.text(t("or drop it here"), size="1", color="var(--gray-11)"),
                        align="center", spacing="1",
                    ),
                    id=REPLACE_UPLOAD_ID, multiple=False, max_files=1, accept=ACCEPT,
                    border="1px dashed var(--gray-8)", border_radius="8px",
                    padding="1.2em", width="100%", cursor="pointer",
                ), t("Select the new file")),
                rx.foreach(rx.selected_files(REPLACE_UPLOAD_ID),
                           lambda name: rx.hstack(rx.icon("file", size=14),
                                                  rx.text(name, size="2"),
                                                  spacing="1", align="center")),
                error_callout(D.replace_error),
                rx.hstack(
                    rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                    rx.button(t("Replace"), on_click=D.replace(
                        rx.upload_files(upload_id=REPLACE_UPLOAD_ID))),
                    justify="end", spacing="2", width="100%",
                ),
                spacing="3", width="100%", margin_top="1em",
            ),
            **focus_return(),
        ),
        open=D.replace_open,
        on_open_change=D.set_replace_open,
    )


def client_documents_section() -> rx.Component:
    return section(
        t("Documents"),
        rx.hstack(
            rx.text(t("Storage used: "), rx.text.strong(D.storage_total), size="2"),
            rx.spacer(),
            rx.button(rx.icon("upload", size=16), t("Share files"), on_click=D.open_share),
            width="100%", align="center", wrap="wrap",
        ),
        document_list(t("Shared by us"), D.shared_rows, t("Nothing shared yet."), shared=True),
        rx.divider(),
        document_list(t("Uploaded by the client"), D.uploaded_rows, t("Nothing uploaded yet."),
                      shared=False),
        share_dialog(),
        replace_dialog(),
    )
