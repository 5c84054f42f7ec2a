"""Staff taking part in a group (services/community/staff_posts.py, staff_feed.py):
their posts are published at once anywhere, announcements included, mention and
notify like a member's; they change only their own text; pin any post; mark a best
answer in a questions channel only; the staff view shows hidden text, pinned first."""

import pytest
from sqlmodel import select

from models import AuditEvent, ContentStatus, LinkRule, Mention, Post
from portal_app.services.community import notices, points, staff_feed, staff_posts
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from tests import factories
from tests.sql import statements_of
from tests.unit.community_moderation_helpers import comment, community, post


@pytest.fixture
def w(session):
    return community(session, held_words=["refund"], link_rule=LinkRule.HOLD,
                     hold_first_posts=5)


@pytest.fixture
def calls(monkeypatch):
    seen = []
    monkeypatch.setattr(notices, "on_published", lambda session, *, post=None, comment=None,
                        base_url: seen.append(("notify", post, comment)) or [])
    monkeypatch.setattr(points, "award", lambda session, *, group, client_id, reason,
                        source: seen.append(("award", client_id, reason, source)))
    monkeypatch.setattr(points, "take_back", lambda session, *, source: seen.append(
        ("take_back", source)))
    return seen


def staff_post(session, w, channel=None, **kw):
    fields = {"title": "News", "body": "Refund policy: see https://x.test", **kw}
    made, _ = staff_posts.create_post(session, staff_id=w["staff"].id,
                                      channel_id=(channel or w["feed"]).id,
                                      base_url="http://x", **fields)
    session.commit()
    return made


def test_staff_post_in_announcements_is_published_never_held(session, w, calls):
    w["news"].approve_posts = True
    session.add(w["news"])
    session.commit()
    made = staff_post(session, w, w["news"])
    assert made.status == ContentStatus.PUBLISHED and made.published_at is not None
    assert made.author_staff_id == w["staff"].id and made.author_client_id is None
    assert calls == [("notify", made, None)]
    audit = session.exec(select(AuditEvent).where(
        AuditEvent.action == "community.staff_post")).one()
    assert audit.actor_kind == "staff" and audit.detail["target"] == f"p{made.id}"


def test_staff_post_refused_in_an_archived_channel(session, w, calls):
    w["feed"].archived = True
    session.add(w["feed"])
    session.commit()
    with pytest.raises(NotFound):
        staff_post(session, w)
    with pytest.raises(ServiceError) as err:
        staff_post(session, w, w["news"], title=" ")
    assert err.value.field == "title"
    assert calls == []


def test_staff_post_mentions_members_by_their_chosen_name(session, w, calls):
    made = staff_post(session, w, body="Welcome @ana and @Benjamin!")
    rows = session.exec(select(Mention)).all()
    assert [(m.post_id, m.client_id, m.comment_id) for m in rows] == [
        (made.id, w["ana"].id, None)]


def test_staff_comment_is_published_counted_and_notifies(session, w, calls):
    parent = post(session, w)
    made, _ = staff_posts.create_comment(session, staff_id=w["staff"].id, post_id=parent.id,
                                         body="Thanks @Ben", base_url="http://x")
    session.commit()
    session.refresh(parent)
    assert made.status == ContentStatus.PUBLISHED and parent.comment_count == 1
    assert calls == [("notify", None, made)]
    assert session.exec(select(Mention.client_id)).all() == [w["ben"].id]
    held = post(session, w, status=ContentStatus.HELD)
    with pytest.raises(ServiceError):
        staff_posts.create_comment(session, staff_id=w["staff"].id, post_id=held.id,
                                   body="x", base_url="http://x")


def test_staff_change_only_their_own_text(session, w, calls):
    mine = staff_post(session, w)
    other = factories.staff(session)
    with pytest.raises(NotAllowed):
        staff_posts.edit_post(session, staff_id=other.id, post_id=mine.id, title="X", body="")
    with pytest.raises(NotAllowed):
        staff_posts.delete_post(session, staff_id=other.id, post_id=post(session, w).id)
    staff_posts.edit_post(session, staff_id=w["staff"].id, post_id=mine.id, title="New",
                          body="Body")
    session.commit()
    assert (mine.title, mine.body) == ("New", "Body") and mine.edited_at is not None
    staff_posts.delete_post(session, staff_id=w["staff"].id, post_id=mine.id)
    session.commit()
    assert mine.status == ContentStatus.DELETED


def test_pinned_posts_come_first_in_the_staff_view(session, w, calls):
    old = post(session, w, title="Old")
    new = post(session, w, title="New")
    hidden = post(session, w, title="Hidden", status=ContentStatus.HIDDEN)
    post(session, w, title="Held", status=ContentStatus.HELD)
    staff_posts.set_pinned(session, staff_id=w["staff"].id, post_id=old.id, pinned=True)
    session.commit()
    view = staff_feed.get_channel_view(session, staff_id=w["staff"].id,
                                       group_id=w["group"].id, channel_id=w["feed"].id)
    assert [p.title for p in view.posts] == ["Old", "Hidden", "New"]
    assert view.posts[0].pinned and view.posts[1].status == "hidden"
    assert [c.kind for c in view.channels] == ["feed", "announcements", "questions"]
    staff_posts.set_pinned(session, staff_id=w["staff"].id, post_id=old.id, pinned=False)
    session.commit()
    assert not old.pinned and hidden.id and new.id
    with pytest.raises(ServiceError):
        staff_posts.set_pinned(session, staff_id=w["staff"].id, post_id=hidden.id, pinned=True)


def test_best_answer_only_in_a_questions_channel(session, w, calls):
    parent = post(session, w)
    reply = comment(session, w, parent)
    with pytest.raises(ServiceError, match="questions channel"):
        staff_posts.mark_best_answer(session, staff_id=w["staff"].id, comment_id=reply.id)
    assert parent.best_comment_id is None and calls == []


def test_best_answer_only_a_published_comment(session, w, calls):
    question = post(session, w, channel=w["questions"])
    held = comment(session, w, question, status=ContentStatus.HELD)
    with pytest.raises(ServiceError):
        staff_posts.mark_best_answer(session, staff_id=w["staff"].id, comment_id=held.id)
    assert calls == []


def test_best_answer_scores_and_is_taken_back_when_replaced_or_unmarked(session, w, calls):
    question = post(session, w, channel=w["questions"])
    first = comment(session, w, question)
    second = comment(session, w, question, author=w["ana"])
    staff_posts.mark_best_answer(session, staff_id=w["staff"].id, comment_id=first.id)
    staff_posts.mark_best_answer(session, staff_id=w["staff"].id, comment_id=second.id)
    session.commit()
    assert session.get(Post, question.id).best_comment_id == second.id
    staff_posts.unmark_best_answer(session, staff_id=w["staff"].id, post_id=question.id)
    session.commit()
    assert session.get(Post, question.id).best_comment_id is None
    assert calls == [("award", w["ben"].id, "best_answer", f"best:{first.id}"),
                     ("take_back", f"best:{first.id}"),
                     ("award", w["ana"].id, "best_answer", f"best:{second.id}"),
                     ("take_back", f"best:{second.id}")]


def test_staff_view_costs_the_same_statements_however_big(session, engine, w, calls):
    def count():
        session.expunge_all()
        return len(statements_of(engine, lambda: staff_feed.get_channel_view(
            session, staff_id=w["staff"].id, group_id=w["group"].id)))

    for _ in range(2):
        comment(session, w, post(session, w))
    small = count()
    for _ in range(30):
        comment(session, w, post(session, w))
    assert count() == small == 4
