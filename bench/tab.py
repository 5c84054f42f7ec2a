"""A simulated browser tab: what Reflex's `state.js` does, without the browser.

A tab has a fresh token (the browser keeps one per tab in sessionStorage),
opens the websocket with the page's `hydrate_and_load` event in the
Socket.IO CONNECT packet, waits for `is_hydrated`, then sends events with
the page's router data, as the browser does. The session cookie, when
there is one, travels in the handshake's Cookie header.

Reflex sends no "done" marker for an event: the server runs the event and
every event it chains, emitting a delta after each. So each call here names
the delta that ends it (`done`): for a page load the hydrated flag turning
true (the last event of every on_load chain), for a handler the substate
var it sets. A redirect to the sign-in page, or the backend's error toast,
ends the call as a failure.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.wsclient import Socket, http_request

ROOT_STATE = "reflex___state____state"
HYDRATED = "is_hydrated_rx_state_"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
FAILURE_MARKERS = ('"/login"', '"/closed"', "backend_error")


class ActionFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Boot:
    """What the compiled frontend sends on its first connect."""

    state_schema: str = ""
    hashes: tuple[str, ...] = ()
    protocol: str = ""

    @classmethod
    def from_web_dir(cls, web_dir: Path, protocol: str) -> Boot:
        context = (web_dir / "utils" / "context.jsx").read_text()
        schema = re.search(r'stateSchema = "([0-9a-f]+)"', context)
        hashes = re.search(r"initialStateHashes = (\[[^\]]*\])", context)
        return cls(state_schema=schema.group(1) if schema else "",
                   hashes=tuple(json.loads(hashes.group(1))) if hashes else (),
                   protocol=protocol)


def hydrated(update: dict) -> bool:
    return update.get("delta", {}).get(ROOT_STATE, {}).get(HYDRATED) is True


def sets(substate: str, var: str) -> Callable[[dict], bool]:
    """`done` when a delta carries `var` of `substate`."""
    key = var + "_rx_state_"

    def check(update: dict) -> bool:
        return key in update.get("delta", {}).get(substate, {})

    return check


def router_data(path: str, query: dict[str, str] | None = None) -> dict:
    as_path = path
    if query:
        as_path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    data = {"pathname": path, "asPath": as_path}
    if query:
        data["query"] = dict(query)
    return data


@dataclass
class Received:
    """What the server sent a tab (and the tabs sharing the count): state updates
    and their bytes, whether or not a call of the tab was waiting for them."""

    updates: int = 0
    bytes: int = 0

    def add(self, size: int) -> None:
        self.updates += 1
        self.bytes += size


@dataclass
class Tab:
    host: str
    port: int
    boot: Boot
    cookie: str = ""
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    path: str = "/"
    query: dict[str, str] | None = None
    socket: Socket | None = None
    updates: list[dict] = field(default_factory=list)
    received: Received = field(default_factory=Received)
    # What the tab holds, as the browser would: every delta received, merged per state.
    # Pages send only the vars that changed, so a check reads this, not one answer.
    view: dict[str, dict] = field(default_factory=dict)
    _done: Callable[[dict], bool] | None = None
    _fail_on: tuple[str, ...] = FAILURE_MARKERS
    _waiter: asyncio.Future | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _headers(self) -> dict[str, str]:
        headers = {"Origin": self.origin, "User-Agent": "portal-bench"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        return headers

    def _merge(self, update: dict) -> None:
        for name, values in (update.get("delta") or {}).items():
            self.view.setdefault(name, {}).update(values)

    def _on_update(self, update: dict, size: int) -> None:
        self.received.add(size)
        self._merge(update)
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        self.updates.append(update)
        events = update.get("events")
        if events:
            text = json.dumps(events)
            if any(marker in text for marker in self._fail_on):
                waiter.set_exception(ActionFailed(f"refused or failed: {text[:300]}"))
                return
        if self._done(update):
            waiter.set_result(None)

    def _on_lost(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(ActionFailed("the websocket closed"))

    async def _wait(self, timeout: float) -> list[dict]:
        try:
            await asyncio.wait_for(self._waiter, timeout)
        except TimeoutError as exc:
            raise ActionFailed(f"no answer within {timeout} s") from exc
        finally:
            self._waiter = None
        return self.updates

    def _arm(self, done, fail_on: tuple[str, ...] = FAILURE_MARKERS) -> None:
        self.updates = []
        self._done = done
        self._fail_on = fail_on
        self._waiter = asyncio.get_running_loop().create_future()

    async def open(self, path: str, query: dict[str, str] | None = None, *,
                   timeout: float = 60) -> list[dict]:
        """Connect and hydrate on `path` (the CONNECT packet carries the hydrate)."""
        self.path, self.query = path, query
        payload = {"hashes": list(self.boot.hashes)} if self.boot.hashes else {}
        boot_event = {"name": HYDRATE, "payload": payload, "router_data": router_data(path, query)}
        auth = {"event": boot_event, "state_schema": self.boot.state_schema}
        self._arm(hydrated)
        self.socket = await Socket.open(self.host, self.port, token=self.token,
                                        on_update=self._on_update, auth=auth,
                                        headers=self._headers(), protocol=self.boot.protocol,
                                        timeout=timeout, on_lost=self._on_lost)
        return await self._wait(timeout)

    async def event(self, name: str, payload: dict | None = None, *, done,
                    fail_on: tuple[str, ...] = FAILURE_MARKERS,
                    timeout: float = 60) -> list[dict]:
        """Send one event from the current page; wait for the delta that ends it."""
        data = {"name": name, "router_data": router_data(self.path, self.query)}
        if payload:
            data["payload"] = payload
        self._arm(done, fail_on)
        self.socket.emit_event(data)
        return await self._wait(timeout)

    async def navigate(self, path: str, query: dict[str, str] | None = None, *,
                       timeout: float = 60) -> list[dict]:
        """A client-side navigation: React Router changes the page, the frontend
        sends on_load_internal, the server runs the page's on_load chain."""
        self.path, self.query = path, query
        return await self.event(ON_LOAD, done=hydrated, timeout=timeout)

    async def upload(self, handler: str, *, timeout: float = 60) -> list[dict]:
        """An upload-handler event as the browser posts it to /_upload (no files
        picked): multipart form, token and handler in headers, the handler's
        deltas streamed back as NDJSON until its chain ends."""
        boundary = "----portalbench" + uuid.uuid4().hex[:16]
        headers = {**self._headers(), "Reflex-Client-Token": self.token,
                   "Reflex-Event-Handler": handler,
                   "Content-Type": f"multipart/form-data; boundary={boundary}"}
        response = await http_request(self.host, self.port, "POST", "/_upload",
                                      headers=headers, body=f"--{boundary}--\r\n".encode(),
                                      timeout=timeout)
        if response.status != 200:
            raise ActionFailed(f"upload answered {response.status}: {response.body[:200]!r}")
        lines = [line for line in response.body.splitlines() if line.strip()]
        for line in lines:
            self.received.add(len(line))
        updates = [json.loads(line) for line in lines]
        for update in updates:
            self._merge(update)
        text = response.body.decode(errors="replace")
        if any(marker in text for marker in FAILURE_MARKERS):
            raise ActionFailed(f"upload refused or failed: {text[:300]}")
        return updates

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
            self.socket = None


async def start_session(host: str, port: int, ticket: str) -> str:
    """The browser's step 2 of sign-in: trade the ticket for the HttpOnly cookie."""
    response = await http_request(
        host, port, "POST", "/api/session/start",
        headers={"Content-Type": "application/json", "Origin": f"http://{host}:{port}"},
        body=json.dumps({"ticket": ticket}).encode())
    cookies = response.cookies()
    if response.status != 200 or not cookies:
        raise ActionFailed(f"session start answered {response.status}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def now() -> float:
    return time.perf_counter()
