"""Live updates across workers: a push is published on a Redis channel and every other
worker refreshes the tabs it knows; without Redis nothing is published."""

import asyncio
import json
import time

import pytest
import redis

from portal_app import live, live_coalesce
from portal_app.settings import reset_settings_cache
from tests.services import need_redis


@pytest.fixture
def tabs(monkeypatch):
    """A clean tab registry, and the tokens refresh_tab was called for."""
    monkeypatch.setattr(live, "_tabs", {})
    refreshed: list[str] = []

    async def fake_refresh(token: str) -> None:
        refreshed.append(token)

    monkeypatch.setattr(live, "refresh_tab", fake_refresh)
    return refreshed


@pytest.fixture
def unpaced(monkeypatch):
    """No minimum interval between two refreshes of a tab (tests of the coalescing
    alone; the pacing has its own tests, tests/unit/test_live_pacing.py)."""
    monkeypatch.setattr(live_coalesce, "REFRESH_INTERVAL_S", 0.0)


@pytest.fixture
def redis_url(monkeypatch):
    url = need_redis(0)
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:////tmp/live-{time.monotonic_ns()}.db")
    reset_settings_cache()
    monkeypatch.setattr(live, "_publisher", {})
    yield url
    reset_settings_cache()


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_push_from_another_worker_refreshes_known_tabs_except_the_sender(tabs):
    live.watch("client", 7, "tab-a")
    live.watch("client", 7, "tab-b")
    live.watch("client", 8, "tab-other-client")

    async def run():
        live.handle_push(json.dumps({"origin": "another-worker", "kind": "client", "key": 7,
                                     "exclude": "tab-b"}))
        await _settle()

    asyncio.run(run())
    assert tabs == ["tab-a"]


def test_own_and_malformed_pushes_are_ignored(tabs):
    live.watch("staff", 0, "console-tab")

    async def run():
        live.handle_push(live.encode_push("staff", 0, ""))  # published by this worker
        live.handle_push(b"not json")
        live.handle_push(json.dumps({"origin": "x", "kind": "staff"}))  # no key
        await _settle()

    asyncio.run(run())
    assert tabs == []


def test_each_forked_worker_gets_its_own_id(monkeypatch):
    first = live.worker_id()
    assert live.worker_id() == first
    monkeypatch.setattr(live.os, "getpid", lambda: 424242)
    assert live.worker_id() != first and live.worker_id().startswith("424242-")


def test_channel_is_per_database(monkeypatch):
    names = set()
    for url in ("sqlite:////tmp/a.db", "postgresql+psycopg://u@h/portal_b"):
        monkeypatch.setenv("DATABASE_URL", url)
        reset_settings_cache()
        names.add(live.channel_name())
    reset_settings_cache()
    assert len(names) == 2 and all(n.startswith(live.CHANNEL_PREFIX) for n in names)


def test_without_redis_a_change_refreshes_local_tabs_only(tabs, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    published = []

    async def fake_publish(*args):
        published.append(args)

    monkeypatch.setattr(live, "_publish", fake_publish)
    live.watch("client", 3, "tab-1")

    async def run():
        live.client_changed(3, exclude="")
        await _settle()

    asyncio.run(run())
    assert tabs == ["tab-1"] and published == []


def test_change_is_published_and_another_workers_push_is_applied(tabs, redis_url):
    """Through a real Redis: this worker's change reaches the channel with its id, and a
    push published by another worker refreshes this worker's tab."""
    live.watch("client", 5, "tab-here")
    channel = live.channel_name()
    other = redis.Redis.from_url(redis_url)
    seen = other.pubsub(ignore_subscribe_messages=True)
    seen.subscribe(channel)

    async def run():
        listener = asyncio.create_task(live.listen())
        try:
            deadline = time.monotonic() + 10
            while other.pubsub_numsub(channel)[0][1] < 2:  # the test's and the listener's
                assert time.monotonic() < deadline, "the listener never subscribed"
                await asyncio.sleep(0.05)
            live.client_changed(5, exclude="tab-here")  # nothing local to refresh
            other.publish(channel, json.dumps({"origin": "worker-b", "kind": "client",
                                               "key": 5, "exclude": ""}))
            deadline = time.monotonic() + 10
            while not tabs:
                assert time.monotonic() < deadline, "the push was not applied"
                await asyncio.sleep(0.05)
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)
            await live._redis_client().aclose()

    asyncio.run(run())
    assert tabs == ["tab-here"]
    messages = []
    deadline = time.monotonic() + 5
    while len(messages) < 2 and time.monotonic() < deadline:
        if (m := seen.get_message(timeout=0.2)) is not None:
            messages.append(json.loads(m["data"]))
    by_origin = {m["origin"]: m for m in messages}
    assert by_origin[live.worker_id()] == {"origin": live.worker_id(), "kind": "client",
                                           "key": 5, "exclude": "tab-here"}
    assert set(by_origin) == {live.worker_id(), "worker-b"}
    seen.close()
    other.close()


# --- the injected refresher (live.py knows no state and no app) -----------------------------


@pytest.fixture
def refresher(monkeypatch):
    monkeypatch.setattr(live, "_refresher", {})
    refreshed: list[str] = []

    async def refresh(token: str, only=None, *, about=None) -> None:
        if token == "broken-tab":
            raise RuntimeError("the tab's state is gone")
        refreshed.append(token)

    live.set_refresher(refresh)
    return refreshed


def test_a_change_runs_the_injected_refresher_for_each_known_tab(refresher, monkeypatch):
    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    for token in ("tab-1", "broken-tab", "tab-2"):
        live.watch("client", 4, token)

    async def run():
        live.client_changed(4, exclude="tab-2")
        await _settle()

    asyncio.run(run())  # a failing tab is logged, the others still refresh
    assert refresher == ["tab-1"]


def test_without_a_refresher_a_push_does_nothing(monkeypatch):
    monkeypatch.setattr(live, "_refresher", {})
    asyncio.run(live.refresh_tab("tab-1"))  # no app wired (a CLI job): no error


def test_a_recorded_payment_refreshes_the_payers_tabs(refresher, monkeypatch):
    from portal_app.services.billing.live_lookup import PayerTab

    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    asked = []

    def lookup(session, *, provider_session_id):
        asked.append(provider_session_id)
        return PayerTab(client_id=6, tab_token="paying-tab") if provider_session_id else None

    monkeypatch.setattr(live, "payer_of_checkout", lookup)
    monkeypatch.setattr(live, "session_scope", _no_database)
    # The payer (6) was brought by the referrer whose record is 9: their tabs refresh too.
    monkeypatch.setattr(live, "referrer_clients_of",
                        lambda session, *, client_ids: [9] if client_ids == [6] else [])
    live.watch("client", 6, "other-tab")
    live.watch("client", 7, "someone-else")
    live.watch("client", 9, "referrer-tab")
    live.watch(*live.STAFF, "console-tab")

    topics = {}

    async def refresh(token: str, only=None, *, about=None):
        refresher.append(token)
        topics[token] = about

    live.set_refresher(refresh)
    asyncio.run(live.payment_recorded({"data": {"object": {"id": "cs_1"}}}))
    asyncio.run(live.payment_recorded({"data": {}}))
    assert asked == ["cs_1", ""]
    assert refresher == ["paying-tab", "other-tab", "console-tab", "referrer-tab"]
    # About billing (the console's week view is not redrawn); the referrer's a commission.
    assert topics == {"paying-tab": ("billing",), "other-tab": ("billing",),
                      "console-tab": ("billing",), "referrer-tab": ("referrals",)}


class _no_database:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


# --- a burst of pushes about a group (issue 23: 50 members posting at once) ----------------


def test_a_burst_of_group_pushes_costs_each_tab_at_most_two_refreshes(monkeypatch, unpaced):
    """Pushes while a tab's refresh is queued add nothing; pushes while it runs add one
    more (it may have read before them); each refresh is asked for the group's pages
    only; a tab the refresher finds closed is forgotten."""
    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.setattr(live_coalesce, "_refreshing", {})
    monkeypatch.setattr(live_coalesce, "_wanted", {})
    monkeypatch.setattr(live, "_refresher", {})
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    calls: list[tuple[str, tuple]] = []
    gate = asyncio.Event()

    async def refresh(token: str, only=None, *, about=None):
        calls.append((token, only))
        if token == "closed-tab":
            return False
        await gate.wait()
        return True

    live.set_refresher(refresh)
    for token in ("tab-1", "tab-2", "closed-tab", "sender"):
        live.watch("group", 3, token)

    async def run():
        for _ in range(10):  # queued: nine of them add nothing
            live.group_changed(3, exclude="sender")
        await _settle()  # the refreshes start and wait on the gate
        for _ in range(10):  # running: one more each is owed
            live.group_changed(3, exclude="sender")
        gate.set()
        await _settle()
        await _settle()

    asyncio.run(run())
    per_tab = {t: sum(1 for c, _ in calls if c == t) for t in ("tab-1", "tab-2", "sender")}
    assert per_tab == {"tab-1": 2, "tab-2": 2, "sender": 0}
    assert {only for _, only in calls} == {live.GROUP_PAGES}
    assert "closed-tab" not in live.tabs_of("group", 3)
    assert live_coalesce._refreshing == {}


def test_a_group_keeps_many_more_tabs_than_a_client(monkeypatch):
    monkeypatch.setattr(live, "_tabs", {})
    for n in range(60):
        live.watch("group", 1, f"g{n}")
        live.watch("client", 1, f"c{n}")
    assert len(live.tabs_of("group", 1)) == 60
    assert len(live.tabs_of("client", 1)) == live.MAX_TABS_PER_KEY


def test_a_client_push_coalesced_into_a_group_push_still_reaches_any_page(monkeypatch):
    """A mention pushes the group (its pages only) and then the mentioned client (any
    page): the tab's one refresh covers both, so a member on the dashboard still gets
    the bell."""
    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.setattr(live_coalesce, "_refreshing", {})
    monkeypatch.setattr(live_coalesce, "_wanted", {})
    monkeypatch.setattr(live, "_refresher", {})
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    calls: list[tuple[str, object]] = []

    async def refresh(token: str, only=None, *, about=None):
        calls.append((token, only))
        return True

    live.set_refresher(refresh)
    live.watch("group", 5, "tab-1")
    live.watch("client", 9, "tab-1")
    live.watch("group", 5, "tab-2")

    async def run():
        live.group_changed(5)
        live.client_changed(9)
        await _settle()

    asyncio.run(run())
    assert sorted(calls) == [("tab-1", None), ("tab-2", live.GROUP_PAGES)]
    assert live_coalesce._wanted == {}


def test_a_push_about_messages_says_so_coalesced_and_across_workers(monkeypatch, unpaced):
    """A tab's refresh is asked `about` the topics of the pushes coalesced into it; one
    push about anything widens it to anything; the topic travels on the channel."""
    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.setattr(live_coalesce, "_refreshing", {})
    monkeypatch.setattr(live_coalesce, "_wanted", {})
    monkeypatch.setattr(live_coalesce, "_about", {})
    monkeypatch.setattr(live, "_refresher", {})
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    calls: list[tuple[str, object]] = []

    async def refresh(token: str, only=None, *, about=None):
        calls.append((token, about))
        return True

    live.set_refresher(refresh)
    live.watch(*live.STAFF, "console-1")
    live.watch(*live.STAFF, "console-2")

    async def run():
        live.staff_changed(about=live.MESSAGES)
        live.staff_changed(about=live.MESSAGES)
        await _settle()
        live.staff_changed(about=live.MESSAGES, exclude="console-2")
        live.staff_changed(exclude="console-2")
        await _settle()
        live.handle_push(live.encode_push(*live.STAFF, "console-1", live.MESSAGES)
                         .replace(live.worker_id(), "another-worker"))
        await _settle()

    asyncio.run(run())
    assert calls == [("console-1", ("messages",)), ("console-2", ("messages",)),
                     ("console-1", None), ("console-2", ("messages",))]
