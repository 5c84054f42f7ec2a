"""Console hub screens: Portal settings → Apps (refusals beside the section, nothing
changed), and a client's "Apps & access" (give, end with a reason, restore; another
client's grant id is refused as not found; the client's open tabs follow)."""

import re
from datetime import date, timedelta

from sqlmodel import select

from models import AuditEvent, Entitlement, GrantKind, GrantSource
from models.courses import Course
from portal_app import apps
from portal_app.services.business import get_business
from portal_app.services.hub import entitlements
from state.console_client_apps import ClientAppsState
from state.console_hub_settings import HubSettingsState
from tests import factories
from tests.state.harness import call, new_tab, substate, tab_at
from tests.state.test_console_client import _staff_token


def _grants(session, client_id):
    session.expire_all()
    return session.exec(select(Entitlement).where(Entitlement.client_id == client_id)
                        .order_by(Entitlement.id)).all()


def test_hub_settings_save_and_refuse_beside_the_section(engine, session):
    factories.business(session)
    root = new_tab(_staff_token(session))
    call(root, HubSettingsState, "load")
    view = substate(root, HubSettingsState)
    assert (view.apps_on, view.landing_app, view.several_records) == (
        {"courses": False, "referrals": False, "community": False}, "portal", False)
    call(root, HubSettingsState, "save_hub", {"landing_app": "courses"})
    assert view.hub_error and view.landing_app == "portal"
    assert get_business(session).landing_app == "portal"
    call(root, HubSettingsState, "save_hub", {"app_courses": "on", "landing_app": "courses",
                                              "allow_several_records_per_email": "on"})
    session.expire_all()
    business = get_business(session)
    assert (business.apps_enabled, business.landing_app,
            business.allow_several_records_per_email) == (["courses"], "courses", True)
    assert view.hub_error == "" and view.apps_on == {"courses": True, "referrals": False,
                                                     "community": False}


def test_hub_settings_refuse_a_signed_out_caller(engine, session):
    factories.business(session)
    assert "/console/login" in repr(call(new_tab(None), HubSettingsState, "save_hub",
                                         {"app_courses": "on"}))
    assert get_business(session).apps_enabled == []


def _course(session, title="Calm Mind"):
    course = Course(title=title)
    session.add(course)
    session.commit()
    return course


def test_staff_give_end_and_restore_access_on_the_client_page(engine, session):
    factories.business(session, apps_enabled=["courses"], timezone="America/New_York")
    _, (alex,) = factories.household(session, names=("Alex",), access="active")
    course = _course(session)
    root = tab_at(_staff_token(session), f"/console/client?id={alex.id}")
    call(root, ClientAppsState, "load")
    view = substate(root, ClientAppsState)
    assert view.grant_rows == [] and view.courses_on is True
    assert [t["label"] for t in view.targets] == ["Courses (everything)", "Calm Mind",
                                                  "Community (everything)"]

    last = (date.today() + timedelta(days=30)).isoformat()
    call(root, ClientAppsState, "give_access", {"target": str(course.id), "ends": last})
    (row,) = _grants(session, alex.id)
    assert (row.kind, row.target_id, row.source, row.granted_by_staff_id is not None) == (
        GrantKind.COURSE, course.id, GrantSource.STAFF, True)
    assert row.ends_at is not None
    (shown,) = view.grant_rows
    assert (shown["what"], shown["state"], shown["source"]) == (
        "Calm Mind", "active", "Given by staff")
    # The last day ends at midnight in the staff's zone (the business's here), zone named.
    assert re.search(r", 12:00\sAM E[SD]T$", shown["end"]), shown["end"]

    # The same access twice is refused beside the field.
    call(root, ClientAppsState, "give_access", {"target": str(course.id)})
    assert view.errors["target"] and len(_grants(session, alex.id)) == 1

    call(root, ClientAppsState, "ask_end", str(row.id))
    assert (view.ending, view.ending_what) == (str(row.id), "Calm Mind")
    call(root, ClientAppsState, "end_access", {"reason": "  asked to pause "})
    assert view.ending == ""
    (row,) = _grants(session, alex.id)
    assert row.revoked_at is not None and row.revoke_reason == "asked to pause"
    assert view.grant_rows[0]["state"] == "revoked"
    assert not entitlements.has_content(session, client_id=alex.id, kind=GrantKind.COURSE,
                                        target_id=course.id, app_key=apps.COURSES)
    call(root, ClientAppsState, "restore_access", str(row.id))
    (row,) = _grants(session, alex.id)
    assert row.revoked_at is None and view.grant_rows[0]["state"] == "active"
    actions = session.exec(select(AuditEvent.action).where(
        AuditEvent.client_id == alex.id, AuditEvent.action.like("entitlement.%"))).all()
    assert sorted(actions) == ["entitlement.granted", "entitlement.restored",
                               "entitlement.revoked"]


def test_give_access_refuses_bad_input_beside_the_field_and_changes_nothing(engine, session):
    factories.business(session, apps_enabled=["courses"])
    _, (alex,) = factories.household(session, names=("Alex",), access="active")
    root = tab_at(_staff_token(session), f"/console/client?id={alex.id}")
    call(root, ClientAppsState, "load")
    view = substate(root, ClientAppsState)
    for form, field in (({"target": "999999"}, "target"), ({"target": ""}, "target"),
                        ({"target": "app", "ends": "not a day"}, "ends"),
                        ({"target": "app", "ends": "2001-01-01"}, "ends")):
        call(root, ClientAppsState, "give_access", form)
        assert view.errors[field], form
    assert _grants(session, alex.id) == []
    call(root, ClientAppsState, "give_access", {"target": "app"})
    (row,) = _grants(session, alex.id)
    assert row.kind == GrantKind.APP and row.ends_at is None
    assert view.grant_rows[0]["what"] == "Courses (everything)"


def test_another_clients_grant_cannot_be_ended_or_restored_from_this_page(engine, session):
    factories.business(session, apps_enabled=["courses"])
    _, (alex,) = factories.household(session, names=("Alex",), access="active")
    _, (blair,) = factories.household(session, names=("Blair",), access="active")
    theirs = entitlements.grant(session, client_id=blair.id, kind=GrantKind.APP,
                                app_key=apps.COURSES, source=GrantSource.STAFF)
    session.commit()
    root = tab_at(_staff_token(session), f"/console/client?id={alex.id}")
    call(root, ClientAppsState, "load")
    # The dialog opens only for a row shown; a forged id in the var is still checked.
    call(root, ClientAppsState, "ask_end", str(theirs.id))
    assert substate(root, ClientAppsState).ending == ""
    substate(root, ClientAppsState).ending = str(theirs.id)
    refused = repr(call(root, ClientAppsState, "end_access", {}))
    assert "That grant does not exist." in refused
    (row,) = _grants(session, blair.id)
    assert row.revoked_at is None
    entitlements.revoke_grant(session, grant_id=theirs.id, staff_id=None)
    session.commit()
    assert "That grant does not exist." in repr(
        call(root, ClientAppsState, "restore_access", str(theirs.id)))
    (row,) = _grants(session, blair.id)
    assert row.revoked_at is not None
    # Garbage ids are the same "not found".
    substate(root, ClientAppsState).ending = "x'; drop"
    assert "That grant does not exist." in repr(call(root, ClientAppsState, "end_access", {}))
