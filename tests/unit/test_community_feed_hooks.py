"""The feed calls the notices and points contracts (services/community/notices.py,
points.py) at the right moments: `on_published` for text that becomes published and
never for held text, its returned ids handed back to the caller; points for a post,
a comment and a reaction received (never one's own), taken back on delete and
un-react."""

import pytest

from models import PointReason
from portal_app.services.community import comments, notices, points, posts, reactions
from tests.unit.community_feed_helpers import BASE, world_fixture, write  # noqa: F401


@pytest.fixture
def calls(monkeypatch):
    seen = {"published": [], "award": [], "take_back": []}

    def on_published(session, *, post=None, comment=None, base_url):
        seen["published"].append(("comment", comment.id) if comment else ("post", post.id))
        return [4242]

    def award(session, *, group, client_id, reason, source):
        seen["award"].append((client_id, reason, source))

    def take_back(session, *, source):
        seen["take_back"].append(source)

    monkeypatch.setattr(notices, "on_published", on_published)
    monkeypatch.setattr(points, "award", award)
    monkeypatch.setattr(points, "take_back", take_back)
    return seen


def test_a_published_post_notifies_and_scores(session, world, calls):
    done = posts.create_post(session, client_id=world["alice"].id, channel_id=world["feed"].id,
                             title="T", body="B", base_url=BASE)
    assert done.notify == [4242]
    pid = done.row.id
    assert calls["published"] == [("post", pid)]
    assert calls["award"] == [(world["alice"].id, PointReason.POST, f"post:{pid}")]
    posts.delete_post(session, client_id=world["alice"].id, post_id=pid)
    assert calls["take_back"] == [f"post:{pid}"]


def test_held_text_notifies_nobody(session, world, calls):
    grp = world["group"]
    grp.held_words = ["wait"]
    session.add(grp)
    session.commit()
    done = posts.create_post(session, client_id=world["alice"].id, channel_id=world["feed"].id,
                             title="T", body="wait", base_url=BASE)
    assert done.notify == [] and calls["published"] == [] and calls["award"] == []
    post = write(session, world["alice"], world["feed"], title="Fine")
    calls["published"].clear()
    held = comments.add_comment(session, client_id=world["bob"].id, post_id=post.id,
                                body="please wait", base_url=BASE)
    assert held.notify == [] and calls["published"] == []


def test_a_comment_notifies_and_scores(session, world, calls):
    post = write(session, world["alice"], world["feed"])
    calls["award"].clear()
    done = comments.add_comment(session, client_id=world["bob"].id, post_id=post.id,
                                body="Hi", base_url=BASE)
    cid = done.row.id
    assert calls["published"][-1] == ("comment", cid) and done.notify == [4242]
    assert calls["award"] == [(world["bob"].id, PointReason.COMMENT, f"comment:{cid}")]


def test_a_reaction_scores_for_the_author_only_and_is_taken_back(session, world, calls):
    post = write(session, world["alice"], world["feed"])
    calls["award"].clear()
    reactions.toggle_reaction(session, client_id=world["alice"].id, post_id=post.id, emoji="👍")
    assert calls["award"] == []  # one's own post: no points
    reactions.toggle_reaction(session, client_id=world["bob"].id, post_id=post.id, emoji="👍")
    ((who, reason, source),) = calls["award"]
    assert who == world["alice"].id and reason == PointReason.REACTION
    assert source.startswith("reaction:")
    reactions.toggle_reaction(session, client_id=world["bob"].id, post_id=post.id, emoji="👍")
    assert source in calls["take_back"]
