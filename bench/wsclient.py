"""A small asyncio client that speaks to the portal the way its browser does.

Three layers, the first two pure (and unit-tested):
- WebSocket frames (RFC 6455): the opening handshake, masked client frames,
  a decoder for the server's frames (fragments, 16/64-bit lengths, control frames);
- Engine.IO v4 / Socket.IO v5 text packets, as socket.io-client writes them
  for Reflex's namespace `/_event` (`40/_event,{auth}`, `42/_event,["event",{...}]`);
- `Socket`, an asyncio.Protocol over one TCP connection, and a minimal
  HTTP/1.1 request for the two plain HTTP calls the browser makes (the
  session-cookie route and Reflex's upload endpoint).

Hand-written rather than a websocket library so the load generator does as
little work per message as possible (one dict lookup and one json.loads per
update) and stays far from being the bottleneck on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
NAMESPACE = "/_event"


# --- WebSocket frames -------------------------------------------------------------------------


def accept_key(key: str) -> str:
    """The Sec-WebSocket-Accept value a server must answer to `key`."""
    return base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()  # noqa: S324


def handshake_request(host: str, path: str, key: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Upgrade: websocket",
             "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def apply_mask(data: bytes, mask: bytes) -> bytes:
    """XOR with the 4-byte mask, as one big-integer operation (fast in CPython)."""
    n = len(data)
    if n == 0:
        return b""
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")


def encode_frame(payload: bytes, opcode: int = OP_TEXT, *, mask: bytes | None = None,
                 fin: bool = True) -> bytes:
    """One frame. Clients must mask (RFC 6455 5.3); `mask=None` picks a random key."""
    mask = os.urandom(4) if mask is None else mask
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", first, 0x80 | n)
    elif n < 1 << 16:
        header = struct.pack("!BBH", first, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", first, 0x80 | 127, n)
    return header + mask + apply_mask(payload, mask)


class FrameDecoder:
    """Feed bytes, get whole messages: (opcode, payload). Fragments are joined;
    control frames (ping, pong, close) come out as they arrive."""

    def __init__(self):
        self._buf = bytearray()
        self._parts: list[bytes] = []
        self._opcode = 0

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        self._buf += data
        out = []
        while True:
            frame = self._next_frame()
            if frame is None:
                return out
            fin, opcode, payload = frame
            if opcode >= OP_CLOSE:
                out.append((opcode, payload))
                continue
            if opcode != OP_CONT:
                self._opcode, self._parts = opcode, []
            self._parts.append(payload)
            if fin:
                out.append((self._opcode, b"".join(self._parts)))
                self._parts = []

    def _next_frame(self) -> tuple[bool, int, bytes] | None:
        buf = self._buf
        if len(buf) < 2:
            return None
        fin, opcode = bool(buf[0] & 0x80), buf[0] & 0x0F
        masked, n = bool(buf[1] & 0x80), buf[1] & 0x7F
        pos = 2
        if n == 126:
            if len(buf) < 4:
                return None
            n = struct.unpack_from("!H", buf, 2)[0]
            pos = 4
        elif n == 127:
            if len(buf) < 10:
                return None
            n = struct.unpack_from("!Q", buf, 2)[0]
            pos = 10
        mask = b""
        if masked:
            if len(buf) < pos + 4:
                return None
            mask = bytes(buf[pos:pos + 4])
            pos += 4
        if len(buf) < pos + n:
            return None
        payload = bytes(buf[pos:pos + n])
        del buf[:pos + n]
        if masked:
            payload = apply_mask(payload, mask)
        return fin, opcode, payload


# --- Engine.IO / Socket.IO packets --------------------------------------------------------------


def sio_connect(auth: dict | None, namespace: str = NAMESPACE) -> str:
    """CONNECT to a namespace; Reflex's frontend puts its hydrate event in `auth`."""
    return f"40{namespace}," + (json.dumps(auth, separators=(",", ":")) if auth else "")


def sio_event(name: str, data, namespace: str = NAMESPACE) -> str:
    return f"42{namespace}," + json.dumps([name, data], separators=(",", ":"))


@dataclass
class Packet:
    eio: str  # "0" open, "2" ping, "3" pong, "4" message, "1" close
    sio: str = ""  # for messages: "0" connect, "1" disconnect, "2" event, "4" connect error
    namespace: str = "/"
    data: object = None


def parse_packet(text: str) -> Packet:
    """An Engine.IO text packet; a message carries a Socket.IO packet."""
    eio = text[:1]
    if eio != "4":
        body = text[1:]
        return Packet(eio=eio, data=json.loads(body) if body else None)
    sio, rest = text[1:2], text[2:]
    namespace = "/"
    if rest.startswith("/"):
        comma = rest.find(",")
        if comma < 0:
            namespace, rest = rest, ""
        else:
            namespace, rest = rest[:comma], rest[comma + 1:]
    # An ack id (digits) may precede the data; Reflex does not use acks.
    i = 0
    while i < len(rest) and rest[i].isdigit():
        i += 1
    rest = rest[i:]
    return Packet(eio=eio, sio=sio, namespace=namespace, data=json.loads(rest) if rest else None)


# --- HTTP ---------------------------------------------------------------------------------------


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def cookies(self) -> dict[str, str]:
        jar = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                name, _, val = pair.partition("=")
                jar[name.strip()] = val.strip()
        return jar


def dechunk(body: bytes) -> bytes:
    out, pos = bytearray(), 0
    while True:
        end = body.index(b"\r\n", pos)
        size = int(body[pos:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2:end + 2 + size]
        pos = end + 2 + size + 2


def parse_http_response(raw: bytes) -> HttpResponse:
    """A whole HTTP/1.1 response read up to the closed connection."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = []
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers.append((key.strip(), value.strip()))
    response = HttpResponse(status=status, headers=headers, body=body)
    if (response.header("transfer-encoding") or "").lower() == "chunked":
        response.body = dechunk(body)
    return response


async def http_request(host: str, port: int, method: str, path: str, *,
                       headers: dict[str, str] | None = None, body: bytes = b"",
                       timeout: float = 30) -> HttpResponse:
    """One request on its own connection (Connection: close), read to the end."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
                 f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        raw = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    return parse_http_response(raw)


# --- The socket ---------------------------------------------------------------------------------


class ConnectError(RuntimeError):
    pass


@dataclass
class Socket(asyncio.Protocol):
    """One Socket.IO connection to `/_event`. `on_update(update, size)` gets
    every state update the server emits (the parsed `["event", update]`) and its
    size in bytes (the websocket message's UTF-8 payload, Socket.IO framing included)."""

    on_update: Callable[[dict, int], None]
    on_lost: Callable[[], None] | None = None
    transport: asyncio.Transport | None = None
    connected: asyncio.Future | None = None
    closed: asyncio.Future | None = None
    _decoder: FrameDecoder = field(default_factory=FrameDecoder)
    _head: bytes = b""
    _upgraded: bool = False
    _key: str = ""
    _auth: dict | None = None

    @classmethod
    async def open(cls, host: str, port: int, *, token: str, on_update, auth: dict | None,
                   headers: dict[str, str], protocol: str = "", timeout: float = 30,
                   on_lost=None) -> Socket:
        loop = asyncio.get_running_loop()
        sock = cls(on_update=on_update, on_lost=on_lost)
        sock.connected = loop.create_future()
        sock.closed = loop.create_future()
        sock._key = base64.b64encode(os.urandom(16)).decode()
        sock._auth = auth
        await loop.create_connection(lambda: sock, host, port)
        extra = dict(headers)
        if protocol:
            extra["Sec-WebSocket-Protocol"] = protocol
        sock.transport.write(handshake_request(
            f"{host}:{port}", f"{NAMESPACE}/?EIO=4&transport=websocket&token={token}",
            sock._key, extra))
        await asyncio.wait_for(asyncio.shield(sock.connected), timeout)
        return sock

    # asyncio.Protocol
    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        if not self.connected.done():
            self.connected.set_exception(ConnectError(f"connection lost: {exc}"))
        if not self.closed.done():
            self.closed.set_result(exc)
        if self.on_lost is not None:
            self.on_lost()

    def data_received(self, data: bytes):
        if not self._upgraded:
            self._head += data
            end = self._head.find(b"\r\n\r\n")
            if end < 0:
                return
            head, data = self._head[:end].decode("latin-1"), self._head[end + 4:]
            if " 101 " not in head.split("\r\n", 1)[0] or accept_key(self._key) not in head:
                self._fail(f"handshake refused: {head.splitlines()[0] if head else '?'}")
                return
            self._upgraded = True
        for opcode, payload in self._decoder.feed(data):
            if opcode == OP_TEXT:
                self._text(payload.decode(), len(payload))
            elif opcode == OP_PING:
                self.transport.write(encode_frame(payload, OP_PONG))
            elif opcode == OP_CLOSE:
                self.transport.close()

    def _fail(self, why: str) -> None:
        if not self.connected.done():
            self.connected.set_exception(ConnectError(why))
        self.transport.close()

    def _text(self, text: str, size: int) -> None:
        """One text message; `size` is its bytes on the wire (the frame's payload)."""
        kind = text[:2]
        if kind == "42":
            # Fast path for state updates: `42/_event,["event",{...}]`.
            comma = text.find(",")
            name, update = json.loads(text[comma + 1:])
            if name == "event":
                self.on_update(update, size)
            return
        packet = parse_packet(text)
        if packet.eio == "0":
            self.send_text(sio_connect(self._auth))
        elif packet.eio == "2":
            self.send_text("3")
        elif packet.eio == "4" and packet.sio == "0" and not self.connected.done():
            self.connected.set_result(packet.data)
        elif packet.eio == "4" and packet.sio == "4":
            self._fail(f"connect refused: {packet.data}")
        elif packet.eio == "1" or (packet.eio == "4" and packet.sio == "1"):
            self.transport.close()

    def send_text(self, text: str) -> None:
        self.transport.write(encode_frame(text.encode()))

    def emit_event(self, data: dict) -> None:
        self.send_text(sio_event("event", data))

    async def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.send_text("41" + NAMESPACE + ",")
            self.transport.write(encode_frame(struct.pack("!H", 1000), OP_CLOSE))
            self.transport.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.closed), 5)
