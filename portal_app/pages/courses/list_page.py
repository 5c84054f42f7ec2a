"""/courses: the client's courses — title, summary, a progress bar with its percentage
and an accessible name — and "Continue where you left off"."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.courses_progress import continue_card, progress_bar
from components.i18n import t
from state.courses.list_page import CoursesState as S

MUTED = "var(--gray-11)"


def course_card(course) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(rx.heading(course["title"], size="4", as_="h2"), href=course["href"]),
                rx.spacer(),
                rx.cond(course["completed"] == "yes",
                        rx.badge(rx.icon("circle_check", size=14, aria_hidden="true"),
                                 t("Completed"), color_scheme="green")),
                width="100%", align="center",
            ),
            rx.cond(course["summary"] != "", rx.text(course["summary"], size="2", color=MUTED)),
            progress_bar(course["percent"].to(int), course["percent"], course["label"]),
            rx.link(rx.button(t("Open course"), variant="soft"), href=course["href"]),
            spacing="3", width="100%",
        ),
        width="100%", key=course["id"],
    )


def courses_page() -> rx.Component:
    return client_shell(
        S,
        t("Courses"),
        continue_card(S.continue_card),
        rx.cond(
            S.courses.length() > 0,
            rx.grid(rx.foreach(S.courses, course_card),
                    columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
            rx.cond(S.loaded, empty_state("graduation_cap", t("No courses yet."))),
        ),
    )
