"""/courses/lesson?id=: one lesson. Text is Markdown rendered on the server
(services/courses/markdown.py: raw HTML escaped, unsafe link schemes dropped; the
same renderer as the editor's preview); a video plays our media route
(<video controls>, reporting its progress every ~10 s and on pause and end through
a hidden form) or frames an allowed embed; audio plays; a file downloads; a quiz is
radio groups and checkboxes with labels, Submit, then the result. "Mark complete"
for manual lessons; the previous and next lesson."""

import reflex as rx

from components.client_shell import client_shell
from components.i18n import t
from state.courses.lesson_page import LessonPageState as S

MUTED = "var(--gray-11)"
PLAYER_ID = "lesson-player"
REPORT_FORM_ID = "lesson-report"
# Attach the reports to the player once per element: every 10 s while playing, and on
# pause and end. The form's submit is the Reflex event (the lesson is the server's).
REPORT_JS = (
    "(function(){var v=document.getElementById('" + PLAYER_ID + "'),"
    "f=document.getElementById('" + REPORT_FORM_ID + "');"
    "if(!v||!f||v.dataset.reporting)return;v.dataset.reporting='1';var timer=null;"
    "function send(){if(!v.isConnected||!f.isConnected){clearInterval(timer);return;}"
    "if(!isFinite(v.duration)||v.duration<=0)return;"
    "f.elements.position.value=String(v.currentTime);"
    "f.elements.duration.value=String(v.duration);f.requestSubmit();}"
    "function stop(){clearInterval(timer);timer=null;send();}"
    "v.addEventListener('play',function(){if(!timer)timer=setInterval(send,10000);});"
    "v.addEventListener('pause',stop);v.addEventListener('ended',stop);})();"
)


def report_form() -> rx.Component:
    return rx.form(
        rx.el.input(type="hidden", name="position", default_value="0"),
        rx.el.input(type="hidden", name="duration", default_value="0"),
        id=REPORT_FORM_ID, on_submit=S.report_progress, reset_on_submit=False,
        aria_hidden="true", display="none",
    )


def player(tag) -> rx.Component:
    return rx.vstack(
        tag(controls=True, src=S.media_url, id=PLAYER_ID, preload="metadata",
            key=S.media_url, on_mount=rx.call_script(REPORT_JS),
            style={"width": "100%", "max_width": "960px", "border_radius": "8px"}),
        report_form(),
        rx.cond(S.watched_pct > 0,
                rx.text(t("Watched"), " ", S.watched_pct.to_string(), "%", size="2",
                        color=MUTED)),
        spacing="2", width="100%",
    )


def embed() -> rx.Component:
    return rx.el.iframe(
        src=S.embed_url, title=S.title, width="100%", height="480",
        allow="fullscreen; picture-in-picture; encrypted-media",
        referrer_policy="strict-origin-when-cross-origin",
        sandbox="allow-scripts allow-same-origin allow-presentation",
        style={"border": "0", "max_width": "960px", "border_radius": "8px"},
    )


def media_block() -> rx.Component:
    return rx.match(
        S.kind,
        ("video", rx.cond(S.media_url != "", player(rx.el.video),
                          rx.cond(S.embed_url != "", embed(),
                                  rx.text(t("This video cannot be shown."), color=MUTED)))),
        ("audio", rx.cond(S.media_url != "", player(rx.el.audio))),
        ("file", rx.cond(S.media_url != "", rx.el.a(
            rx.button(rx.icon("download", size=16), t("Download"), " ", S.media_name,
                      variant="soft", tab_index=-1),
            href=S.media_url, download=True, custom_attrs={"reloadDocument": True}))),
        rx.fragment(),
    )


def option_control(q, option) -> rx.Component:
    control = rx.cond(
        q["kind"] == "multiple",
        rx.el.input(type="checkbox", name=option["field"], id=option["field"],
                    disabled=S.submitted),
        rx.el.input(type="radio", name=q["field"], value=option["value"], id=option["field"],
                    required=True, disabled=S.submitted),
    )
    return rx.el.label(
        control, rx.text(option["label"], as_="span"),
        rx.cond(option["right"] == "yes",
                rx.icon("check", size=16, color="var(--green-11)", aria_label=t("Right answer"))),
        html_for=option["field"], key=option["field"],
        style={"display": "flex", "align_items": "center", "gap": "0.6em",
               "min_height": "44px", "cursor": "pointer"},
    )


def question_block(q, index) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.text(q["prompt"], weight="bold"),
                     rx.cond(q["kind"] == "multiple",
                             rx.text(t("Choose every right answer."), size="1", color=MUTED))),
        rx.foreach(S.options[index], lambda option: option_control(q, option)),
        rx.cond(q["error"] != "", rx.text(q["error"], color="var(--red-11)", size="2",
                                          role="alert")),
        rx.cond(q["result"] == "right", rx.text(t("Right"), color="var(--green-11)", size="2")),
        rx.cond(q["result"] == "wrong", rx.vstack(
            rx.text(t("Wrong"), color="var(--red-11)", size="2"),
            rx.cond(q["key"] != "", rx.text(q["key"], size="2")), spacing="0")),
        aria_invalid=rx.cond(q["error"] != "", "true", "false"),
        style={"border": "1px solid var(--gray-6)", "border_radius": "8px",
               "padding": "0.75em 1em", "width": "100%"},
        key=q["id"],
    )


def quiz_block() -> rx.Component:
    return rx.vstack(
        rx.cond(S.quiz_text != "", rx.callout(S.quiz_text, role="status", width="100%",
                                              color_scheme=rx.cond(S.quiz_passed, "green",
                                                                   "amber"))),
        rx.cond(S.attempts_text != "", rx.text(S.attempts_text, size="2", color=MUTED)),
        rx.form(
            rx.vstack(
                rx.foreach(S.questions, question_block),
                rx.cond(~S.submitted & ~S.quiz_closed,
                        rx.button(t("Submit answers"), type="submit", size="3")),
                spacing="3", width="100%",
            ),
            on_submit=S.submit_quiz, reset_on_submit=False, width="100%",
        ),
        rx.cond(S.submitted & ~S.quiz_closed,
                rx.button(t("Try again"), on_click=S.try_again, variant="soft", size="3")),
        spacing="3", width="100%",
    )


def lesson_body() -> rx.Component:
    return rx.vstack(
        rx.cond(S.status == "complete",
                rx.badge(rx.icon("circle_check", size=14, aria_hidden="true"), t("Complete"),
                         color_scheme="green")),
        media_block(),
        rx.cond(S.body_html != "", rx.box(rx.html(S.body_html), class_name="lesson-text",
                                          width="100%", max_width="72ch")),
        rx.cond(S.kind == "quiz", quiz_block()),
        rx.cond(S.can_mark_complete,
                rx.button(rx.icon("check", size=16), t("Mark complete"), size="3",
                          on_click=S.mark_complete)),
        rx.hstack(
            rx.cond(S.prev_href != "", rx.link(
                rx.button(rx.icon("arrow_left", size=16), t("Previous"), " ", S.prev_title,
                          variant="soft", tab_index=-1), href=S.prev_href)),
            rx.spacer(),
            rx.cond(S.next_href != "", rx.link(
                rx.button(t("Next"), " ", S.next_title, rx.icon("arrow_right", size=16),
                          variant="soft", tab_index=-1), href=S.next_href)),
            width="100%", wrap="wrap", spacing="3", padding_top="1em",
        ),
        spacing="4", width="100%",
    )


def lesson_page() -> rx.Component:
    return client_shell(
        S,
        rx.cond(S.title != "", S.title, t("Lesson")),
        rx.cond(S.course_href != "", rx.link(S.course_title, href=S.course_href, size="2")),
        rx.match(
            S.status,
            ("locked", rx.callout(S.locked_text, icon="lock", role="status", width="100%")),
            ("missing", rx.text(t("That lesson is not available to you."))),
            ("", rx.spinner()),
            lesson_body(),
        ),
        quick_actions=False,
    )
