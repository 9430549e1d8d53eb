"""The worker's side of the guard channel: a pipe to the supervisor (grader.worker.supervisor),
written at the moment a forbidden call happens, before control returns to student code.

Lines: "R <json object>" once at start (what the worker achieved of the sandbox), "F <name>"
for a forbidden call, "D <request id>" when a request is done (just before its reply). The
supervisor decides the forbidden-call verdict from these lines, not from the worker's reply,
and treats a closed or garbled channel, or a reply without its "D" line, as tampering.
"""

from __future__ import annotations

import json
import os

_fd: int | None = None
_sent: set[str] = set()  # forbidden names reported during the current request


def open_channel(fd: int) -> None:
    global _fd
    _fd = fd


def _write(line: str) -> None:
    if _fd is None:
        return
    data = line.replace("\n", " ")[:900].encode("utf-8", "replace") + b"\n"
    try:
        os.write(_fd, data)
    except OSError:
        pass  # closed by student code: the supervisor sees the channel end


def forbidden(name: str) -> None:
    """Report a forbidden call (once per name and request)."""
    if name not in _sent:
        _sent.add(name)
        _write(f"F {name}")


def done(request_id) -> None:
    _sent.clear()
    _write(f"D {request_id}")


def ready(report: dict) -> None:
    """Once, before any student code: {"holds": [...], "isolated": bool, "home": folder on
    disk or None, "refuse": reason (then the worker exits without serving)}."""
    _write("R " + json.dumps(report))
