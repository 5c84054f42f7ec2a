"""The console's Community pages hold on the server: staff only (a client's token
or none is sent to the console sign-in and changes nothing); bad fields come back
beside them; approving a request, banning a member and switching the app push
the change to the open tabs after the commit."""

import pytest
from sqlmodel import select

from models import AuditEvent, CommunityGroup, GroupMember, MemberStatus, Notification
from portal_app import apps, live
from portal_app.services.business import get_business
from portal_app.services.community import access
from portal_app.services.errors import NotAllowed
from state.console_community.group import ConsoleGroupState as G
from state.console_community.group_members import ConsoleGroupMembersState as M
from state.console_community.groups import ConsoleGroupsState as L
from state.console_community.levels import ConsoleLevelsState as V
from tests.state.harness import call, signed_in_client, substate, tab_at
from tests.state.test_console_client import _staff_token
from tests.unit.community_admin_helpers import community_renderer, member, world


@pytest.fixture
def w(engine, session, monkeypatch):
    community_renderer(monkeypatch)
    data = world(session, visibility="private")
    data["token"] = _staff_token(session)
    data["pushed"] = pushed = []
    monkeypatch.setattr(live, "group_changed", lambda gid, **_: pushed.append(("group", gid)))
    monkeypatch.setattr(live, "client_changed", lambda cid, **_: pushed.append(("client", cid)))
    monkeypatch.setattr(live, "everyone_changed", lambda **_: pushed.append(("everyone", 0)))
    return data


def _group_tab(w, cls, token=None):
    root = tab_at(token or w["token"], f"/console/community/group?id={w['group'].id}")
    call(root, cls, "load")
    return root


def _audits(session):
    session.expire_all()
    return session.exec(select(AuditEvent.id)).all()


@pytest.mark.parametrize("cls,name,args", [
    (L, "save_app", ({"app_on": "", "app_open": "on"},)),
    (L, "create_group", ({"name": "Sneaky", "visibility": "open"},)),
    (G, "save_settings", ({"name": "Hacked", "visibility": "open"},)),
    (G, "approve_request", ("1",)), (G, "archive_group", ()),
    (M, "add_client", ("1",)), (M, "unban", ("1",)),
    (V, "save_points", ({"gamification": "on"},)),
])
def test_clients_and_strangers_are_sent_to_the_console_sign_in(w, session, cls, name, args):
    token, _client = signed_in_client(session, "Mallory")
    before = _audits(session)
    for who in (None, token):
        root = tab_at(who, f"/console/community/group?id={w['group'].id}")
        assert "/console/login" in repr(call(root, cls, name, *args))
    assert _audits(session) == before
    assert session.exec(select(CommunityGroup.name)).all() == ["Morning Circle"]


def test_new_group_shows_bad_fields_beside_them_then_opens_the_group(w, session):
    root = tab_at(w["token"], "/console/community")
    call(root, L, "load")
    view = substate(root, L)
    assert [g["name"] for g in view.groups] == ["Morning Circle"]
    call(root, L, "create_group", {"name": "x", "visibility": "nope"})
    assert view.errors["name"] and view.errors["visibility"] and not view.errors["description"]
    result = call(root, L, "create_group", {"name": "Evening Circle", "visibility": "open"})
    assert "/console/community/group?id=" in repr(result)
    assert len(view.groups) == 2


def test_switching_the_app_open_to_everyone_is_pushed_to_every_client(w, session):
    root = tab_at(w["token"], "/console/community")
    call(root, L, "save_app", {"app_on": "on", "app_open": "on"})
    session.expire_all()
    assert apps.COMMUNITY in get_business(session).apps_open
    assert ("everyone", 0) in w["pushed"]


def test_settings_refused_beside_each_field_and_nothing_saved(w, session):
    root = _group_tab(w, G)
    view = substate(root, G)
    assert view.group["name"] == "Morning Circle"
    call(root, G, "save_settings", {"name": "Morning Circle", "visibility": "private",
                                    "hold_first_posts": "99", "report_threshold": "0"})
    assert view.errors["hold_first_posts"] and view.errors["report_threshold"]
    assert not view.errors["name"]
    call(root, G, "add_channel", {"channel_name": "", "channel_kind": "feed"})
    assert view.channel_errors["channel_name"]
    assert w["pushed"] == []


def test_approving_a_request_rings_the_bell_and_pushes_to_the_group_and_client(w, session):
    m = member(session, w["group"], w["bob"], MemberStatus.REQUESTED, note="Please")
    root = _group_tab(w, G)
    view = substate(root, G)
    assert [r["note"] for r in view.join_requests] == ["Please"]
    call(root, G, "approve_request", str(m.id))
    session.expire_all()
    assert session.get(GroupMember, m.id).status == MemberStatus.ACTIVE
    assert session.exec(select(Notification).where(
        Notification.client_id == w["bob"].id)).one().kind == "community"
    assert set(w["pushed"]) == {("group", w["group"].id), ("client", w["bob"].id)}
    assert view.join_requests == []


def test_ban_through_the_confirm_dialog_shuts_the_member_out(w, session):
    m = member(session, w["group"], w["alice"])
    root = _group_tab(w, M)
    view = substate(root, M)
    call(root, M, "ask", "ban", str(m.id))
    assert view.action == "ban" and "Alice" in view.action_title
    call(root, M, "confirm_action", {"reason": ""})
    assert view.action_errors["reason"] and view.action == "ban"
    call(root, M, "confirm_action", {"reason": "Spam"})
    assert view.action == "" and view.rows[0]["status"] == "banned"
    session.expire_all()
    with pytest.raises(NotAllowed):
        access.member_context(session, client_id=w["alice"].id, group_id=w["group"].id)
    assert ("client", w["alice"].id) in w["pushed"]


def test_levels_page_refuses_bad_points_beside_them(w, session):
    root = tab_at(w["token"], f"/console/community/levels?id={w['group'].id}")
    call(root, V, "load")
    view = substate(root, V)
    assert view.found and view.values["points_post"] == "5"
    call(root, V, "save_points", {"gamification": "on", "points_post": "500",
                                  "points_comment": "2", "points_reaction": "1",
                                  "points_best_answer": "10"})
    assert view.errors["points_post"] and not view.errors["points_comment"]
    call(root, V, "save_level", {"name": "Newcomer", "threshold": "0"})
    assert [lv["name"] for lv in view.levels] == ["Newcomer"]


def test_group_page_lists_its_channels_and_the_offers_that_include_it(w, session):
    from portal_app.services.hub import offers

    offers.save_offer(session, staff_id=w["staff"].id, offer_id=None, form={
        "name": "Circle pass", "status": "active", "items": [f"group:{w['group'].id}"]})
    session.commit()
    root = _group_tab(w, G)
    view = substate(root, G)
    assert [o["name"] for o in view.offers] == ["Circle pass"]
    call(root, G, "add_channel", {"channel_name": "Questions", "channel_kind": "questions"})
    assert [c["name"] for c in view.channels] == ["Feed", "Announcements", "Questions"]
    assert w["pushed"] == [("group", w["group"].id)]
