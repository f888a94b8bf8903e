# Frame codec for the fastfn worker protocol (docs/protocol.md), Python side: pure bytes in, frames out.
# Standard library only, Python >= 3.9. No I/O here; fastfn_worker.py owns the socket.
from __future__ import annotations

import json
import struct

PROTOCOL_VERSION = 1
HEADER_BYTES = 9
MAX_PAYLOAD = 0x40000000  # 1 GiB

HELLO = 0x01
LOAD = 0x02
LOADED = 0x03
ENV = 0x04
REQUEST = 0x10
RESULT = 0x20
STREAM_HEAD = 0x21
STREAM_CHUNK = 0x22
STREAM_END = 0x23
LOG = 0x30
PING = 0x40
PONG = 0x41
CANCEL = 0x50

KNOWN_TYPES = frozenset(
    (HELLO, LOAD, LOADED, ENV, REQUEST, RESULT, STREAM_HEAD, STREAM_CHUNK, STREAM_END, LOG, PING, PONG, CANCEL)
)

STDOUT = 1
STDERR = 2

_HEADER = struct.Struct(">IBI")
_HEADER_HEAD = struct.Struct(">IBII")  # frame header + u32 head length, packed in one go
_U32 = struct.Struct(">I")

# Compact JSON, key order as given, non-ASCII as raw UTF-8 (what JSON.stringify produces). NaN/Infinity are
# refused because the gateway's JSON.parse would reject them and treat the frame as a protocol violation.
_encode_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_encode_json_ascii = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode


class ProtocolError(Exception):
    """The peer broke the wire protocol (oversized length, unknown type, malformed head). Not recoverable."""

    code = "PROTOCOL_VIOLATION"


def dumps(value) -> bytes:
    """Compact JSON as UTF-8 bytes. Raises TypeError/ValueError for values JSON cannot hold."""
    text = _encode_json(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate cannot be UTF-8; escape it as \udXXX like JSON.stringify does.
        return _encode_json_ascii(value).encode("ascii")


def encode_frame(ftype: int, fid: int, payload=b"") -> bytes:
    n = len(payload)
    if n > MAX_PAYLOAD:
        raise ValueError("frame payload of %d bytes exceeds the 1 GiB limit" % n)
    if not n:
        return _HEADER.pack(0, ftype, fid)
    return _HEADER.pack(n, ftype, fid) + payload


def encode_json_frame(ftype: int, fid: int, value) -> bytes:
    return encode_frame(ftype, fid, dumps(value))


def encode_head_body(ftype: int, fid: int, head, body=b"") -> bytes:
    """Payload = u32 BE head length | head JSON | body bytes. One join: this is the hot path."""
    head_bytes = head if isinstance(head, bytes) else dumps(head)
    hl = len(head_bytes)
    n = 4 + hl + len(body)
    if n > MAX_PAYLOAD:
        raise ValueError("frame payload of %d bytes exceeds the 1 GiB limit" % n)
    if body:
        return b"".join((_HEADER_HEAD.pack(n, ftype, fid, hl), head_bytes, body))
    return _HEADER_HEAD.pack(n, ftype, fid, hl) + head_bytes


def split_head_body(payload):
    """Return (head JSON text, body memoryview) of a head+body payload without copying the body."""
    if len(payload) < 4:
        raise ProtocolError("head+body payload shorter than 4 bytes")
    hl = _U32.unpack_from(payload, 0)[0]
    if 4 + hl > len(payload):
        raise ProtocolError("head length exceeds payload")
    mv = memoryview(payload)
    try:
        head = str(mv[4 : 4 + hl], "utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError("head is not UTF-8: %s" % exc) from None
    return head, mv[4 + hl :]


def decode_head_body(payload):
    """Return (head value, body bytes) of a head+body payload."""
    head, body = split_head_body(payload)
    try:
        return json.loads(head), bytes(body)
    except ValueError as exc:
        raise ProtocolError("head is not JSON: %s" % exc) from None


def decode_json(payload):
    try:
        return json.loads(bytes(payload).decode("utf-8"))
    except ValueError as exc:  # UnicodeDecodeError is a ValueError too
        raise ProtocolError("payload is not JSON: %s" % exc) from None


def encode_log(fid: int, stream: int, data) -> bytes:
    if isinstance(data, str):
        data = data.encode("utf-8", "backslashreplace")
    return _HEADER.pack(1 + len(data), LOG, fid) + bytes((stream,)) + data


def decode_log(payload):
    """Return (stream number, bytes) of a LOG payload."""
    if len(payload) < 1:
        raise ProtocolError("log payload is empty")
    return payload[0], bytes(payload[1:])


class FrameDecoder:
    """Incremental decoder: feed() whatever the socket returned, get whole frames back as (type, id, payload bytes)
    tuples. Raises ProtocolError on an oversized length or an unknown type; the decoder is unusable afterwards."""

    __slots__ = ("_buf", "_broken")

    def __init__(self):
        self._buf = bytearray()
        self._broken = False

    def feed(self, data):
        if self._broken:
            raise ProtocolError("decoder already failed")
        buf = self._buf
        if buf:
            buf += data
            src = buf
        else:
            src = data  # common case: nothing pending, parse the chunk in place
        frames = []
        pos = 0
        end_all = len(src)
        unpack = _HEADER.unpack_from
        view = memoryview(src)  # slices of it copy the payload once, whether src is bytes or the bytearray
        try:
            while end_all - pos >= HEADER_BYTES:
                length, ftype, fid = unpack(src, pos)
                if length > MAX_PAYLOAD:
                    self._broken = True
                    raise ProtocolError("frame length %d exceeds limit" % length)
                if ftype not in KNOWN_TYPES:
                    self._broken = True
                    raise ProtocolError("unknown frame type 0x%02x" % ftype)
                end = pos + HEADER_BYTES + length
                if end > end_all:
                    break
                frames.append((ftype, fid, view[pos + HEADER_BYTES : end].tobytes()))
                pos = end
        finally:
            view.release()  # the bytearray cannot be resized while a view is exported
        if src is buf:
            if pos:
                del buf[:pos]
        elif pos < end_all:
            buf += memoryview(data)[pos:]
        return frames

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a whole frame."""
        return len(self._buf)
