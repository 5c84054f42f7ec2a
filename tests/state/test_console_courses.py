"""Console → Courses called the way the websocket (and Reflex's upload endpoint)
calls it, with a real staff session cookie: the list, creating a course, field
errors beside the fields with nothing changed, the outline, ids of another course
refused, the media upload through the handler (with its limit), and no access for
anyone who is not staff."""

import dataclasses
import io
from pathlib import Path

import pytest
from reflex.istate.data import RouterData
from reflex_components_core.core._upload import UploadFile
from sqlmodel import Session, select

from models import Course, CourseMedia, Lesson, QuizQuestion
from portal_app import routes
from portal_app.services.courses import authoring as A
from portal_app.settings import get_settings
from state.console_courses import CourseEditorState as E
from state.console_courses import CourseListState as CL
from state.console_courses import LessonEditorState as LE
from state.console_courses import QuizState as Q
from tests.api.test_document_routes import files_env  # noqa: F401
from tests.state.harness import all_vars, call, new_tab, substate
from tests.state.test_console_documents import client_token, staff_token
from tests.unit.test_course_media import MP4


def tab(token, url: str):
    root = new_tab(token)
    data = {**root.router_data, "pathname": url.split("?")[0], "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


@pytest.fixture
def world(engine, session):
    from tests import factories

    factories.business(session)
    token, staff = staff_token(session)
    course = A.create_course(session, title="Calm Mind")
    m1 = A.add_module(session, course_id=course.id, title="Week one")
    video = A.add_lesson(session, module_id=m1.id, title="Watch", kind="video")
    quiz = A.add_lesson(session, module_id=m1.id, title="Check", kind="quiz")
    other = A.create_course(session, title="Other course")
    om = A.add_module(session, course_id=other.id, title="Elsewhere")
    foreign = A.add_lesson(session, module_id=om.id, title="Foreign", kind="text")
    session.commit()
    return {"token": token, "course": course, "m1": m1, "video": video, "quiz": quiz,
            "other": other, "foreign": foreign, "om": om}


def editor(w, token=None):
    root = tab(token or w["token"], routes.console_course(w["course"].id))
    for cls in (E, LE, Q):
        call(root, cls, "load")
    return root


def test_the_list_and_new_course(world, engine):
    root = tab(world["token"], routes.CONSOLE_COURSES)
    call(root, CL, "load")
    rows = substate(root, CL).rows
    assert [r["title"] for r in rows] == ["Calm Mind", "Other course"]
    assert rows[0]["lessons"] == "0 of 2 published" and rows[0]["modules"] == "1"
    call(root, CL, "create", {"title": "x"})
    assert substate(root, CL).new_errors == {"title": "Enter a title of at least 2 characters."}
    result = call(root, CL, "create", {"title": "Sleep well"})
    with Session(engine) as s:
        made = s.exec(select(Course).where(Course.title == "Sleep well")).one()
    assert routes.console_course(made.id) in repr(result)


def test_editor_outline_and_settings_errors_beside_the_field(world, engine):
    root = editor(world)
    state = substate(root, E)
    assert state.found and state.course["title"] == "Calm Mind"
    assert [(r["row"], r["title"]) for r in state.outline] == [
        ("module", "Week one"), ("lesson", "Watch"), ("lesson", "Check")]
    assert state.progress_url == routes.CONSOLE_COURSE_PROGRESS + f"?id={world['course'].id}"
    call(root, E, "save_settings", {"title": "Calm Mind", "unlock_hour": "24",
                                    "status": "draft"})
    assert state.settings_errors == {"unlock_hour": "Choose an hour from 0 to 23."}
    call(root, E, "save_settings", {"title": "Calm Mind", "unlock_hour": "9", "status": "draft",
                                    "in_order": "on"})
    with Session(engine) as s:
        saved = s.get(Course, world["course"].id)
    assert (saved.unlock_hour, saved.in_order, saved.certificate) == (9, True, False)


def test_ids_of_another_course_are_refused(world, engine):
    root = editor(world)
    for handler, args in (("open_module", (str(world["om"].id),)),
                          ("move_lesson", (str(world["foreign"].id), "up")),
                          ("toggle_published", (str(world["foreign"].id),)),
                          ("delete_lesson", (str(world["foreign"].id),)),
                          ("delete_module", (str(world["om"].id),))):
        result = call(root, E, handler, *args)
        assert "does not exist" in repr(result), handler
    call(root, LE, "open_lesson", str(world["foreign"].id))
    assert substate(root, LE).open is False
    with Session(engine) as s:
        assert s.get(Lesson, world["foreign"].id) is not None


def test_lesson_editor_saves_and_shows_errors(world, engine):
    root = editor(world)
    call(root, LE, "open_lesson", str(world["video"].id))
    lesson = substate(root, LE)
    assert lesson.open and lesson.form["kind"] == "video" and lesson.drip_kind == "none"
    call(root, LE, "set_drip_kind", "days")
    assert lesson.drip_kind == "days"
    call(root, LE, "set_drip_kind", "<script>")
    assert lesson.drip_kind == "none"
    call(root, LE, "save", {"title": "Watch", "kind": "video",
                            "embed_url": "https://evil.example/x"})
    assert set(lesson.errors) == {"embed_url"} and lesson.open
    result = call(root, LE, "save", {"title": "Watch", "kind": "video", "published": "on",
                                     "embed_url": "https://vimeo.com/123",
                                     "complete_rule": "video", "video_share_pct": "80"})
    assert lesson.errors == {} and "refresh" in repr(result)
    with Session(engine) as s:
        saved = s.get(Lesson, world["video"].id)
    assert (saved.embed_url, saved.published, saved.video_share_pct) == (
        "https://player.vimeo.com/video/123", True, 80)


def test_quiz_questions_through_the_editor(world, engine):
    root = editor(world)
    call(root, LE, "open_lesson", str(world["quiz"].id))
    call(root, Q, "show", str(world["quiz"].id))
    quiz = substate(root, Q)
    assert quiz.is_quiz
    call(root, Q, "new_question")
    call(root, Q, "save_question", {"kind": "single", "prompt": "Breathe?",
                                    "options": "Yes\nNo", "correct": "3"})
    assert quiz.q_errors == {"correct": "Mark the right answer."}
    call(root, Q, "save_question", {"kind": "single", "prompt": "Breathe?",
                                    "options": "Yes\nNo", "correct": "1"})
    assert [q["correct"] for q in quiz.questions] == ["Yes"]
    with Session(engine) as s:
        assert s.exec(select(QuizQuestion)).one().correct == [0]


def test_media_upload_through_the_handler(files_env, world, engine, monkeypatch, tmp_path):  # noqa: F811
    root = editor(world)
    call(root, LE, "open_lesson", str(world["video"].id))
    upload = UploadFile(file=io.BytesIO(MP4), path=Path("Intro.mp4"), size=len(MP4))
    call(root, LE, "upload_media", [upload])
    lesson = substate(root, LE)
    assert lesson.errors == {}
    with Session(engine) as s:
        media = s.exec(select(CourseMedia)).one()
        assert s.get(Lesson, world["video"].id).media_id == media.id
    assert (files_env / "files" / media.stored_name).read_bytes() == MP4
    small = dataclasses.replace(get_settings(), course_media_max_bytes=100)
    monkeypatch.setattr("state.console_courses.lesson.get_settings", lambda: small)
    call(root, LE, "upload_media", [UploadFile(file=io.BytesIO(MP4), path=Path("Big.mp4"))])
    assert "larger than" in lesson.errors["media"]
    with Session(engine) as s:
        assert len(s.exec(select(CourseMedia)).all()) == 1


def test_not_staff_gets_nothing(world, session, engine):
    outsider = client_token(session)
    for token in (None, outsider):
        root = tab(token, routes.console_course(world["course"].id))
        call(root, E, "load")
        result = call(root, LE, "upload_media",
                      [UploadFile(file=io.BytesIO(MP4), path=Path("x.mp4"))])
        assert routes.CONSOLE_LOGIN in repr(result)
        assert "Calm Mind" not in all_vars(root)
    with Session(engine) as s:
        assert s.exec(select(CourseMedia)).all() == []
