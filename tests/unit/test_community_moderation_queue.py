"""The console's moderation queue (services/community/moderation_queue.py): held
text oldest first with its context and both author names; reported text grouped per
post or comment with its count and reasons, hidden first; a page costs the same
statements with 3 or 30 items."""

import pytest

from models import ContentStatus, ReportStatus
from portal_app.services.community import moderation_queue as queue
from tests.sql import statements_of
from tests.unit.community_moderation_helpers import comment, community, post, report

HELD = ContentStatus.HELD


@pytest.fixture
def w(session):
    return community(session)


def test_held_posts_and_comments_oldest_first_with_their_context(session, w):
    first = post(session, w, status=HELD, title="First", reason="It contains a link.")
    parent = post(session, w, title="Open post")
    reply = comment(session, w, parent, status=HELD, body="held reply")
    post(session, w)  # published: not in the queue
    found = queue.list_held(session)
    assert [i.target for i in found.items] == [f"p{first.id}", f"c{reply.id}"]
    assert found.total == 2 and found.pages == 1
    item = found.items[0]
    assert (item.kind, item.group_name, item.channel_name) == ("post", "Runners", "Feed")
    assert (item.author_display, item.author_legal) == ("Ana", "Ana Legal")
    assert item.held_reason == "It contains a link." and item.title == "First"
    other = found.items[1]
    assert (other.kind, other.post_title, other.body) == ("comment", "Open post", "held reply")
    assert other.author_legal == "Ben Legal"


def test_reported_text_grouped_with_count_and_reasons_hidden_first(session, w):
    loud = post(session, w, title="Loud")
    quiet = post(session, w, title="Quiet")
    reply = comment(session, w, quiet)
    report(session, w, loud, w["ben"], "Rude")
    report(session, w, reply, w["ana"], "Spam")
    third = report(session, w, quiet, w["ben"], "Off topic")
    report(session, w, quiet, w["ana"], "Off topic")
    quiet.status = ContentStatus.HIDDEN  # the threshold hid it
    session.add(quiet)
    closed = post(session, w)
    done = report(session, w, closed, w["ben"])
    done.status = ReportStatus.DISMISSED
    session.add(done)
    session.commit()
    found = queue.list_reported(session)
    assert [i.target for i in found.items] == [f"p{quiet.id}", f"p{loud.id}", f"c{reply.id}"]
    hidden = found.items[0]
    assert (hidden.status, hidden.report_count, hidden.reasons) == ("hidden", 2, ["Off topic"])
    assert found.items[2].kind == "comment" and found.items[2].reasons == ["Spam"]
    assert found.total == 3 and third.status == ReportStatus.OPEN


def test_removed_text_leaves_the_reported_tab(session, w):
    gone = post(session, w)
    report(session, w, gone, w["ben"])
    gone.status = ContentStatus.DELETED
    session.add(gone)
    session.commit()
    assert queue.list_reported(session).total == 0


def test_pages_clamp_to_what_exists(session, w):
    for _ in range(3):
        post(session, w, status=HELD)
    found = queue.list_held(session, page="99", per_page=2)
    assert (found.page, found.pages, len(found.items)) == (2, 2, 1)
    assert queue.list_held(session, page="x", per_page=2).page == 1


def _fill(session, w, n):
    for i in range(n):
        held = post(session, w, status=HELD, author=w["ana"] if i % 2 else w["ben"])
        comment(session, w, post(session, w), status=HELD)
        shown = post(session, w)
        report(session, w, shown, w["ben"])
        report(session, w, comment(session, w, shown), w["ana"])
        assert held.id


def test_a_queue_page_costs_the_same_statements_however_full(session, engine, w):
    def count():
        session.expunge_all()
        held = len(statements_of(engine, lambda: queue.list_held(session)))
        reported = len(statements_of(engine, lambda: queue.list_reported(session)))
        return held, reported

    _fill(session, w, 2)
    small = count()
    _fill(session, w, 15)
    assert count() == small == (4, 5)
