"""The member directory (display names only, members only, paged, constant statements)
and the notification settings of a group."""

import pytest
from sqlmodel import select

from models import (
    AuditEvent,
    CommunityLevel,
    GroupVisibility,
    MemberStatus,
    NotifyLevel,
    PointEvent,
)
from portal_app.services.community import directory, notify_settings
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests.sql import statements_of
from tests.unit import community_members_helpers as h


def _names(page):
    return [v.display_name for v in page.members]


def test_directory_shows_display_names_never_legal_names(session):
    grp = h.group(session, "Club")
    ana = h.client(session, "Anaïs", display="Ana B")
    bo = h.client(session, "Boris", display="bo")
    quiet = h.client(session, "Quentin")  # no display name chosen yet
    for person in (ana, bo, quiet):
        h.member(session, grp, person)
    page = directory.list_members(session, client_id=ana.id, group_id=grp.id)
    assert page.group_name == "Club"
    assert _names(page) == ["", "Ana B", "bo"]
    text = repr(page)
    for person in (ana, bo, quiet):
        assert person.full_name not in text
    me = next(v for v in page.members if v.is_me)
    assert (me.client_id, me.initials, me.avatar_url) == (ana.id, "AB", "")
    assert page.members[0].initials == "?" and page.members[0].joined_at is not None


def test_directory_lists_only_active_members(session):
    grp = h.group(session)
    ana = h.client(session, display="Ana")
    h.member(session, grp, ana)
    for status in (MemberStatus.REQUESTED, MemberStatus.LEFT, MemberStatus.REMOVED,
                   MemberStatus.BANNED, MemberStatus.DECLINED):
        h.member(session, grp, h.client(session, display=f"Gone {status}"), status)
    assert _names(directory.list_members(session, client_id=ana.id, group_id=grp.id)) == ["Ana"]


def test_directory_of_an_entitled_group_lists_only_grant_holders(session):
    grp = h.group(session, visibility=GroupVisibility.ENTITLED)
    ana, bo = h.client(session, display="Ana"), h.client(session, display="Bo")
    h.grant(session, ana, grp)
    h.grant(session, bo, grp, ended=True)  # still a member row, no longer a reader
    assert _names(directory.list_members(session, client_id=ana.id, group_id=grp.id)) == ["Ana"]
    with pytest.raises(NotFound):
        directory.list_members(session, client_id=bo.id, group_id=grp.id)


def test_directory_is_for_members_only(session):
    grp = h.group(session)
    ana, outsider = h.client(session, display="Ana"), h.client(session, display="Out")
    h.member(session, grp, ana)
    with pytest.raises(NotFound):
        directory.list_members(session, client_id=outsider.id, group_id=grp.id)
    banned = h.client(session, display="Ban")
    h.member(session, grp, banned, MemberStatus.BANNED)
    with pytest.raises(NotAllowed):
        directory.list_members(session, client_id=banned.id, group_id=grp.id)
    with pytest.raises(NotFound):
        directory.list_members(session, client_id=ana.id, group_id="nope")


def test_directory_search_by_display_name_treats_wildcards_as_text(session):
    grp = h.group(session)
    names = ["Ana", "Anabel", "Bo", "100% Bo", "a_b"]
    people = [h.client(session, display=n) for n in names]
    for person in people:
        h.member(session, grp, person)
    find = lambda s: _names(directory.list_members(  # noqa: E731
        session, client_id=people[0].id, group_id=grp.id, search=s))
    assert find("ana") == ["Ana", "Anabel"]
    assert find("%") == ["100% Bo"]
    assert find("_") == ["a_b"]
    assert find(" ") == sorted(names, key=str.lower)


def test_directory_pages_by_cursor(session):
    grp = h.group(session)
    people = [h.client(session, display=f"Member {i:02d}") for i in range(7)]
    for person in people:
        h.member(session, grp, person)
    seen, cursor = [], None
    for _ in range(4):
        page = directory.list_members(session, client_id=people[0].id, group_id=grp.id,
                                      limit=3, cursor=cursor)
        seen += _names(page)
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == [f"Member {i:02d}" for i in range(7)]
    bad = directory.list_members(session, client_id=people[0].id, group_id=grp.id,
                                 cursor="garbage")
    assert len(bad.members) == 7


def test_directory_points_and_levels_when_gamification_is_on(session):
    grp = h.group(session, gamification=True)
    ana, bo = h.client(session, display="Ana"), h.client(session, display="Bo")
    h.member(session, grp, ana)
    h.member(session, grp, bo)
    session.add_all([PointEvent(group_id=grp.id, client_id=ana.id, reason="post",
                                source="post:1", points=5),
                     PointEvent(group_id=grp.id, client_id=ana.id, reason="comment",
                                source="comment:1", points=7),
                     CommunityLevel(group_id=grp.id, name="Newcomer", threshold=0),
                     CommunityLevel(group_id=grp.id, name="Regular", threshold=10)])
    session.flush()
    page = directory.list_members(session, client_id=bo.id, group_id=grp.id)
    assert [(v.display_name, v.points, v.level) for v in page.members] == [
        ("Ana", 12, "Regular"), ("Bo", 0, "Newcomer")]
    grp.gamification = False
    session.add(grp)
    page = directory.list_members(session, client_id=bo.id, group_id=grp.id)
    assert [(v.points, v.level) for v in page.members] == [(None, ""), (None, "")]


def test_directory_costs_the_same_statements_for_a_bigger_group(engine, session):
    grp = h.group(session, gamification=True, visibility=GroupVisibility.ENTITLED)
    viewer = h.client(session, display="Viewer")
    h.grant(session, viewer, grp)

    def add(n):
        for i in range(n):
            person = h.client(session, display=f"P{i}")
            h.grant(session, person, grp)
            session.add(PointEvent(group_id=grp.id, client_id=person.id, reason="post",
                                   source=f"post:{person.id}", points=3))
        session.commit()

    def count():
        return len(statements_of(engine, lambda: directory.list_members(
            session, client_id=viewer.id, group_id=grp.id, limit=20)))

    add(3)
    few = count()
    add(40)
    assert count() == few


def test_notify_defaults_to_mentions_and_takes_each_choice(session):
    grp = h.group(session)
    ana = h.client(session)
    h.member(session, grp, ana)
    assert notify_settings.get_notify(session, client_id=ana.id, group_id=grp.id) == "mentions"
    for level in (NotifyLevel.ALL, NotifyLevel.MUTED, NotifyLevel.MENTIONS):
        row = notify_settings.set_notify(session, client_id=ana.id, group_id=grp.id, level=level)
        assert row.notify == level
        assert notify_settings.wants_nothing(row) == (level == NotifyLevel.MUTED)
    audits = session.exec(select(AuditEvent.action)).all()
    assert audits.count("community.notify_changed") == 3


@pytest.mark.parametrize("bad", ["", "loud", None, "ALL", 1])
def test_notify_refuses_unknown_values(session, bad):
    grp = h.group(session)
    ana = h.client(session)
    h.member(session, grp, ana)
    with pytest.raises(ServiceError) as err:
        notify_settings.set_notify(session, client_id=ana.id, group_id=grp.id, level=bad)
    assert err.value.field == "notify"


def test_notify_of_a_group_one_is_not_in_is_not_found(session):
    grp = h.group(session)
    ana = h.client(session)
    with pytest.raises(NotFound):
        notify_settings.set_notify(session, client_id=ana.id, group_id=grp.id, level="all")
    with pytest.raises(NotFound):
        notify_settings.get_notify(session, client_id=ana.id, group_id=grp.id)
