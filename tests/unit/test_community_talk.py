"""Comments, reactions, @mentions and reports on posts: the counts kept on the
post, the held rules for comments, toggling reactions from the fixed set, mentions
found by display name (longest first, never the author), and reports that hide the
text at the group's threshold — each once per person, never one's own, rate limited."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import AuditEvent, ContentStatus, MemberStatus, Mention, Post, PostComment, Reaction
from portal_app.services.community import comments, mentions, reactions, reports
from portal_app.services.errors import NotAllowed, NotFound, RateLimited, ServiceError
from tests.unit.community_feed_helpers import (  # noqa: F401 (fixture)
    BASE,
    T0,
    group,
    member,
    world_fixture,
    write,
)


def _comment(session, client, post, body="Nice", **kw) -> PostComment:
    done = comments.add_comment(session, client_id=client.id, post_id=post.id, body=body,
                                base_url=BASE, **kw)
    session.commit()
    return done.row


def _post(session, post) -> Post:
    session.expire_all()
    return session.get(Post, post.id)


def test_a_comment_is_published_and_counted(session, world):
    post = write(session, world["alice"], world["feed"])
    c = _comment(session, world["bob"], post)
    assert c.status == ContentStatus.PUBLISHED
    assert _post(session, post).comment_count == 1


def test_a_held_comment_is_not_counted(session, world):
    grp = world["group"]
    grp.held_words = ["rude"]
    session.add(grp)
    session.commit()
    post = write(session, world["alice"], world["feed"])
    assert _comment(session, world["bob"], post, body="so rude").status == ContentStatus.HELD
    assert _post(session, post).comment_count == 0


def test_an_edited_comment_with_a_held_word_leaves_the_count(session, world):
    post = write(session, world["alice"], world["feed"])
    c = _comment(session, world["bob"], post)
    grp = world["group"]
    grp.held_words = ["rude"]
    session.add(grp)
    session.commit()
    comments.edit_comment(session, client_id=world["bob"].id, comment_id=c.id, body="rude")
    session.commit()
    assert _post(session, post).comment_count == 0


def test_a_deleted_comment_leaves_the_count_and_only_its_author_may_delete(session, world):
    post = write(session, world["alice"], world["feed"])
    c = _comment(session, world["bob"], post)
    with pytest.raises(NotAllowed):
        comments.delete_comment(session, client_id=world["alice"].id, comment_id=c.id)
    comments.delete_comment(session, client_id=world["bob"].id, comment_id=c.id)
    session.commit()
    assert _post(session, post).comment_count == 0


def test_a_held_post_takes_no_comment(session, world):
    channel = world["feed"]
    channel.approve_posts = True
    session.add(channel)
    session.commit()
    post = write(session, world["alice"], channel)
    with pytest.raises(NotAllowed):
        _comment(session, world["alice"], post)
    with pytest.raises(NotFound):  # another member cannot see it at all
        _comment(session, world["bob"], post)


def test_commenting_is_rate_limited(session, world):
    post = write(session, world["alice"], world["feed"])
    for _ in range(comments.COMMENTS_PER_WINDOW):
        _comment(session, world["bob"], post, now=T0)
    with pytest.raises(RateLimited):
        _comment(session, world["bob"], post, now=T0 + timedelta(minutes=2))


def test_a_reaction_toggles_and_keeps_the_count(session, world):
    post = write(session, world["alice"], world["feed"])
    assert reactions.toggle_reaction(session, client_id=world["bob"].id, post_id=post.id,
                                     emoji="🎉") is True
    reactions.toggle_reaction(session, client_id=world["alice"].id, post_id=post.id, emoji="🎉")
    session.commit()
    assert _post(session, post).reaction_count == 2
    assert reactions.toggle_reaction(session, client_id=world["bob"].id, post_id=post.id,
                                     emoji="🎉") is False
    session.commit()
    assert _post(session, post).reaction_count == 1
    assert len(session.exec(select(Reaction)).all()) == 1


def test_a_reaction_outside_the_set_is_refused(session, world):
    post = write(session, world["alice"], world["feed"])
    with pytest.raises(ServiceError):
        reactions.toggle_reaction(session, client_id=world["bob"].id, post_id=post.id,
                                  emoji="<b>")


def test_a_comment_reaction_is_checked_against_its_post(session, world):
    post = write(session, world["alice"], world["feed"])
    other = write(session, world["alice"], world["feed"], title="Other")
    c = _comment(session, world["bob"], post)
    with pytest.raises(NotFound):
        reactions.toggle_reaction(session, client_id=world["alice"].id, post_id=other.id,
                                  comment_id=c.id, emoji="👍")
    reactions.toggle_reaction(session, client_id=world["alice"].id, post_id=post.id,
                              comment_id=c.id, emoji="👍")
    session.commit()
    assert _post(session, post).reaction_count == 0  # the comment's, not the post's


def test_a_muted_member_may_not_react(session, world):
    post = write(session, world["alice"], world["feed"])
    m = world["bob_m"]
    m.muted_until = T0 + timedelta(days=3650)
    session.add(m)
    session.commit()
    with pytest.raises(NotAllowed):
        reactions.toggle_reaction(session, client_id=world["bob"].id, post_id=post.id,
                                  emoji="👍")


def test_mentions_name_members_by_display_name_longest_first():
    names = [("bob stone", 2), ("bob", 3), ("alice", 1)]
    assert mentions.find_mentions("hi @Bob Stone and @alice!", names) == [2, 1]
    assert mentions.find_mentions("hi @Bob, @bobby", names) == [3]
    assert mentions.find_mentions("mail me a@b", names) == []


def test_a_post_writes_mention_rows_not_for_its_author(session, world):
    post = write(session, world["alice"], world["feed"], body="@bob stone and @Alice look")
    rows = session.exec(select(Mention).where(Mention.post_id == post.id)).all()
    assert [r.client_id for r in rows] == [world["bob"].id]
    c = _comment(session, world["bob"], post, body="thanks @alice")
    rows = session.exec(select(Mention).where(Mention.comment_id == c.id)).all()
    assert [r.client_id for r in rows] == [world["alice"].id]


def test_a_mention_of_someone_outside_the_group_writes_nothing(session, world):
    other, _chans = group(session, name="Elsewhere")
    member(session, other, "Zed")
    banned, _m = member(session, world["group"], "Yves", status=MemberStatus.BANNED)
    session.commit()
    post = write(session, world["alice"], world["feed"], body="hey @Zed and @Yves")
    assert session.exec(select(Mention).where(Mention.post_id == post.id)).all() == []


def _report(session, client, post, comment=None, reason="Spam", **kw):
    out = reports.report_content(session, client_id=client.id, post_id=post.id,
                                 comment_id=comment.id if comment else None, reason=reason,
                                 **kw)
    session.commit()
    return out


def test_reports_hide_a_post_at_the_threshold(session, world):
    grp = world["group"]
    grp.report_threshold = 2
    session.add(grp)
    carol, _m = member(session, grp, "Carol")
    session.commit()
    post = write(session, world["alice"], world["feed"])
    _report_row, hidden = _report(session, world["bob"], post)
    assert not hidden and _post(session, post).status == ContentStatus.PUBLISHED
    _report_row, hidden = _report(session, carol, post)
    assert hidden and _post(session, post).status == ContentStatus.HIDDEN
    actions = session.exec(select(AuditEvent.action)).all()
    assert actions.count("community.reported") == 2
    assert "community.hidden_by_reports" in actions


def test_a_hidden_comment_leaves_the_count(session, world):
    grp = world["group"]
    grp.report_threshold = 1
    session.add(grp)
    session.commit()
    post = write(session, world["alice"], world["feed"])
    c = _comment(session, world["bob"], post)
    _row, hidden = _report(session, world["alice"], post, c)
    assert hidden and _post(session, post).comment_count == 0


def test_a_report_is_once_per_person_never_ones_own_and_needs_a_reason(session, world):
    post = write(session, world["alice"], world["feed"])
    with pytest.raises(NotAllowed):
        _report(session, world["alice"], post)
    with pytest.raises(ServiceError) as exc:
        _report(session, world["bob"], post, reason="  ")
    assert exc.value.field == "reason"
    _report(session, world["bob"], post)
    with pytest.raises(ServiceError):
        _report(session, world["bob"], post)


def test_reporting_is_rate_limited(session, world):
    many = [write(session, world["alice"], world["feed"], title=f"P{i}",
                  now=T0 - timedelta(hours=20 - i)) for i in range(reports.REPORTS_PER_WINDOW + 1)]
    for post in many[:-1]:
        _report(session, world["bob"], post, now=T0)
    with pytest.raises(RateLimited):
        _report(session, world["bob"], many[-1], now=T0)


def test_reports_never_hide_the_business_own_post(session, world):
    grp = world["group"]
    grp.report_threshold = 1
    session.add(grp)
    staff_post = Post(group_id=grp.id, channel_id=world["feed"].id, author_client_id=None,
                      title="Opening hours", body="We open at 8.",
                      status=ContentStatus.PUBLISHED)
    session.add(staff_post)
    session.commit()
    _report_row, hidden = _report(session, world["bob"], staff_post)
    assert not hidden and _post(session, staff_post).status == ContentStatus.PUBLISHED


def test_a_report_never_overwrites_a_staff_decision(session, world):
    """Staff removed the post between the reader's load and the report's hiding."""
    grp = world["group"]
    grp.report_threshold = 1
    session.add(grp)
    post = write(session, world["alice"], world["feed"])
    session.commit()
    from portal_app.services.community.reports import _hide_if_published

    post.status = ContentStatus.REMOVED
    session.add(post)
    session.commit()
    assert _hide_if_published(session, post) is False
    assert _post(session, post).status == ContentStatus.REMOVED


def test_deleting_a_best_answer_unmarks_it_and_takes_its_points_back(session, world,
                                                                     monkeypatch):
    from portal_app.services.community import points

    post = write(session, world["alice"], world["feed"])
    answer = _comment(session, world["bob"], post)
    post = _post(session, post)
    post.best_comment_id = answer.id
    session.add(post)
    session.commit()
    taken = []
    monkeypatch.setattr(points, "take_back", lambda session, *, source: taken.append(source))
    comments.delete_comment(session, client_id=world["bob"].id, comment_id=answer.id)
    session.commit()
    assert _post(session, post).best_comment_id is None
    assert f"best:{answer.id}" in taken


def test_editing_is_rate_limited(session, world):
    from portal_app.services.community import posts

    post = write(session, world["alice"], world["feed"])
    for i in range(posts.EDITS_PER_WINDOW):
        posts.edit_post(session, client_id=world["alice"].id, post_id=post.id,
                        title=f"T{i}", body="b")
    with pytest.raises(RateLimited):
        posts.edit_post(session, client_id=world["alice"].id, post_id=post.id, title="x",
                        body="b")
