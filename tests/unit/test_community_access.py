"""Who reaches a community group (services/community/access.py): open and private
groups by an active member row, entitlement-only groups by an active grant too; a
grant makes its holder a member at once; banned never; archived never; muted may read
but not take part; every id of content a client may not see answers NotFound."""

from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import select

from models import (
    ChannelKind,
    CommunityChannel,
    CommunityGroup,
    ContentStatus,
    GrantKind,
    GrantSource,
    GroupMember,
    GroupVisibility,
    MemberStatus,
    Post,
    PostComment,
)
from models.base import utcnow
from portal_app import apps
from portal_app.services.community import access
from portal_app.services.errors import NotAllowed, NotFound
from portal_app.services.hub.entitlements import grant, revoke_grant
from tests import factories


def _group(session, visibility=GroupVisibility.OPEN, **extra):
    group = CommunityGroup(name="Circle", visibility=visibility, **extra)
    session.add(group)
    session.flush()
    feed = CommunityChannel(group_id=group.id, name="Feed", kind=ChannelKind.FEED)
    news = CommunityChannel(group_id=group.id, name="News", kind=ChannelKind.ANNOUNCEMENTS)
    session.add_all([feed, news])
    session.flush()
    return group, feed, news


def _member(session, group, client, status=MemberStatus.ACTIVE, **extra):
    row = GroupMember(group_id=group.id, client_id=client.id, status=status, **extra)
    session.add(row)
    session.flush()
    return row


def _grant(session, client, group):
    return grant(session, client_id=client.id, kind=GrantKind.GROUP, app_key=apps.COMMUNITY,
                 target_id=group.id, source=GrantSource.STAFF)


def test_an_active_member_of_an_open_group_reads_it(session):
    group, _, _ = _group(session)
    client = factories.client(session)
    _member(session, group, client)
    ctx = access.member_context(session, client_id=client.id, group_id=str(group.id))
    assert ctx.group.id == group.id and not ctx.muted


@pytest.mark.parametrize("status", [MemberStatus.REQUESTED, MemberStatus.DECLINED,
                                    MemberStatus.LEFT, MemberStatus.REMOVED])
def test_a_member_row_that_is_not_active_reads_nothing(session, status):
    group, _, _ = _group(session, GroupVisibility.PRIVATE)
    client = factories.client(session)
    _member(session, group, client, status)
    with pytest.raises(NotFound):
        access.member_context(session, client_id=client.id, group_id=group.id)


def test_a_stranger_or_a_bad_id_gets_not_found(session):
    group, _, _ = _group(session)
    client = factories.client(session)
    for raw in (group.id, "x", None, True, 999_999):
        with pytest.raises(NotFound):
            access.member_context(session, client_id=client.id, group_id=raw)


def test_a_banned_member_is_told_even_while_holding_a_grant(session):
    group, _, _ = _group(session, GroupVisibility.ENTITLED)
    client = factories.client(session)
    _grant(session, client, group)
    row = session.exec(select(GroupMember).where(GroupMember.client_id == client.id)).one()
    row.status = MemberStatus.BANNED
    session.flush()
    with pytest.raises(NotAllowed):
        access.member_context(session, client_id=client.id, group_id=group.id)


def test_a_grant_makes_a_member_at_once_and_its_end_closes_an_entitled_group(session):
    group, _, _ = _group(session, GroupVisibility.ENTITLED)
    client = factories.client(session)
    given = _grant(session, client, group)
    assert access.member_context(session, client_id=client.id, group_id=group.id)
    assert access.reader_ids(session, group=group) == [client.id]
    revoke_grant(session, grant_id=given.id, staff_id=None)
    with pytest.raises(NotFound):
        access.member_context(session, client_id=client.id, group_id=group.id)
    assert access.reader_ids(session, group=group) == []


def test_an_entitled_group_without_a_grant_is_closed_even_to_an_active_row(session):
    group, _, _ = _group(session, GroupVisibility.ENTITLED)
    client = factories.client(session)
    _member(session, group, client)
    with pytest.raises(NotFound):
        access.member_context(session, client_id=client.id, group_id=group.id)


def test_sync_granted_makes_missing_member_rows_once(session):
    group, _, _ = _group(session, GroupVisibility.PRIVATE)
    client = factories.client(session)
    _grant(session, client, group)
    session.exec(delete(GroupMember))
    session.flush()
    access.sync_granted(session, client_id=client.id)
    access.sync_granted(session, client_id=client.id)
    assert len(session.exec(select(GroupMember).where(
        GroupMember.client_id == client.id)).all()) == 1


def test_an_archived_group_is_closed_to_its_members(session):
    group, _, _ = _group(session, archived=True)
    client = factories.client(session)
    _member(session, group, client)
    with pytest.raises(NotFound):
        access.member_context(session, client_id=client.id, group_id=group.id)
    assert access.reader_ids(session, group=group) == []


def test_a_muted_member_reads_but_may_not_take_part(session):
    group, _, _ = _group(session)
    client = factories.client(session)
    _member(session, group, client, muted_until=utcnow() + timedelta(hours=1))
    ctx = access.member_context(session, client_id=client.id, group_id=group.id)
    with pytest.raises(NotAllowed):
        access.require_participant(ctx)
    ctx.member.muted_until = utcnow() - timedelta(seconds=1)
    access.require_participant(ctx)  # the mute is over


def test_announcements_are_for_staff_and_channels_follow_their_group(session):
    group, feed, news = _group(session)
    other, other_feed, _ = _group(session)
    client = factories.client(session)
    _member(session, group, client)
    ctx, channel = access.get_channel_for(session, client_id=client.id, channel_id=feed.id)
    assert channel.id == feed.id
    with pytest.raises(NotAllowed):
        access.require_may_post_in(news)
    with pytest.raises(NotFound):
        access.get_channel_for(session, client_id=client.id, channel_id=other_feed.id)


def test_held_text_is_seen_by_its_author_only(session):
    group, feed, _ = _group(session)
    author, reader = factories.client(session), factories.client(session)
    _member(session, group, author)
    _member(session, group, reader)
    post = Post(group_id=group.id, channel_id=feed.id, author_client_id=author.id, title="T",
                status=ContentStatus.HELD)
    session.add(post)
    session.flush()
    comment = PostComment(post_id=post.id, group_id=group.id, author_client_id=author.id,
                          body="c", status=ContentStatus.HELD)
    session.add(comment)
    session.flush()
    assert access.get_post_for(session, client_id=author.id, post_id=post.id)[1] == post
    assert access.get_comment_for(session, client_id=author.id, comment_id=comment.id)[2]
    with pytest.raises(NotFound):
        access.get_post_for(session, client_id=reader.id, post_id=post.id)
    with pytest.raises(NotFound):
        access.get_comment_for(session, client_id=reader.id, comment_id=comment.id)
    for status in (ContentStatus.HIDDEN, ContentStatus.REMOVED, ContentStatus.DELETED):
        post.status = status
        session.flush()
        with pytest.raises(NotFound):
            access.get_post_for(session, client_id=author.id, post_id=post.id)


def test_paid_access_to_a_private_group_ends_with_its_grant(session):
    group, _, _ = _group(session, GroupVisibility.PRIVATE)
    buyer, approved = factories.client(session), factories.client(session)
    given = _grant(session, buyer, group)
    _member(session, group, approved)  # let in by staff approving a request
    assert access.member_context(session, client_id=buyer.id, group_id=group.id)
    assert sorted(access.reader_ids(session, group=group)) == sorted([buyer.id, approved.id])
    revoke_grant(session, grant_id=given.id, staff_id=None)
    with pytest.raises(NotFound):
        access.member_context(session, client_id=buyer.id, group_id=group.id)
    assert access.reader_ids(session, group=group) == [approved.id]


@pytest.mark.parametrize("status", [MemberStatus.LEFT, MemberStatus.REQUESTED,
                                    MemberStatus.DECLINED])
def test_a_new_grant_brings_back_a_member_who_left_or_asked(session, status):
    group, _, _ = _group(session, GroupVisibility.PRIVATE)
    client = factories.client(session)
    _member(session, group, client, status)
    _grant(session, client, group)
    row = session.exec(select(GroupMember).where(GroupMember.client_id == client.id)).one()
    assert (row.status, row.via_grant) == (MemberStatus.ACTIVE, True)


@pytest.mark.parametrize("status", [MemberStatus.BANNED, MemberStatus.REMOVED])
def test_a_grant_does_not_undo_a_ban_or_a_removal(session, status):
    group, _, _ = _group(session)
    client = factories.client(session)
    _member(session, group, client, status)
    _grant(session, client, group)
    row = session.exec(select(GroupMember).where(GroupMember.client_id == client.id)).one()
    assert row.status == status
