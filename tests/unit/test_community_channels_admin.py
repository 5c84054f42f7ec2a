"""Console → Community channels: add (name, kind), rename, move, approve-before-
publish, archive (never the last channel clients can post in), restore; another
group's channel is not found; every change audited."""

import pytest

from models import ChannelKind
from portal_app.services.community import access, channels_admin, rules
from portal_app.services.errors import NotFound, ServiceError
from tests.unit.community_admin_helpers import actions, member, world


@pytest.fixture
def w(session):
    return world(session)


def _names(session, group_id):
    return [c.name for c in channels_admin.list_channels(session, group_id=group_id)
            if not c.archived]


def _feed(session, group_id):
    return channels_admin.list_channels(session, group_id=group_id)[0]


@pytest.mark.parametrize("name,kind,field", [
    ("", "feed", "channel_name"), ("x" * 61, "feed", "channel_name"),
    ("Chat", "chat", "channel_kind")])
def test_add_channel_refuses_a_bad_name_or_kind_beside_it(session, w, name, kind, field):
    with pytest.raises(ServiceError) as err:
        channels_admin.add_channel(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                   name=name, kind=kind)
    assert err.value.field == field


def test_add_rename_and_move_a_channel(session, w):
    g, staff = w["group"], w["staff"].id
    q = channels_admin.add_channel(session, staff_id=staff, group_id=g.id, name=" Ask  us ",
                                   kind=ChannelKind.QUESTIONS)
    assert _names(session, g.id) == ["Feed", "Announcements", "Ask us"]
    channels_admin.move_channel(session, staff_id=staff, group_id=g.id, channel_id=q.id,
                                direction="up")
    assert _names(session, g.id) == ["Feed", "Ask us", "Announcements"]
    channels_admin.move_channel(session, staff_id=staff, group_id=g.id,
                                channel_id=_feed(session, g.id).id, direction="up")
    assert _names(session, g.id) == ["Feed", "Ask us", "Announcements"]
    channels_admin.rename_channel(session, staff_id=staff, group_id=g.id, channel_id=q.id,
                                  name="Questions")
    assert _names(session, g.id) == ["Feed", "Questions", "Announcements"]
    assert actions(session)[-3:] == ["community.channel_added", "community.channel_moved",
                                     "community.channel_renamed"]


def test_approve_posts_holds_a_members_post_in_that_channel(session, w):
    g = w["group"]
    m = member(session, g, w["alice"])
    feed = _feed(session, g.id)
    channels_admin.set_approve_posts(session, staff_id=w["staff"].id, group_id=g.id,
                                     channel_id=feed.id, on=True)
    status, reason = rules.verdict(group=g, channel=feed, member=m, text="hi", is_post=True)
    assert (status, reason) == ("held", rules.REASON_CHANNEL)
    assert actions(session)[-1] == "community.channel_approval"


def test_last_channel_clients_can_post_in_cannot_be_archived(session, w):
    g, staff = w["group"], w["staff"].id
    feed, announcements = channels_admin.list_channels(session, group_id=g.id)
    with pytest.raises(ServiceError) as err:
        channels_admin.set_channel_archived(session, staff_id=staff, group_id=g.id,
                                            channel_id=feed.id, archived=True)
    assert err.value.message == channels_admin.LAST_ONE
    channels_admin.set_channel_archived(session, staff_id=staff, group_id=g.id,
                                        channel_id=announcements.id, archived=True)
    assert _names(session, g.id) == ["Feed"]


def test_archived_channel_is_hidden_from_members_and_may_be_restored(session, w):
    g, staff = w["group"], w["staff"].id
    member(session, g, w["alice"])
    extra = channels_admin.add_channel(session, staff_id=staff, group_id=g.id, name="More",
                                       kind="feed")
    channels_admin.set_channel_archived(session, staff_id=staff, group_id=g.id,
                                        channel_id=extra.id, archived=True)
    with pytest.raises(NotFound):
        access.get_channel_for(session, client_id=w["alice"].id, channel_id=extra.id)
    channels_admin.set_channel_archived(session, staff_id=staff, group_id=g.id,
                                        channel_id=extra.id, archived=False)
    _ctx, found = access.get_channel_for(session, client_id=w["alice"].id, channel_id=extra.id)
    assert found.id == extra.id


def test_another_groups_channel_is_not_found(session, w):
    from portal_app.services.community import groups_admin

    other = groups_admin.create_group(session, staff_id=w["staff"].id,
                                      form={"name": "Other", "visibility": "open"})
    theirs = _feed(session, other.id)
    with pytest.raises(NotFound):
        channels_admin.rename_channel(session, staff_id=w["staff"].id, group_id=w["group"].id,
                                      channel_id=theirs.id, name="Mine")
    with pytest.raises(NotFound):
        channels_admin.set_approve_posts(session, staff_id=w["staff"].id,
                                         group_id=w["group"].id, channel_id="abc", on=True)
