"""Posting in a group: published or held by the channel, a member's first N posts,
a held word or a link; links refused where the group blocks them; muted, banned,
announcements and other groups' channels refused; the author's edit judged again;
delete; and the posting rate limit."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import (
    CommunityChannel,
    ContentStatus,
    GroupMember,
    LinkRule,
    MemberStatus,
    Post,
)
from portal_app.services.community import posts
from portal_app.services.errors import NotAllowed, NotFound, RateLimited, ServiceError
from tests.unit.community_feed_helpers import (  # noqa: F401 (fixture)
    T0,
    group,
    member,
    world_fixture,
    write,
)


def _fresh(session, row):
    session.expire_all()
    return session.get(type(row), row.id)


def test_a_post_is_published_at_once_and_counted(session, world):
    post = write(session, world["alice"], world["feed"], title="  Hi   all ", body="Text")
    assert post.status == ContentStatus.PUBLISHED and post.published_at is not None
    assert post.title == "Hi all"
    assert _fresh(session, world["alice_m"]).published_posts == 1


def test_a_post_is_held_when_the_channel_approves_posts(session, world):
    channel = world["feed"]
    channel.approve_posts = True
    session.add(channel)
    session.commit()
    post = write(session, world["alice"], channel)
    assert post.status == ContentStatus.HELD and post.published_at is None
    assert _fresh(session, world["alice_m"]).published_posts == 0


def test_a_new_members_first_posts_are_held(session, world):
    grp = world["group"]
    grp.hold_first_posts = 1
    session.add(grp)
    m = world["bob_m"]
    m.published_posts = 1
    session.add(m)
    session.commit()
    assert write(session, world["alice"], world["feed"]).status == ContentStatus.HELD
    assert write(session, world["bob"], world["feed"]).status == ContentStatus.PUBLISHED


def test_a_held_word_holds_the_post(session, world):
    grp = world["group"]
    grp.held_words = ["crypto"]
    session.add(grp)
    session.commit()
    post = write(session, world["alice"], world["feed"], body="Buy CRYPTO now")
    assert post.status == ContentStatus.HELD


def test_a_link_holds_the_post_when_the_group_holds_links(session, world):
    grp = world["group"]
    grp.link_rule = LinkRule.HOLD
    session.add(grp)
    session.commit()
    assert write(session, world["alice"], world["feed"],
                 body="see https://example.com").status == ContentStatus.HELD


def test_a_link_is_refused_when_the_group_blocks_links(session, world):
    grp = world["group"]
    grp.link_rule = LinkRule.BLOCK
    session.add(grp)
    session.commit()
    with pytest.raises(ServiceError) as exc:
        write(session, world["alice"], world["feed"], body="see www.example.com")
    assert exc.value.field == "body"
    session.rollback()
    assert session.exec(select(Post)).all() == []


def test_a_muted_member_may_not_post(session, world):
    m = world["alice_m"]
    m.muted_until = T0 + timedelta(days=3650)
    session.add(m)
    session.commit()
    with pytest.raises(NotAllowed):
        write(session, world["alice"], world["feed"])


def test_clients_may_not_post_in_announcements(session, world):
    with pytest.raises(NotAllowed):
        write(session, world["alice"], world["chans"]["announcements"])


def test_a_banned_member_may_not_post(session, world):
    m = world["alice_m"]
    m.status = MemberStatus.BANNED
    session.add(m)
    session.commit()
    with pytest.raises(NotAllowed):
        write(session, world["alice"], world["feed"])


def test_another_groups_channel_is_not_found(session, world):
    other, chans = group(session, name="Other")
    session.commit()
    with pytest.raises(NotFound):
        write(session, world["alice"], chans["feed"])
    with pytest.raises(NotFound):
        write(session, world["alice"], CommunityChannel(id=99999))


def test_a_removed_member_may_not_post(session, world):
    m = world["alice_m"]
    m.status = MemberStatus.REMOVED
    session.add(m)
    session.commit()
    with pytest.raises(NotFound):
        write(session, world["alice"], world["feed"])


def test_a_published_post_edited_to_hold_a_word_is_held_again(session, world):
    post = write(session, world["alice"], world["feed"])
    grp = world["group"]
    grp.held_words = ["spam"]
    session.add(grp)
    session.commit()
    posts.edit_post(session, client_id=world["alice"].id, post_id=post.id, title="Hello",
                    body="now with spam")
    session.commit()
    post = _fresh(session, post)
    assert post.status == ContentStatus.HELD and post.edited_at is not None
    assert post.body == "now with spam"


def test_an_edit_without_a_held_word_stays_published(session, world):
    post = write(session, world["alice"], world["feed"])
    posts.edit_post(session, client_id=world["alice"].id, post_id=post.id, title="New",
                    body="Better text")
    session.commit()
    assert _fresh(session, post).status == ContentStatus.PUBLISHED


def test_only_the_author_may_edit_or_delete(session, world):
    post = write(session, world["alice"], world["feed"])
    with pytest.raises(NotAllowed):
        posts.edit_post(session, client_id=world["bob"].id, post_id=post.id, title="x",
                        body="y")
    with pytest.raises(NotAllowed):
        posts.delete_post(session, client_id=world["bob"].id, post_id=post.id)


def test_a_deleted_post_is_gone_for_everyone(session, world):
    post = write(session, world["alice"], world["feed"])
    posts.delete_post(session, client_id=world["alice"].id, post_id=post.id)
    session.commit()
    assert _fresh(session, post).status == ContentStatus.DELETED
    with pytest.raises(NotFound):
        posts.edit_post(session, client_id=world["alice"].id, post_id=post.id, title="x",
                        body="y")


def test_posting_is_rate_limited_per_client(session, world):
    for i in range(posts.POSTS_PER_WINDOW):
        write(session, world["alice"], world["feed"], title=f"P{i}", now=T0)
    with pytest.raises(RateLimited):
        write(session, world["alice"], world["feed"], now=T0 + timedelta(minutes=1))
    session.rollback()
    write(session, world["bob"], world["feed"], now=T0 + timedelta(minutes=1))
    write(session, world["alice"], world["feed"], now=T0 + timedelta(minutes=11))


def test_a_title_is_required_beside_its_field(session, world):
    with pytest.raises(ServiceError) as exc:
        write(session, world["alice"], world["feed"], title="  ")
    assert exc.value.field == "title"


def test_a_member_row_is_not_made_for_a_stranger(session, world):
    _other, _m = member(session, world["group"], "Carol", status=MemberStatus.REQUESTED)
    session.commit()
    with pytest.raises(NotFound):
        write(session, _other, world["feed"])
    assert session.exec(select(GroupMember).where(
        GroupMember.client_id == _other.id)).one().status == MemberStatus.REQUESTED
