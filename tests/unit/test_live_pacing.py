"""A tab is refreshed at most once per interval (portal_app/live_coalesce.py): the first
push to a quiet tab refreshes it at once, later pushes within the interval coalesce into
one refresh at its end, and a push about anything (access, permissions) does not wait.
The real live.py with a recording refresher (the app's injection point)."""

import asyncio

import pytest

from portal_app import live, live_coalesce
from portal_app.settings import reset_settings_cache

INTERVAL = 0.3


@pytest.fixture
def calls(monkeypatch):
    """A clean registry, the interval at INTERVAL, and (loop time, token, about) per refresh."""
    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.setattr(live, "_refresher", {})
    for name in ("_refreshing", "_wanted", "_about", "_waking"):
        monkeypatch.setattr(live_coalesce, name, {})
    monkeypatch.setattr(live_coalesce, "REFRESH_INTERVAL_S", INTERVAL)
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    seen: list[tuple[float, str, object]] = []

    async def refresh(token: str, only=None, *, about=None):
        seen.append((asyncio.get_running_loop().time(), token, about))
        return True

    live.set_refresher(refresh)
    live.watch(*live.STAFF, "console-1")
    live.watch(*live.STAFF, "console-2")
    yield seen
    reset_settings_cache()


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_pushes_in_quick_succession_refresh_once_now_and_once_after_the_interval(calls):
    async def run():
        start = asyncio.get_running_loop().time()
        live.staff_changed(about=live.MESSAGES)
        await _settle()
        now = [(token, about) for _, token, about in calls]
        for _ in range(20):  # a storm of messages within the interval
            live.staff_changed(about=live.MESSAGES)
            live.staff_changed(about=live.DOCUMENTS)
            await asyncio.sleep(0.005)
        within = len(calls)
        await asyncio.sleep(INTERVAL * 2)
        return start, now, within

    start, now, within = asyncio.run(run())
    # The first push: both tabs at once; the storm adds nothing within the interval.
    assert now == [("console-1", (live.MESSAGES,)), ("console-2", (live.MESSAGES,))]
    assert within == 2
    # Then one more refresh each, at the interval's end, covering every topic pushed.
    later = calls[2:]
    assert sorted((token, about) for _, token, about in later) == [
        ("console-1", (live.MESSAGES, live.DOCUMENTS)),
        ("console-2", (live.MESSAGES, live.DOCUMENTS))]
    assert all(when - start >= INTERVAL * 0.95 for when, _, _ in later)
    assert live_coalesce._refreshing == {} and live_coalesce._waking == {}


def test_a_tab_quiet_for_the_interval_refreshes_at_once_again(calls):
    async def run():
        live.staff_changed(about=live.MESSAGES, exclude="console-2")
        await _settle()
        await asyncio.sleep(INTERVAL * 1.5)  # the rest ends with nothing owed
        assert live_coalesce._refreshing == {}
        again = asyncio.get_running_loop().time()
        live.staff_changed(about=live.MESSAGES, exclude="console-2")
        await _settle()
        return again

    again = asyncio.run(run())
    assert [token for _, token, _ in calls] == ["console-1", "console-1"]
    assert calls[1][0] - again < INTERVAL / 2


def test_a_push_about_anything_does_not_wait_for_the_interval(calls):
    """Access taken away (a push without a topic) reaches a tab refreshed a moment ago at
    once, and covers what was owed to it."""
    async def run():
        live.staff_changed(about=live.MESSAGES, exclude="console-2")
        await _settle()
        live.staff_changed(about=live.MESSAGES, exclude="console-2")
        live.staff_changed(exclude="console-2")
        pushed = asyncio.get_running_loop().time()
        await _settle()
        return pushed

    pushed = asyncio.run(run())
    assert [(token, about) for _, token, about in calls] == [
        ("console-1", (live.MESSAGES,)), ("console-1", None)]
    assert calls[1][0] - pushed < INTERVAL / 2


def test_a_push_while_a_refresh_runs_waits_for_the_interval_from_its_start(calls):
    opened: list[asyncio.Event] = []

    async def slow_refresh(token: str, only=None, *, about=None):
        calls.append((asyncio.get_running_loop().time(), token, about))
        await opened[0].wait()
        return True

    live.set_refresher(slow_refresh)

    async def run():
        opened.append(asyncio.Event())
        start = asyncio.get_running_loop().time()
        live.staff_changed(about=live.MESSAGES, exclude="console-2")
        await _settle()  # running, held at the gate
        live.staff_changed(about=live.MESSAGES, exclude="console-2")
        opened[0].set()
        await _settle()
        assert len(calls) == 1  # owed, not yet: the interval runs from the first's start
        await asyncio.sleep(INTERVAL * 2)
        return start

    start = asyncio.run(run())
    assert [token for _, token, _ in calls] == ["console-1", "console-1"]
    assert calls[1][0] - start >= INTERVAL * 0.95
