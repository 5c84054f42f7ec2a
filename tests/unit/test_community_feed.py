"""What the feed and the post page show: pinned first, newest first, the reader's own
held posts marked and nobody else's, hidden and deleted posts gone, display names
(never the legal name), safe Markdown, reactions per emoji, paging by cursor; and a
post's files under the document rules (at most 4, checked by content, no file left
behind when the post is refused)."""

import pytest
from sqlmodel import select

from models import CommunityFile, ContentStatus, Post, StaffUser
from portal_app.services.community import comments, feed, files, posts, reactions
from portal_app.services.documents import IncomingFile
from portal_app.services.errors import NotFound, ServiceError
from tests.unit.community_feed_helpers import (  # noqa: F401 (fixture)
    BASE,
    group,
    member,
    storage_fixture,
    world_fixture,
    write,
)
from tests.unit.test_file_checks import EXE, image_bytes, pdf_bytes

LIMITS = {"max_file_bytes": 1024 * 1024, "max_request_bytes": 4 * 1024 * 1024}


def _titles(page):
    return [p["title"] for p in page.posts]


def test_the_feed_shows_pinned_first_then_newest(session, world):
    a, b, c = (write(session, world["alice"], world["feed"], title=t) for t in "ABC")
    a.pinned = True
    session.add(a)
    session.commit()
    page = feed.list_feed(session, client_id=world["bob"].id, channel_id=world["feed"].id)
    assert _titles(page) == ["A", "C", "B"] and page.posts[0]["pinned"] == "yes"


def test_own_held_posts_show_to_their_author_only(session, world):
    grp = world["group"]
    grp.held_words = ["later"]
    session.add(grp)
    session.commit()
    write(session, world["alice"], world["feed"], title="Shown")
    write(session, world["alice"], world["feed"], title="Held", body="later")
    mine = feed.list_feed(session, client_id=world["alice"].id, channel_id=world["feed"].id)
    assert _titles(mine) == ["Held", "Shown"] and mine.posts[0]["held"] == "yes"
    theirs = feed.list_feed(session, client_id=world["bob"].id, channel_id=world["feed"].id)
    assert _titles(theirs) == ["Shown"]


def test_hidden_and_deleted_posts_leave_the_feed(session, world):
    for title, status in (("Hidden", ContentStatus.HIDDEN), ("Gone", ContentStatus.DELETED)):
        post = write(session, world["alice"], world["feed"], title=title)
        post.status = status
        session.add(post)
    session.commit()
    assert _titles(feed.list_feed(session, client_id=world["alice"].id,
                                  channel_id=world["feed"].id)) == []


def test_the_feed_pages_by_cursor(session, world):
    for i in range(5):
        write(session, world["alice"], world["feed"], title=f"P{i}")
    first = feed.list_feed(session, client_id=world["bob"].id, channel_id=world["feed"].id,
                           limit=2)
    second = feed.list_feed(session, client_id=world["bob"].id, channel_id=world["feed"].id,
                            before=first.next_before, limit=2)
    last = feed.list_feed(session, client_id=world["bob"].id, channel_id=world["feed"].id,
                          before=second.next_before, limit=2)
    assert (_titles(first), _titles(second), _titles(last)) == (
        ["P4", "P3"], ["P2", "P1"], ["P0"])
    assert last.next_before is None


def test_a_post_shows_the_display_name_safe_html_and_reactions(session, world):
    post = write(session, world["alice"], world["feed"],
                 body="**hi** <script>alert(1)</script> ![x](https://track.example/p.png)")
    reactions.toggle_reaction(session, client_id=world["bob"].id, post_id=post.id, emoji="🙏")
    session.commit()
    (view,) = feed.list_feed(session, client_id=world["bob"].id,
                             channel_id=world["feed"].id).posts
    assert view["author"] == "Alice" and world["alice"].full_name not in repr(view)
    assert "<strong>hi</strong>" in view["html"] and "<script>" not in view["html"]
    assert "track.example" not in view["html"]  # no remote image in a member's post

    pray = next(r for r in view["reactions"] if r["emoji"] == "🙏")
    assert pray == {"emoji": "🙏", "count": "1", "mine": "yes"}


def test_a_posts_headings_sit_below_its_title(session, world):
    write(session, world["alice"], world["feed"], body="# Big\n\n### Small")
    (view,) = feed.list_feed(session, client_id=world["bob"].id,
                             channel_id=world["feed"].id).posts
    assert "<h4>Big</h4>" in view["html"] and "<h6>Small</h6>" in view["html"]


def test_a_staff_post_carries_the_business_badge(session, world):
    staff = StaffUser(email="s@studio.test", full_name="Sam Staff", password_hash="!")
    session.add(staff)
    session.flush()
    session.add(Post(group_id=world["group"].id, channel_id=world["feed"].id,
                     author_staff_id=staff.id, title="News", status=ContentStatus.PUBLISHED))
    session.commit()
    (view,) = feed.list_feed(session, client_id=world["bob"].id,
                             channel_id=world["feed"].id).posts
    assert (view["author"], view["badge"]) == ("Sam Staff", world["business"].name)


def test_another_groups_channel_and_post_are_not_found(session, world):
    other, chans = group(session, name="Other")
    session.commit()
    with pytest.raises(NotFound):
        feed.list_feed(session, client_id=world["bob"].id, channel_id=chans["feed"].id)
    with pytest.raises(NotFound):
        feed.open_group(session, client_id=world["bob"].id, group_id=world["group"].id,
                        channel_id=chans["feed"].id)


def test_post_detail_lists_published_comments_and_own_held(session, world):
    grp = world["group"]
    grp.held_words = ["hmm"]
    session.add(grp)
    session.commit()
    post = write(session, world["alice"], world["feed"])
    for who, body in ((world["bob"], "ok"), (world["bob"], "hmm"), (world["alice"], "yes")):
        comments.add_comment(session, client_id=who.id, post_id=post.id, body=body,
                             base_url=BASE)
    session.commit()
    bob = feed.post_detail(session, client_id=world["bob"].id, post_id=post.id)
    alice = feed.post_detail(session, client_id=world["alice"].id, post_id=post.id)
    assert [c["body"] for c in bob.comments] == ["ok", "hmm", "yes"]
    assert [c["body"] for c in alice.comments] == ["ok", "yes"]


def test_a_post_keeps_up_to_four_checked_files(session, world, storage):
    pics = [IncomingFile(f"p{i}.png", image_bytes("PNG")) for i in range(3)]
    post = write(session, world["alice"], world["feed"], storage=storage,
                 files=[*pics, IncomingFile("notes.pdf", pdf_bytes())], **LIMITS)
    rows = session.exec(select(CommunityFile).where(CommunityFile.post_id == post.id)).all()
    assert sorted(r.content_type for r in rows) == ["application/pdf"] + ["image/png"] * 3
    assert all(storage.read(r.stored_name) for r in rows)
    (view,) = feed.list_feed(session, client_id=world["bob"].id,
                             channel_id=world["feed"].id).posts
    assert [f["image"] for f in view["files"]] == ["yes", "yes", "yes", ""]
    got = files.get_file_for_client(session, client_id=world["bob"].id, file_id=rows[0].id)
    assert got.id == rows[0].id


def test_a_fifth_file_or_a_bad_type_refuses_the_post_and_leaves_nothing(session, world,
                                                                         storage):
    pics = [IncomingFile(f"p{i}.png", image_bytes("PNG")) for i in range(5)]
    for batch in (pics, [IncomingFile("x.pdf", EXE)]):
        with pytest.raises(ServiceError) as exc:
            write(session, world["alice"], world["feed"], storage=storage, files=batch,
                  **LIMITS)
        assert exc.value.field == "files"
        session.rollback()
    assert session.exec(select(Post)).all() == []
    assert not storage.root.exists() or not list(storage.root.iterdir())


def test_a_failed_transaction_leaves_no_file(session, world, storage):
    write_ok = [IncomingFile("p.png", image_bytes("PNG"))]
    posts.create_post(session, client_id=world["alice"].id, channel_id=world["feed"].id,
                      title="T", body="B", files=write_ok, storage=storage, base_url=BASE,
                      **LIMITS)
    assert list(storage.root.iterdir())
    session.rollback()
    assert not list(storage.root.iterdir())


def test_a_deleted_posts_file_is_no_longer_served(session, world, storage):
    post = write(session, world["alice"], world["feed"], storage=storage,
                 files=[IncomingFile("p.png", image_bytes("PNG"))], **LIMITS)
    row = session.exec(select(CommunityFile)).one()
    posts.delete_post(session, client_id=world["alice"].id, post_id=post.id)
    session.commit()
    with pytest.raises(NotFound):
        files.get_file_for_client(session, client_id=world["alice"].id, file_id=row.id)
    with pytest.raises(NotFound):
        files.get_file_for_staff(session, file_id=row.id)


def test_the_feeds_reactions_and_files_read_with_its_posts_match_the_post_pages(
        session, world, storage):
    """The feed reads reactions and the presence of files in its posts' statement; the
    post page reads them on their own: every post shows the same on both."""
    carol = feed_helpers_member(session, world, "Carol")
    plain = write(session, world["alice"], world["feed"], title="Plain")
    liked = write(session, world["alice"], world["feed"], title="Liked")
    filed = write(session, world["bob"], world["feed"], title="Filed", storage=storage,
                  files=[IncomingFile("p.png", image_bytes("PNG")),
                         IncomingFile("n.pdf", pdf_bytes())], **LIMITS)
    for who, emoji in ((world["bob"], "👍"), (carol, "👍"), (carol, "❤️"),
                       (world["bob"], "🙏"), (world["alice"], "🎉")):
        reactions.toggle_reaction(session, client_id=who.id, post_id=liked.id, emoji=emoji)
    reactions.toggle_reaction(session, client_id=carol.id, post_id=filed.id, emoji="💡")
    session.commit()
    for reader in (world["bob"], carol, world["alice"]):
        page = feed.list_feed(session, client_id=reader.id, channel_id=world["feed"].id)
        for view in page.posts:
            alone = feed.post_detail(session, client_id=reader.id, post_id=view["id"]).post
            assert view == alone
    bob_view = {p["title"]: p for p in feed.list_feed(
        session, client_id=world["bob"].id, channel_id=world["feed"].id).posts}
    counts = {r["emoji"]: (r["count"], r["mine"]) for r in bob_view["Liked"]["reactions"]}
    assert counts == {"👍": ("2", "yes"), "❤️": ("1", ""), "🎉": ("1", ""), "😂": ("0", ""),
                      "🙏": ("1", "yes"), "💡": ("0", "")}
    assert [f["name"] for f in bob_view["Filed"]["files"]] == ["p.png", "n.pdf"]
    assert bob_view["Plain"]["files"] == [] and plain.id


def feed_helpers_member(session, world, name):
    client, _row = member(session, world["group"], name)
    session.commit()
    return client
