"""The demo shows the Community app at once: on and open to every client, one open
group with three channels, members with display names, a pinned announcement, posts
with comments, reactions, a best answer and points; the demo client may join; seeding
again changes nothing."""

from sqlalchemy import func
from sqlmodel import select

from models import (
    ChannelKind,
    Client,
    CommunityChannel,
    CommunityGroup,
    GroupMember,
    MemberStatus,
    PointEvent,
    Post,
    PostComment,
    Reaction,
)
from portal_app import apps
from portal_app.services.business import get_business
from portal_app.services.community.access import member_context, reader_ids
from portal_app.services.demo import DEMO_CLIENT, seed_demo
from portal_app.services.demo_community import GROUP_NAME, seed_demo_community
from portal_app.services.errors import NotFound
from portal_app.services.hub.entitlements import client_apps


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_demo_has_an_open_group_with_posts_the_demo_client_may_join(session):
    seed_demo(session)
    session.commit()
    group = session.exec(select(CommunityGroup).where(CommunityGroup.name == GROUP_NAME)).one()
    kinds = set(session.exec(select(CommunityChannel.kind).where(
        CommunityChannel.group_id == group.id)).all())
    assert kinds == {ChannelKind.FEED, ChannelKind.ANNOUNCEMENTS, ChannelKind.QUESTIONS}
    members = session.exec(select(Client).join(GroupMember, GroupMember.client_id == Client.id)
                           .where(GroupMember.group_id == group.id,
                                  GroupMember.status == MemberStatus.ACTIVE)).all()
    assert len(members) == 3 and all(m.display_name and m.display_name != m.full_name
                                     for m in members if m.full_name != "Casey Novak")
    assert len(reader_ids(session, group=group)) == 3
    posts = session.exec(select(Post).where(Post.group_id == group.id)).all()
    assert len(posts) == 4 and sum(p.pinned for p in posts) == 1
    assert any(p.best_comment_id for p in posts)
    assert _count(session, PostComment) == 4 and _count(session, Reaction) == 5
    assert all(p.comment_count == len(session.exec(select(PostComment).where(
        PostComment.post_id == p.id)).all()) for p in posts)
    assert _count(session, PointEvent) == 3 + 4 + 1 + 5
    demo = session.exec(select(Client).where(Client.email == DEMO_CLIENT)
                        .order_by(Client.id)).first()
    business = get_business(session)
    assert apps.COMMUNITY in client_apps(session, business=business, client_id=demo.id)
    try:
        member_context(session, client_id=demo.id, group_id=group.id)
        raise AssertionError("the demo client is not a member until they join")
    except NotFound:
        pass


def test_seeding_the_community_again_changes_nothing(session):
    seed_demo(session)
    session.commit()
    before = [_count(session, m) for m in (CommunityGroup, Post, PostComment, Reaction)]
    seed_demo_community(session, business=get_business(session))
    session.commit()
    assert [_count(session, m) for m in (CommunityGroup, Post, PostComment, Reaction)] == before
    assert get_business(session).apps_enabled.count(apps.COMMUNITY) == 1
