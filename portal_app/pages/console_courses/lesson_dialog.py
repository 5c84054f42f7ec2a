"""The lesson editor dialog: settings by kind (Markdown body with a safe preview,
embed URL, completion rule, quiz settings, drip rule), the media file (upload,
play, remove) and the quiz questions."""

import reflex as rx

from components.console_bits import labelled_checkbox
from components.dialogs import focus_return
from components.file_upload import named_dropzone
from components.forms import error_callout
from components.i18n import t
from components.superbill_fields import (
    LABEL_STYLE,
    SELECT_STYLE,
    checked_field,
    checked_select,
    field_message,
)
from portal_app.pages.console_courses.fields import drip_fields
from state.console_courses import MEDIA_UPLOAD_ID, LessonEditorState, QuizState

L = LessonEditorState
Q = QuizState
MEDIA_ACCEPT = {"video/mp4": [".mp4", ".m4v"], "video/webm": [".webm"],
                "audio/mpeg": [".mp3"], "audio/mp4": [".m4a"], "audio/aac": [".aac"],
                "audio/ogg": [".ogg", ".oga"], "audio/wav": [".wav"],
                "application/pdf": [".pdf"], "application/zip": [".zip"],
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
                    [".docx"],
                "application/vnd.openxmlformats-officedocument.presentationml.presentation":
                    [".pptx"],
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"]}


def body_fields() -> rx.Component:
    E = L.errors
    return rx.vstack(
        rx.el.label(t("Text (Markdown)"), html_for="lesson-body", style=LABEL_STYLE),
        rx.text_area(id="lesson-body", name="body", default_value=L.form["body"], rows="10",
                     width="100%", on_blur=L.set_body, aria_describedby="lesson-err-body"),
        field_message(E.get("body", ""), "lesson-err-body"),
        rx.text(t("Preview"), weight="bold", size="2"),
        # Rendered on the server with raw HTML escaped (services/courses/markdown.py).
        rx.box(rx.html(L.preview_html), border="1px solid var(--gray-5)", border_radius="6px",
               padding="0.6em", width="100%", min_height="3em"),
        spacing="1", width="100%",
    )


def completion_fields() -> rx.Component:
    E, F = L.errors, L.form
    return rx.cond(
        L.kind == "quiz",
        rx.vstack(
            rx.grid(
                checked_field(t("Pass mark (%)"), "pass_mark_pct", E, prefix="lesson",
                              type="number", default_value=F["pass_mark_pct"], min="0",
                              max="100"),
                checked_field(t("Attempts (0 = no limit, up to 20)"), "attempts_limit", E,
                              prefix="lesson", type="number", default_value=F["attempts_limit"],
                              min="0", max="20"),
                columns="2", spacing="2", width="100%"),
            labelled_checkbox(t("Shuffle the questions"), "shuffle", F["shuffle"] != ""),
            rx.text(t("A quiz is complete when it is passed."), size="1",
                    color="var(--gray-11)"),
            spacing="2", width="100%"),
        rx.vstack(
            rx.el.label(t("Complete when"), html_for="lesson-complete_rule", style=LABEL_STYLE),
            rx.el.select(
                rx.el.option(t("The student marks it complete"), value="manual"),
                rx.cond((L.kind == "video") | (L.kind == "audio"),
                        rx.el.option(t("The student has watched or listened to a share"),
                                     value="video")),
                id="lesson-complete_rule", name="complete_rule",
                default_value=F["complete_rule"], aria_describedby="lesson-err-complete_rule",
                style=SELECT_STYLE),
            field_message(E.get("complete_rule", ""), "lesson-err-complete_rule"),
            rx.cond((L.kind == "video") | (L.kind == "audio"),
                    checked_field(t("Share to watch (10–100 %)"), "video_share_pct", E,
                                  prefix="lesson", type="number",
                                  default_value=F["video_share_pct"], min="10", max="100")),
            spacing="1", width="100%"),
    )


def settings_form() -> rx.Component:
    E, F = L.errors, L.form
    return rx.form(
        rx.vstack(
            error_callout(E.get("form", "")),
            checked_field(t("Title"), "title", E, prefix="lesson", default_value=F["title"]),
            rx.el.label(t("Kind"), html_for="lesson-kind", style=LABEL_STYLE),
            rx.el.select(
                rx.el.option(t("Text"), value="text"), rx.el.option(t("Video"), value="video"),
                rx.el.option(t("Audio"), value="audio"),
                rx.el.option(t("Download"), value="file"), rx.el.option(t("Quiz"), value="quiz"),
                id="lesson-kind", name="kind", default_value=F["kind"], on_change=L.set_kind,
                aria_describedby="lesson-err-kind", style=SELECT_STYLE),
            field_message(E.get("kind", ""), "lesson-err-kind"),
            body_fields(),
            rx.cond(L.kind == "video",
                    checked_field(t("Embed URL (YouTube or Vimeo; instead of an uploaded video)"),
                                  "embed_url", E, prefix="lesson", default_value=F["embed_url"],
                                  placeholder="https://youtu.be/…")),
            completion_fields(),
            drip_fields(F, E, L.lesson_choices, prefix="lesson", kind=L.drip_kind,
                        on_kind=L.set_drip_kind),
            labelled_checkbox(t("Required for the certificate"), "required", F["required"] != ""),
            labelled_checkbox(t("Published (students can see it)"), "published",
                              F["published"] != ""),
            field_message(E.get("published", ""), "lesson-err-published"),
            rx.hstack(rx.dialog.close(rx.button(t("Close"), variant="soft", type="button")),
                      rx.button(t("Save lesson"), type="submit"), justify="end", width="100%"),
            spacing="2", width="100%",
        ),
        on_submit=L.save,
        key=L.form_key,
    )


def media_section() -> rx.Component:
    return rx.cond(
        (L.kind == "video") | (L.kind == "audio") | (L.kind == "file"),
        rx.vstack(
            rx.heading(t("File"), size="3", as_="h3"),
            rx.cond(
                L.media.contains("url"),
                rx.vstack(
                    rx.match(L.kind,
                             ("video", rx.el.video(src=L.media["url"], controls=True,
                                                   preload="metadata", width="100%")),
                             ("audio", rx.el.audio(src=L.media["url"], controls=True,
                                                   preload="metadata")),
                             rx.fragment()),
                    rx.hstack(rx.link(L.media["name"], href=L.media["url"], is_external=True),
                              rx.text(L.media["size"], size="1", color="var(--gray-11)"),
                              rx.button(t("Remove file"), size="1", variant="soft",
                                        color_scheme="red", type="button",
                                        on_click=L.remove_media),
                              spacing="3", align="center", wrap="wrap"),
                    spacing="2", width="100%"),
                rx.text(t("No file yet."), size="2", color="var(--gray-11)"),
            ),
            named_dropzone(rx.upload.root(
                rx.vstack(rx.icon("upload", size=20, aria_hidden="true"),
                          rx.text(t("Choose a file or drop it here"), size="2"),
                          rx.text(t("Up to "), L.max_media, size="1", color="var(--gray-11)"),
                          align="center", spacing="1"),
                id=MEDIA_UPLOAD_ID, multiple=False, max_files=1, accept=MEDIA_ACCEPT,
                border="1px dashed var(--gray-8)", border_radius="8px", padding="1em",
                width="100%", cursor="pointer",
            ), t("Choose a file or drop it here")),
            rx.foreach(rx.selected_files(MEDIA_UPLOAD_ID), lambda name: rx.text(name, size="2")),
            field_message(L.errors.get("media", ""), "lesson-err-media"),
            rx.button(rx.icon("upload", size=16), t("Upload"), type="button",
                      on_click=L.upload_media(rx.upload_files(upload_id=MEDIA_UPLOAD_ID))),
            spacing="2", width="100%", padding_top="1em", border_top="1px solid var(--gray-5)",
        ),
    )


def question_form() -> rx.Component:
    E, F = Q.q_errors, Q.q_form
    return rx.form(
        rx.vstack(
            error_callout(E.get("form", "")),
            rx.el.label(t("Kind of question"), html_for="question-kind", style=LABEL_STYLE),
            rx.el.select(rx.el.option(t("Single choice"), value="single"),
                         rx.el.option(t("Multiple choice"), value="multiple"),
                         rx.el.option(t("True or false"), value="truefalse"),
                         id="question-kind", name="kind", default_value=F["kind"],
                         on_change=Q.set_q_kind, style=SELECT_STYLE,
                         aria_describedby="question-err-kind"),
            field_message(E.get("question_kind", ""), "question-err-kind"),
            rx.el.label(t("Question"), html_for="question-prompt", style=LABEL_STYLE),
            rx.text_area(id="question-prompt", name="prompt", default_value=F["prompt"],
                         width="100%", aria_describedby="question-err-prompt"),
            field_message(E.get("prompt", ""), "question-err-prompt"),
            rx.cond(
                Q.q_kind == "truefalse",
                checked_select(t("The right answer"), "truth", E,
                               [("0", t("True")), ("1", t("False"))], prefix="question",
                               default_value=F["truth"]),
                rx.vstack(
                    rx.el.label(t("Options, one per line"), html_for="question-options",
                                style=LABEL_STYLE),
                    rx.text_area(id="question-options", name="options",
                                 default_value=F["options"], width="100%", rows="4",
                                 aria_describedby="question-err-options"),
                    field_message(E.get("options", ""), "question-err-options"),
                    checked_field(t("Right options (their numbers, like 1 or 1, 3)"), "correct",
                                  E, prefix="question", default_value=F["correct"]),
                    spacing="1", width="100%"),
            ),
            rx.cond(Q.q_kind == "truefalse", field_message(E.get("correct", ""),
                                                           "question-err-correct")),
            rx.hstack(rx.button(t("Cancel"), variant="soft", type="button", on_click=Q.cancel),
                      rx.button(t("Save question"), type="submit"), justify="end", width="100%"),
            spacing="2", width="100%",
        ),
        on_submit=Q.save_question,
        key=Q.q_key,
    )


def question_row(q) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(q["number"], ". ", q["prompt"], weight="bold"),
            rx.text(q["kind"], " · ", q["options"], size="1", color="var(--gray-11)"),
            rx.text(t("Right: "), q["correct"], size="1", color="var(--green-11)"),
            spacing="0"),
        rx.spacer(),
        rx.hstack(
            rx.button(t("Edit"), size="1", variant="soft", type="button",
                      on_click=Q.edit_question(q["id"]), aria_label=t("Edit question ") + q["number"]),
            rx.button(rx.icon("arrow-up", size=14), size="1", variant="soft", type="button",
                      on_click=Q.move_question(q["id"], "up"),
                      aria_label=t("Move up: question ") + q["number"]),
            rx.button(rx.icon("arrow-down", size=14), size="1", variant="soft", type="button",
                      on_click=Q.move_question(q["id"], "down"),
                      aria_label=t("Move down: question ") + q["number"]),
            rx.button(rx.icon("trash-2", size=14), size="1", variant="soft", color_scheme="red",
                      type="button", on_click=Q.delete_question(q["id"]),
                      aria_label=t("Delete question ") + q["number"]),
            spacing="1"),
        width="100%", align="start",
    )


def quiz_section() -> rx.Component:
    return rx.cond(
        Q.is_quiz,
        rx.vstack(
            rx.heading(t("Questions"), size="3", as_="h3"),
            rx.text(t("Save the lesson's settings first if you changed them."), size="1",
                    color="var(--gray-11)"),
            rx.foreach(Q.questions, question_row),
            rx.cond(Q.editing, question_form(),
                    rx.button(rx.icon("plus", size=16), t("Add question"), type="button",
                              on_click=Q.new_question)),
            spacing="2", width="100%", padding_top="1em", border_top="1px solid var(--gray-5)",
        ),
    )


def lesson_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Lesson")),
            rx.vstack(settings_form(), media_section(), quiz_section(), spacing="3",
                      width="100%"),
            max_width="720px",
            **focus_return(),
        ),
        open=L.open,
        on_open_change=L.set_open,
    )
