"""The feed's first page sends the same number of SQL statements whether the channel
holds 20 posts, 2,000 or 100,000 (inserted by one executemany), and stays quick."""

import time

from sqlalchemy import insert

from models import ContentStatus, Post, Reaction
from portal_app.services.community import feed
from tests.sql import statements_of
from tests.unit.community_feed_helpers import (  # noqa: F401 (fixtures)
    T0,
    group,
    member,
    storage_fixture,
    world_fixture,
)


def _fill(session, world, n: int):
    """A fresh group of `n` posts by two members, a few pinned, reacted and held."""
    grp, chans = group(session, name=f"Big {n}")
    alice, _ = member(session, grp, f"Ann{n}")
    bob, _ = member(session, grp, f"Ben{n}")
    channel = chans["feed"]
    session.flush()
    rows = [{"group_id": grp.id, "channel_id": channel.id,
             "author_client_id": (alice.id, bob.id)[i % 2], "title": f"Post {i}",
             "body": f"Text **{i}**", "status": ContentStatus.PUBLISHED,
             "held_reason": "", "pinned": i in (3, 5), "comment_count": 0,
             "reaction_count": 0, "created_at": T0, "published_at": T0}
            for i in range(n)]
    rows[-2]["status"] = ContentStatus.HELD
    session.execute(insert(Post), rows)
    session.commit()
    last = session.exec(Post.__table__.select().order_by(Post.id.desc()).limit(30)).all()
    session.execute(insert(Reaction), [
        {"group_id": grp.id, "post_id": r.id, "target": f"p{r.id}", "client_id": bob.id,
         "emoji": "👍", "created_at": T0} for r in last])
    session.commit()
    return alice, channel


def _first_page_statements(engine, session, alice, channel) -> tuple[int, list[dict]]:
    session.expire_all()
    pages = []

    def work():
        pages.append(feed.list_feed(session, client_id=alice.id, channel_id=channel.id))
        session.commit()

    sent = statements_of(engine, work)
    return len(sent), pages[0].posts


def test_the_feed_statements_stay_constant_as_the_group_grows(engine, session, world):
    small = _fill(session, world, 20)
    large = _fill(session, world, 2000)
    n_small, page_small = _first_page_statements(engine, session, *small)
    n_large, page_large = _first_page_statements(engine, session, *large)
    assert n_small == n_large
    assert len(page_large) >= 20 and page_large[0]["pinned"] == "yes"


def test_the_feed_at_100000_posts_keeps_the_same_statements(engine, session, world):
    small = _fill(session, world, 20)
    n_small, _ = _first_page_statements(engine, session, *small)
    started = time.monotonic()
    large = _fill(session, world, 100_000)
    n_large, page = _first_page_statements(engine, session, *large)
    assert n_large == n_small
    assert page[2]["title"] == "Post 99999" and page[3]["held"] == "yes"
    t0 = time.monotonic()
    nxt = feed.list_feed(session, client_id=large[0].id, channel_id=large[1].id)
    assert time.monotonic() - t0 < 1.0 and nxt.next_before is not None
    assert time.monotonic() - started < 20


def test_the_files_are_read_only_for_a_page_with_files(engine, session, world, storage):
    """A page whose posts have no files reads none (its reactions come with its posts);
    one with a file reads the files of that post alone: one statement more."""
    from portal_app.services.community import posts
    from portal_app.services.documents import IncomingFile
    from tests.unit.community_feed_helpers import BASE
    from tests.unit.test_file_checks import image_bytes

    alice, channel = _fill(session, world, 20)
    n_plain, _ = _first_page_statements(engine, session, alice, channel)
    posts.create_post(session, client_id=alice.id, channel_id=channel.id, title="Pic",
                      body="A picture", base_url=BASE, storage=storage,
                      files=[IncomingFile("p.png", image_bytes("PNG"))],
                      max_file_bytes=1 << 20, max_request_bytes=1 << 22)
    session.commit()
    n_files, page = _first_page_statements(engine, session, alice, channel)
    assert n_files == n_plain + 1
    assert [f["name"] for f in page[2]["files"]] == ["p.png"]


def test_the_pinned_posts_are_found_without_walking_the_channel(engine, session, world):
    """The first page's pinned posts come from the partial index of pinned posts
    (ix_post_pinned), not from every published post of the channel."""
    alice, channel = _fill(session, world, 200)
    statement = feed._posts_statement(False)
    compiled = statement.compile(dialect=engine.dialect)
    values = compiled.construct_params({"channel_id": channel.id, "limit": 21,
                                        "client_id": alice.id})
    args = [values[name] for name in compiled.positiontup]
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", tuple(args)).all()
    assert any("ix_post_pinned" in row[-1] for row in plan)
