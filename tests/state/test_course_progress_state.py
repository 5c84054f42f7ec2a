"""The console's course progress page holds on the server: staff only, every
client / lesson / certificate id checked against the open course, the shift's
number checked beside its field, the bulk actions act on the selection."""

from datetime import timedelta

from sqlmodel import select

import state.console_courses.progress  # noqa: F401  (registers the state before the app does)
from models import AuditEvent, Certificate, Enrolment, LessonProgress
from models.base import utcnow
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_courses.progress import CourseProgressState as S
from tests import factories
from tests.state.harness import all_vars, call, signed_in_client, substate, tab_at
from tests.unit import course_progress_helpers as h


def _staff_token(session, staff):
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


def _world(session):
    factories.business(session, timezone="America/New_York")
    staff = factories.staff(session)
    course, lessons = h.course(session)
    start = utcnow() - timedelta(days=1)
    ana = h.student(session, course, name="Ana", starts_at=start)
    bo = h.student(session, course, name="Bo", starts_at=start)
    other, other_lessons = h.course(session, title="Other")
    outsider = h.student(session, other, name="Outsider", starts_at=start)
    cert = h.certificate(session, ana, course, code="CM-ANA")
    other_cert = h.certificate(session, outsider, other, code="OT-OUT")
    session.commit()
    root = tab_at(_staff_token(session, staff), f"/console/course/progress?id={course.id}")
    call(root, S, "load")
    return dict(root=root, course=course, lessons=lessons, ana=ana, bo=bo, outsider=outsider,
                cert=cert, other_cert=other_cert, other_lessons=other_lessons, staff=staff)


def _enrolments(session):
    session.expire_all()
    return {e.client_id: e for e in session.exec(select(Enrolment)).all()}


def test_the_table_shows_students_lessons_and_certificates(engine, session):
    w = _world(session)
    view = substate(w["root"], S)
    assert view.found and view.course_title == "Calm Mind"
    assert [hd["title"] for hd in view.lesson_headers] == ["Lesson 1.1", "Lesson 1.2",
                                                           "Lesson 2.1"]
    assert [r["name"] for r in view.student_rows] == ["Ana", "Bo"]
    ana = view.student_rows[0]
    assert [c["status"] for c in ana["cells"]] == ["open", "open", "locked"]
    assert ana["cells"][2]["until"].endswith(("EST", "EDT"))
    assert (ana["cert_code"], ana["percent"]) == ("CM-ANA", "0%")
    assert view.csv_url == f"/api/console/courses/{w['course'].id}/progress.csv"
    assert "Outsider" not in all_vars(w["root"])


def test_bulk_unlock_acts_on_the_selection_only(engine, session):
    w = _world(session)
    root = w["root"]
    call(root, S, "toggle", str(w["bo"].id), True)
    call(root, S, "toggle", str(w["outsider"].id), True)  # not on the page: ignored
    assert substate(root, S).selected == [str(w["bo"].id)]
    call(root, S, "unlock", "")
    rows = _enrolments(session)
    assert set(rows) == {w["bo"].id} and rows[w["bo"].id].unlocked_all_at is not None
    bo_row = substate(root, S).student_rows[1]
    assert [c["status"] for c in bo_row["cells"]] == ["open", "open", "open"]


def test_shift_checks_the_number_beside_the_field(engine, session):
    w = _world(session)
    root = w["root"]
    call(root, S, "toggle_all", True)
    call(root, S, "open_shift", "")
    view = substate(root, S)
    assert view.shift_open and view.target_label == "2 students"
    call(root, S, "apply_shift", {"days": "0"})
    assert view.errors["days"].startswith("Enter a whole number")
    assert view.shift_open and _enrolments(session) == {}
    call(root, S, "apply_shift", {"days": "4"})
    assert not view.shift_open
    assert {e.shift_days for e in _enrolments(session).values()} == {4}


def test_ids_of_another_course_are_refused(engine, session):
    w = _world(session)
    root = w["root"]
    call(root, S, "unlock", str(w["outsider"].id))
    call(root, S, "open_shift", str(w["outsider"].id))
    assert not substate(root, S).shift_open
    call(root, S, "open_mark", str(w["ana"].id))
    call(root, S, "apply_mark", {"lesson": str(w["other_lessons"][0].id)})
    assert substate(root, S).errors["lesson"] == "That lesson is not in this course."
    call(root, S, "open_revoke", str(w["other_cert"].id))
    assert not substate(root, S).revoke_open
    session.expire_all()
    assert session.get(Certificate, w["other_cert"].id).revoked_at is None
    assert session.exec(select(LessonProgress)).all() == []
    assert _enrolments(session) == {}


def test_mark_complete_and_revoke_with_a_reason(engine, session):
    w = _world(session)
    root = w["root"]
    call(root, S, "open_mark", str(w["bo"].id))
    view = substate(root, S)
    assert view.mark_open and view.target_label == "Bo"
    call(root, S, "apply_mark", {"lesson": str(w["lessons"][2].id)})
    assert not view.mark_open
    done = session.exec(select(LessonProgress)).one()
    assert (done.client_id, done.completed_by) == (w["bo"].id, "staff")
    assert view.student_rows[1]["percent"] == "33%"

    call(root, S, "open_revoke", str(w["cert"].id))
    assert view.revoke_open and view.target_label == "CM-ANA — Ana"
    call(root, S, "apply_revoke", {"reason": "  "})
    assert view.errors["reason"] == "Say why the certificate is revoked."
    call(root, S, "apply_revoke", {"reason": "Issued by mistake"})
    session.expire_all()
    assert session.get(Certificate, w["cert"].id).revoke_reason == "Issued by mistake"
    assert view.student_rows[0]["cert_revoked"] is True
    actions = {a.action for a in session.exec(select(AuditEvent)).all()}
    assert {"lesson.completed", "certificate.revoked"} <= actions


def test_signed_out_and_clients_get_nothing(engine, session):
    w = _world(session)
    token, _client = signed_in_client(session, "Mallory")
    for cookie in (None, token):
        root = tab_at(cookie, f"/console/course/progress?id={w['course'].id}")
        call(root, S, "load")
        call(root, S, "unlock", str(w["ana"].id))
        assert substate(root, S).student_rows == []
        assert "Ana" not in repr(substate(root, S).dict())
    assert _enrolments(session) == {}


def test_an_unknown_course_shows_nothing(engine, session):
    w = _world(session)
    root = tab_at(_staff_token(session, w["staff"]), "/console/course/progress?id=9999")
    call(root, S, "load")
    assert not substate(root, S).found and substate(root, S).student_rows == []
    call(root, S, "unlock", str(w["ana"].id))
    assert _enrolments(session) == {}
