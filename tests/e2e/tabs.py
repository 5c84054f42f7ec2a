"""Which worker process holds a browser tab's websocket, and tabs of one client
placed on different workers (the scale mode: tests/e2e/test_scale_out.py,
tests/e2e/test_two_nodes.py).

Which worker holds a tab's websocket is read from the socket record Reflex keeps in
Redis for each connected tab token: its `instance_id` is set per worker process
when the worker starts. A new page has a new tab token, so a helper opens pages
until two tabs of one client sit on different workers."""

import pickle
import time

import redis
from reflex.utils.token_manager import RedisTokenManager

from tests.e2e.journeys import goto_settled

ATTEMPTS = 16  # new pages opened at most to land a tab on another worker


def tab_worker(portal, page) -> str:
    """The worker (Reflex instance id) holding this tab's websocket, once it is stable."""
    client = redis.Redis.from_url(portal.redis_url)
    try:
        previous, deadline = None, time.monotonic() + 20
        while time.monotonic() < deadline:
            token = page.evaluate("window.sessionStorage.getItem('token')")
            raw = token and client.get(RedisTokenManager._token_socket_record_prefix + token)
            current = pickle.loads(raw).instance_id if raw else None
            if current and current == previous:
                return current
            previous = current
            time.sleep(0.3)
        raise AssertionError("the tab's websocket has no socket record in Redis")
    finally:
        client.close()


def open_on_another_worker(portal, context, path: str, ready, avoid: str):
    """A new page at `path` whose websocket is on a worker other than `avoid`."""
    for _ in range(ATTEMPTS):
        page = context.new_page()
        goto_settled(page, portal.url(path))
        ready(page)
        worker = tab_worker(portal, page)
        if worker != avoid:
            return page, worker
        page.close()
    raise AssertionError(f"{ATTEMPTS} new pages all landed on the same worker")


def client_tabs_on_two_workers(portal, context, path: str, ready):
    """Two fresh pages of one signed-in client, their websockets on different workers."""
    first = context.new_page()
    goto_settled(first, portal.url(path))
    ready(first)
    first_worker = tab_worker(portal, first)
    second, second_worker = open_on_another_worker(portal, context, path, ready,
                                                   avoid=first_worker)
    return (first, first_worker), (second, second_worker)
