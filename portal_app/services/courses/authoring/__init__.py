"""Building courses in the console (issue 22), one module per noun, re-exported
here so callers write `authoring.<name>`:
- `courses`: create, settings, the list with counts;
- `modules`: add, edit with drip rule, move, delete;
- `lessons`: add, edit (kind, body, embed URL, drip, completion, quiz settings),
  publish, move, delete (refused once students started it: unpublish instead);
- `quiz`: questions (single, multiple, true/false) with their answer key;
- `drip_rules`: the drip rules checked (ranges, same course, no loops);
- `embeds`: the YouTube/Vimeo allow-list and canonical player URLs.
Media uploads are services/courses/media.py."""

from portal_app.services.courses.authoring.common import (
    NO_COURSE,
    NO_LESSON,
    NO_MODULE,
    NO_QUESTION,
    get_course,
    get_lesson,
    get_module,
    get_question,
)
from portal_app.services.courses.authoring.courses import (
    CourseRow,
    course_rows,
    create_course,
    student_count,
    update_course,
)
from portal_app.services.courses.authoring.drip_rules import outline
from portal_app.services.courses.authoring.embeds import canonical_embed_url
from portal_app.services.courses.authoring.lessons import (
    HAS_PROGRESS,
    PLAYED_KINDS,
    add_lesson,
    delete_lesson,
    move_lesson,
    set_published,
    update_lesson,
)
from portal_app.services.courses.authoring.modules import (
    DOWN,
    UP,
    add_module,
    delete_module,
    move_module,
    update_module,
)
from portal_app.services.courses.authoring.quiz import (
    TRUE_FALSE_OPTIONS,
    add_question,
    delete_question,
    move_question,
    questions_for,
    update_question,
)

__all__ = [
    "DOWN", "HAS_PROGRESS", "NO_COURSE", "NO_LESSON", "NO_MODULE", "NO_QUESTION",
    "PLAYED_KINDS", "TRUE_FALSE_OPTIONS", "UP", "CourseRow", "add_lesson", "add_module",
    "add_question", "canonical_embed_url", "course_rows", "create_course", "delete_lesson",
    "delete_module", "delete_question", "get_course", "get_lesson", "get_module",
    "get_question", "move_lesson", "move_module", "move_question", "outline",
    "questions_for", "set_published", "student_count", "update_course", "update_lesson",
    "update_module", "update_question",
]
