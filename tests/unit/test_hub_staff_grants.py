"""Staff grants (console → client → Apps & access): the last day ends at midnight in
the staff member's zone (DST included), the rows carry course titles and a state
(active / starts later / ended / revoked), read in two statements."""

from datetime import UTC, date, datetime, timedelta

import pytest

from models import GrantKind, GrantSource
from models.base import utcnow
from models.courses import Course
from portal_app import apps
from portal_app.services.errors import ServiceError
from portal_app.services.hub import entitlements, staff_grants
from tests import factories
from tests.sql import statements_of


def test_the_last_day_ends_at_local_midnight_through_a_dst_change():
    # 2030-03-10: New York springs forward; the day after ends at 04:00 UTC, not 05:00.
    assert staff_grants.end_of_day(date(2030, 3, 9), "America/New_York") == datetime(
        2030, 3, 10, 5, 0, tzinfo=UTC)
    assert staff_grants.end_of_day(date(2030, 3, 10), "America/New_York") == datetime(
        2030, 3, 11, 4, 0, tzinfo=UTC)
    assert staff_grants.end_of_day(date(2030, 3, 10), "Not/AZone") == datetime(
        2030, 3, 11, 0, 0, tzinfo=UTC)


def test_a_past_last_day_is_refused():
    now = datetime(2030, 3, 10, 12, 0, tzinfo=UTC)
    with pytest.raises(ServiceError) as refused:
        staff_grants.parse_last_day("2030-03-09", "UTC", now)
    assert refused.value.field == "ends"
    assert staff_grants.parse_last_day("2030-03-10", "UTC", now) == datetime(
        2030, 3, 11, tzinfo=UTC)
    assert staff_grants.parse_last_day("", "UTC", now) is None


def test_rows_carry_titles_and_states_in_two_statements(session):
    factories.business(session, apps_enabled=["courses"])
    staff = factories.staff(session)
    _, (alex,) = factories.household(session, names=("Alex",))
    courses = [Course(title=f"Course {n}") for n in range(3)]
    session.add_all(courses)
    session.flush()
    now = utcnow()
    for course in courses:
        staff_grants.give_access(session, staff_id=staff.id, client_id=alex.id,
                                 target=str(course.id))
    ended = entitlements.grant(session, client_id=alex.id, kind=GrantKind.APP,
                               app_key=apps.COURSES, source=GrantSource.PURCHASE,
                               starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=1))
    later = entitlements.grant(session, client_id=alex.id, kind=GrantKind.APP,
                               app_key=apps.COURSES, source=GrantSource.OFFER,
                               starts_at=now + timedelta(days=2))
    entitlements.revoke_grant(session, grant_id=ended.id, staff_id=staff.id)
    rows = []
    sent = statements_of(session.get_bind(), lambda: rows.extend(
        staff_grants.list_grant_rows(session, client_id=alex.id)))
    assert len(sent) == 2
    by_id = {r.id: r for r in rows}
    assert (by_id[ended.id].state, by_id[later.id].state) == ("revoked", "scheduled")
    assert sorted(r.what for r in rows if r.kind == GrantKind.COURSE) == [
        "Course 0", "Course 1", "Course 2"]
    assert all(r.state == "active" for r in rows if r.kind == GrantKind.COURSE)
    # An ended (not revoked) grant reads "ended".
    assert staff_grants.grant_state(ended, now) == "revoked"
    ended.revoked_at = None
    assert staff_grants.grant_state(ended, now) == "ended"


def test_a_scheduled_grant_blocks_a_duplicate_but_an_ended_one_does_not(session):
    factories.business(session, apps_enabled=["courses"])
    staff = factories.staff(session)
    _, (alex,) = factories.household(session, names=("Alex",))
    now = utcnow()
    entitlements.grant(session, client_id=alex.id, kind=GrantKind.APP, app_key=apps.COURSES,
                       source=GrantSource.PURCHASE, starts_at=now - timedelta(days=9),
                       ends_at=now - timedelta(days=1))
    row = staff_grants.give_access(session, staff_id=staff.id, client_id=alex.id, target="app")
    assert row.granted_by_staff_id == staff.id and row.source == GrantSource.STAFF
    with pytest.raises(ServiceError, match="already has"):
        staff_grants.give_access(session, staff_id=staff.id, client_id=alex.id, target="app")
