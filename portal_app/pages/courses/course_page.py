"""/courses/course?id=: the outline — modules and lessons, each complete, open or locked
(when it opens, in the client's zone with the zone named, or after which lesson), the
progress, "Continue where you left off", and the certificate once earned."""

import reflex as rx

from components.client_shell import client_shell
from components.courses_progress import progress_bar
from components.i18n import t
from portal_app import routes
from portal_app.pages.payments import pdf_link
from state.courses.course_page import CourseState as S

MUTED = "var(--gray-11)"
KIND_ICONS = {"text": "file_text", "video": "video", "audio": "headphones", "file": "paperclip",
              "quiz": "list_checks"}


def status_badge(status) -> rx.Component:
    return rx.match(
        status,
        ("complete", rx.badge(rx.icon("circle_check", size=14, aria_hidden="true"),
                              t("Complete"), color_scheme="green")),
        ("locked", rx.badge(rx.icon("lock", size=14, aria_hidden="true"), t("Locked"),
                            color_scheme="gray")),
        rx.badge(t("Open"), color_scheme="blue"),
    )


def lesson_line(row) -> rx.Component:
    icon = rx.match(row["kind"], *[(k, rx.icon(v, size=18, aria_hidden="true"))
                                   for k, v in KIND_ICONS.items()],
                    rx.icon("file_text", size=18, aria_hidden="true"))
    title = rx.cond(row["href"] != "", rx.link(row["title"], href=row["href"]),
                    rx.text(row["title"], color=MUTED))
    return rx.hstack(
        icon,
        rx.vstack(title, rx.cond(row["note"] != "", rx.text(row["note"], size="2", color=MUTED)),
                  spacing="0", flex="1", min_width="0"),
        status_badge(row["status"]),
        align="center", spacing="3", width="100%", padding_y="0.5em", min_height="44px",
    )


def outline_row(row) -> rx.Component:
    return rx.cond(
        row["type"] == "module",
        rx.heading(row["title"], size="4", as_="h3", padding_top="0.75em"),
        lesson_line(row),
    )


def certificate_card() -> rx.Component:
    cert = S.certificate
    return rx.cond(
        cert.contains("code"),
        rx.card(rx.vstack(
            rx.hstack(rx.icon("award", size=22, aria_hidden="true"),
                      rx.heading(t("Your certificate"), size="4", as_="h2"),
                      align="center", spacing="2"),
            rx.cond(cert["revoked"] != "",
                    rx.text(t("This certificate was revoked on"), " ", cert["revoked"],
                            color="var(--red-11)"),
                    rx.text(t("Issued on"), " ", cert["issued"], " · ", t("Code"), " ",
                            cert["code"], size="2", color=MUTED)),
            rx.hstack(pdf_link(cert["pdf"], "Download certificate"),
                      rx.link(t("Check it online"), href=cert["verify"], is_external=True),
                      spacing="4", align="center", wrap="wrap"),
            spacing="3", width="100%"), width="100%"),
    )


def course_page() -> rx.Component:
    return client_shell(
        S,
        rx.cond(S.title != "", S.title, t("Course")),
        rx.link(t("All courses"), href=routes.COURSES, size="2"),
        rx.cond(
            S.missing,
            rx.text(t("That course is not available to you.")),
            rx.vstack(
                rx.cond(S.summary != "", rx.text(S.summary, color=MUTED)),
                progress_bar(S.percent, S.percent.to_string(), S.percent_label),
                rx.cond(S.continue_href != "",
                        rx.link(rx.button(t("Continue where you left off"), ": ",
                                          S.continue_title, size="3"),
                                href=S.continue_href)),
                certificate_card(),
                rx.vstack(rx.foreach(S.rows, outline_row), spacing="0", width="100%"),
                spacing="4", width="100%",
            ),
        ),
    )
