"""The group and post pages' handlers hold on the server: the app check on every
call, another household's group or post refused, the composer's errors beside their
fields, reactions, edit and delete of one's own post, a report, and the live refresh
that reloads the feed or, for a member banned meanwhile, takes the page away."""

from sqlmodel import select

from models import ContentStatus, GroupMember, MemberStatus, Post, Reaction
from portal_app import routes
from portal_app.services.community import posts
from state.community.group_page import GroupPageState as G
from state.community.post_page import PostPageState as P
from tests import factories
from tests.state.harness import all_vars, call, page_events, signed_in_client, substate, tab_at
from tests.unit.community_feed_helpers import BASE, group

EDIT = {"title": "Edited", "body": "New text"}


def _world(session, *, open_app=True):
    factories.business(session, apps_enabled=["community"],
                       apps_open=["community"] if open_app else [])
    grp, chans = group(session, name="Makers")
    people = {}
    for name in ("Alice", "Bob"):
        token, client = signed_in_client(session, name)
        client.display_name = name
        session.add(client)
        session.add(GroupMember(group_id=grp.id, client_id=client.id,
                                status=MemberStatus.ACTIVE))
        people[name] = (token, client)
    outsider = signed_in_client(session, "Mallory")
    outsider[1].display_name = "Mallory"  # past the app's profile step: refused by the group
    session.add(outsider[1])
    session.commit()
    return grp, chans, people, outsider


def _group_tab(token, grp, channel=None):
    tab = tab_at(token, routes.community_group(grp.id, channel.id if channel else None))
    result = call(tab, G, "load")
    return tab, substate(tab, G), result


def _post(session, client, channel, title="Hello", body="Text"):
    done = posts.create_post(session, client_id=client.id, channel_id=channel.id, title=title,
                             body=body, base_url=BASE)
    session.commit()
    return done.row


def test_without_the_app_the_page_goes_to_the_dashboard(engine, session):
    grp, chans, people, _ = _world(session, open_app=False)
    token, _client = people["Alice"]
    for name, args in (("load", ()), ("toggle_reaction", ("1", "👍")), ("delete_post", ("1",)),
                       ("save_edit", (EDIT,)), ("submit_report", ({"reason": "x"},))):
        result = call(tab_at(token, routes.community_group(grp.id)), G, name, *args)
        assert "/dashboard" in repr(result), name


def test_a_member_sees_the_group_and_its_feed(engine, session):
    grp, chans, people, _ = _world(session)
    _post(session, people["Bob"][1], chans["feed"], title="From Bob")
    _tab, page, result = _group_tab(people["Alice"][0], grp)
    assert page_events(result) == [] and not page.missing
    assert page.group_name == "Makers" and [c["kind"] for c in page.channels] == [
        "feed", "announcements", "questions"]
    assert page.can_post and [p["title"] for p in page.posts] == ["From Bob"]
    assert page.posts[0]["author"] == "Bob"
    _tab, page, _ = _group_tab(people["Alice"][0], grp, chans["announcements"])
    assert not page.can_post


def test_another_households_group_and_post_are_refused(engine, session):
    grp, chans, people, (mallory_token, _m) = _world(session)
    post = _post(session, people["Alice"][1], chans["feed"], title="Private words")
    tab, page, result = _group_tab(mallory_token, grp)
    assert page.missing and "Private words" not in all_vars(tab)
    tab = tab_at(mallory_token, routes.community_post(post.id))
    call(tab, P, "load")
    assert substate(tab, P).missing and "Private words" not in all_vars(tab)
    for name, args in (("toggle_reaction", (str(post.id), "👍")), ("start_edit", (str(post.id),)),
                       ("delete_post", (str(post.id),)), ("open_report", (str(post.id),))):
        call(tab_at(mallory_token, routes.community_group(grp.id)), G, name, *args)
    session.expire_all()
    assert session.exec(select(Reaction)).all() == []
    assert session.get(Post, post.id).status == ContentStatus.PUBLISHED


def test_the_composer_error_shows_beside_its_field(engine, session):
    grp, chans, people, _ = _world(session)
    tab, page, _ = _group_tab(people["Alice"][0], grp)
    result = call(tab, G, "submit_post", [], {"title": " ", "body": "text"})
    assert result is None and page.errors["title"] == "Give your post a title."
    result = call(tab, G, "submit_post", [], {"title": "Hi", "body": "All of you"})
    assert page.errors == {} and "Posted." in repr(result)
    assert [p["title"] for p in page.posts] == ["Hi"]


def test_react_edit_and_delete_ones_own_post(engine, session):
    grp, chans, people, _ = _world(session)
    post = _post(session, people["Alice"][1], chans["feed"])
    tab, page, _ = _group_tab(people["Alice"][0], grp)
    call(tab, G, "toggle_reaction", str(post.id), "🎉")
    party = next(r for r in page.posts[0]["reactions"] if r["emoji"] == "🎉")
    assert party == {"emoji": "🎉", "count": "1", "mine": "yes"}
    call(tab, G, "start_edit", str(post.id))
    assert page.edit_open and page.edit_title == "Hello"
    call(tab, G, "save_edit", EDIT)
    assert not page.edit_open and page.posts[0]["title"] == "Edited"
    call(tab, G, "delete_post", str(post.id))
    assert page.posts == []


def test_bob_may_not_edit_alices_post_but_may_report_it(engine, session):
    grp, chans, people, _ = _world(session)
    post = _post(session, people["Alice"][1], chans["feed"])
    tab, page, _ = _group_tab(people["Bob"][0], grp)
    result = call(tab, G, "start_edit", str(post.id))
    assert not page.edit_open and "your own posts" in repr(result)
    call(tab, G, "open_report", str(post.id))
    result = call(tab, G, "submit_report", {"reason": ""})
    assert page.report_open and page.report_error == "Say briefly what is wrong."
    result = call(tab, G, "submit_report", {"reason": "Off topic"})
    assert not page.report_open and "The business will look at it." in repr(result)


def test_the_live_refresh_reloads_and_shuts_out_a_banned_member(engine, session):
    grp, chans, people, _ = _world(session)
    tab, page, _ = _group_tab(people["Alice"][0], grp)
    assert page.posts == []
    _post(session, people["Bob"][1], chans["feed"], title="New from Bob")
    assert page._live_refresh() is None
    assert [p["title"] for p in page.posts] == ["New from Bob"]
    row = session.exec(select(GroupMember).where(
        GroupMember.client_id == people["Alice"][1].id)).one()
    row.status = MemberStatus.BANNED
    session.add(row)
    session.commit()
    leave = page._live_refresh()
    assert page.missing and page.posts == [] and routes.COMMUNITY in repr(leave)
    assert "New from Bob" not in all_vars(tab)


def test_the_post_page_comments_and_reacts_on_a_comment(engine, session):
    grp, chans, people, _ = _world(session)
    post = _post(session, people["Alice"][1], chans["feed"])
    tab = tab_at(people["Bob"][0], routes.community_post(post.id))
    call(tab, P, "load")
    page = substate(tab, P)
    assert page.post["title"] == "Hello"
    result = call(tab, P, "add_comment", {"comment": "Nice one @Alice"})
    assert "Comment posted." in repr(result) and page.comments[0]["body"] == "Nice one @Alice"
    cid = page.comments[0]["id"]
    call(tab, P, "toggle_reaction", cid, "💡")
    assert next(r for r in page.comments[0]["reactions"] if r["emoji"] == "💡")["count"] == "1"
    call(tab, P, "start_edit", cid)
    call(tab, P, "save_edit", {"comment": "Edited"})
    assert page.comments[0]["body"] == "Edited" and page.editing_id == ""
    call(tab, P, "delete_comment", cid)
    assert page.comments == []


def test_a_feed_opened_again_sends_only_what_changed(engine, session):
    grp, chans, people, _ = _world(session)
    _post(session, people["Bob"][1], chans["feed"], title="First")
    tab, page, _ = _group_tab(people["Alice"][0], grp)
    tab._clean()
    call(tab, G, "load")  # the same tab opens the page again: nothing new to send
    assert not {"posts", "channels", "group_name"} & page.dirty_vars
    _post(session, people["Bob"][1], chans["feed"], title="Second")
    call(tab, G, "load")
    assert "posts" in page.dirty_vars and "channels" not in page.dirty_vars
    assert [p["title"] for p in page.posts] == ["Second", "First"]
