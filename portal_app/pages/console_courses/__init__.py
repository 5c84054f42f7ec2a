"""Console → Courses pages (issue 22): the list and the course editor."""

from portal_app.pages.console_courses.editor_page import course_page
from portal_app.pages.console_courses.list_page import courses_page

__all__ = ["course_page", "courses_page"]
