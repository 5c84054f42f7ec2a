"""How live pushes (portal_app/live.py) turn into refreshes of one tab: coalesced, and
paced. A storm of pushes (50 clients messaging at once, each message pushed to every
open console tab; 50 members posting in a group) must cost each open tab a bounded
number of reloads, not one per push.

Coalesced: per tab, at most one refresh runs and at most one more is owed; every push
that comes meanwhile only widens what the owed one covers (`_wanted`: which pages,
`_about`: which topics).

Paced: a tab is refreshed at most once per `REFRESH_INTERVAL_S`. The first push to a
quiet tab refreshes it at once; pushes within the interval after a refresh started
coalesce into one refresh at the interval's end. A push about anything (no topic: a
client's access or permissions changed, the portal was switched off) does not wait: a
tab that must be sent away is sent away at once.

Plain asyncio and dicts, per worker; nothing here knows what a refresh does (live.py
passes its `refresh_tab`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

# At most one refresh of a tab per this many seconds (the first at once).
REFRESH_INTERVAL_S = 1.0
# Per tab: "queued" (a refresh is scheduled and has not started: another push adds
# nothing), "running" (one more is owed after it: "again"), "resting" (refreshed less
# than the interval ago: a push makes it "again", refreshed at the interval's end).
_refreshing: dict[str, str] = {}
# Per tab, what its next refresh must cover: None = whatever page it shows (wins over
# any path list), else the paths of the pushes coalesced into it.
_wanted: dict[str, tuple[str, ...] | None] = {}
# Per tab, what its next refresh is about: None = anything (wins), else the topics of
# the pushes coalesced into it.
_about: dict[str, tuple[str, ...] | None] = {}
# Per resting tab, the future that ends its rest (at the interval's end, or earlier for
# a push about anything).
_waking: dict[str, asyncio.Future] = {}
_running: set[asyncio.Task] = set()  # keeps scheduled refreshes alive until they finish
_ALL = object()  # no push has asked for this tab yet
Refresh = Callable[..., Awaitable[None]]


def _widen(store: dict, token: str, value: tuple[str, ...] | None) -> None:
    have = store.get(token, _ALL)
    if have is _ALL:
        store[token] = value
    elif have is not None:
        store[token] = None if value is None else tuple(dict.fromkeys((*have, *value)))


def _urgent(token: str) -> bool:
    """Whether the refresh owed to this tab is about anything (it must not wait)."""
    return token in _about and _about[token] is None


def _wake(token: str) -> None:
    waking = _waking.get(token)
    if waking is not None and not waking.done():
        waking.set_result(None)


async def _rest(token: str, delay: float) -> None:
    """Wait `delay` seconds, or less when an urgent push comes meanwhile."""
    if delay <= 0 or _urgent(token):
        return
    loop = asyncio.get_running_loop()
    waking = _waking[token] = loop.create_future()
    timer = loop.call_later(delay, _wake, token)
    try:
        await waking
    finally:
        timer.cancel()
        _waking.pop(token, None)


async def _refresh_coalesced(token: str, refresh: Refresh) -> None:
    """Refresh one tab, then (after the rest of the interval) once more if pushes came
    since it started, each pass covering every push coalesced into it."""
    loop = asyncio.get_running_loop()
    try:
        while True:
            _refreshing[token] = "running"
            started = loop.time()
            only, about = _wanted.pop(token, None), _about.pop(token, None)
            await (refresh(token) if only is None and about is None
                   else refresh(token, only, about))
            if _refreshing.get(token) != "again":
                _refreshing[token] = "resting"
            await _rest(token, started + REFRESH_INTERVAL_S - loop.time())
            if _refreshing.get(token) != "again":
                return
    finally:
        _refreshing.pop(token, None)
        _wanted.pop(token, None)
        _about.pop(token, None)


def schedule(tokens: list[str], refresh: Refresh, only: tuple[str, ...] | None = None,
             about: tuple[str, ...] | None = None) -> None:
    """Have `refresh(token[, only, about])` run for each tab, coalesced and paced (above).
    Outside a running loop (a CLI job) nothing happens: the next page load shows it."""
    if not tokens:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    for token in tokens:
        state = _refreshing.get(token)
        _widen(_wanted, token, only)
        _widen(_about, token, about)
        if state == "running" or state == "resting":
            _refreshing[token] = "again"
        if state == "resting" or state == "again":
            if about is None:
                _wake(token)  # about anything: do not wait for the interval's end
            continue
        if state is not None:
            continue  # queued or running: that refresh, or the one owed after it, shows it
        _refreshing[token] = "queued"
        task = loop.create_task(_refresh_coalesced(token, refresh))
        _running.add(task)
        task.add_done_callback(_running.discard)
