"""Console → one course: settings, then the outline — modules in order with their
unlock rule, lessons in order with kind, state, unlock rule and completion rule —
with the module and new-lesson dialogs. The lesson editor: lesson_dialog.py."""

import reflex as rx

from components.console_bits import labelled_checkbox, section
from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.forms import error_callout
from components.i18n import t
from components.superbill_fields import LABEL_STYLE, checked_field, checked_select, field_message
from portal_app import routes
from portal_app.pages.console_courses.fields import drip_fields
from portal_app.pages.console_courses.lesson_dialog import lesson_dialog
from state.console_courses import CourseEditorState, LessonEditorState

S = CourseEditorState


def settings_form() -> rx.Component:
    E, C = S.settings_errors, S.course
    return section(
        t("Course settings"),
        rx.form(
            rx.vstack(
                error_callout(E.get("form", "")),
                checked_field(t("Title"), "title", E, prefix="course",
                              default_value=C["title"]),
                rx.el.label(t("Summary"), html_for="course-summary", style=LABEL_STYLE),
                rx.text_area(id="course-summary", name="summary", default_value=C["summary"],
                             width="100%", aria_describedby="course-err-summary"),
                field_message(E.get("summary", ""), "course-err-summary"),
                rx.grid(
                    checked_field(t("Unlock hour (0–23, in each student's zone)"),
                                  "unlock_hour", E, prefix="course", type="number",
                                  default_value=C["unlock_hour"], min="0", max="23"),
                    checked_select(t("Status"), "status", E,
                                   [("draft", t("Draft")), ("published", t("Published"))],
                                   prefix="course", default_value=C["status"]),
                    columns="2", spacing="2", width="100%",
                ),
                labelled_checkbox(t("In order: a lesson opens once the one before is complete"),
                                  "in_order", C["in_order"] != ""),
                rx.cond(E.get("in_order", "") != "",
                        rx.text(E.get("in_order", ""), color="var(--red-11)", size="2",
                                role="alert")),
                labelled_checkbox(t("Certificate when the course is complete"), "certificate",
                                  C["certificate"] != ""),
                rx.button(t("Save settings"), type="submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.save_settings,
            key=S.settings_key,
        ),
    )


def _small(label, icon: str, on_click, aria, disabled=False) -> rx.Component:
    return rx.button(rx.icon(icon, size=14), label, size="1", variant="soft", type="button",
                     on_click=on_click, aria_label=aria, disabled=disabled)


def _confirm_delete(row, on_confirm) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(rx.icon("trash-2", size=14), t("Delete"), size="1",
                                          variant="soft", color_scheme="red",
                                          aria_label=t("Delete ") + row["title"])),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Delete ") + row["title"] + "?"),
            rx.alert_dialog.description(t("This cannot be undone. A lesson students have "
                                          "started cannot be deleted: unpublish it instead.")),
            rx.hstack(rx.alert_dialog.cancel(rx.button(t("Cancel"), variant="soft")),
                      rx.alert_dialog.action(rx.button(t("Delete"), color_scheme="red",
                                                       on_click=on_confirm)),
                      justify="end", spacing="2"),
        ),
    )


def module_row(row) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading(t("Module ") + row["number"] + ": " + row["title"], size="4", as_="h3"),
            rx.badge(row["drip"], variant="surface"),
            wrap="wrap", align="center", spacing="2",
        ),
        rx.hstack(
            _small(t("Edit"), "pencil", S.open_module(row["id"]), t("Edit ") + row["title"]),
            _small(t("Up"), "arrow-up", S.move_module(row["id"], "up"),
                   t("Move up: ") + row["title"], row["first"] != ""),
            _small(t("Down"), "arrow-down", S.move_module(row["id"], "down"),
                   t("Move down: ") + row["title"], row["last"] != ""),
            _small(t("Add lesson"), "plus", S.open_new_lesson(row["id"]),
                   t("Add a lesson to ") + row["title"]),
            _confirm_delete(row, S.delete_module(row["id"])),
            wrap="wrap", spacing="2",
        ),
        padding_top="0.8em", border_top="1px solid var(--gray-5)", width="100%",
    )


def lesson_row(row) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(rx.text(row["title"], weight="bold"),
                      rx.badge(row["kind"], variant="soft"),
                      rx.badge(row["state"], variant="soft",
                               color_scheme=rx.cond(row["published"] != "", "green", "gray")),
                      rx.cond(row["required"] != "", rx.badge(row["required"], variant="outline")),
                      wrap="wrap", spacing="2", align="center"),
            rx.text(t("Unlocks: "), row["drip"], " · ", t("Complete when: "), row["rule"],
                    size="1", color="var(--gray-11)"),
            spacing="1",
        ),
        rx.spacer(),
        rx.hstack(
            _small(t("Edit"), "pencil", LessonEditorState.open_lesson(row["id"]),
                   t("Edit ") + row["title"]),
            _small(rx.cond(row["published"] != "", t("Unpublish"), t("Publish")), "eye",
                   S.toggle_published(row["id"]),
                   rx.cond(row["published"] != "", t("Unpublish "), t("Publish ")) + row["title"]),
            _small(t("Up"), "arrow-up", S.move_lesson(row["id"], "up"),
                   t("Move up: ") + row["title"]),
            _small(t("Down"), "arrow-down", S.move_lesson(row["id"], "down"),
                   t("Move down: ") + row["title"]),
            _confirm_delete(row, S.delete_lesson(row["id"])),
            wrap="wrap", spacing="2",
        ),
        padding_left="1em", width="100%", wrap="wrap", align="center",
    )


def outline() -> rx.Component:
    return section(
        t("Modules and lessons"),
        rx.cond(S.outline.length() == 0,
                rx.text(t("No modules yet: add the first one below."), color="var(--gray-11)")),
        rx.foreach(S.outline, lambda row: rx.cond(row["row"] == "module", module_row(row),
                                                  lesson_row(row))),
        rx.form(
            rx.hstack(
                rx.box(checked_field(t("New module"), "title", S.module_errors,
                                     prefix="new-module", placeholder=t("Module title")),
                       flex="1"),
                rx.button(rx.icon("plus"), t("Add module"), type="submit"),
                align="end", width="100%",
            ),
            on_submit=S.add_module,
            reset_on_submit=True,
        ),
    )


def module_dialog() -> rx.Component:
    E, F = S.module_errors, S.module_form
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Module")),
            rx.form(
                rx.vstack(
                    error_callout(E.get("form", "")),
                    checked_field(t("Title"), "title", E, prefix="module",
                                  default_value=F["title"]),
                    drip_fields(F, E, S.lesson_choices, prefix="module", kind=S.module_drip,
                                on_kind=S.set_module_drip),
                    dialog_buttons(t("Save module")),
                    spacing="2",
                ),
                on_submit=S.save_module,
                key=F.to_string(),
            ),
            max_width="560px",
            **focus_return(),
        ),
        open=S.module_open,
        on_open_change=S.set_module_open,
    )


def new_lesson_dialog() -> rx.Component:
    E = S.new_lesson_errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("New lesson")),
            rx.form(
                rx.vstack(
                    error_callout(E.get("form", "")),
                    checked_field(t("Title"), "title", E, prefix="new-lesson"),
                    checked_select(t("Kind"), "kind", E, [
                        ("text", t("Text")), ("video", t("Video")), ("audio", t("Audio")),
                        ("file", t("Download")), ("quiz", t("Quiz"))],
                        prefix="new-lesson", default_value="text"),
                    dialog_buttons(t("Add lesson")),
                    spacing="2",
                ),
                on_submit=S.add_lesson,
            ),
            max_width="480px",
            **focus_return(),
        ),
        open=S.new_lesson_open,
        on_open_change=S.set_new_lesson_open,
    )


def course_page() -> rx.Component:
    return console_shell(
        rx.cond(S.found, S.course["title"], t("Course")),
        rx.cond(
            S.found,
            rx.vstack(
                rx.hstack(
                    rx.badge(S.course["status_label"], variant="soft"),
                    rx.text(t("Students: "), S.students, size="2"),
                    rx.link(t("Students and progress"), href=S.progress_url),
                    rx.link(t("All courses"), href=routes.CONSOLE_COURSES),
                    spacing="4", align="center", wrap="wrap",
                ),
                settings_form(),
                outline(),
                module_dialog(),
                new_lesson_dialog(),
                lesson_dialog(),
                spacing="4", width="100%",
            ),
            rx.vstack(rx.text(t("That course does not exist.")),
                      rx.link(t("All courses"), href=routes.CONSOLE_COURSES)),
        ),
    )
