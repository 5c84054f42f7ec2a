"""Live updates pushed into open tabs from outside their own events (a staff
reply, a shared document, a Stripe webhook): the tab's page state reloads
from the database and Reflex sends the change down the tab's websocket.

Tabs are remembered per client record (and for staff) when they run an
event, in the worker that runs it: the one holding the tab's websocket, or
any worker for an upload (an HTTP request). A push refreshes the tabs this worker knows at once; with `REDIS_URL` set
(several workers) it is also published on a Redis channel, and every other
worker, listening in a lifespan task (`listen`), refreshes the tabs it knows.
Reflex itself forwards a state delta to whichever worker holds a tab's
socket now (its token manager's "lost and found" channel), so refreshing a
token from any worker reaches the tab. A push never fails its caller and
never runs inside the caller's own event: it is scheduled as a task. However
many pushes come, a tab is refreshed at most once per second, the first at once
(coalesced and paced: portal_app/live_coalesce.py).

Who pushes: a client's own events (a message, an upload) push to staff; the
console's changes push to the client concerned (`client_changed`, noted by
the handler and sent after its commit, state/staff_session.py `StaffState._as_staff`)
or, for what every client sees (branding, features, buttons, the portal
switched off), to every client tab (`everyone_changed`).

A push may say what it is about (`about`: one topic of portal_app/live_topics.py, or
several): a tab whose page does not show that thing then reloads only its shell (the
unread count, the bell), not its page (a client's message or form does not redraw the
console's week view). A push without `about` reloads whatever page the tab shows.

This module is plain publish/subscribe: what "refresh a tab" means (which
page states reload) belongs to the state layer, and the app injects it once
at start-up with `set_refresher` (portal_app/portal_app.py, the composition
root; the refresher is state/live_pages.py's). Until then a push is a no-op.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from portal_app import live_coalesce
from portal_app.db import session_scope
from portal_app.live_topics import (  # noqa: F401 - the topics, as live.MESSAGES etc.
    BILLING,
    BOOKINGS,
    COMMUNITY,
    COURSES,
    DOCUMENTS,
    FORMS,
    MESSAGES,
    REFERRALS,
)
from portal_app.services.billing.live_lookup import payer_of_checkout
from portal_app.services.referrals.commissions import referrer_clients_of
from portal_app.settings import get_settings

log = logging.getLogger("portal.live")

MAX_TABS_PER_KEY = 20
# A group may be open in many tabs at once (every member's); tabs that closed are
# dropped when a refresh finds them gone (`forget`).
MAX_TABS_PER_GROUP = 2000
# A push about a group reloads only tabs on these pages (a tab that moved on to
# another page keeps its place in the list, and is skipped).
GROUP_PAGES = ("/community", "/console/community")
# Any page, but only a tab whose socket this worker holds (see `payment_recorded`).
ANY_PAGE = ("/",)
STAFF = ("staff", 0)
EVERYONE = ("everyone", 0)  # every client tab this worker knows (branding, the portal off)
CHANNEL_PREFIX = "portal:live:"
LISTEN_RETRY_SECONDS = 1.0
_tabs: dict[tuple[str, int], OrderedDict[str, None]] = {}
_worker = {"pid": 0, "id": ""}
_publisher: dict[str, object] = {}  # this worker's Redis client, made in its own loop
_running: set[asyncio.Task] = set()  # keeps scheduled pushes alive until they finish
Refresher = Callable[..., Awaitable[bool | None]]
_refresher: dict[str, Refresher] = {}


def set_refresher(refresher: Refresher | None) -> None:
    """Install `async refresher(token, only=None, *, about=None)`, which reloads one
    tab's open page (only when that page's path starts with one of `only`, when given;
    with `about`, a page that shows none of those topics reloads its shell only) and
    returns False when the tab is gone (closed); None removes it. `about` is passed
    only when a push gave it."""
    if refresher is None:
        _refresher.pop("fn", None)
    else:
        _refresher["fn"] = refresher


def _spawn(loop: asyncio.AbstractEventLoop, coro) -> None:
    task = loop.create_task(coro)
    _running.add(task)
    task.add_done_callback(_running.discard)


def watch(kind: str, key: int, token: str) -> None:
    """Remember that tab `token` shows `kind`/`key` (newest kept, bounded)."""
    if not token:
        return
    tabs = _tabs.setdefault((kind, key), OrderedDict())
    tabs[token] = None
    tabs.move_to_end(token)
    limit = MAX_TABS_PER_GROUP if kind == "group" else MAX_TABS_PER_KEY
    while len(tabs) > limit:
        tabs.popitem(last=False)


def forget(token: str) -> None:
    """A closed tab: drop it from every list (found by a refresh)."""
    for tabs in list(_tabs.values()):
        tabs.pop(token, None)


def tabs_of(kind: str, key: int) -> list[str]:
    """The tabs to refresh for kind/key; EVERYONE is every client tab, each once."""
    if (kind, key) == EVERYONE:
        return list(dict.fromkeys(token for (k, _), tabs in list(_tabs.items())
                                  if k == "client" for token in tabs))
    return list(_tabs.get((kind, key), ()))


async def refresh_tab(token: str, only: tuple[str, ...] | None = None,
                      about: tuple[str, ...] | None = None) -> None:
    """Reload the bell and the open page of one tab (through the injected refresher);
    with `only`, only when the tab shows a page under one of those paths; with
    `about`, the page only when it shows one of those topics (else the shell)."""
    refresher = _refresher.get("fn")
    if refresher is None:
        return  # no app wired (a CLI job, a unit test): the next page load shows it
    extra = {} if about is None else {"about": about}
    try:
        alive = await (refresher(token, **extra) if only is None
                       else refresher(token, only, **extra))
    except Exception:  # a push is a courtesy: the data is already committed
        log.exception("live update to a tab failed")
        return
    if alive is False:
        forget(token)


def _schedule(tokens: list[str], exclude: str = "",
              only: tuple[str, ...] | None = None,
              about: tuple[str, ...] | None = None) -> None:
    """Refresh these tabs (but `exclude`), coalesced and paced (portal_app/live_coalesce.py)."""
    live_coalesce.schedule([t for t in tokens if t and t != exclude], refresh_tab, only, about)


def _only(kind: str) -> tuple[str, ...] | None:
    return GROUP_PAGES if kind == "group" else None


About = str | tuple[str, ...] | list[str] | None  # a topic, several, or None: anything


def _topics(about: About) -> tuple[str, ...] | None:
    if not about:
        return None
    return (about,) if isinstance(about, str) else tuple(dict.fromkeys(str(t) for t in about))


def _changed(kind: str, key: int, exclude: str, about: About = None) -> None:
    """Refresh this worker's tabs for kind/key and tell the other workers."""
    _schedule(tabs_of(kind, key), exclude, _only(kind), _topics(about))
    if not get_settings().redis_url:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    _spawn(loop, _publish(kind, key, exclude, about))


def client_changed(client_id: int, *, exclude: str = "", about: About = None) -> None:
    """Something the client sees changed: refresh their open tabs."""
    _changed("client", client_id, exclude, about)


def everyone_changed(*, exclude: str = "") -> None:
    """Something every client sees changed (branding, features, the business's buttons,
    the portal switched off): refresh every client tab, on every worker."""
    _changed(*EVERYONE, exclude)


def staff_changed(*, exclude: str = "", about: About = None) -> None:
    """Something staff see changed (a client's message): refresh console tabs."""
    _changed(*STAFF, exclude, about)


def group_changed(group_id: int, *, exclude: str = "") -> None:
    """Something in a community group changed (a post, a comment, a reaction, a
    moderation decision): refresh every tab that shows that group (the tabs watch
    "group"/<id> when they open it), on every worker."""
    _changed("group", group_id, exclude, COMMUNITY)


def referrers_of(session, payer_id: int | None) -> list[int]:
    """The client records of the referrers who brought this payer: a payment may have
    earned them a commission (commissions.on_payment, in the payment's transaction),
    so their open Referrals tabs refresh too. Every payment path (the webhook, the
    test-mode checkout, staff's offline payment) asks this inside its transaction
    and pushes to them after its commit."""
    if not payer_id:
        return []
    return [c for c in referrer_clients_of(session, client_ids=[payer_id]) if c != payer_id]


async def payment_recorded(event: dict) -> None:
    """After a webhook recorded a payment: update the payer's tabs, the console's, and
    the tabs of the referrer who brought the payer (a new commission)."""
    session_id = str(((event.get("data") or {}).get("object") or {}).get("id") or "")
    with session_scope() as session:
        payer = payer_of_checkout(session, provider_session_id=session_id)
        referrers = referrers_of(session, payer.client_id) if payer is not None else []
    if payer is None:
        return
    token, client_id = payer.tab_token, payer.client_id
    if get_settings().redis_url:
        await _publish("client", client_id, token or "", BILLING)
        await _publish(*STAFF, "", BILLING)  # the console's Today: paid, and the feed says so
        for referrer in referrers:
            await _publish("client", referrer, "", REFERRALS)  # a commission
    # The payer's tab is refreshed wherever its socket is (Reflex forwards the delta; the
    # other workers were told to leave it out); the other tabs this worker knows only if
    # it holds them (the workers holding the rest refresh them on the Redis push), so
    # closed tabs cost the webhook nothing.
    about: dict[str, tuple[str, ...]] = {}
    for tab in [*tabs_of("client", client_id), *tabs_of(*STAFF)]:
        about[tab] = (BILLING,)
    for tab in (t for r in referrers for t in tabs_of("client", r)):
        about[tab] = tuple(dict.fromkeys((*about.get(tab, ()), REFERRALS)))
    about.pop(token or "", None)
    about.pop("", None)
    await asyncio.gather(*([refresh_tab(token, None, (BILLING,))] if token else []),
                         *(refresh_tab(t, ANY_PAGE, topics) for t, topics in about.items()))


# --- across workers (Redis) ----------------------------------------------------------------


def worker_id() -> str:
    """This process's id on the channel; a forked worker gets its own."""
    pid = os.getpid()
    if _worker["pid"] != pid:
        _worker.update(pid=pid, id=f"{pid}-{secrets.token_hex(4)}")
    return _worker["id"]


def channel_name() -> str:
    """One channel per portal database, so portals sharing a Redis never mix."""
    digest = hashlib.sha256(get_settings().database_url.encode()).hexdigest()[:16]
    return CHANNEL_PREFIX + digest


def encode_push(kind: str, key: int, exclude: str, about: About = None) -> str:
    push = {"origin": worker_id(), "kind": kind, "key": int(key), "exclude": exclude}
    topics = _topics(about)
    if topics:
        push["about"] = list(topics)
    return json.dumps(push)


def handle_push(raw: bytes | str) -> None:
    """A push published by some worker: refresh the tabs this worker knows."""
    try:
        push = json.loads(raw)
        origin, kind, key = str(push["origin"]), str(push["kind"]), int(push["key"])
        exclude = str(push.get("exclude") or "")
        about = push.get("about") or None
        if about is not None and not isinstance(about, (str, list)):
            raise TypeError(about)
    except (ValueError, KeyError, TypeError):
        log.warning("ignored a malformed live update on %s", channel_name())
        return
    if origin == worker_id():
        return  # the publisher refreshed its own tabs already
    _schedule(tabs_of(kind, key), exclude, _only(kind), _topics(about))


def _redis_client():
    from redis.asyncio import Redis

    pid = os.getpid()
    client = _publisher.get("client")
    if client is None or _publisher.get("pid") != pid:
        client = Redis.from_url(get_settings().redis_url)
        _publisher.update(client=client, pid=pid)
    return client


async def _publish(kind: str, key: int, exclude: str, about: About = None) -> None:
    try:
        await _redis_client().publish(channel_name(), encode_push(kind, key, exclude, about))
    except Exception:  # a push is a courtesy: the data is already committed
        log.exception("publishing a live update failed")


async def listen() -> None:
    """Lifespan task (every worker): apply pushes from other workers. Without Redis
    there is one worker and nothing to listen to."""
    from redis.asyncio import Redis

    url = get_settings().redis_url
    if not url:
        return
    channel = channel_name()
    while True:
        client = Redis.from_url(url)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(channel)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        handle_push(message["data"])
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("live update listener lost Redis; subscribing again")
        finally:
            await client.aclose()
        await asyncio.sleep(LISTEN_RETRY_SECONDS)
