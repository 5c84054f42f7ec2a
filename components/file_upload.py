"""The file picker used to send documents: several files at once, shown
before they are sent. Checks in the browser are a convenience only; the
server checks size, count and type by content."""

import reflex as rx

ACCEPT = {
    "application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"],
    "image/gif": [".gif"], "image/webp": [".webp"], "text/plain": [".txt"],
    "text/csv": [".csv"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
}


def file_picker(upload_id: str) -> rx.Component:
    return rx.vstack(
        rx.upload.root(
            rx.vstack(
                rx.icon("upload", size=24, aria_hidden="true"),
                rx.text("Select your files", weight="bold"),
                rx.text("or drop them here · PDF, images, Word, Excel, PowerPoint, text",
                        size="1", color="gray"),
                align="center", spacing="1",
            ),
            id=upload_id, multiple=True, max_files=10, accept=ACCEPT,
            border="1px dashed var(--gray-8)", border_radius="8px", padding="1.2em",
            width="100%", cursor="pointer",
        ),
        rx.foreach(rx.selected_files(upload_id),
                   lambda name: rx.hstack(rx.icon("file", size=14), rx.text(name, size="2"),
                                          spacing="1", align="center")),
        width="100%", spacing="2",
    )
