"""The console's moderation pages hold on the server: staff only (a client's cookie
or none gets the console sign-in and changes nothing); the queue approves, rejects
(the reason beside its field) and says when someone decided first; a decision
reloads the group's tabs and the console's after the commit; the staff view of a
channel posts, pins and marks a best answer, and watches its group."""

import pytest
from reflex.istate.data import RouterData
from sqlmodel import select

import state.console_community.queue  # noqa: F401  (registers the states)
from models import ContentStatus, Post
from portal_app import live
from portal_app.services.community import notices
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_community.queue import CommunityQueueState as Q
from state.console_community.staff_group import StaffFeedState as F
from state.live_pages import states_for
from tests.state.harness import call, new_tab, signed_in_client, substate
from tests.unit.community_moderation_helpers import comment, community, post

HELD = ContentStatus.HELD


def tab(token, url: str = "/console/community/moderation"):
    root = new_tab(token)
    path = url.split("?")[0]
    data = {**root.router_data, "pathname": path, "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


def staff_token(session, staff):
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


@pytest.fixture
def w(engine, session):
    data = community(session)
    data["token"] = staff_token(session, data["staff"])
    return data


@pytest.fixture
def pushed(monkeypatch):
    seen = []
    monkeypatch.setattr(live, "group_changed", lambda g, **kw: seen.append(("group", g)))
    monkeypatch.setattr(live, "staff_changed", lambda **kw: seen.append(("staff",)))
    monkeypatch.setattr(live, "client_changed", lambda c, **kw: seen.append(("client", c)))
    return seen


@pytest.mark.parametrize("cls,name,args", [
    (Q, "load", ()), (Q, "approve", ("p1",)), (Q, "hide", ("p1",)), (Q, "remove", ("p1",)),
    (Q, "dismiss", ("p1",)), (Q, "restore", ("p1",)), (Q, "approve_selected", ()),
    (Q, "reject", ({"reason": "spam"},)), (F, "load", ()), (F, "pin", ("1",)),
    (F, "create_post", ({"title": "Hi", "body": "x"},)), (F, "remove_post", ("1",)),
    (F, "mark_best", ("1",)), (F, "add_comment", ({"post_id": "1", "comment": "x"},)),
])
def test_clients_and_strangers_are_sent_to_the_console_sign_in(w, session, cls, name, args):
    held = post(session, w, status=HELD)
    token, _client = signed_in_client(session, "Mallory")
    for who in (None, token):
        root = tab(who, f"/console/community/feed?id={w['group'].id}")
        if cls is Q:
            substate(root, Q).selected = [f"p{held.id}"]
            substate(root, Q)._reject_targets = [f"p{held.id}"]
        result = call(root, cls, name, *args)
        assert "/console/login" in repr(result)
    session.expire_all()
    assert session.get(Post, held.id).status == HELD
    assert session.exec(select(Post)).all() == [session.get(Post, held.id)]


def test_the_queue_lists_approves_and_pushes_after_the_commit(w, session, pushed,
                                                              monkeypatch):
    monkeypatch.setattr(notices, "on_published", lambda session, **kw: [w["ben"].id])
    held = post(session, w, status=HELD, title="Please approve",
                body="**bold** <script>x</script>")
    root = tab(w["token"])
    call(root, Q, "load")
    state = substate(root, Q)
    (row,) = state.held
    assert row["target"] == f"p{held.id}" and row["author"] == "Ana (Ana Legal)"
    assert "<strong>bold</strong>" in row["body_html"] and "<script>" not in row["body_html"]
    assert row["context"] == "Runners › Feed" and row["when"]
    call(root, Q, "approve", f"p{held.id}")
    session.expire_all()
    assert session.get(Post, held.id).status == ContentStatus.PUBLISHED
    assert state.held == [] and state.held_total == 0
    assert pushed == [("client", w["ben"].id), ("group", w["group"].id), ("staff",)]
    result = call(root, Q, "approve", f"p{held.id}")
    assert "Someone already decided this." in repr(result)
    assert len(pushed) == 3  # a refusal pushes nothing


def test_reject_shows_a_missing_reason_beside_its_field(w, session, pushed):
    held = post(session, w, status=HELD)
    root = tab(w["token"])
    call(root, Q, "load")
    call(root, Q, "open_reject", f"p{held.id}")
    state = substate(root, Q)
    call(root, Q, "reject", {"reason": "  "})
    assert state.reject_error and state.reject_open
    session.expire_all()
    assert session.get(Post, held.id).status == HELD
    call(root, Q, "reject", {"reason": "Off topic"})
    session.expire_all()
    assert session.get(Post, held.id).status == ContentStatus.REMOVED
    assert not state.reject_open and pushed[-1] == ("staff",)


def test_ticked_items_are_approved_at_once(w, session, pushed):
    first = post(session, w, status=HELD)
    parent = post(session, w)
    second = comment(session, w, parent, status=HELD)
    root = tab(w["token"])
    call(root, Q, "load")
    call(root, Q, "toggle_page", True)
    state = substate(root, Q)
    assert state.selected == [f"p{first.id}", f"c{second.id}"]
    call(root, Q, "approve_selected")
    session.expire_all()
    assert session.get(Post, parent.id).comment_count == 1
    assert state.held == [] and state.selected == [] and state.skipped == []


def test_the_queue_reloads_when_pushed(w, session):
    root = tab(w["token"])
    call(root, Q, "load")
    post(session, w, status=HELD)
    substate(root, Q)._live_refresh()
    assert len(substate(root, Q).held) == 1
    assert Q in states_for("/console/community/moderation")
    assert F in states_for("/console/community/feed")


def test_the_staff_view_posts_pins_and_watches_its_group(w, session, pushed):
    url = f"/console/community/feed?id={w['group'].id}&channel={w['news'].id}"
    root = tab(w["token"], url)
    call(root, F, "load")
    state = substate(root, F)
    assert state.channel_kind == "announcements" and len(state.channels) == 3
    assert "tab-token" in live.tabs_of("group", w["group"].id)
    call(root, F, "create_post", {"title": " ", "body": "x"})
    assert state.errors["title"] and state.posts == []
    call(root, F, "create_post", {"title": "Closed Monday", "body": "See you *Tuesday*"})
    (row,) = state.posts
    assert row["mine"] == "yes" and "<em>Tuesday</em>" in row["body_html"]
    assert pushed[-2:] == [("group", w["group"].id), ("staff",)]
    call(root, F, "pin", row["id"])
    assert state.posts[0]["pinned"] == "yes"


def test_a_best_answer_is_marked_from_the_staff_view(w, session, pushed):
    question = post(session, w, channel=w["questions"])
    reply = comment(session, w, question)
    url = f"/console/community/feed?id={w['group'].id}&channel={w['questions'].id}"
    root = tab(w["token"], url)
    call(root, F, "load")
    state = substate(root, F)
    assert [c["id"] for c in state.comments] == [str(reply.id)]
    call(root, F, "mark_best", str(reply.id))
    assert state.comments[0]["best"] == "yes" and state.posts[0]["best"] == str(reply.id)
    call(root, F, "remove_comment", str(reply.id))
    assert state.comments == [] and state.posts[0]["best"] == ""


def test_an_unknown_group_shows_nothing(w, session):
    root = tab(w["token"], "/console/community/feed?id=999")
    call(root, F, "load")
    assert substate(root, F).found is False
