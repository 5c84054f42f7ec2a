"""/courses: the client's courses (title, summary, progress) and "Continue where you
left off". Every handler runs the session check and the Courses app check
(state/courses/common.py); the courses are the selected record's grants."""

from __future__ import annotations

from portal_app import routes
from portal_app.i18n import gettext
from portal_app.services.courses import my_courses
from state.courses.common import courses_event
from state.session import ClientState

PERCENT_LABEL = "{title}: {percent}% complete"


def continue_item(card) -> dict[str, str]:
    """The "Continue where you left off" card's texts ({} when there is none)."""
    if card is None:
        return {}
    return {"course": card.course_title, "lesson": card.lesson_title,
            "href": routes.lesson_page(card.lesson_id)}


class CoursesState(ClientState):
    courses: list[dict[str, str]] = []
    continue_card: dict[str, str] = {}
    loaded: bool = False

    @courses_event(page=True)
    def load(self, session, ctx):
        """on_load: the courses this record may take, with progress; where it left off."""
        cards = my_courses.list_my_courses(session, client_id=ctx.client_id)
        self.courses = [{
            "id": str(c.course_id), "title": c.title, "summary": c.summary,
            "percent": str(c.percent), "href": routes.course_page(c.course_id),
            "label": gettext(self._lang, PERCENT_LABEL, title=c.title, percent=c.percent),
            "completed": "yes" if c.completed else ""} for c in cards]
        self.continue_card = continue_item(
            my_courses.continue_card(session, client_id=ctx.client_id))
        self.loaded = True
