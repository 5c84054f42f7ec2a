"""Demo data for the Community app (issue 23): the app on and open to every client,
one open group with a feed, an announcements channel and a questions channel, three
members who chose display names, a pinned announcement, a few posts with comments
and reactions, a best answer, points and levels, so `make run` shows the app at once.

The main demo client is not a member yet: the Community app lists the group under
"Groups you can join" and one click puts them in it (after they choose a display
name). Rows are made directly and dated over the last week; nothing is notified.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from models import (
    ChannelKind,
    Client,
    CommunityChannel,
    CommunityGroup,
    CommunityLevel,
    ContentStatus,
    GroupMember,
    GroupVisibility,
    MemberStatus,
    PointEvent,
    PointReason,
    Post,
    PostComment,
    Reaction,
)
from portal_app import apps

GROUP_NAME = "Harbor Wellness circle"
GROUP_DESCRIPTION = ("A friendly place for our clients to share what helps, ask questions "
                     "and hear our news first. Be kind; keep it about wellbeing.")
MEMBERS = (("Morgan Lee", "Morgan L."), ("Casey Novak", "Casey"), ("Drew Park", "Drew P."))
ANNOUNCEMENT = ("New: Saturday morning stretch class",
                "From next month we open **Saturday 9–10 AM** for a gentle group stretch "
                "class. Book it under *Bookings* like any other session.")
POSTS = (  # (author index, hours ago, title, text)
    (0, 140, "Three breaths before coffee",
     "I've been trying the *daily anchor* from the Calm Mind course: three slow breaths "
     "before my first coffee. Two weeks in and mornings feel less rushed."),
    (1, 70, "Stretches for desk days?",
     "Any favourite stretches for long days at the desk? My shoulders creep up by 3 PM."),
    (2, 20, "Thank you, team",
     "Shout-out to the physio team: after six sessions I ran my first 5 km without knee "
     "pain. Consistency really works."),
)
COMMENTS = (  # (post index, author index, hours ago, text)
    (0, 1, 130, "Same here! I do mine before opening email."),
    (1, 0, 60, "Doorway chest stretch, 30 seconds, twice an hour. It helps me a lot."),
    (1, 2, 50, "Set a timer to stand up every 45 minutes, that alone changed things."),
    (2, 0, 10, "Congratulations, that's brilliant!"),
)
REACTIONS = ((0, 1, "👍"), (0, 2, "❤️"), (1, 0, "👍"), (2, 0, "🎉"), (2, 1, "🎉"))
LEVELS = (("Newcomer", 0), ("Regular", 15), ("Champion", 40))


def _member(session: Session, name: str, display: str) -> Client:
    client = session.exec(select(Client).where(Client.full_name == name)).first()
    if client is None:
        client = Client(full_name=name, timezone="America/New_York")
    client.display_name = display
    session.add(client)
    session.flush()
    return client


def seed_demo_community(session: Session, *, business, now: datetime | None = None) -> None:
    """Seed once (nothing happens when the demo group exists)."""
    if session.exec(select(CommunityGroup.id).where(CommunityGroup.name == GROUP_NAME)).first():
        return
    now = now or datetime.now(UTC)
    business.apps_enabled = [*business.apps_enabled, apps.COMMUNITY]
    business.apps_open = [*business.apps_open, apps.COMMUNITY]
    session.add(business)
    group = CommunityGroup(name=GROUP_NAME, description=GROUP_DESCRIPTION,
                           visibility=GroupVisibility.OPEN, gamification=True,
                           held_words=["guaranteed cure"], created_at=now - timedelta(days=8))
    session.add(group)
    session.flush()
    channels = {}
    for position, (name, kind) in enumerate((("Feed", ChannelKind.FEED),
                                             ("Announcements", ChannelKind.ANNOUNCEMENTS),
                                             ("Questions", ChannelKind.QUESTIONS))):
        channels[kind] = CommunityChannel(group_id=group.id, name=name, kind=kind,
                                          position=position)
        session.add(channels[kind])
    for name, threshold in LEVELS:
        session.add(CommunityLevel(group_id=group.id, name=name, threshold=threshold))
    session.flush()
    people = [_member(session, name, display) for name, display in MEMBERS]
    for client in people:
        session.add(GroupMember(group_id=group.id, client_id=client.id,
                                status=MemberStatus.ACTIVE, joined_at=now - timedelta(days=7),
                                published_posts=1))
    ago = lambda hours: now - timedelta(hours=hours)  # noqa: E731
    notice = Post(group_id=group.id, channel_id=channels[ChannelKind.ANNOUNCEMENTS].id,
                  author_staff_id=None, title=ANNOUNCEMENT[0], body=ANNOUNCEMENT[1],
                  pinned=True, created_at=ago(160), published_at=ago(160))
    session.add(notice)
    posts = []
    for author, hours, title, text in POSTS:
        channel = channels[ChannelKind.QUESTIONS if "?" in title else ChannelKind.FEED]
        post = Post(group_id=group.id, channel_id=channel.id,
                    author_client_id=people[author].id, title=title, body=text,
                    created_at=ago(hours), published_at=ago(hours))
        session.add(post)
        posts.append(post)
    session.flush()
    points: list[PointEvent] = []
    for post in posts:
        points.append(PointEvent(group_id=group.id, client_id=post.author_client_id,
                                 reason=PointReason.POST, source=f"post:{post.id}",
                                 points=group.points_post, created_at=post.created_at))
    for post_index, author, hours, text in COMMENTS:
        post = posts[post_index]
        comment = PostComment(post_id=post.id, group_id=group.id,
                              author_client_id=people[author].id, body=text,
                              status=ContentStatus.PUBLISHED, created_at=ago(hours),
                              published_at=ago(hours))
        session.add(comment)
        session.flush()
        post.comment_count += 1
        points.append(PointEvent(group_id=group.id, client_id=comment.author_client_id,
                                 reason=PointReason.COMMENT, source=f"comment:{comment.id}",
                                 points=group.points_comment, created_at=comment.created_at))
        if post_index == 1 and author == 0:  # the doorway stretch: the best answer
            post.best_comment_id = comment.id
            points.append(PointEvent(group_id=group.id, client_id=comment.author_client_id,
                                     reason=PointReason.BEST_ANSWER, source=f"best:{comment.id}",
                                     points=group.points_best_answer,
                                     created_at=comment.created_at))
    for post_index, who, emoji in REACTIONS:
        post = posts[post_index]
        reaction = Reaction(group_id=group.id, post_id=post.id, target=f"p{post.id}",
                            client_id=people[who].id, emoji=emoji,
                            created_at=post.created_at + timedelta(hours=2))
        session.add(reaction)
        session.flush()
        post.reaction_count += 1
        points.append(PointEvent(group_id=group.id, client_id=post.author_client_id,
                                 reason=PointReason.REACTION, source=f"reaction:{reaction.id}",
                                 points=group.points_reaction, created_at=reaction.created_at))
    session.add_all([*posts, *points])
    session.flush()
