"""The Courses pages' handlers hold on the server: the Courses app (the business has it
on, the record holds a grant) on every call, each course and lesson checked, a
revoked grant refused at the next action, the quiz's key kept back while attempts
remain, the player's reports and Mark complete wired to the lesson the tab opened;
the public certificate check; the dashboard's "Continue where you left off"."""

from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import select

import state.courses.course_page  # noqa: F401  (registers the states before the app does)
import state.courses.lesson_page  # noqa: F401
import state.courses.list_page  # noqa: F401
import state.courses.verify  # noqa: F401
from models import Certificate, Entitlement, GrantKind, GrantSource, LessonProgress, QuizAttempt
from models.base import utcnow
from portal_app import apps
from portal_app.services.courses import overrides
from portal_app.services.hub import entitlements
from state.client_pages import DashboardState
from state.courses.course_page import CourseState
from state.courses.lesson_page import LessonPageState
from state.courses.list_page import CoursesState
from state.courses.verify import VerifyCertificateState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import all_vars, call, page_events, signed_in_client, substate, tab_at
from tests.unit import course_helpers as h


def _world(session, *, lessons=2, courses_on=True):
    factories.business(session, apps_enabled=["courses"] if courses_on else [])
    course, mods, rows = h.course(session, lessons_per_module=lessons)
    session.commit()
    return course, rows


def _grant(session, client, course=None):
    entitlements.grant(session, client_id=client.id,
                       kind=GrantKind.COURSE if course else GrantKind.APP,
                       app_key=apps.COURSES, target_id=course.id if course else None,
                       source=GrantSource.STAFF)
    session.commit()


def _page(token, cls, url, *args):
    tab = tab_at(token, url)
    result = call(tab, cls, "load", *args)
    return tab, substate(tab, cls), result


def test_a_granted_client_sees_the_course_the_outline_and_a_lesson(engine, session):
    course, lessons = _world(session)
    token, client = signed_in_client(session, "Ana")
    _grant(session, client, course)
    _tab, page, result = _page(token, CoursesState, "/courses")
    assert page_events(result) == []
    assert [(c["title"], c["percent"], c["label"]) for c in page.courses] == [
        ("Calm Mind", "0", "Calm Mind: 0% complete")]
    _tab, outline, _r = _page(token, CourseState, f"/courses/course?id={course.id}")
    assert [(r["type"], r["title"], r["status"]) for r in outline.rows] == [
        ("module", "Module 1", ""), ("lesson", "Lesson 1.1", "open"),
        ("lesson", "Lesson 1.2", "open")]
    tab, lesson, _r = _page(token, LessonPageState, f"/courses/lesson?id={lessons[0].id}")
    assert (lesson.status, lesson.title, lesson.body_html, lesson.can_mark_complete) == (
        "open", "Lesson 1.1", "<p><strong>Hello</strong></p>\n", True)
    assert lesson.next_href == f"/courses/lesson?id={lessons[1].id}" and lesson.prev_href == ""
    call(tab, LessonPageState, "mark_complete")
    assert lesson.status == "complete" and not lesson.can_mark_complete
    _tab, page, _r = _page(token, CoursesState, "/courses")
    assert page.courses[0]["percent"] == "50"
    assert page.continue_card["lesson"] == "Lesson 1.1"
    dash = tab_at(token, "/dashboard")
    call(dash, DashboardState, "load")
    assert substate(dash, DashboardState).continue_course["href"] == (
        f"/courses/lesson?id={lessons[0].id}")


def test_without_the_app_every_handler_goes_to_the_dashboard(engine, session):
    course, lessons = _world(session, courses_on=False)
    token, client = signed_in_client(session, "Ana")
    _grant(session, client, course)  # granted, but the business has Courses off
    for cls, url in ((CoursesState, "/courses"), (CourseState, f"/courses/course?id={course.id}"),
                     (LessonPageState, f"/courses/lesson?id={lessons[0].id}")):
        tab, page, result = _page(token, cls, url)
        assert "/dashboard" in repr(result), cls
        assert "Calm Mind" not in all_vars(tab)
    dash = tab_at(token, "/dashboard")
    call(dash, DashboardState, "load")
    assert substate(dash, DashboardState).continue_course == {}


def test_another_course_and_a_revoked_grant_are_refused(engine, session):
    course, lessons = _world(session)
    other, _m, other_lessons = h.course(session, title="Secret Course")
    session.commit()
    token, client = signed_in_client(session, "Ana")
    _grant(session, client, course)
    tab, outline, result = _page(token, CourseState, f"/courses/course?id={other.id}")
    assert outline.missing and "Secret Course" not in all_vars(tab)
    tab, lesson, _r = _page(token, LessonPageState, f"/courses/lesson?id={other_lessons[0].id}")
    assert lesson.status == "missing" and "Secret Course" not in all_vars(tab)
    tab, lesson, _r = _page(token, LessonPageState, f"/courses/lesson?id={lessons[0].id}")
    grant = session.exec(select(Entitlement).where(Entitlement.client_id == client.id)).one()
    entitlements.revoke_grant(session, grant_id=grant.id, staff_id=None)
    session.commit()
    result = call(tab, LessonPageState, "mark_complete")
    assert "/dashboard" in repr(result)
    assert session.exec(select(LessonProgress)).all() == []


def test_a_locked_lesson_says_when_it_opens_in_the_clients_zone(engine, session):
    course, lessons = _world(session)
    lessons[1].drip_kind, lessons[1].drip_days = "days", 3
    session.add(lessons[1])
    token, client = signed_in_client(session, "Ana")
    client.timezone = "Europe/Madrid"
    session.add(client)
    _grant(session, client, course)
    _tab, lesson, _r = _page(token, LessonPageState, f"/courses/lesson?id={lessons[1].id}")
    assert lesson.status == "locked" and lesson.title == ""
    assert lesson.course_href == f"/courses/course?id={course.id}"
    assert lesson.locked_text.startswith("This lesson opens on ")
    assert lesson.locked_text.endswith("(Europe/Madrid).")
    _tab, outline, _r = _page(token, CourseState, f"/courses/course?id={course.id}")
    row = outline.rows[2]
    assert (row["status"], row["href"]) == ("locked", "")
    assert row["note"].startswith("Opens ") and "(Europe/Madrid)" in row["note"]


def test_the_quiz_key_stays_on_the_server_until_passed(engine, session):
    course, lessons = _world(session)
    questions = h.make_quiz(session, lessons[1], attempts=3)
    session.commit()
    token, client = signed_in_client(session, "Ana")
    _grant(session, client)
    tab, page, _r = _page(token, LessonPageState, f"/courses/lesson?id={lessons[1].id}")
    assert [q["prompt"] for q in page.questions] == ["Which?", "Which ones?", "True?"]
    assert "correct" not in all_vars(tab)
    call(tab, LessonPageState, "submit_quiz", {f"q-{questions[0].id}": "1"})
    assert page.questions[1]["error"] == "Answer every question."
    assert session.exec(select(QuizAttempt)).all() == []
    wrong = {**h.all_right(questions), f"q-{questions[0].id}": "0"}
    call(tab, LessonPageState, "submit_quiz", wrong)
    assert [q["result"] for q in page.questions] == ["wrong", "right", "right"]
    assert page.questions[0]["key"] == "" and not any(
        o["right"] for opts in page.options for o in opts)
    assert page.quiz_text == "You scored 66% (pass mark 70%). Not passed yet."
    assert page.attempts_text == "Attempts left: 2"
    call(tab, LessonPageState, "try_again")
    call(tab, LessonPageState, "submit_quiz", h.all_right(questions))
    assert page.quiz_passed and page.status == "complete"
    assert page.quiz_text == "You scored 100% (pass mark 70%). Passed. Well done!"


def test_the_players_reports_go_to_the_opened_lesson(engine, session):
    course, lessons = _world(session, lessons=1)
    h.make_video(session, lessons[0], share=50)
    session.commit()
    token, client = signed_in_client(session, "Ana")
    _grant(session, client, course)
    tab, page, _r = _page(token, LessonPageState, f"/courses/lesson?id={lessons[0].id}")
    assert page.media_url == f"/api/courses/media/{lessons[0].media_id}"
    row = LessonProgress(client_id=client.id, course_id=course.id, lesson_id=lessons[0].id,
                         watched_seconds=45, watched_pct=45)
    session.add(row)
    session.commit()
    assert call(tab, LessonPageState, "report_progress", {"position": "999",
                                                         "duration": "100"}) is None
    assert page.watched_pct == 45  # past the end: ignored, quietly
    result = call(tab, LessonPageState, "report_progress", {"position": "50",
                                                            "duration": "100"})
    assert page.status == "complete" and "Lesson complete." in repr(result)


def test_the_public_check_shows_valid_revoked_or_no_certificate(engine, session):
    course, lessons = _world(session)
    _token, client = signed_in_client(session, "Ana")
    row = Certificate(code="ABCDEFGHJKMN", course_id=course.id, client_id=client.id,
                      client_name="Ana Frozen", course_title="Calm Mind",
                      issued_on=utcnow().date())
    session.add(row)
    session.commit()
    tab = tab_at(None, "/verify/abcd-efgh-jkmn")
    tab.router_data["query"] = {"code": "abcd-efgh-jkmn"}
    from reflex.istate.data import RouterData

    tab.router = RouterData.from_router_data(tab.router_data)
    call(tab, VerifyCertificateState, "load")
    page = substate(tab, VerifyCertificateState)
    assert (page.found, page.name, page.course, page.revoked, page.shown_code) == (
        True, "Ana Frozen", "Calm Mind", "", "ABCD-EFGH-JKMN")
    overrides.revoke_certificate(session, certificate_id=row.id, staff_id=None, reason="x")
    session.commit()
    call(tab, VerifyCertificateState, "load")
    assert page.revoked.startswith("Revoked on ")
    for code in ("ABCDEFGHJKMP", "nonsense"):
        other = tab_at(None, f"/verify/{code}")
        call(other, VerifyCertificateState, "load")
        shown = substate(other, VerifyCertificateState)
        assert (shown.found, shown.message) == (False, "No certificate has this code.")


def test_the_public_check_is_rate_limited(engine, session):
    _world(session)
    session.execute(insert(__import__("models").RateEvent), [
        {"bucket": "certificate_check", "key": "203.0.113.9", "at": utcnow()}] * 30)
    session.commit()
    tab = tab_at(None, "/verify/ABCDEFGHJKMN")
    call(tab, VerifyCertificateState, "load")
    page = substate(tab, VerifyCertificateState)
    assert page.message.startswith("Too many checks") and not page.found


def test_the_lesson_page_costs_the_same_statements_for_a_big_course(engine, session):
    factories.business(session, apps_enabled=["courses"])
    small, _m, small_lessons = h.course(session, title="Small", lessons_per_module=3)
    big, _m, big_lessons = h.course(session, title="Big", modules=3, lessons_per_module=10)
    session.commit()
    token, client = signed_in_client(session, "Ana")
    _grant(session, client)
    for n in range(20):
        _t, other = signed_in_client(session, f"Other{n}")
        session.execute(insert(LessonProgress), [
            {"client_id": other.id, "course_id": big.id, "lesson_id": x.id,
             "opened_at": utcnow(), "watched_seconds": 0, "watched_pct": 0,
             "completed_at": utcnow() - timedelta(days=1), "completed_by": "student"}
            for x in big_lessons])
    session.commit()

    def count(lesson):
        tab = tab_at(token, f"/courses/lesson?id={lesson.id}")
        call(tab, LessonPageState, "load")  # (the enrolment is made on the first visit)
        return len(statements_of(engine, lambda: call(tab, LessonPageState, "load")))

    assert count(small_lessons[1]) == count(big_lessons[25])


def test_the_lesson_page_shows_server_rendered_markdown_and_reports_progress():
    """The compiled page: the lesson's text is the server's safe HTML (no Markdown
    library in the browser) and the player's report is wired through the hidden form."""
    from reflex.compiler import compiler

    from portal_app.pages.courses.lesson_page import lesson_page

    _path, code = compiler.compile_page("courses/lesson", lesson_page())
    assert "ReactMarkdown" not in code and "body_html" in code
    assert "requestSubmit" in code and "lesson-report" in code


def test_the_dashboard_costs_the_same_statements_with_a_long_course_history(engine, session):
    factories.business(session, apps_enabled=["courses"])
    course, _m, lessons = h.course(session, modules=3, lessons_per_module=10)
    session.commit()
    small_token, small = signed_in_client(session, "Few")
    big_token, big = signed_in_client(session, "Many")
    for client, n in ((small, 1), (big, 30)):
        _grant(session, client)
        tab = tab_at(small_token if client is small else big_token,
                     f"/courses/lesson?id={lessons[n - 1].id}")
        call(tab, LessonPageState, "load")
        done = [{"client_id": client.id, "course_id": course.id, "lesson_id": x.id,
                 "opened_at": utcnow(), "watched_seconds": 0, "watched_pct": 0,
                 "completed_at": utcnow(), "completed_by": "student"} for x in lessons[:n - 1]]
        if done:
            session.execute(insert(LessonProgress), done)
    session.commit()

    def load(token):
        tab = tab_at(token, "/dashboard")
        count = len(statements_of(engine, lambda: call(tab, DashboardState, "load")))
        return count, substate(tab, DashboardState).continue_course

    few, small_card = load(small_token)
    many, big_card = load(big_token)
    assert small_card["lesson"] == "Lesson 1.1" and big_card["lesson"] == "Lesson 3.10"
    assert few == many, (few, many)


def test_a_lesson_opened_again_sends_only_what_changed(engine, session):
    course, lessons = _world(session)
    token, client = signed_in_client(session, "Ana")
    _grant(session, client, course)
    tab, lesson, _r = _page(token, LessonPageState, f"/courses/lesson?id={lessons[0].id}")
    tab._clean()
    call(tab, LessonPageState, "load")
    assert not {"status", "title", "body_html", "next_href"} & lesson.dirty_vars
    call(tab, LessonPageState, "mark_complete")
    assert lesson.dirty_vars & {"status", "can_mark_complete"} == {
        "status", "can_mark_complete"} and "body_html" not in lesson.dirty_vars
    assert (lesson.status, lesson.title) == ("complete", "Lesson 1.1")


def test_a_players_report_costs_the_same_few_statements_then_completes_the_lesson(
        engine, session):
    """The session check and one or two UPDATEs for a report (issue 18), for a long
    course with a history as for a short one; the report reaching the share completes
    the lesson (the full path) with its toast."""
    factories.business(session, apps_enabled=["courses"])
    costs = []
    for size in (2, 30):
        course, _m, lessons = h.course(session, title=f"C{size}", lessons_per_module=size)
        h.make_video(session, lessons[0], share=50)
        session.commit()
        token, client = signed_in_client(session, f"Ana{size}")
        _grant(session, client, course)
        if size > 2:
            session.execute(insert(LessonProgress), [
                {"client_id": client.id, "course_id": course.id, "lesson_id": x.id,
                 "opened_at": utcnow(), "watched_seconds": 0, "watched_pct": 0,
                 "completed_at": utcnow(), "completed_by": "student"} for x in lessons[1:]])
            session.commit()
        tab, page, _r = _page(token, LessonPageState, f"/courses/lesson?id={lessons[0].id}")
        call(tab, LessonPageState, "report_progress", {"position": 2, "duration": 20})
        for position in (4, 6, 8):
            costs.append(len(statements_of(engine, lambda p=position: call(
                tab, LessonPageState, "report_progress", {"position": p, "duration": 20}))))
        assert page.watched_pct == 40 and page.status == "open"
        result = call(tab, LessonPageState, "report_progress", {"position": 10, "duration": 20})
        assert page.watched_pct == 50 and page.status == "complete"
        assert "Lesson complete." in repr(result)
    # The session check (one statement), the enrolment's "last seen" (its WHERE checks
    # the grant, the course, the lesson and the progress row), the furthest point.
    assert costs == [3] * 6, costs
