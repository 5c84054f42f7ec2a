"""Console → Community groups: create (with its two channels), settings and
moderation rules (every bad field beside it), archive, the list's counts in
constant statements, the app switch; every write audited."""

import pytest
from sqlmodel import select

from models import (
    ChannelKind,
    CommunityChannel,
    ContentReport,
    ContentStatus,
    MemberStatus,
    Post,
)
from portal_app import apps
from portal_app.services.business import get_business
from portal_app.services.community import access, groups_admin
from portal_app.services.community.groups_admin import FieldErrors
from portal_app.services.errors import NotFound, ServiceError
from tests.sql import statements_of
from tests.unit.community_admin_helpers import actions, member, world

GOOD = {"name": "Morning Circle", "description": "Hello", "visibility": "private",
        "hold_first_posts": "2", "report_threshold": "4", "held_words": "Spam, scam\nspam",
        "link_rule": "hold"}


@pytest.fixture
def w(session):
    return world(session)


def test_create_group_makes_feed_and_announcements_and_is_audited(session, w):
    channels = session.exec(select(CommunityChannel).where(
        CommunityChannel.group_id == w["group"].id).order_by(CommunityChannel.position)).all()
    assert [(c.name, c.kind) for c in channels] == [
        ("Feed", ChannelKind.FEED), ("Announcements", ChannelKind.ANNOUNCEMENTS)]
    assert actions(session) == ["community.group_created"]


def test_create_group_reports_every_bad_field_when_all_are_wrong(session, w):
    with pytest.raises(FieldErrors) as err:
        groups_admin.create_group(session, staff_id=w["staff"].id, form={
            "name": "x", "description": "d" * 2001, "visibility": "secret"})
    assert err.value.errors == {"name": groups_admin.NAME_SIZE,
                                "description": groups_admin.DESCRIPTION_SIZE,
                                "visibility": groups_admin.VISIBILITY}


def test_update_group_saves_settings_and_cleans_held_words(session, w):
    g = groups_admin.update_group(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                  form=GOOD)
    assert (g.visibility, g.hold_first_posts, g.report_threshold, g.link_rule) == (
        "private", 2, 4, "hold")
    assert g.held_words == ["spam", "scam"]
    assert actions(session)[-1] == "community.group_updated"


@pytest.mark.parametrize("field,value,message", [
    ("hold_first_posts", "51", groups_admin.HOLD_FIRST),
    ("hold_first_posts", "-1", groups_admin.HOLD_FIRST),
    ("report_threshold", "0", groups_admin.THRESHOLD),
    ("report_threshold", "101", groups_admin.THRESHOLD),
    ("link_rule", "maybe", groups_admin.LINK_RULE),
    ("held_words", "x" * 41, "Use at most 40 characters per word."),
    ("name", " ", groups_admin.NAME_SIZE),
])
def test_update_group_refuses_a_bad_field_beside_it_and_saves_nothing(
        session, w, field, value, message):
    with pytest.raises(FieldErrors) as err:
        groups_admin.update_group(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                  form={**GOOD, field: value})
    assert err.value.errors == {field: message}
    session.rollback()
    assert session.get(type(w["group"]), w["group"].id).visibility == "open"


def test_unknown_group_is_not_found(session, w):
    with pytest.raises(NotFound):
        groups_admin.update_group(session, staff_id=w["staff"].id, group_id="999", form=GOOD)


def test_archived_group_shuts_its_members_out_until_restored(session, w):
    member(session, w["group"], w["alice"])
    groups_admin.set_archived(session, staff_id=w["staff"].id, group_id=w["group"].id,
                              archived=True)
    with pytest.raises(NotFound):
        access.member_context(session, client_id=w["alice"].id, group_id=w["group"].id)
    groups_admin.set_archived(session, staff_id=w["staff"].id, group_id=w["group"].id,
                              archived=False)
    ctx = access.member_context(session, client_id=w["alice"].id, group_id=w["group"].id)
    assert ctx.group.id == w["group"].id
    assert actions(session)[-2:] == ["community.group_archived", "community.group_restored"]


def test_list_groups_counts_members_requests_and_waiting_content(session, w, engine):
    g = w["group"]
    member(session, g, w["alice"])
    member(session, g, w["bob"], MemberStatus.REQUESTED)
    member(session, g, w["carol"], MemberStatus.BANNED)
    feed = session.exec(select(CommunityChannel).where(CommunityChannel.group_id == g.id)).first()
    held = Post(group_id=g.id, channel_id=feed.id, author_client_id=w["alice"].id, title="a",
                status=ContentStatus.HELD)
    shown = Post(group_id=g.id, channel_id=feed.id, author_client_id=w["alice"].id, title="b")
    session.add_all([held, shown])
    session.flush()
    session.add(ContentReport(group_id=g.id, post_id=shown.id, target=f"p{shown.id}",
                              reporter_client_id=w["bob"].id))
    session.commit()
    (row,) = groups_admin.list_groups(session)
    assert (row.members, row.requests, row.waiting) == (1, 1, 2)
    few = len(statements_of(engine, lambda: groups_admin.list_groups(session)))
    for n in range(3):
        groups_admin.create_group(session, staff_id=w["staff"].id,
                                  form={"name": f"Group {n}", "visibility": "open"})
    session.commit()
    assert len(statements_of(engine, lambda: groups_admin.list_groups(session))) == few


def test_app_switch_turns_community_on_and_opens_it_to_everyone(session, w):
    staff = w["staff"].id
    assert groups_admin.app_switch(session) == (True, False)
    assert groups_admin.set_app(session, staff_id=staff, on=True, open_to_all=True)
    assert groups_admin.app_switch(session) == (True, True)
    assert not groups_admin.set_app(session, staff_id=staff, on=True, open_to_all=True)
    groups_admin.set_app(session, staff_id=staff, on=False, open_to_all=False)
    business = get_business(session)
    assert apps.COMMUNITY not in business.apps_enabled
    assert apps.COMMUNITY not in business.apps_open
    assert actions(session)[-3:] == ["community.app_opened", "community.app_off",
                                      "community.app_closed"]


def test_app_switch_refuses_turning_off_the_landing_app(session, w):
    business = get_business(session)
    business.landing_app = apps.COMMUNITY
    session.add(business)
    session.commit()
    with pytest.raises(ServiceError) as err:
        groups_admin.set_app(session, staff_id=w["staff"].id, on=False, open_to_all=False)
    assert err.value.field == "app_on"


def test_update_group_keeps_the_fields_it_was_not_sent(session, w):
    groups_admin.update_group(session, staff_id=w["staff"].id, group_id=w["group"].id,
                              form=GOOD)
    g = groups_admin.update_group(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                  form={"name": "Evening Circle"})
    assert (g.name, g.visibility, g.hold_first_posts, g.held_words, g.link_rule) == (
        "Evening Circle", "private", 2, ["spam", "scam"], "hold")
