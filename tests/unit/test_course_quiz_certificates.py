"""Quizzes graded on the server (no key sent while attempts remain, a stable shuffle per
attempt, the attempts limit, passing completes the lesson) and certificates (issued
once, frozen, a readable unique code, the public lookup, revoking, the PDF)."""

import io
from datetime import date, timedelta

import pypdf
import pytest
from sqlmodel import select

from models import Certificate, QuizAttempt
from portal_app.services.courses import certificates, progress, quiz
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.unit import course_helpers as h

T0 = h.utc(2026, 3, 1, 12)


def _quiz_world(session, **quiz_fields):
    factories.business(session)
    course, _m, lessons = h.course(session, lessons_per_module=2)
    questions = h.make_quiz(session, lessons[1], **quiz_fields)
    client = h.student(session, course_row=course)
    return course, lessons, questions, client


def _shown(session, client, lesson):
    facts, opened = progress.open_lesson(session, client_id=client.id, lesson_id=lesson.id,
                                         zone="UTC")
    return quiz.quiz_for(session, facts=facts, lesson=opened)


def test_the_questions_shown_carry_no_key(engine, session):
    _c, lessons, questions, client = _quiz_world(session)
    shown, status = _shown(session, client, lessons[1])
    assert [(q.prompt, q.options) for q in shown] == [
        ("Which?", [(0, "a"), (1, "b"), (2, "c")]),
        ("Which ones?", [(0, "x"), (1, "y"), (2, "z"), (3, "w")]),
        ("True?", [(0, "True"), (1, "False")])]
    assert not hasattr(shown[0], "correct")
    assert (status.attempts_used, status.attempts_left, status.passed) == (0, None, False)


def test_a_shuffled_quiz_keeps_its_order_within_an_attempt_and_changes_between(engine,
                                                                               session):
    _c, lessons, questions, client = _quiz_world(session, shuffle=True)
    first, _s = _shown(session, client, lessons[1])
    again, _s = _shown(session, client, lessons[1])
    assert first == again
    orders = {tuple((q.id, tuple(q.options)) for q in quiz.shown_order(
        questions, shuffle=True, client_id=client.id, lesson_id=lessons[1].id, attempt_no=n))
        for n in range(1, 8)}
    assert len(orders) > 1
    assert all(sorted(o for o, _t in q.options) == list(range(len(q.options)))
               for q in first)


def test_grading_single_multiple_and_true_false(engine, session):
    _c, lessons, questions, client = _quiz_world(session, attempts=3)
    single, multiple, truefalse = questions
    wrong_multiple = {f"q-{single.id}": "1", f"q-{multiple.id}-0": "on",
                      f"q-{truefalse.id}": "0"}  # 0 alone is not {0, 2}
    result = quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id,
                              answers=wrong_multiple, zone="UTC")
    assert (result.score_pct, result.passed, result.pass_mark_pct) == (66, False, 70)
    assert [r.right for r in result.results] == [True, False, True]
    assert [r.correct for r in result.results] == [None, None, None]  # attempts remain
    assert result.status.attempts_left == 2
    result = quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id,
                              answers=h.all_right(questions), zone="UTC", now=T0)
    assert (result.score_pct, result.passed) == (100, True)
    assert [r.correct for r in result.results] == [[1], [0, 2], [0]]
    facts = progress.course_outline(session, client_id=client.id, course_id=lessons[1].course_id,
                                    zone="UTC")
    assert facts.progress[lessons[1].id].completed_by == "quiz"
    with pytest.raises(NotAllowed) as caught:
        quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id,
                         answers=h.all_right(questions), zone="UTC")
    assert caught.value.message == quiz.PASSED_ALREADY


def test_the_attempts_limit_and_the_key_once_none_remain(engine, session):
    _c, lessons, questions, client = _quiz_world(session, attempts=2)
    wrong = {f"q-{questions[0].id}": "0", f"q-{questions[1].id}-1": "on",
             f"q-{questions[2].id}": "1"}
    first = quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id,
                             answers=wrong, zone="UTC")
    assert first.score_pct == 0 and first.results[0].correct is None
    last = quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id,
                            answers=wrong, zone="UTC")
    assert last.status.attempts_left == 0
    assert [r.correct for r in last.results] == [[1], [0, 2], [0]]
    with pytest.raises(NotAllowed) as caught:
        quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id,
                         answers=h.all_right(questions), zone="UTC")
    assert caught.value.message == "No attempts left."


@pytest.mark.parametrize("form,field,message", [
    ({}, "first", "Answer every question."),
    ("not a dict", "first", "Answer every question."),
    ({"q-{0}": "7"}, "first", "Answer every question."),  # no such option
    ({"q-{0}-0": "on", "q-{0}-1": "on"}, "first", "Choose one answer."),
])
def test_a_bad_form_is_refused_beside_the_question_and_uses_no_attempt(engine, session, form,
                                                                       field, message):
    _c, lessons, questions, client = _quiz_world(session, attempts=1)
    if isinstance(form, dict):
        form = {k.format(questions[0].id): v for k, v in form.items()}
    with pytest.raises(ServiceError) as caught:
        quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id, answers=form,
                         zone="UTC")
    assert (caught.value.message, caught.value.field) == (message, f"q-{questions[0].id}")
    assert session.exec(select(QuizAttempt)).all() == []


def test_another_clients_quiz_is_not_found(engine, session):
    _c, lessons, questions, _client = _quiz_world(session)
    stranger = factories.household(session, names=("Zed",))[1][0]
    with pytest.raises(NotFound):
        quiz.submit_quiz(session, client_id=stranger.id, lesson_id=lessons[1].id,
                         answers=h.all_right(questions), zone="UTC")


# --- certificates ---------------------------------------------------------------------


def _finish(session, client, lessons, questions, now):
    progress.mark_complete(session, client_id=client.id, lesson_id=lessons[0].id,
                           zone="Pacific/Auckland", now=now)
    quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id,
                     answers=h.all_right(questions), zone="Pacific/Auckland", now=now)


def test_a_certificate_is_issued_once_when_earned_and_frozen(engine, session):
    course, lessons, questions, client = _quiz_world(session)
    progress.mark_complete(session, client_id=client.id, lesson_id=lessons[0].id, zone="UTC")
    assert session.exec(select(Certificate)).all() == []  # the quiz is not passed yet
    late = h.utc(2026, 3, 1, 20)  # already Mar 2 in Auckland
    quiz.submit_quiz(session, client_id=client.id, lesson_id=lessons[1].id,
                     answers=h.all_right(questions), zone="Pacific/Auckland", now=late)
    row = session.exec(select(Certificate)).one()
    assert (row.client_name, row.course_title, row.issued_on) == (
        client.full_name, "Calm Mind", date(2026, 3, 2))
    assert certificates.normalize_code(row.code) == row.code and len(row.code) == 12
    assert not set(row.code) & set("01OIL")
    course.title, client.full_name = "Renamed", "Someone Else"
    session.add_all([course, client])
    again = certificates.issue_if_earned(session, course=course, client_id=client.id,
                                         lessons=lessons, completed={x.id for x in lessons},
                                         zone="UTC")
    assert again.id == row.id and again.course_title == "Calm Mind"
    assert len(session.exec(select(Certificate)).all()) == 1


def test_no_certificate_when_the_course_gives_none(engine, session):
    course, lessons, questions, client = _quiz_world(session)
    course.certificate = False
    session.add(course)
    _finish(session, client, lessons, questions, T0)
    assert session.exec(select(Certificate)).all() == []


def test_the_public_lookup_and_the_owners_lookup(engine, session):
    _c, lessons, questions, client = _quiz_world(session)
    _finish(session, client, lessons, questions, T0)
    row = session.exec(select(Certificate)).one()
    typed = certificates.display_code(row.code).lower()
    assert certificates.find_by_code(session, code=typed).id == row.id
    for bad in ("", "short", "0" * 12, row.code[:-1] + "!", None, "A" * 400):
        assert certificates.find_by_code(session, code=bad) is None
    assert certificates.get_certificate_for(session, client_id=client.id, code=row.code) == row
    other = factories.household(session, names=("Zed",))[1][0]
    with pytest.raises(NotFound) as caught:
        certificates.get_certificate_for(session, client_id=other.id, code=row.code)
    assert caught.value.message == "No certificate has this code."


def test_the_pdf_shows_the_frozen_facts_the_code_and_the_verify_url(engine, session):
    _c, lessons, questions, client = _quiz_world(session)
    _finish(session, client, lessons, questions, T0 + timedelta(days=1))
    row = session.exec(select(Certificate)).one()
    data = certificates.certificate_pdf_bytes(session, row=row, lang="es",
                                              base_url="https://portal.example/")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    for expected in (row.client_name, "Calm Mind", "Certificado de finalización",
                     certificates.display_code(row.code),
                     f"https://portal.example/verify/{row.code}"):
        assert expected in text, expected
