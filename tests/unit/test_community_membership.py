"""The client's list of groups and their standing: what is listed by visibility and
grants, joining, asking to join, cancelling, leaving, and the audit of each."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import AuditEvent, GroupMember, GroupVisibility, MemberStatus
from models.base import utcnow
from portal_app.services.community import membership as m
from portal_app.services.errors import NotAllowed, NotFound, RateLimited, ServiceError
from tests.sql import statements_of
from tests.unit import community_members_helpers as h


def _standings(session, person):
    return {v.name: v.standing for v in m.list_groups_for(session, client_id=person.id)}


def _status(session, grp, person):
    row = session.exec(select(GroupMember).where(GroupMember.group_id == grp.id,
                                                 GroupMember.client_id == person.id)).first()
    return row.status if row else None


def _actions(session):
    return [a.action for a in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_list_shows_groups_by_visibility_and_grants(session):
    ana = h.client(session)
    h.group(session, "Open")
    h.group(session, "Private", visibility=GroupVisibility.PRIVATE)
    h.group(session, "Entitled", visibility=GroupVisibility.ENTITLED)
    h.group(session, "Archived", archived=True)
    granted = h.group(session, "Granted", visibility=GroupVisibility.ENTITLED)
    h.grant(session, ana, granted)
    assert _standings(session, ana) == {"Open": m.JOIN, "Private": m.ASK, "Granted": m.MEMBER}


def test_list_puts_member_groups_first_with_channels_and_latest_activity(session):
    ana, bo = h.client(session), h.client(session)
    h.group(session, "Other", position=0)
    mine = h.group(session, "Mine", position=1, channels=2)
    h.member(session, mine, ana)
    when = utcnow() - timedelta(hours=2)
    h.post(session, mine, bo, published_at=when - timedelta(days=1))
    h.post(session, mine, bo, published_at=when)
    views = m.list_groups_for(session, client_id=ana.id)
    assert [(v.name, v.standing, v.channels) for v in views] == [
        ("Mine", m.MEMBER, 2), ("Other", m.JOIN, 1)]
    assert views[0].latest_at.replace(microsecond=0) == when.replace(microsecond=0)
    assert views[1].latest_at is None


def test_list_hides_banned_groups_and_ended_grants(session):
    ana = h.client(session)
    banned = h.group(session, "Banned")
    h.member(session, banned, ana, MemberStatus.BANNED)
    ended = h.group(session, "Ended", visibility=GroupVisibility.ENTITLED)
    h.grant(session, ana, ended, ended=True)
    assert _standings(session, ana) == {}


def test_list_shows_request_sent_and_declined(session):
    ana = h.client(session)
    asked = h.group(session, "Asked", visibility=GroupVisibility.PRIVATE)
    declined = h.group(session, "Declined", visibility=GroupVisibility.PRIVATE)
    h.member(session, asked, ana, MemberStatus.REQUESTED)
    h.member(session, declined, ana, MemberStatus.DECLINED)
    assert _standings(session, ana) == {"Asked": m.REQUESTED, "Declined": m.DECLINED}


def test_list_costs_the_same_statements_for_many_groups(engine, session):
    ana, bo = h.client(session), h.client(session)

    def world(n):
        for i in range(n):
            grp = h.group(session, visibility=GroupVisibility.ALL[i % 3], channels=2)
            if i % 2:
                h.member(session, grp, ana)
                h.post(session, grp, bo)
            if i % 3 == 2:
                h.grant(session, ana, grp)
        session.commit()

    def count():
        return len(statements_of(engine, lambda: m.list_groups_for(session, client_id=ana.id)))

    world(3)
    few = count()
    world(30)
    assert count() == few


def test_join_an_open_group_makes_an_active_member_and_audits(session):
    ana = h.client(session)
    grp = h.group(session)
    row = m.join_group(session, client_id=ana.id, group_id=str(grp.id), account_id=ana.account_id)
    assert row.status == MemberStatus.ACTIVE and row.joined_at is not None
    assert _actions(session)[-1] == "community.joined"
    again = m.join_group(session, client_id=ana.id, group_id=grp.id)
    assert again.id == row.id and _actions(session).count("community.joined") == 1


def test_join_again_after_leaving_or_removal(session):
    ana, bo = h.client(session), h.client(session)
    grp = h.group(session)
    m.join_group(session, client_id=ana.id, group_id=grp.id)
    m.leave_group(session, client_id=ana.id, group_id=grp.id)
    assert _status(session, grp, ana) == MemberStatus.LEFT
    assert m.join_group(session, client_id=ana.id, group_id=grp.id).status == MemberStatus.ACTIVE
    h.member(session, grp, bo, MemberStatus.REMOVED)
    assert m.join_group(session, client_id=bo.id, group_id=grp.id).status == MemberStatus.ACTIVE


def test_banned_member_cannot_join(session):
    ana = h.client(session)
    grp = h.group(session)
    h.member(session, grp, ana, MemberStatus.BANNED)
    with pytest.raises(NotAllowed):
        m.join_group(session, client_id=ana.id, group_id=grp.id)
    with pytest.raises(NotAllowed):
        m.request_to_join(session, client_id=ana.id, group_id=grp.id)
    assert _status(session, grp, ana) == MemberStatus.BANNED


def test_join_a_private_group_is_refused(session):
    ana = h.client(session)
    grp = h.group(session, visibility=GroupVisibility.PRIVATE)
    with pytest.raises(ServiceError, match="ask to join"):
        m.join_group(session, client_id=ana.id, group_id=grp.id)
    assert _status(session, grp, ana) is None


def test_join_an_entitled_group_needs_a_grant(session):
    ana, bo = h.client(session), h.client(session)
    grp = h.group(session, visibility=GroupVisibility.ENTITLED)
    with pytest.raises(NotFound):
        m.join_group(session, client_id=ana.id, group_id=grp.id)
    h.grant(session, bo, grp)
    m.leave_group(session, client_id=bo.id, group_id=grp.id)
    assert m.join_group(session, client_id=bo.id, group_id=grp.id).status == MemberStatus.ACTIVE


@pytest.mark.parametrize("bad", ["0", "x", None, "999999", True])
def test_join_refuses_bad_and_unknown_ids(session, bad):
    ana = h.client(session)
    with pytest.raises(NotFound):
        m.join_group(session, client_id=ana.id, group_id=bad)


def test_archived_group_cannot_be_joined_or_asked(session):
    ana = h.client(session)
    grp = h.group(session, archived=True)
    with pytest.raises(NotFound):
        m.join_group(session, client_id=ana.id, group_id=grp.id)
    with pytest.raises(NotFound):
        m.request_to_join(session, client_id=ana.id, group_id=grp.id)


def test_request_to_join_keeps_the_note_then_cancel(session):
    ana = h.client(session)
    grp = h.group(session, visibility=GroupVisibility.PRIVATE)
    row = m.request_to_join(session, client_id=ana.id, group_id=grp.id, note="  Hi there  ")
    assert (row.status, row.request_note) == (MemberStatus.REQUESTED, "Hi there")
    with pytest.raises(ServiceError, match="already with the business"):
        m.request_to_join(session, client_id=ana.id, group_id=grp.id)
    m.cancel_request(session, client_id=ana.id, group_id=grp.id)
    assert _status(session, grp, ana) == MemberStatus.LEFT
    assert _standings(session, ana)[grp.name] == m.ASK
    with pytest.raises(ServiceError, match="no request"):
        m.cancel_request(session, client_id=ana.id, group_id=grp.id)
    assert _actions(session) == ["community.join_requested", "community.request_cancelled"]


def test_request_note_over_500_characters_is_refused(session):
    ana = h.client(session)
    grp = h.group(session, visibility=GroupVisibility.PRIVATE)
    with pytest.raises(ServiceError) as err:
        m.request_to_join(session, client_id=ana.id, group_id=grp.id, note="x" * 501)
    assert err.value.field == "note" and _status(session, grp, ana) is None
    assert m.request_to_join(session, client_id=ana.id, group_id=grp.id, note="x" * 500)


def test_request_note_with_control_characters_is_refused(session):
    ana = h.client(session)
    grp = h.group(session, visibility=GroupVisibility.PRIVATE)
    with pytest.raises(ServiceError) as err:
        m.request_to_join(session, client_id=ana.id, group_id=grp.id, note="a\x00b")
    assert err.value.field == "note"


def test_requests_are_limited_per_day(session):
    ana = h.client(session)
    groups = [h.group(session, visibility=GroupVisibility.PRIVATE) for _ in range(6)]
    for grp in groups[:5]:
        m.request_to_join(session, client_id=ana.id, group_id=grp.id)
    with pytest.raises(RateLimited):
        m.request_to_join(session, client_id=ana.id, group_id=groups[5].id)
    tomorrow = utcnow() + timedelta(days=1, minutes=1)
    assert m.request_to_join(session, client_id=ana.id, group_id=groups[5].id, now=tomorrow)


def test_request_refused_for_open_member_declined_and_entitled(session):
    ana = h.client(session)
    open_group = h.group(session)
    with pytest.raises(ServiceError, match="open"):
        m.request_to_join(session, client_id=ana.id, group_id=open_group.id)
    private = h.group(session, visibility=GroupVisibility.PRIVATE)
    h.member(session, private, ana)
    with pytest.raises(ServiceError, match="already a member"):
        m.request_to_join(session, client_id=ana.id, group_id=private.id)
    declined = h.group(session, visibility=GroupVisibility.PRIVATE)
    h.member(session, declined, ana, MemberStatus.DECLINED)
    with pytest.raises(ServiceError, match="declined"):
        m.request_to_join(session, client_id=ana.id, group_id=declined.id)
    entitled = h.group(session, visibility=GroupVisibility.ENTITLED)
    with pytest.raises(NotFound):
        m.request_to_join(session, client_id=ana.id, group_id=entitled.id)


def test_leave_a_group_one_is_not_in_is_not_found(session):
    ana = h.client(session)
    grp = h.group(session)
    with pytest.raises(NotFound):
        m.leave_group(session, client_id=ana.id, group_id=grp.id)


def test_leave_is_audited_and_the_group_is_joinable_again(session):
    ana = h.client(session)
    grp = h.group(session, "Club")
    m.join_group(session, client_id=ana.id, group_id=grp.id)
    m.leave_group(session, client_id=ana.id, group_id=grp.id, account_id=ana.account_id)
    assert _actions(session)[-1] == "community.left"
    assert _standings(session, ana) == {"Club": m.JOIN}


def test_a_grant_to_a_private_group_lets_a_member_who_left_join_again(session):
    ana = h.client(session)
    grp = h.group(session, "Circle", visibility=GroupVisibility.PRIVATE)
    h.grant(session, ana, grp)
    assert _standings(session, ana) == {"Circle": m.MEMBER}
    m.leave_group(session, client_id=ana.id, group_id=grp.id)
    assert _standings(session, ana) == {"Circle": m.JOIN}
    assert m.join_group(session, client_id=ana.id, group_id=grp.id).status == MemberStatus.ACTIVE
