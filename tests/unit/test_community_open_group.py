"""Opening a group's feed (feed.open_group) reads the group, the reader's member row,
their grant and the channels in one statement: it must answer exactly as
access.member_context does for every kind of reader, and a group page opens in a
fixed number of statements however large the group grows."""

from datetime import timedelta

import pytest
from sqlalchemy import delete

from models import GroupMember, GroupVisibility, MemberStatus
from models.base import utcnow
from portal_app.services.community import access, feed
from portal_app.services.hub.entitlements import revoke_grant
from tests import factories
from tests.sql import statements_of
from tests.unit.community_feed_helpers import world_fixture  # noqa: F401
from tests.unit.test_community_access import _grant, _group, _member
from tests.unit.test_community_feed_sql import _fill


def _outcome(fn):
    try:
        result = fn()
    except Exception as exc:  # noqa: BLE001 - the kind of refusal is the answer
        return type(exc).__name__, str(exc)
    return "ok", result


def _both(session, client, group):
    by_context = _outcome(lambda: access.member_context(
        session, client_id=client.id, group_id=group.id).muted)
    by_feed = _outcome(lambda: feed.open_group(
        session, client_id=client.id, group_id=group.id).muted)
    return by_context, by_feed


def _reader(session, case):
    visibility = {"entitled": GroupVisibility.ENTITLED,
                  "private": GroupVisibility.PRIVATE}.get(case.split("-")[0],
                                                          GroupVisibility.OPEN)
    group, _feed, _news = _group(session, visibility,
                                 archived=case == "archived")
    client = factories.client(session)
    status = {"requested": MemberStatus.REQUESTED, "left": MemberStatus.LEFT,
              "removed": MemberStatus.REMOVED, "banned": MemberStatus.BANNED,
              "declined": MemberStatus.DECLINED}.get(case, MemberStatus.ACTIVE)
    if case not in ("stranger", "private-revoked"):  # a grant's own row: via_grant
        extra = {"muted_until": utcnow() + timedelta(days=1)} if case == "muted" else {}
        _member(session, group, client, status, **extra)
    if case in ("entitled-granted", "banned", "private-revoked", "granted-no-row"):
        given = _grant(session, client, group)
        if case == "private-revoked":
            revoke_grant(session, grant_id=given.id, staff_id=None)
        if case == "granted-no-row":
            session.exec(delete(GroupMember).where(GroupMember.client_id == client.id))
    session.flush()
    session.expire_all()
    return client, group


@pytest.mark.parametrize("case", [
    "active", "muted", "requested", "left", "removed", "banned", "declined", "stranger",
    "archived", "entitled-granted", "entitled-no-grant", "private-revoked",
    "granted-no-row"])
def test_open_group_answers_as_member_context_does(session, case):
    client, group = _reader(session, case)
    by_context, by_feed = _both(session, client, group)
    assert by_feed == by_context
    expected_ok = case in ("active", "muted", "entitled-granted", "granted-no-row")
    assert (by_feed[0] == "ok") is expected_ok
    if case == "muted":
        assert by_feed == ("ok", True)


def test_a_group_page_opens_in_two_statements_whatever_its_size(engine, session, world):
    counts = []
    for n in (20, 2000):
        alice, channel = _fill(session, world, n)
        reader, group_id, channel_id = alice.id, channel.group_id, channel.id
        session.expire_all()
        pages = []

        def work(reader=reader, group_id=group_id, channel_id=channel_id, pages=pages):
            view = feed.open_group(session, client_id=reader, group_id=group_id,
                                   channel_id=channel_id)
            pages.append(feed.list_feed(session, client_id=reader, channel_id=channel_id,
                                        checked=view))
            session.commit()

        counts.append(len(statements_of(engine, work)))
        # pinned first, the member's own held post among the newest, names not legal names
        posts = pages[0].posts
        assert posts[0]["pinned"] == "yes" and any(p["held"] == "yes" for p in posts)
        assert {p["author"] for p in posts} <= {f"Ann{n}", f"Ben{n}"}
    # the group with its channels; the posts with their authors, their reactions and
    # whether they have files (none here: no files read)
    assert counts == [2, 2]
