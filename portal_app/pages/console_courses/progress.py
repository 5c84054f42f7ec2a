"""/console/course/progress?id=<course id>: a course's students, lesson by lesson.

The table scrolls sideways on a phone (its own focusable region), has a caption,
the students' names as row headers, and cells that say their state in words (the
colour only repeats it). Checkboxes choose students for the bulk actions; each row
has its own actions; the CSV has the same table."""

import reflex as rx

from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from portal_app.pages.console_forms.common import LABEL_STYLE, MUTED, SELECT_STYLE, field_error
from state.console_courses.progress import CourseProgressState as S

CELL = {"padding": "0.45em 0.6em", "border_bottom": "1px solid var(--gray-5)",
        "text_align": "left", "vertical_align": "top", "white_space": "nowrap"}
HEAD = {**CELL, "font_weight": "600", "background": "var(--gray-2)", "font_size": "0.9em"}
STICKY = {"position": "sticky", "left": "0", "background": "var(--color-panel-solid)",
          "z_index": "1"}
INPUT_STYLE = {**SELECT_STYLE, "width": "100%"}


def state_cell(cell) -> rx.Component:
    return rx.el.td(
        rx.badge(rx.match(cell["status"], ("complete", rx.icon("check", size=14)),
                          ("open", rx.icon("lock_open", size=14)), rx.icon("lock", size=14)),
                 cell["label"], variant="soft",
                 color_scheme=rx.match(cell["status"], ("complete", "green"),
                                       ("open", "blue"), "gray")),
        rx.cond(cell["until"] != "", rx.text(cell["until"], size="1", color=MUTED)),
        style=CELL)


def certificate_cell(row) -> rx.Component:
    return rx.el.td(rx.cond(
        row["cert_code"] != "",
        rx.vstack(
            rx.hstack(rx.code(row["cert_code"]),
                      rx.cond(row["cert_revoked"].to(bool),
                              rx.badge(t("Revoked"), color_scheme="red", variant="soft")),
                      spacing="2", align="center"),
            rx.text(t("Issued on"), " ", row["cert_issued"], size="1", color=MUTED),
            rx.cond(~row["cert_revoked"].to(bool),
                    rx.button(t("Revoke"), size="1", variant="soft", color_scheme="red",
                              on_click=S.open_revoke(row["cert_id"].to(str)),
                              aria_label=t("Revoke the certificate of") + " "
                              + row["name"].to(str))),
            spacing="1"),
        rx.text("—", color=MUTED, aria_label=t("No certificate"))), style=CELL)


def row_actions(row) -> rx.Component:
    name = row["name"].to(str)
    return rx.el.td(rx.hstack(
        rx.button(t("Unlock all"), size="1", variant="soft",
                  on_click=S.unlock(row["id"].to(str)),
                  aria_label=t("Unlock everything now for") + " " + name),
        rx.button(t("Shift…"), size="1", variant="soft",
                  on_click=S.open_shift(row["id"].to(str)),
                  aria_label=t("Shift the schedule of") + " " + name),
        rx.button(t("Mark complete…"), size="1", variant="soft",
                  on_click=S.open_mark(row["id"].to(str)),
                  aria_label=t("Mark a lesson complete for") + " " + name),
        spacing="2"), style=CELL)


def student_row(row) -> rx.Component:
    name = row["name"].to(str)
    return rx.el.tr(
        rx.el.td(rx.checkbox(checked=S.selected.contains(row["id"]),
                             on_change=lambda on: S.toggle(row["id"].to(str), on),
                             aria_label=t("Select") + " " + name), style=CELL),
        rx.el.th(rx.vstack(
            rx.link(name, href=row["link"].to(str)),
            rx.cond(~row["active"].to(bool),
                    rx.text(t("Access ended"), size="1", color=MUTED)),
            spacing="0"), scope="row", style={**CELL, **STICKY, "font_weight": "500"}),
        rx.foreach(row["cells"].to(list[dict[str, str]]), state_cell),
        rx.el.td(rx.progress(value=row["percent_value"].to(int), max=100, width="60px",
                             aria_hidden="true"),
                 rx.text(row["percent"], size="2"), style=CELL),
        rx.el.td(rx.cond(row["next_unlock"] != "", rx.text(row["next_unlock"], size="2"),
                         rx.text("—", color=MUTED)), style=CELL),
        rx.el.td(rx.cond(row["last_seen"] != "", rx.text(row["last_seen"], size="2"),
                         rx.text(t("Not yet"), color=MUTED, size="2")), style=CELL),
        certificate_cell(row),
        row_actions(row),
        key=row["id"].to(str))


def progress_table() -> rx.Component:
    return rx.box(
        rx.el.table(
            rx.el.caption(t("Each student's lessons: locked, unlocked or complete. Unlock "
                            "times are in the student's own time zone."),
                          style={"caption_side": "top", "text_align": "left",
                                 "padding_bottom": "0.5em", "color": MUTED}),
            rx.el.thead(rx.el.tr(
                rx.el.th(rx.checkbox(checked=(S.selected.length() == S.student_rows.length())
                                     & (S.student_rows.length() > 0),
                                     on_change=S.toggle_all, aria_label=t("Select all")),
                         scope="col", style=HEAD),
                rx.el.th(t("Student"), scope="col", style={**HEAD, **STICKY}),
                rx.foreach(S.lesson_headers, lambda h: rx.el.th(
                    rx.text(h["title"]), rx.text(h["module"], size="1", color=MUTED,
                                                 weight="regular"),
                    scope="col", style=HEAD)),
                rx.el.th(t("% complete"), scope="col", style=HEAD),
                rx.el.th(t("Next unlock"), scope="col", style=HEAD),
                rx.el.th(t("Last seen"), scope="col", style=HEAD),
                rx.el.th(t("Certificate"), scope="col", style=HEAD),
                rx.el.th(t("Actions"), scope="col", style=HEAD))),
            rx.el.tbody(rx.foreach(S.student_rows, student_row)),
            style={"border_collapse": "collapse", "width": "100%", "font_size": "0.95em"}),
        overflow_x="auto", width="100%", tab_index=0, role="region",
        aria_label=t("Progress table"),
    )


def bulk_bar() -> rx.Component:
    return rx.hstack(
        rx.text(S.selected.length().to_string(), " ", t("selected"), size="2",
                role="status"),
        rx.button(rx.icon("lock_open", size=16), t("Unlock everything now"), size="2",
                  on_click=S.unlock(""), disabled=S.selected.length() == 0),
        rx.button(rx.icon("calendar_clock", size=16), t("Shift by N days…"), size="2",
                  variant="soft", on_click=S.open_shift(""),
                  disabled=S.selected.length() == 0),
        rx.spacer(),
        rx.el.a(rx.hstack(rx.icon("download", size=16), rx.text(t("Download CSV")),
                          spacing="1", align="center"),
                href=S.csv_url, download=True, custom_attrs={"reloadDocument": True}),
        spacing="3", align="center", wrap="wrap", width="100%")


def _dialog(is_open, title, description, body) -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(title),
        rx.dialog.description(description, " ", rx.text.strong(S.target_label)),
        body, **focus_return()), open=is_open, on_open_change=S.set_dialog_open)


def shift_dialog() -> rx.Component:
    return _dialog(S.shift_open, t("Shift by N days"),
                   t("Day-based unlocks move later (positive) or earlier (negative) for"),
                   rx.form(rx.vstack(
                       rx.el.label(t("Days (-365 to 365)"), html_for="shift-days",
                                   style=LABEL_STYLE),
                       rx.el.input(id="shift-days", name="days", type="number", min=-365,
                                   max=365, step=1, style=INPUT_STYLE,
                                   aria_invalid=rx.cond(S.errors["days"] != "", "true",
                                                        "false")),
                       field_error(S.errors["days"]),
                       dialog_buttons(t("Shift")), spacing="2", width="100%", margin_top="1em"),
                       on_submit=S.apply_shift, reset_on_submit=False))


def mark_dialog() -> rx.Component:
    return _dialog(S.mark_open, t("Mark a lesson complete"), t("As done by staff, for"),
                   rx.form(rx.vstack(
                       rx.el.label(t("Lesson"), html_for="mark-lesson", style=LABEL_STYLE),
                       rx.el.select(rx.el.option(t("Choose a lesson"), value=""),
                                    rx.foreach(S.lesson_headers, lambda h: rx.el.option(
                                        h["title"], value=h["id"])),
                                    id="mark-lesson", name="lesson", style=INPUT_STYLE),
                       field_error(S.errors["lesson"]),
                       dialog_buttons(t("Mark complete")), spacing="2", width="100%",
                       margin_top="1em"),
                       on_submit=S.apply_mark, reset_on_submit=False))


def revoke_dialog() -> rx.Component:
    return _dialog(S.revoke_open, t("Revoke certificate"),
                   t("Its check page will say it was revoked, with your reason:"),
                   rx.form(rx.vstack(
                       rx.el.label(t("Reason"), html_for="revoke-reason", style=LABEL_STYLE),
                       rx.el.textarea(id="revoke-reason", name="reason", max_length=300,
                                      rows="3", style=INPUT_STYLE),
                       field_error(S.errors["reason"]),
                       dialog_buttons(t("Revoke")), spacing="2", width="100%", margin_top="1em"),
                       on_submit=S.apply_revoke, reset_on_submit=False))


def course_progress_page() -> rx.Component:
    return console_shell(
        rx.cond(S.found, S.course_title, t("Course progress")),
        rx.cond(
            S.found,
            rx.vstack(
                rx.link(rx.hstack(rx.icon("arrow_left", size=16), rx.text(t("Edit the course")),
                                  spacing="1", align="center"), href=S.course_link),
                rx.heading(t("Students' progress"), size="4", as_="h2"),
                rx.cond(S.student_rows.length() > 0,
                        rx.vstack(bulk_bar(), progress_table(), spacing="3", width="100%"),
                        rx.text(t("No students yet: grant the course, or an offer with it, to "
                                  "a client."), color=MUTED)),
                shift_dialog(), mark_dialog(), revoke_dialog(),
                spacing="3", width="100%"),
            rx.text(t("That course does not exist."), color=MUTED)),
    )
