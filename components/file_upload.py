"""The file picker used to send documents: several files at once, shown
before they are sent. Checks in the browser are a convenience only; the
server checks size, count and type by content."""

import reflex as rx

from components.i18n import t

ACCEPT = {
    "application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"],
    "image/gif": [".gif"], "image/webp": [".webp"], "text/plain": [".txt"],
    "text/csv": [".csv"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
}


def named_dropzone(upload: rx.Component, label) -> rx.Component:
    """Give an `rx.upload`'s hidden `<input type="file">` an accessible name.

    react-dropzone renders it without one (axe: "label", critical); the zone around
    it, which takes focus and opens the file chooser on Enter, reads its own text."""
    upload.children[0].children[0].custom_attrs["aria-label"] = label
    return upload


def file_picker(upload_id: str) -> rx.Component:
    return rx.vstack(
        named_dropzone(rx.upload.root(
            rx.vstack(
                rx.icon("upload", size=24, aria_hidden="true"),
                rx.text(t("Select your files"), weight="bold"),
                rx.text(t("or drop them here · PDF, images, Word, Excel, PowerPoint, text"),
                        size="1", color="var(--gray-11)"),
                align="center", spacing="1",
            ),
            id=upload_id, multiple=True, max_files=10, accept=ACCEPT,
            border="1px dashed var(--gray-8)", border_radius="8px", padding="1.2em",
            width="100%", cursor="pointer",
        ), t("Select your files")),
        rx.foreach(rx.selected_files(upload_id),
                   lambda name: rx.hstack(rx.icon("file", size=14), rx.text(name, size="2"),
                                          spacing="1", align="center")),
        width="100%", spacing="2",
    )


def attach_picker(upload_id: str) -> rx.Component:
    """The small variant, for optional files sent with a message: a one-line
    drop zone, the chosen names, and a way to drop them again."""
    chosen = rx.selected_files(upload_id)
    return rx.vstack(
        named_dropzone(rx.upload.root(
            rx.hstack(
                rx.icon("paperclip", size=16, aria_hidden="true"),
                rx.text(t("Attach files (optional)"), size="2"),
                spacing="2", align="center",
            ),
            id=upload_id, multiple=True, max_files=10, accept=ACCEPT,
            border="1px dashed var(--gray-8)", border_radius="6px", padding="0.4em 0.8em",
            cursor="pointer",
        ), t("Attach files (optional)")),
        rx.foreach(chosen,
                   lambda name: rx.hstack(rx.icon("file", size=14), rx.text(name, size="2"),
                                          spacing="1", align="center")),
        rx.cond(chosen.length() > 0,
                rx.button(t("Remove files"), variant="ghost", size="1", type="button",
                          on_click=rx.clear_selected_files(upload_id))),
        spacing="1",
    )
