"""Staff's moderation decisions (services/community/moderation.py): approving held
text publishes it, counts it, notifies and scores exactly then; reject, hide,
restore, remove and dismiss move text and reports as the rules say, each audited;
a second decision on the same text is refused and changes nothing."""

import pytest
from sqlmodel import select

from models import AuditEvent, ContentReport, ContentStatus, Post, ReportStatus
from portal_app.services.community import moderation, notices, points
from portal_app.services.errors import NotFound, ServiceError
from tests.unit.community_moderation_helpers import comment, community, member, post, report

HELD = ContentStatus.HELD


@pytest.fixture
def w(session):
    return community(session)


@pytest.fixture
def calls(monkeypatch):
    """What the notices and points contracts were asked, in order."""
    seen = []
    monkeypatch.setattr(notices, "on_published", lambda session, *, post=None, comment=None,
                        base_url: seen.append(("notify", post, comment)) or [77])
    monkeypatch.setattr(points, "award", lambda session, *, group, client_id, reason,
                        source: seen.append(("award", client_id, reason, source)))
    monkeypatch.setattr(points, "take_back", lambda session, *, source: seen.append(
        ("take_back", source)))
    return seen


def audits(session, action):
    return session.exec(select(AuditEvent).where(
        AuditEvent.action == f"community.{action}")).all()


def decide(session, w, fn, target, **kw):
    result = fn(session, staff_id=w["staff"].id, target=target, **kw)
    session.commit()
    return result


def test_approve_publishes_a_held_post_counts_notifies_and_scores_then(session, w, calls):
    held = post(session, w, status=HELD, reason="It contains a link.")
    assert calls == []  # held text: nobody was told
    decision = decide(session, w, moderation.approve, f"p{held.id}", base_url="http://x")
    session.refresh(held)
    assert held.status == ContentStatus.PUBLISHED and held.published_at is not None
    assert held.held_reason == ""
    assert member(session, w, w["ana"]).published_posts == 1
    assert calls == [("notify", held, None),
                     ("award", w["ana"].id, "post", f"post:{held.id}")]
    assert decision.notified == [77] and decision.group_id == w["group"].id
    (row,) = audits(session, "approve")
    assert row.actor_kind == "staff" and row.actor_id == w["staff"].id
    assert row.client_id == w["ana"].id and row.detail["target"] == f"p{held.id}"


def test_approve_a_held_comment_counts_it_on_its_post(session, w, calls):
    parent = post(session, w)
    held = comment(session, w, parent, status=HELD)
    assert parent.comment_count == 0
    decide(session, w, moderation.approve, f"c{held.id}", base_url="http://x")
    session.refresh(parent)
    session.refresh(held)
    assert held.status == ContentStatus.PUBLISHED and parent.comment_count == 1
    assert calls == [("notify", None, held),
                     ("award", w["ben"].id, "comment", f"comment:{held.id}")]


def test_approve_a_comment_refused_while_its_post_is_held(session, w, calls):
    parent = post(session, w, status=HELD)
    held = comment(session, w, parent, status=HELD)
    with pytest.raises(ServiceError, match="decide the post first"):
        moderation.approve(session, staff_id=w["staff"].id, target=f"c{held.id}",
                           base_url="http://x")
    assert calls == []


def test_second_decision_on_the_same_text_is_refused_and_changes_nothing(session, w, calls):
    held = post(session, w, status=HELD)
    decide(session, w, moderation.approve, f"p{held.id}", base_url="http://x")
    for fn, kw in ((moderation.approve, {"base_url": "x"}),
                   (moderation.reject, {"reason": "spam"}),
                   (moderation.restore, {})):
        with pytest.raises(ServiceError, match="Someone already decided this."):
            fn(session, staff_id=w["staff"].id, target=f"p{held.id}", **kw)
        session.rollback()
    assert member(session, w, w["ana"]).published_posts == 1
    assert len([c for c in calls if c[0] == "notify"]) == 1
    assert len(audits(session, "approve")) == 1


def test_a_decision_taken_in_another_tab_meanwhile_is_refused(session, w, engine, calls):
    """The second decider read the text as held, but the first one's commit wins."""
    from sqlmodel import Session

    held = post(session, w, status=HELD)
    with Session(engine) as other:
        moderation.reject(other, staff_id=w["staff"].id, target=f"p{held.id}", reason="no")
        other.commit()
    stale = session.get(Post, held.id)  # still "held" in this session's memory
    assert stale.status == HELD
    with pytest.raises(ServiceError, match="already decided"):
        moderation._claim(session, stale, (HELD,), status=ContentStatus.PUBLISHED)
    assert calls == []


def test_reject_removes_held_text_with_its_reason(session, w, calls):
    held = post(session, w, status=HELD)
    with pytest.raises(ServiceError) as err:
        moderation.reject(session, staff_id=w["staff"].id, target=f"p{held.id}", reason=" ")
    assert err.value.field == "reason"
    decide(session, w, moderation.reject, f"p{held.id}", reason="Off topic")
    session.refresh(held)
    assert (held.status, held.held_reason) == (ContentStatus.REMOVED, "Off topic")
    assert calls == [] and audits(session, "reject")[0].detail["reason"] == "Off topic"


def test_hide_then_restore_dismisses_the_open_reports(session, w, calls):
    shown = post(session, w)
    report(session, w, shown, w["ben"])
    decide(session, w, moderation.hide, f"p{shown.id}")
    session.refresh(shown)
    assert shown.status == ContentStatus.HIDDEN
    assert session.exec(select(ContentReport)).one().status == ReportStatus.OPEN
    decide(session, w, moderation.restore, f"p{shown.id}")
    session.refresh(shown)
    assert shown.status == ContentStatus.PUBLISHED
    rep = session.exec(select(ContentReport)).one()
    assert rep.status == ReportStatus.DISMISSED and rep.decided_by_staff_id == w["staff"].id
    assert calls == []  # restoring announces nothing again


def test_hiding_a_comment_takes_it_out_of_the_count(session, w, calls):
    parent = post(session, w)
    reply = comment(session, w, parent)
    decide(session, w, moderation.hide, f"c{reply.id}")
    session.refresh(parent)
    assert parent.comment_count == 0


def test_remove_actions_the_reports_and_takes_the_points_back(session, w, calls):
    parent = post(session, w, channel=w["questions"])
    reply = comment(session, w, parent)
    parent.best_comment_id = reply.id
    session.add(parent)
    session.commit()
    report(session, w, reply, w["ana"])
    decide(session, w, moderation.remove, f"c{reply.id}")
    session.refresh(reply)
    session.refresh(parent)
    assert reply.status == ContentStatus.REMOVED
    assert parent.comment_count == 0 and parent.best_comment_id is None
    assert session.exec(select(ContentReport)).one().status == ReportStatus.ACTIONED
    assert calls == [("take_back", f"comment:{reply.id}"), ("take_back", f"best:{reply.id}")]
    assert audits(session, "remove")[0].detail["reports"] == 1


def test_dismiss_restores_text_the_reports_hid(session, w, calls):
    shown = post(session, w)
    report(session, w, shown, w["ben"])
    shown.status = ContentStatus.HIDDEN  # the threshold hid it (the feed's reports)
    session.add(shown)
    session.commit()
    decide(session, w, moderation.dismiss_reports, f"p{shown.id}")
    session.refresh(shown)
    assert shown.status == ContentStatus.PUBLISHED
    assert session.exec(select(ContentReport)).one().status == ReportStatus.DISMISSED
    with pytest.raises(ServiceError, match="already decided"):
        moderation.dismiss_reports(session, staff_id=w["staff"].id, target=f"p{shown.id}")


def test_dismiss_keeps_text_staff_hid_themselves_hidden(session, w, calls):
    shown = post(session, w)
    report(session, w, shown, w["ben"])
    decide(session, w, moderation.hide, f"p{shown.id}")
    decide(session, w, moderation.dismiss_reports, f"p{shown.id}")
    session.refresh(shown)
    assert shown.status == ContentStatus.HIDDEN


@pytest.mark.parametrize("raw", ["", "x12", "p", "p-1", "c0", "pabc", None, "p99999"])
def test_unknown_targets_are_not_found(session, w, raw):
    with pytest.raises(NotFound):
        moderation.hide(session, staff_id=w["staff"].id, target=raw)


def test_approve_many_approves_the_open_ones_and_lists_the_rest(session, w, calls):
    first = post(session, w, status=HELD)
    second = post(session, w, status=HELD, author=w["ben"])
    done = post(session, w)
    decisions, skipped = moderation.decide_many(
        session, staff_id=w["staff"].id, action="approve", base_url="http://x",
        targets=[f"p{first.id}", f"p{second.id}", f"p{done.id}", "junk"])
    session.commit()
    assert [d.target for d in decisions] == [f"p{first.id}", f"p{second.id}"]
    assert skipped == [(f"p{done.id}", moderation.ALREADY), ("junk", moderation.NO_ITEM)]
    assert member(session, w, w["ben"]).published_posts == 1


def test_a_refused_decision_leaves_the_rest_of_the_transaction(session, w, calls):
    first = post(session, w, status=HELD)
    decided = post(session, w)
    moderation.decide(session, staff_id=w["staff"].id, action="approve",
                      target=f"p{first.id}", base_url="x")
    with pytest.raises(ServiceError):
        moderation.decide(session, staff_id=w["staff"].id, action="restore",
                          target=f"p{decided.id}")
    with pytest.raises(NotFound):
        moderation.decide(session, staff_id=w["staff"].id, action="drop", target="p1")
    session.commit()
    session.refresh(first)
    assert first.status == ContentStatus.PUBLISHED and len(audits(session, "approve")) == 1


def test_reject_many_checks_the_reason_first(session, w, calls):
    held = post(session, w, status=HELD)
    with pytest.raises(ServiceError) as err:
        moderation.decide_many(session, staff_id=w["staff"].id, action="reject",
                               targets=[f"p{held.id}"], reason="")
    assert err.value.field == "reason"
    done, skipped = moderation.decide_many(session, staff_id=w["staff"].id, action="reject",
                                           targets=[f"p{held.id}"], reason="Spam")
    assert len(done) == 1 and skipped == []


def test_approving_an_edit_of_published_text_tells_and_counts_nothing_again(
        session, w, calls, monkeypatch):
    """A published post its author edited into review was heard of when first
    published: approving the edit keeps its first publication time and counters and
    sends no new notices or points (only members the edit newly mentions are told)."""
    edited = []
    monkeypatch.setattr(notices, "on_edited", lambda session, *, post, comment=None,
                        base_url: edited.append((post.id, comment)) or [])
    first = post(session, w)
    published_at = first.published_at
    first.status, first.held_reason = HELD, "It contains a word the business reviews."
    session.add(first)
    session.commit()
    decide(session, w, moderation.approve, f"p{first.id}", base_url="http://x")
    session.refresh(first)
    assert first.status == ContentStatus.PUBLISHED and first.published_at == published_at
    assert member(session, w, w["ana"]).published_posts == 0
    assert calls == [] and edited == [(first.id, None)]
