"""The benchmark's websocket client: RFC 6455 frames and Engine.IO / Socket.IO
packets, checked against known values and the server-side decoders."""

import json
import struct

import pytest
from engineio import packet as eio_packet
from socketio import packet as sio_packet

from bench.wsclient import (
    OP_CLOSE,
    OP_CONT,
    OP_PING,
    OP_TEXT,
    FrameDecoder,
    accept_key,
    apply_mask,
    dechunk,
    encode_frame,
    parse_http_response,
    parse_packet,
    sio_connect,
    sio_event,
)


def server_frame(payload: bytes, opcode: int = OP_TEXT, fin: bool = True) -> bytes:
    """An unmasked frame as a server sends it."""
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        return struct.pack("!BB", first, n) + payload
    if n < 1 << 16:
        return struct.pack("!BBH", first, 126, n) + payload
    return struct.pack("!BBQ", first, 127, n) + payload


def test_accept_key_matches_the_rfc_example():
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_masked_client_frame_matches_the_rfc_example():
    # RFC 6455 5.7: a masked "Hello".
    frame = encode_frame(b"Hello", mask=bytes([0x37, 0xFA, 0x21, 0x3D]))
    assert frame == bytes([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_encoded_frames_decode_back_at_every_length_form(size):
    payload = bytes(i % 251 for i in range(size))
    frame = encode_frame(payload, mask=b"\x01\x02\x03\x04")

    assert FrameDecoder().feed(frame) == [(OP_TEXT, payload)]
    header = 2 if size < 126 else (4 if size < 65536 else 10)
    assert len(frame) == header + 4 + size  # length form, then the 4-byte mask


def test_mask_is_its_own_inverse():
    data = b"any bytes \x00\xff at all"
    assert apply_mask(apply_mask(data, b"abcd"), b"abcd") == data
    assert apply_mask(b"", b"abcd") == b""


def test_decoder_joins_fragments_and_passes_control_frames_between_them():
    stream = (server_frame(b"hel", OP_TEXT, fin=False) + server_frame(b"ping", OP_PING)
              + server_frame(b"lo", OP_CONT, fin=True))

    assert FrameDecoder().feed(stream) == [(OP_PING, b"ping"), (OP_TEXT, b"hello")]


def test_decoder_waits_for_a_frame_split_across_reads():
    decoder = FrameDecoder()
    frame = server_frame(b"x" * 300) + server_frame(b"", OP_CLOSE)
    out = []
    for i in range(0, len(frame), 7):
        out += decoder.feed(frame[i:i + 7])
    assert out == [(OP_TEXT, b"x" * 300), (OP_CLOSE, b"")]


def test_socketio_packets_are_what_the_python_server_decodes():
    event = {"name": "state.increment", "payload": {"n": 1}, "router_data": {"pathname": "/"}}
    decoded = sio_packet.Packet(encoded_packet=sio_event("event", event)[1:])
    assert (decoded.packet_type, decoded.namespace, decoded.data) == (
        sio_packet.EVENT, "/_event", ["event", event])

    connect = sio_packet.Packet(encoded_packet=sio_connect({"event": event})[1:])
    assert (connect.packet_type, connect.namespace, connect.data) == (
        sio_packet.CONNECT, "/_event", {"event": event})
    assert eio_packet.Packet(encoded_packet=sio_event("event", event)).packet_type == \
        eio_packet.MESSAGE


def test_parse_packet_reads_what_the_server_encodes():
    update = {"delta": {"state": {"count_rx_state_": 3}}}
    text = "4" + sio_packet.Packet(sio_packet.EVENT, data=["event", update],
                                   namespace="/_event").encode()

    parsed = parse_packet(text)

    assert (parsed.eio, parsed.sio, parsed.namespace, parsed.data) == (
        "4", "2", "/_event", ["event", update])
    opened = parse_packet('0{"sid":"abc","pingInterval":25000}')
    assert (opened.eio, opened.data["sid"]) == ("0", "abc")
    assert parse_packet("2").eio == "2"
    assert parse_packet('40/_event,{"sid":"x"}').data == {"sid": "x"}


def test_http_response_with_chunked_body_and_cookies():
    raw = (b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
           b"Set-Cookie: portal_session=abc; HttpOnly; Path=/\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n"
           b"4\r\n{\"a\"\r\n5\r\n:1}\n\n\r\n0\r\n\r\n")

    response = parse_http_response(raw)

    assert response.status == 200
    assert response.cookies() == {"portal_session": "abc"}
    assert [json.loads(line) for line in response.body.splitlines() if line] == [{"a": 1}]
    assert dechunk(b"0\r\n\r\n") == b""
