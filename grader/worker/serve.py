"""The worker's main loop: read a request frame, run it, write a reply frame; forever.

Forked by the zygote (grader.worker.zygote) with a config: root (the submission folder),
home (the worker's own folder), memory_mb, forbidden (dotted names) and hide (folders the
student's code must not see), and the two pipe ends of the protocol.
The protocol uses its own pipe (REQ_FD/REP_FD), never stdout: a student's prints cannot
forge a message. Python-level output of student code is captured per call.
"""

from __future__ import annotations

import os
from pathlib import Path


def _reply(worker, req: dict) -> dict:
    from grader.worker.loader import LoadError
    from grader.worker.ops import OPS, OpFailure

    op = OPS.get(req.get("op"))
    if op is None:
        return {"ok": False, "kind": "protocol", "message": f"unknown operation {req.get('op')!r}"}
    worker.last_output = ""
    try:
        value = op(worker, req)
    except (OpFailure, LoadError) as exc:
        return {"ok": False, **exc.reply}
    return {"ok": True, "value": value, "output": worker.last_output}


def _encode(worker, req: dict, reply: dict) -> bytes:
    from grader import wire

    strict = req.get("op") == "fetch"
    try:
        return wire.encode(reply, store_handle=None if strict else worker.store)
    except wire.FrameTooLarge as exc:
        what = req.get("label") or "the call"
        return wire.encode({"ok": False, "kind": "too_large", "message": f"{what} failed: {exc}", "id": reply.get("id")})
    except BaseException as exc:  # noqa: BLE001 - student objects may misbehave while encoded
        msg = f"the result could not be sent back as data: {type(exc).__name__}: {exc}"[:500]
        return wire.encode({"ok": False, "kind": "protocol", "message": msg, "id": reply.get("id")})


def _silence_fds() -> None:
    """Send output written below Python (C code, os.write) to /dev/null: it is never read,
    so it must not fill a pipe and block. Python-level output is captured per call."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def serve(config: dict, req_fd: int, rep_fd: int) -> int:
    """Run a worker in this (freshly forked) process until the judge closes the pipe."""
    from grader import wire
    from grader.worker import guards, ops, sandbox
    from grader.worker.isolation import isolate

    sandbox.apply_limits(int(config["memory_mb"]))
    root, _ = isolate(Path(config["root"]), Path(config["home"]), config.get("hide", []))
    os.chdir(config["home"])
    os.environ.update(HOME=config["home"], TMPDIR=config["home"])
    _silence_fds()
    guards.install(config.get("forbidden", []))
    worker = ops.Worker(root)
    reader = wire.FrameReader(req_fd)
    while True:
        try:
            req = reader.read(as_tensor=True)
        except EOFError:
            return 0
        reply = _reply(worker, req)
        reply["id"] = req.get("id")
        wire.write_frame(rep_fd, _encode(worker, req, reply))
