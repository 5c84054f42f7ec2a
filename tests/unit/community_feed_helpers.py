"""A small community for the feed tests: a business with the Community app open to
every client, one open group with its three channels, and members with display
names (rows built through the models, as the console's services belong to another
part of the work)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from models import (
    ChannelKind,
    CommunityChannel,
    CommunityGroup,
    GroupMember,
    MemberStatus,
    Post,
)
from portal_app.providers.storage import LocalFileStorage
from portal_app.services.community import posts
from tests import factories

BASE = "http://portal.test"
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
_seq = itertools.count(1)


def group(session, **fields):
    row = CommunityGroup(name=fields.pop("name", f"Group {next(_seq)}"), **fields)
    session.add(row)
    session.flush()
    chans = {}
    for pos, kind in enumerate(ChannelKind.ALL):
        chans[kind] = CommunityChannel(group_id=row.id, name=kind.title(), kind=kind,
                                       position=pos)
        session.add(chans[kind])
    session.flush()
    return row, chans


def member(session, grp, name: str, *, status=MemberStatus.ACTIVE, **fields):
    _acc, (client,) = factories.household(session, names=(name,))
    client.display_name = name
    session.add(client)
    row = GroupMember(group_id=grp.id, client_id=client.id, status=status, joined_at=T0,
                      **fields)
    session.add(row)
    session.flush()
    return client, row


@pytest.fixture(name="world")
def world_fixture(session):
    business = factories.business(session, apps_enabled=["community"],
                                  apps_open=["community"])
    grp, chans = group(session, name="Makers")
    alice, alice_m = member(session, grp, "Alice")
    bob, bob_m = member(session, grp, "Bob Stone")
    session.commit()
    return {"business": business, "group": grp, "chans": chans, "feed": chans["feed"],
            "alice": alice, "alice_m": alice_m, "bob": bob, "bob_m": bob_m}


@pytest.fixture(name="storage")
def storage_fixture(tmp_path):
    return LocalFileStorage(tmp_path / "files")


def write(session, client, channel, title="Hello", body="First post", **kw) -> Post:
    done = posts.create_post(session, client_id=client.id, channel_id=channel.id, title=title,
                             body=body, base_url=BASE, **kw)
    session.commit()
    return done.row
