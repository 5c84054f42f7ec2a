"""Console → Courses (issue 22): the list, the course editor, the lesson editor
dialog (with its media upload) and the quiz questions editor."""

from state.console_courses.course_list import CourseListState
from state.console_courses.editor import CourseEditorState
from state.console_courses.lesson import MEDIA_UPLOAD_ID, LessonEditorState
from state.console_courses.quiz import QuizState

__all__ = ["MEDIA_UPLOAD_ID", "CourseEditorState", "CourseListState", "LessonEditorState",
           "QuizState"]
