"""The console's progress CSV: staff session required (403), an unknown course 404,
one row per student and one column per lesson, the next unlock in ISO 8601 on the
student's clock, formulas defused, an attachment in the staff member's language."""

import csv
import io
import warnings
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import Enrolment
from portal_app.api.course_progress_routes import (
    console_course_progress_csv,
    course_progress_routes,
)
from portal_app.services.courses.progress_csv import safe_cell
from portal_app.services.sessions import COOKIE_NAME
from tests import factories
from tests.api.test_billing_routes import client_token, staff_token
from tests.unit import course_progress_helpers as h

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


@pytest.fixture
def http():
    app = Starlette(routes=course_progress_routes())

    def get(path, *, token=None):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        return TestClient(app, raise_server_exceptions=False).get(path, headers=headers)

    return get


@pytest.fixture
def world(engine, session):
    factories.business(session, timezone="America/New_York")
    staff = factories.staff(session)
    course, lessons = h.course(session, title="Calm Mind")
    lessons[0].title = "=HYPERLINK(\"http://evil\")"
    session.add(lessons[0])
    start = h.utc(2026, 12, 1, 15)
    ana = h.student(session, course, name="@Ana", starts_at=start, timezone="Europe/Madrid")
    session.add(Enrolment(course_id=course.id, client_id=ana.id, started_at=start))
    h.complete(session, ana, lessons[0])
    h.certificate(session, ana, course, code="CM-1")
    acc, (client,) = factories.household(session, names=("Client",))
    tokens = {"staff": staff_token(session, staff.id),
              "client": client_token(session, acc.id, client.id)}
    session.commit()
    return {"course": course, "lessons": lessons, "tokens": tokens, "staff": staff,
            "start": start}


def test_staff_download_the_progress_csv(http, world, session, monkeypatch):
    monkeypatch.setattr("portal_app.services.courses.roster.utcnow",
                        lambda: world["start"] + timedelta(days=2))
    response = http(console_course_progress_csv(world["course"].id),
                    token=world["tokens"]["staff"])

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="progress-calm-mind-{world["course"].id}.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Student", "'=HYPERLINK(\"http://evil\")", "Lesson 1.2", "Lesson 2.1",
                       "% complete", "Next unlock", "Time zone", "Certificate"]
    # Day 0 is Dec 1 in Madrid: module 2 opens Dec 8 at 08:00 Madrid time.
    assert rows[1] == ["'@Ana", "Complete", "Unlocked", "Locked", "33",
                       "2026-12-08T08:00:00+01:00", "Europe/Madrid", "CM-1"]
    assert len(rows) == 2


def test_the_csv_speaks_the_staff_members_language(http, world, session):
    world["staff"].language = "es"
    session.add(world["staff"])
    session.commit()
    response = http(console_course_progress_csv(world["course"].id),
                    token=world["tokens"]["staff"])
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[0] == "Alumno" and header[-1] == "Certificado"


def test_no_staff_session_is_403_and_no_course_404(http, world):
    path = console_course_progress_csv(world["course"].id)
    assert http(path).status_code == 403
    assert http(path, token=world["tokens"]["client"]).status_code == 403
    assert http(console_course_progress_csv(99999),
                token=world["tokens"]["staff"]).status_code == 404


def test_safe_cell_defuses_every_formula_start():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Ana") == "Ana" and safe_cell(None) == "" and safe_cell(42) == "42"
