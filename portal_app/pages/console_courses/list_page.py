"""Console → Courses: the list (status, modules, lessons, students) and "New course"."""

import reflex as rx

from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.forms import error_callout
from components.i18n import t
from components.superbill_fields import LABEL_STYLE, checked_field, field_message
from state.console_courses import CourseListState


def new_course_dialog() -> rx.Component:
    S = CourseListState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("New course")),
            rx.form(
                rx.vstack(
                    error_callout(S.new_errors.get("form", "")),
                    checked_field(t("Title"), "title", S.new_errors, prefix="new-course"),
                    rx.el.label(t("Summary (optional)"), html_for="new-course-summary",
                                style=LABEL_STYLE),
                    rx.text_area(id="new-course-summary", name="summary", width="100%",
                                 aria_describedby="new-course-err-summary"),
                    field_message(S.new_errors.get("summary", ""), "new-course-err-summary"),
                    dialog_buttons(t("Create course")),
                    spacing="2",
                ),
                on_submit=S.create,
            ),
            max_width="520px",
            **focus_return(),
        ),
        open=S.new_open,
        on_open_change=S.set_new_open,
    )


def courses_page() -> rx.Component:
    S = CourseListState
    return console_shell(
        t("Courses"),
        rx.button(rx.icon("plus"), t("New course"), on_click=S.set_new_open(True)),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                    t("Course"), t("Status"), t("Modules"), t("Lessons"), t("Students"))])),
                rx.table.body(rx.foreach(S.rows, lambda r: rx.table.row(
                    rx.table.row_header_cell(rx.link(r["title"], href=r["url"])),
                    rx.table.cell(rx.badge(r["status_label"], variant="soft",
                                           color_scheme=rx.cond(r["status"] == "published",
                                                                "green", "gray"))),
                    rx.table.cell(r["modules"]), rx.table.cell(r["lessons"]),
                    rx.table.cell(r["students"])))),
                width="100%",
            ),
            rx.text(t("No courses yet. Create one to start building it."),
                    color="var(--gray-11)"),
        ),
        new_course_dialog(),
    )
