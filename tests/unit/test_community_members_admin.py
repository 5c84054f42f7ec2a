"""Console → Community members: the list (search, paged, constant statements),
remove, ban (access refused at the next action), unban (removed: may rejoin),
mute (may read, may not post) and unmute, and "Add a client" (a staff grant: a
member at once); every change audited."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import Entitlement, GrantKind, GrantSource, MemberStatus
from models.base import utcnow
from portal_app import apps
from portal_app.services.community import access, groups_admin, members_admin
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.sql import statements_of
from tests.unit.community_admin_helpers import actions, member, world


@pytest.fixture
def w(session):
    return world(session)


def _kw(w, m):
    return {"staff_id": w["staff"].id, "group_id": w["group"].id, "member_id": m.id}


def test_list_members_searches_pages_and_leaves_requests_out(session, w, engine):
    g = w["group"]
    member(session, g, w["alice"])
    member(session, g, w["bob"], MemberStatus.BANNED)
    member(session, g, w["carol"], MemberStatus.REQUESTED)
    found = members_admin.list_members(session, group_id=g.id)
    assert [r.name.split()[0] for r in found.rows] == ["Alice", "Bob"]
    assert [r.name.split()[0] for r in members_admin.list_members(session, group_id=g.id,
                                                       search="ali").rows] == ["Alice"]
    assert [r.name.split()[0] for r in members_admin.list_members(session, group_id=g.id,
                                                       status="banned").rows] == ["Bob"]
    page = members_admin.list_members(session, group_id=g.id, per_page=1, page=2)
    assert (page.total, page.pages, [r.name.split()[0] for r in page.rows]) == (2, 2, ["Bob"])
    few = len(statements_of(engine, lambda: members_admin.list_members(session, group_id=g.id)))
    for n in range(4):
        _acc, (c,) = factories.household(session, names=(f"Zed{n}",))
        member(session, g, c)
    assert len(statements_of(
        engine, lambda: members_admin.list_members(session, group_id=g.id))) == few


def test_remove_needs_a_reason_and_shuts_the_member_out(session, w):
    m = member(session, w["group"], w["alice"])
    with pytest.raises(ServiceError) as err:
        members_admin.remove_member(session, reason="  ", **_kw(w, m))
    assert err.value.field == "reason"
    members_admin.remove_member(session, reason="Off topic", **_kw(w, m))
    with pytest.raises(NotFound):
        access.member_context(session, client_id=w["alice"].id, group_id=w["group"].id)
    assert actions(session)[-1] == "community.member_removed"


def test_ban_refuses_access_even_with_a_grant_and_unban_leaves_them_removed(session, w):
    g = w["group"]
    m = members_admin.add_member(session, staff_id=w["staff"].id, group_id=g.id,
                                 client_id=w["alice"].id)
    members_admin.ban_member(session, reason="Spam", **_kw(w, m))
    with pytest.raises(NotAllowed) as err:
        access.member_context(session, client_id=w["alice"].id, group_id=g.id)
    assert err.value.message == access.BANNED
    with pytest.raises(ServiceError) as err:
        members_admin.add_member(session, staff_id=w["staff"].id, group_id=g.id,
                                 client_id=w["alice"].id)
    assert err.value.message == members_admin.BANNED_FIRST
    members_admin.unban_member(session, **_kw(w, m))
    assert m.status == MemberStatus.REMOVED
    with pytest.raises(ServiceError):
        members_admin.unban_member(session, **_kw(w, m))
    assert actions(session)[-2:] == ["community.member_banned", "community.member_unbanned"]


def test_mute_lets_a_member_read_but_not_post_until_unmuted(session, w):
    g = w["group"]
    m = member(session, g, w["alice"])
    members_admin.mute_member(session, period="1d", **_kw(w, m))
    ctx = access.member_context(session, client_id=w["alice"].id, group_id=g.id)
    with pytest.raises(NotAllowed):
        access.require_participant(ctx)
    assert timedelta(hours=23) < m.muted_until - utcnow() <= timedelta(days=1)
    members_admin.unmute_member(session, **_kw(w, m))
    access.require_participant(access.member_context(session, client_id=w["alice"].id,
                                                     group_id=g.id))
    assert actions(session)[-2:] == ["community.member_muted", "community.member_unmuted"]


def test_mute_until_a_day_ends_that_day_in_the_zone(session, w):
    m = member(session, w["group"], w["alice"])
    day = (utcnow() + timedelta(days=3)).date()
    members_admin.mute_member(session, period="until", until_day=day.isoformat(),
                              zone="America/New_York", **_kw(w, m))
    local = m.muted_until.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert (local.date(), local.hour) == (day + timedelta(days=1), 0)


@pytest.mark.parametrize("period,until,field", [
    ("2y", "", "period"), ("until", "soon", "until"), ("until", "2001-01-01", "until")])
def test_mute_refuses_a_bad_period_beside_it(session, w, period, until, field):
    m = member(session, w["group"], w["alice"])
    with pytest.raises(ServiceError) as err:
        members_admin.mute_member(session, period=period, until_day=until, **_kw(w, m))
    assert err.value.field == field


def test_add_client_to_an_entitled_group_makes_a_staff_grant_and_a_member_at_once(session, w):
    g = groups_admin.update_group(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                  form={"name": "Morning Circle", "visibility": "entitled"})
    m = members_admin.add_member(session, staff_id=w["staff"].id, group_id=g.id,
                                 client_id=w["bob"].id)
    assert m.status == MemberStatus.ACTIVE and m.joined_at is not None
    grant = session.exec(select(Entitlement).where(Entitlement.client_id == w["bob"].id)).one()
    assert (grant.kind, grant.app_key, grant.target_id, grant.source, grant.granted_by_staff_id
            ) == (GrantKind.GROUP, apps.COMMUNITY, g.id, GrantSource.STAFF, w["staff"].id)
    assert access.member_context(session, client_id=w["bob"].id, group_id=g.id).member.id == m.id
    with pytest.raises(ServiceError) as err:
        members_admin.add_member(session, staff_id=w["staff"].id, group_id=g.id,
                                 client_id=w["bob"].id)
    assert err.value.message == members_admin.ALREADY


def test_add_client_brings_a_removed_member_back(session, w):
    m = member(session, w["group"], w["alice"], MemberStatus.REMOVED)
    back = members_admin.add_member(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                    client_id=w["alice"].id)
    assert (back.id, back.status) == (m.id, MemberStatus.ACTIVE)


def test_another_groups_member_or_an_unknown_client_is_not_found(session, w):
    other = groups_admin.create_group(session, staff_id=w["staff"].id,
                                      form={"name": "Other", "visibility": "open"})
    theirs = member(session, other, w["alice"])
    with pytest.raises(NotFound):
        members_admin.ban_member(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                 member_id=theirs.id, reason="x")
    with pytest.raises(NotFound):
        members_admin.add_member(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                 client_id="99999")
