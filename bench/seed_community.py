"""The benchmark's Community app (issue 23), seeded with the rest in bench/seed.py.

The app on and open to every client (Business.apps_enabled / apps_open), and two
open groups with a feed and an announcements channel each:
- "storm": the first STORM_MEMBERS simulated clients (ids 1..50) are active members
  with display names; bench/community_storm.py opens their 50 tabs on its feed and
  has all of them post at once;
- "quiet": every simulated client is an active member (so the load points' "open the
  group feed" action can read it from any simulated client), the quiet tabs of the
  storm measurement are clients STORM_MEMBERS+1.. (members of the quiet group only).
Both feeds hold history (STORM_HISTORY / QUIET_HISTORY published posts by other
members, the newest with comments counted and reactions), inserted in bulk, so the
feed reads a real table. Gamification stays off (the default); every member's
notification choice is the default (mentions and the digest), so a post notifies no
one but the people it mentions (none here).

Ids are fixed (the database is empty): groups 1 and 2, channels 1..4.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

STORM_GROUP_ID = 1
QUIET_GROUP_ID = 2
STORM_FEED_ID = 1  # channel ids: each group's feed, then its announcements
QUIET_FEED_ID = 3
STORM_MEMBERS = 50
QUIET_TABS = 10  # the quiet group's open tabs during the storm: clients 51..60
STORM_HISTORY = 2_000
QUIET_HISTORY = 500
HISTORY_AUTHORS = 40  # non-simulated clients writing the history of each group
REACTED_POSTS = 100  # the newest posts of each feed carry reactions and comments
QUIET_TITLE = "Quiet history"
STORM_TITLE = "Storm history"


def display_name(client_id: int) -> str:
    return f"Member {client_id}"


def seed_community(conn, insert: Callable, *, clients: int, bench_clients: int,
                   now: datetime) -> dict[str, int]:
    """Insert the two groups, their members and history; `insert` is bench.seed's bulk
    insert. The business row (id 1) gets the app, on and open to all."""
    from models import (
        ChannelKind,
        CommunityChannel,
        CommunityGroup,
        GroupMember,
        MemberStatus,
        Post,
        PostComment,
        Reaction,
    )

    raw = conn.connection.driver_connection
    raw.execute("UPDATE business SET apps_enabled = ?, apps_open = ? WHERE id = 1",
                ('["courses", "community"]', '["community"]'))
    started = now - timedelta(days=60)
    insert(conn, CommunityGroup, [
        {"id": STORM_GROUP_ID, "name": "Storm circle", "description": "The busy group.",
         "visibility": "open", "position": 0, "held_words": [], "created_at": started,
         "updated_at": started},
        {"id": QUIET_GROUP_ID, "name": "Quiet circle", "description": "The other group.",
         "visibility": "open", "position": 1, "held_words": [], "created_at": started,
         "updated_at": started}])
    insert(conn, CommunityChannel, [
        {"id": STORM_FEED_ID, "group_id": STORM_GROUP_ID, "name": "Feed",
         "kind": ChannelKind.FEED, "position": 0, "created_at": started},
        {"id": STORM_FEED_ID + 1, "group_id": STORM_GROUP_ID, "name": "Announcements",
         "kind": ChannelKind.ANNOUNCEMENTS, "position": 1, "created_at": started},
        {"id": QUIET_FEED_ID, "group_id": QUIET_GROUP_ID, "name": "Feed",
         "kind": ChannelKind.FEED, "position": 0, "created_at": started},
        {"id": QUIET_FEED_ID + 1, "group_id": QUIET_GROUP_ID, "name": "Announcements",
         "kind": ChannelKind.ANNOUNCEMENTS, "position": 1, "created_at": started}])

    # History authors: clients after the simulated ones (the storm group's first 40,
    # the quiet group's next 40), wrapping round in a small business.
    def authors(offset: int) -> list[int]:
        pool = list(range(bench_clients + 1, clients + 1)) or list(range(1, clients + 1))
        return [pool[(offset + k) % len(pool)] for k in range(HISTORY_AUTHORS)]

    storm_authors, quiet_authors = authors(0), authors(HISTORY_AUTHORS)
    members = {STORM_GROUP_ID: list(dict.fromkeys(
                   [*range(1, min(STORM_MEMBERS, bench_clients) + 1), *storm_authors])),
               QUIET_GROUP_ID: list(dict.fromkeys(
                   [*range(1, bench_clients + 1), *quiet_authors]))}
    rows, member_id = [], 0
    for group_id, ids in members.items():
        for cid in ids:
            member_id += 1
            rows.append({"id": member_id, "group_id": group_id, "client_id": cid,
                         "status": MemberStatus.ACTIVE, "joined_at": started,
                         "published_posts": 0, "created_at": started, "updated_at": started})
    insert(conn, GroupMember, rows)
    named = sorted({c for ids in members.values() for c in ids})
    raw.executemany("UPDATE client SET display_name = ? WHERE id = ?",
                    [(display_name(c), c) for c in named])

    posts, comments, reactions = [], [], []
    body = ("A note on what helped this week: *slow mornings*, a short walk, and "
            "asking for help early. ") * 3
    for group_id, channel_id, count, who, title in (
            (STORM_GROUP_ID, STORM_FEED_ID, STORM_HISTORY, storm_authors, STORM_TITLE),
            (QUIET_GROUP_ID, QUIET_FEED_ID, QUIET_HISTORY, quiet_authors, QUIET_TITLE)):
        for k in range(count):
            at = started + timedelta(minutes=30 * k * STORM_HISTORY // count)
            post_id = len(posts) + 1
            newest = k >= count - REACTED_POSTS
            post = {"id": post_id, "group_id": group_id, "channel_id": channel_id,
                    "author_client_id": who[k % len(who)], "title": f"{title} {k + 1}",
                    "body": body, "status": "published", "created_at": at,
                    "published_at": at, "comment_count": 2 if newest else 0,
                    "reaction_count": 3 if newest else 0}
            posts.append(post)
            if not newest:
                continue
            for j in range(2):
                comments.append({"id": len(comments) + 1, "post_id": post_id,
                                 "group_id": group_id,
                                 "author_client_id": who[(k + j + 1) % len(who)],
                                 "body": "Thanks for sharing.", "status": "published",
                                 "created_at": at + timedelta(minutes=5 + j),
                                 "published_at": at + timedelta(minutes=5 + j)})
            for j, emoji in enumerate(("👍", "❤️", "🎉")):
                reactions.append({"id": len(reactions) + 1, "group_id": group_id,
                                  "post_id": post_id, "target": f"p{post_id}",
                                  "client_id": who[(k + j + 2) % len(who)], "emoji": emoji,
                                  "created_at": at + timedelta(minutes=10)})
        for cid in who:
            published = sum(1 for p in posts if p["group_id"] == group_id
                            and p["author_client_id"] == cid)
            raw.execute("UPDATE group_member SET published_posts = ? WHERE group_id = ? "
                        "AND client_id = ?", (published, group_id, cid))
    insert(conn, Post, posts)
    insert(conn, PostComment, comments)
    insert(conn, Reaction, reactions)
    return {"community_groups": 2,
            "community_members": len(rows), "community_posts": len(posts),
            "community_comments": len(comments), "community_reactions": len(reactions)}
