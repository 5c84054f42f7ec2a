"""The benchmark's Community seed: every simulated client may read the quiet group,
the first ones the storm group too, and each may post in the storm group's feed."""

from sqlmodel import Session, SQLModel, select

from bench import seed
from bench.seed_community import (
    QUIET_GROUP_ID,
    QUIET_HISTORY,
    STORM_FEED_ID,
    STORM_GROUP_ID,
    STORM_HISTORY,
)

TINY = seed.Scale("tiny", clients=100, bookings=30, future_bookings=10, invoices=100,
                  messages=200)
QUIET_ONLY = 60  # writes quiet history (authors 45..84), not a storm member


def test_simulated_clients_may_read_their_groups_when_seeded(tmp_path):
    import models  # noqa: F401
    from models import Business, Client, CommunityGroup, Post
    from portal_app import apps
    from portal_app.db import make_engine
    from portal_app.services.community import access
    from portal_app.services.errors import NotFound
    from portal_app.services.hub.entitlements import client_apps

    url = f"sqlite:///{tmp_path / 'bench.db'}"
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    fixture = seed.seed(url, TINY, bench_clients=4, sign_in_accounts=2, password_hash="!")

    assert fixture.counts["community_posts"] == STORM_HISTORY + QUIET_HISTORY
    engine = make_engine(url)
    with Session(engine) as session:
        business = session.get(Business, 1)
        assert session.get(CommunityGroup, STORM_GROUP_ID).name == "Storm circle"
        for client in fixture.clients:
            cid = client.client_id
            assert apps.COMMUNITY in client_apps(session, business=business, client_id=cid)
            assert session.get(Client, cid).display_name
            access.member_context(session, client_id=cid, group_id=QUIET_GROUP_ID)
            ctx, channel = access.get_channel_for(session, client_id=cid,
                                                  channel_id=STORM_FEED_ID)
            assert ctx.group.id == STORM_GROUP_ID and channel.kind == "feed"
        try:
            access.member_context(session, client_id=QUIET_ONLY, group_id=STORM_GROUP_ID)
            raise AssertionError("a quiet-only member reads the storm group")
        except NotFound:
            pass
        newest = session.exec(select(Post).where(Post.group_id == QUIET_GROUP_ID)
                              .order_by(Post.id.desc())).first()
        assert newest.title.startswith("Quiet history") and newest.status == "published"
    engine.dispose()
