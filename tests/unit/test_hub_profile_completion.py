"""Profile completion (seed 002): an app asks for exactly the fields the record
lacks, once; the display name is 2–40 characters, trimmed; `next` is a path of ours
only. Courses asks for nothing, Community for a display name; a test app asks for a
display name and a mobile."""

import pytest
from sqlmodel import select

from models import AuditEvent
from portal_app import apps, routes
from portal_app.services.errors import ServiceError
from portal_app.services.hub.profile_completion import (
    clean_display_name,
    complete_profile,
    completion_url,
    missing_for_app,
    safe_next,
)
from portal_app.services.profile import ProfileErrors
from tests import factories

TEST_APP = apps.AppSpec("testapp", "Test app", "users", "/testapp", needs_grant=True,
                        profile_fields=("display_name", "mobile"))


@pytest.fixture
def with_test_app(monkeypatch):
    monkeypatch.setattr(apps, "APPS", (*apps.APPS, TEST_APP))
    return TEST_APP


def test_courses_asks_for_nothing_and_costs_no_query(session):
    _account, (client,) = factories.household(session)
    assert apps.get_app(apps.COURSES).profile_fields == ()
    assert apps.get_app(apps.COMMUNITY).profile_fields == ("display_name",)
    assert missing_for_app(session, client_id=client.id, app_key=apps.COURSES) == ()


def test_an_app_asks_for_the_fields_the_record_lacks_only(session, with_test_app):
    _account, (client,) = factories.household(session, mobile="+1 555 010 0200")
    assert missing_for_app(session, client_id=client.id, app_key="testapp") == (
        "display_name",)
    client.mobile = ""
    assert missing_for_app(session, client_id=client.id, app_key="testapp") == (
        "display_name", "mobile")


def test_completing_saves_the_missing_fields_once_and_is_audited(session, with_test_app):
    account, (client,) = factories.household(session, mobile="+1 555 010 0200")
    complete_profile(session, client_id=client.id, app_key="testapp", account_id=account.id,
                     form={"display_name": "   Sam    the  Calm ", "mobile": "+44 20 0000 0000"})
    # Only what was missing is saved: the mobile on file is not changed here.
    assert (client.display_name, client.mobile) == ("Sam the Calm", "+1 555 010 0200")
    assert missing_for_app(session, client_id=client.id, app_key="testapp") == ()
    rows = session.exec(select(AuditEvent).where(
        AuditEvent.action == "client.profile_completed")).all()
    assert [(r.client_id, r.detail["fields"]) for r in rows] == [(client.id, "display_name")]
    # Once: nothing is asked or written again.
    complete_profile(session, client_id=client.id, app_key="testapp", form={})
    assert len(session.exec(select(AuditEvent).where(
        AuditEvent.action == "client.profile_completed")).all()) == 1


def test_every_bad_field_is_reported_together_and_nothing_is_saved(session, with_test_app):
    _account, (client,) = factories.household(session)
    with pytest.raises(ProfileErrors) as refused:
        complete_profile(session, client_id=client.id, app_key="testapp",
                         form={"display_name": " x ", "mobile": ""})
    assert set(refused.value.errors) == {"display_name", "mobile"}
    assert (client.display_name, client.mobile) == ("", "")


@pytest.mark.parametrize(("raw", "ok"), [
    ("Al", "Al"), ("  Al  ", "Al"), ("a" * 40, "a" * 40), ("Ana  María", "Ana María"),
])
def test_display_name_accepts_2_to_40_characters_trimmed(raw, ok):
    assert clean_display_name(raw) == ok


@pytest.mark.parametrize("raw", ["", " A ", "a" * 41, "ab\u0007c"])
def test_display_name_refuses_too_short_too_long_or_control_characters(raw):
    with pytest.raises(ServiceError) as refused:
        clean_display_name(raw)
    assert refused.value.field == "display_name"


def test_an_unknown_app_is_refused(session):
    _account, (client,) = factories.household(session)
    with pytest.raises(ServiceError):
        complete_profile(session, client_id=client.id, app_key="nope", form={})


@pytest.mark.parametrize(("raw", "expected"), [
    ("/courses", "/courses"),
    ("/courses/lesson?id=3", "/courses/lesson?id=3"),
    ("https://evil.test/", routes.DASHBOARD),
    ("//evil.test/x", routes.DASHBOARD),
    ("/\\evil.test", routes.DASHBOARD),
    ("javascript:alert(1)", routes.DASHBOARD),
    ("courses", routes.DASHBOARD),
    ("/ok\nSet-Cookie: x", routes.DASHBOARD),
    (routes.PROFILE_COMPLETION + "?app=courses", routes.DASHBOARD),
    ("", routes.DASHBOARD),
    (None, routes.DASHBOARD),
])
def test_next_is_a_path_of_ours_only(raw, expected):
    assert safe_next(raw) == expected


def test_completion_url_carries_the_app_and_a_quoted_safe_next():
    assert completion_url("courses", "/courses/lesson?id=3&x=1") == (
        routes.PROFILE_COMPLETION + "?app=courses&next=%2Fcourses%2Flesson%3Fid%3D3%26x%3D1")
    assert completion_url("courses", "https://evil.test").endswith("next=%2Fdashboard")
