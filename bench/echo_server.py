"""The floor below Reflex: granian + python-socketio with Reflex's settings,
answering every event with a delta-shaped update. No state, no database.

Same AsyncServer options as `reflex.app.App._setup_state` (websocket only, no
upgrades, handlers inline on the receive loop, Reflex's JSON and its ping,
timeout and buffer settings), the same `/_event` namespace and path, served
by granian's ASGI interface with one worker as `reflex run --env prod` does.

Run: python -m bench.echo_server PORT ORIGIN
"""

from __future__ import annotations

import asyncio
import json
import sys
from types import SimpleNamespace

import socketio
from reflex_base import constants
from reflex_base.environment import environment
from reflex_base.utils import format

ROOT_STATE = "reflex___state____state"
ECHO_STATE = f"{ROOT_STATE}.echo"


def _dumps(obj, **kwargs) -> str:
    return format.json_dumps(obj, **kwargs)


def _loads(data, **kwargs):
    return json.loads(data, **kwargs)


class EchoNamespace(socketio.AsyncNamespace):
    def __init__(self, namespace: str):
        super().__init__(namespace)
        self.counts: dict[str, int] = {}

    async def on_connect(self, sid, environ, auth=None):
        self.counts[sid] = 0
        if isinstance(auth, dict) and auth.get("event"):
            # What a hydrate ends with, so the client's connect step is the same.
            await self.emit("event", {"delta": {ROOT_STATE: {"is_hydrated_rx_state_": True}}},
                            to=sid)

    def on_disconnect(self, sid, *_args):
        self.counts.pop(sid, None)

    async def on_event(self, sid, data):
        count = self.counts.get(sid, 0) + 1
        self.counts[sid] = count
        await self.emit("event", {"delta": {ECHO_STATE: {"count_rx_state_": count}}}, to=sid)
        await asyncio.sleep(0)  # as Reflex's emit_update does, so the writer can flush


def make_app(origin: str):
    sio = socketio.AsyncServer(
        async_mode="asgi",
        cors_allowed_origins=[origin],
        cors_credentials=True,
        max_http_buffer_size=environment.REFLEX_SOCKET_MAX_HTTP_BUFFER_SIZE.get(),
        ping_interval=environment.REFLEX_SOCKET_INTERVAL.get().total_seconds(),
        ping_timeout=environment.REFLEX_SOCKET_TIMEOUT.get().total_seconds(),
        json=SimpleNamespace(dumps=staticmethod(_dumps), loads=staticmethod(_loads)),
        allow_upgrades=False,
        transports=["websocket"],
        async_handlers=False,
    )
    sio.register_namespace(EchoNamespace(str(constants.Endpoint.EVENT)))
    return socketio.ASGIApp(sio, socketio_path=str(constants.Endpoint.EVENT).strip("/"))


def app_factory():
    import os

    return make_app(os.environ["BENCH_ECHO_ORIGIN"])


def main() -> None:
    import os

    from granian.constants import Interfaces
    from granian.server import Server as Granian

    port, origin = int(sys.argv[1]), sys.argv[2]
    os.environ["BENCH_ECHO_ORIGIN"] = origin
    Granian(target="bench.echo_server:app_factory", factory=True, address="127.0.0.1",
            port=port, interface=Interfaces.ASGI, workers=1, log_level="warning").serve()


if __name__ == "__main__":
    main()
