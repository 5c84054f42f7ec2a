"""The hub's settings (apps on/off, the landing app, several records per email),
where a client lands after sign-in, and the shell's one statement telling which
grant-needing apps the record may open now."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import AuditEvent, GrantKind, GrantSource
from models.base import utcnow
from portal_app import apps, routes
from portal_app.services.errors import ServiceError
from portal_app.services.hub import entitlements
from portal_app.services.hub.settings import (
    after_sign_in,
    landing_app_key,
    landing_path,
    update_hub_settings,
)
from portal_app.services.shell import shell_facts
from tests import factories
from tests.sql import statements_of


def _grant(session, client, **kw):
    return entitlements.grant(session, client_id=client.id, kind=kw.pop("kind", GrantKind.APP),
                              app_key=apps.COURSES, source=GrantSource.STAFF, **kw)


def test_hub_settings_save_apps_landing_and_several_records(session):
    business = factories.business(session)
    staff = factories.staff(session)
    saved = update_hub_settings(session, staff_id=staff.id, form={
        "app_courses": "on", "app_unknown": "on", "landing_app": "courses",
        "allow_several_records_per_email": "on"})
    assert (saved.apps_enabled, saved.landing_app, saved.allow_several_records_per_email) == (
        ["courses"], "courses", True)
    audit = session.exec(select(AuditEvent).where(
        AuditEvent.action == "business.hub_settings")).all()
    assert len(audit) == 1 and audit[0].actor_id == staff.id
    # Saving the same again writes no second audit row.
    update_hub_settings(session, staff_id=staff.id, form={
        "app_courses": "on", "landing_app": "courses", "allow_several_records_per_email": "on"})
    assert len(session.exec(select(AuditEvent).where(
        AuditEvent.action == "business.hub_settings")).all()) == 1
    assert business.apps_enabled == ["courses"]


@pytest.mark.parametrize(("form", "field"), [
    ({"landing_app": "courses"}, "landing_app"),  # an app that is off cannot be the landing
    ({"landing_app": "elsewhere", "app_courses": "on"}, "landing_app"),
])
def test_hub_settings_refuse_a_landing_app_that_is_off_or_unknown_and_change_nothing(
        session, form, field):
    business = factories.business(session, apps_enabled=["courses"], landing_app="portal")
    staff = factories.staff(session)
    with pytest.raises(ServiceError) as refused:
        update_hub_settings(session, staff_id=staff.id, form=form)
    assert refused.value.field == field
    assert (business.apps_enabled, business.landing_app) == (["courses"], "portal")


def test_landing_is_the_app_when_the_client_may_use_it_else_the_dashboard(session):
    business = factories.business(session, apps_enabled=["courses"], landing_app="courses")
    _account, (client,) = factories.household(session, access="active")
    assert landing_path(session, business=business, client_id=client.id) == routes.DASHBOARD
    row = _grant(session, client)
    assert landing_path(session, business=business, client_id=client.id) == routes.COURSES
    entitlements.revoke_grant(session, grant_id=row.id, staff_id=None)
    assert landing_path(session, business=business, client_id=client.id) == routes.DASHBOARD
    # An app the business turned off afterwards is not a landing any more.
    entitlements.restore_grant(session, grant_id=row.id, staff_id=None)
    business.apps_enabled = []
    assert landing_app_key(business) == apps.PORTAL
    assert landing_path(session, business=business, client_id=client.id) == routes.DASHBOARD
    assert landing_path(session, business=business, client_id=None) == routes.DASHBOARD


def test_after_sign_in_lands_one_record_on_its_app_and_several_on_the_picker(session):
    factories.business(session, apps_enabled=["courses"], landing_app="courses")
    account, (client,) = factories.household(session, access="active")
    _grant(session, client)
    assert after_sign_in(session, account_id=account.id, record_count=1) == routes.COURSES
    two, _records = factories.household(session, names=("A", "B"), access="active")
    assert after_sign_in(session, account_id=two.id, record_count=2) == routes.SELECT_ACCOUNT


def test_shell_reads_the_granted_apps_in_its_one_statement(session):
    factories.business(session, apps_enabled=["courses"])
    _account, (client,) = factories.household(session, access="active")
    facts, sent = None, []

    def work():
        nonlocal facts
        facts = shell_facts(session, client_id=client.id, messaging=True,
                            apps=(apps.COURSES,))

    sent = statements_of(session.get_bind(), work)
    assert len(sent) == 1 and facts.granted == frozenset()
    row = _grant(session, client, kind=GrantKind.COURSE, target_id=7)
    assert shell_facts(session, client_id=client.id, messaging=False,
                       apps=(apps.COURSES,)).granted == {apps.COURSES}
    sent = statements_of(session.get_bind(), work)
    assert len(sent) == 1 and facts.granted == {apps.COURSES} and facts.messages == 0
    entitlements.revoke_grant(session, grant_id=row.id, staff_id=None)
    assert shell_facts(session, client_id=client.id, messaging=True,
                       apps=(apps.COURSES,)).granted == frozenset()


def test_shell_counts_an_ended_or_future_grant_as_not_granted(session):
    factories.business(session, apps_enabled=["courses"])
    _account, (client,) = factories.household(session, access="active")
    now = utcnow()
    _grant(session, client, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=1))
    _grant(session, client, starts_at=now + timedelta(days=1))
    assert shell_facts(session, client_id=client.id, messaging=False,
                       apps=(apps.COURSES,)).granted == frozenset()
    # The moment is a parameter: tomorrow the future grant is open.
    assert shell_facts(session, client_id=client.id, messaging=False, apps=(apps.COURSES,),
                       now=now + timedelta(days=2)).granted == {apps.COURSES}
    # Another record's grant opens nothing here.
    _other, (someone,) = factories.household(session, access="active")
    assert shell_facts(session, client_id=someone.id, messaging=False, apps=(apps.COURSES,),
                       now=now + timedelta(days=2)).granted == frozenset()
