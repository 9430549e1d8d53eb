"""The data-only wire between the judge and the worker.

A frame is: magic b"DLVZ", u32 length of a JSON header, u32 number of buffers, the JSON
header, then each buffer as u64 length + raw bytes. The header and the buffers are a message
(a dict of values) as grader.codec encodes it: tensors and arrays travel as dtype, shape and
raw bytes; nothing is ever unpickled.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time

from grader.codec import (  # noqa: F401 - Handle: part of the wire's interface (grader.wire.Handle)
    MAX_BUFFERS,
    MAX_HEADER,
    MAX_TOTAL,
    FrameTooLarge,
    Handle,
    ProtocolError,
    _Decoder,
    _Encoder,
    _too_large,
)

MAGIC = b"DLVZ"


def encode(message: dict, store_handle=None) -> bytes:
    """Turn a message (a dict of values) into one frame."""
    enc = _Encoder(store_handle)
    header = json.dumps(enc.value(message), allow_nan=False, separators=(",", ":")).encode()
    if len(header) > MAX_HEADER:
        raise _too_large("JSON", MAX_HEADER, len(header))
    parts = [MAGIC, struct.pack("<II", len(header), len(enc.buffers)), header]
    for b in enc.buffers:
        parts += [struct.pack("<Q", len(b)), b]
    return b"".join(parts)


def decode(header: bytes, buffers: list[bytes], as_tensor: bool = True) -> dict:
    """Turn a frame's header and buffers back into a message."""
    try:
        obj = json.loads(header)
        msg = _Decoder(buffers, as_tensor).value(obj)
    except ProtocolError:
        raise
    except (ValueError, KeyError, TypeError, RecursionError, IndexError) as exc:
        raise ProtocolError(f"malformed message: {type(exc).__name__}") from None
    if not isinstance(msg, dict):
        raise ProtocolError("a message must be an object")
    return msg


# ---------------------------------------------------------------- pipes
class FrameReader:
    """Reads frames from a file descriptor, with an optional deadline (time.monotonic())."""

    def __init__(self, fd: int):
        self.fd = fd

    def _read(self, n: int, deadline: float | None) -> bytes:
        chunks, got = [], 0
        while got < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                ready, _, _ = select.select([self.fd], [], [], left)
                if not ready:
                    raise TimeoutError
            chunk = os.read(self.fd, min(n - got, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def read(self, deadline: float | None = None, as_tensor: bool = True) -> dict:
        head = self._read(12, deadline)
        if head[:4] != MAGIC:
            raise ProtocolError("bad frame magic")
        hlen, nbuf = struct.unpack("<II", head[4:])
        if hlen > MAX_HEADER:
            raise _too_large("JSON", MAX_HEADER, hlen)
        if nbuf > MAX_BUFFERS:
            raise FrameTooLarge(f"the returned value is too large: {nbuf} arrays (at most {MAX_BUFFERS})")
        header = self._read(hlen, deadline)
        buffers, total = [], 0
        for _ in range(nbuf):
            (blen,) = struct.unpack("<Q", self._read(8, deadline))
            total += blen
            if total > MAX_TOTAL:
                raise _too_large("array data", MAX_TOTAL, total)
            buffers.append(self._read(blen, deadline))
        return decode(header, buffers, as_tensor)


def write_frame(fd: int, frame: bytes, deadline: float | None = None) -> None:
    """Write a whole frame; raise TimeoutError if the reader stops reading past the deadline."""
    view = memoryview(frame)
    while view:
        if deadline is not None:
            left = deadline - time.monotonic()
            _, ready, _ = select.select([], [fd], [], max(left, 0))
            if not ready:
                raise TimeoutError
        n = os.write(fd, view[: 1 << 16])
        view = view[n:]
