"""Join requests in the console: the queue (oldest first, note and legal name),
approve (active member, decided by staff, a bell line of kind "community"),
decline (reason kept); a decided or foreign request is not found."""

import pytest
from sqlmodel import select

from models import MemberStatus, Notification, NotificationKind
from portal_app import routes
from portal_app.services.community import access, groups_admin, requests
from portal_app.services.errors import NotFound, ServiceError
from tests.unit.community_admin_helpers import actions, community_renderer, member, world

BASE = "http://portal.test"


@pytest.fixture
def w(session, monkeypatch):
    community_renderer(monkeypatch)
    return world(session, visibility="private")


def test_queue_lists_requests_oldest_first_with_note_and_name(session, w):
    g = w["group"]
    member(session, g, w["bob"], MemberStatus.REQUESTED, note="Hi, I am Bob")
    member(session, g, w["alice"], MemberStatus.REQUESTED)
    member(session, g, w["carol"])
    rows = requests.list_requests(session, group_id=g.id)
    assert [(r.client_name.split()[0], r.note, r.group_name) for r in rows] == [
        ("Bob", "Hi, I am Bob", "Morning Circle"), ("Alice", "", "Morning Circle")]
    assert [r.id for r in requests.list_requests(session)] == [r.id for r in rows]


def test_approve_makes_an_active_member_and_rings_the_bell(session, w):
    g = w["group"]
    m = member(session, g, w["bob"], MemberStatus.REQUESTED)
    requests.approve_request(session, staff_id=w["staff"].id, member_id=m.id, base_url=BASE,
                             group_id=g.id)
    assert (m.status, m.decided_by_staff_id) == (MemberStatus.ACTIVE, w["staff"].id)
    assert m.joined_at is not None
    assert access.member_context(session, client_id=w["bob"].id, group_id=g.id)
    note = session.exec(select(Notification).where(
        Notification.client_id == w["bob"].id)).one()
    assert (note.kind, note.params, note.link) == (
        NotificationKind.COMMUNITY, {"event": "approved", "group": "Morning Circle"},
        routes.community_group(g.id))
    assert actions(session)[-1] == "community.request_approved"


def test_decline_keeps_the_reason_and_notifies_nobody(session, w):
    m = member(session, w["group"], w["bob"], MemberStatus.REQUESTED)
    with pytest.raises(ServiceError) as err:
        requests.decline_request(session, staff_id=w["staff"].id, member_id=m.id,
                                 reason="r" * 301)
    assert err.value.field == "reason"
    requests.decline_request(session, staff_id=w["staff"].id, member_id=m.id,
                             reason="Members only")
    assert (m.status, m.status_reason) == (MemberStatus.DECLINED, "Members only")
    assert session.exec(select(Notification)).all() == []
    assert actions(session)[-1] == "community.request_declined"
    with pytest.raises(NotFound):
        requests.approve_request(session, staff_id=w["staff"].id, member_id=m.id,
                                 base_url=BASE)


def test_an_active_member_or_another_groups_request_is_not_found(session, w):
    active = member(session, w["group"], w["alice"])
    other = groups_admin.create_group(session, staff_id=w["staff"].id,
                                      form={"name": "Other", "visibility": "private"})
    theirs = member(session, other, w["bob"], MemberStatus.REQUESTED)
    with pytest.raises(NotFound):
        requests.approve_request(session, staff_id=w["staff"].id, member_id=active.id,
                                 base_url=BASE)
    with pytest.raises(NotFound):
        requests.decline_request(session, staff_id=w["staff"].id, member_id=theirs.id,
                                 group_id=w["group"].id)


def test_approval_still_rings_the_bell_without_a_wording_for_its_parameters(
        session, w, monkeypatch):
    from portal_app.services import notification_texts

    monkeypatch.delitem(notification_texts.RENDERERS, "community", raising=False)
    m = member(session, w["group"], w["bob"], MemberStatus.REQUESTED)
    requests.approve_request(session, staff_id=w["staff"].id, member_id=m.id, base_url=BASE)
    note = session.exec(select(Notification).where(
        Notification.client_id == w["bob"].id)).one()
    assert note.title == "Your request to join Morning Circle was approved"


def test_a_request_answered_in_another_tab_or_withdrawn_is_left_as_it_is(session, w):
    from sqlalchemy import update

    from models import GroupMember

    g = w["group"]
    m = member(session, g, w["bob"], MemberStatus.REQUESTED)
    session.commit()
    # The client withdraws while the staff page still shows the request.
    session.exec(update(GroupMember).where(GroupMember.id == m.id).values(
        status=MemberStatus.LEFT).execution_options(synchronize_session=False))
    with pytest.raises(ServiceError):
        requests._decide(session, m, status=MemberStatus.ACTIVE)
    assert m.status == MemberStatus.LEFT
